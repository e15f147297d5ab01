// POST /imports/inspect (issue 7, R34): a file from 1C (Windows-1251, ";", Russian headers), a UTF-8 CSV with a BOM
// and an XLSX are read as the import reads them — columns, the first rows, the row count — and the mapping guessed from
// their headers is one the import accepts. A broken file is the import's own 422; a cashier may not; nothing changes.
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { failure, useApi } from './support/apiServer.js';
import { STAFF_PASSWORD, aStaff } from './support/staff.js';

const h = useApi();

const counts = async (businessId: string) => {
  const r = await sql<{ members: number; txs: number; imports: number }>`
    select (select count(*) from members where business_id = ${businessId})::int as members,
           (select count(*) from ledger_transactions where business_id = ${businessId})::int as txs,
           (select count(*) from imports where business_id = ${businessId})::int as imports`.execute(h.t.db);
  return r.rows[0];
};

/** Windows-1251 bytes of Russian text (the letters used here), as 1C exports it. */
function encode1251(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x80) out.push(c);
    else if (c >= 0x410 && c <= 0x44f) out.push(c - 0x410 + 0xc0);
    else if (c === 0x401) out.push(0xa8);
    else if (c === 0x451) out.push(0xb8);
    else throw new Error(`no Windows-1251 byte for ${ch}`);
  }
  return Buffer.from(out);
}

const FROM_1C = [
  'Код;Наименование;Телефон;Дата рождения;Бонусы;Эл. почта',
  '000000001;"Петров; Пётр";+7 916 555-00-01;03.02.1985;1 200;petrov@example.com',
  '000000002;Сидорова Алёна;89165550002;;0;',
  '',
  '000000003;Иванов Иван;+79165550003;;15;',
  '000000004;Ёлкина Мария;+79165550004;;7;',
  '000000005;Кузнецов Олег;+79165550005;;;',
  '000000006;Шестой Клиент;+79165550006;;1;',
].join('\r\n');

describe('POST /imports/inspect', () => {
  it('a 1C file in Windows-1251: columns, the first 5 rows (blank lines skipped), the row count and the guess, which a dry run accepts', async () => {
    const shop = await h.business();
    const before = await counts(shop.id);
    const contentBase64 = encode1251(FROM_1C).toString('base64');
    const r = await shop.api.imports.inspect({ fileName: 'контрагенты.csv', contentBase64 });
    expect(r.fileName).toBe('контрагенты.csv');
    expect(r.columns).toEqual(['Код', 'Наименование', 'Телефон', 'Дата рождения', 'Бонусы', 'Эл. почта']);
    expect(r.rows).toBe(6);
    expect(r.sampleRows).toHaveLength(5);
    expect(r.sampleRows[0]).toEqual(['000000001', 'Петров; Пётр', '+7 916 555-00-01', '03.02.1985', '1 200', 'petrov@example.com']);
    expect(r.sampleRows.map((x) => x[1])).toEqual(['Петров; Пётр', 'Сидорова Алёна', 'Иванов Иван', 'Ёлкина Мария', 'Кузнецов Олег']);
    expect(r.guessedMapping).toEqual({ phone: 'Телефон', name: 'Наименование', birthday: 'Дата рождения', email: 'Эл. почта', balance: 'Бонусы', externalId: 'Код' });
    expect(r.looksLikeHeader).toBe(true);
    expect(await counts(shop.id)).toEqual(before);

    const { phone, ...rest } = r.guessedMapping;
    const dry = await shop.api.imports.dryRun({ fileName: 'контрагенты.csv', contentBase64, mapping: { phone: phone!, ...rest }, expiresOn: null });
    expect(dry.totals).toEqual({ rows: 6, ok: 6, bad: 0, newMembers: 6, matchedMembers: 0, points: 1223 });
    expect(dry.rows[0]).toMatchObject({ phone: '+79165550001', name: 'Петров; Пётр', points: 1200 });
  });

  it('UTF-8 with a BOM and commas, and an XLSX workbook with English headers and a number for the phone', async () => {
    const shop = await h.business();
    const bom = `\ufeffФИО,Телефон (моб.),Сумма бонусов,E-mail,Номер карты\n"Анна Ёлкина",+79165551001,10,anna@example.com,\n`;
    const csv = await shop.api.imports.inspect({ fileName: 'excel.csv', contentBase64: Buffer.from(bom, 'utf8').toString('base64') });
    expect(csv.columns).toEqual(['ФИО', 'Телефон (моб.)', 'Сумма бонусов', 'E-mail', 'Номер карты']);
    expect(csv.sampleRows).toEqual([['Анна Ёлкина', '+79165551001', '10', 'anna@example.com', '']]);
    expect(csv.rows).toBe(1);
    expect(csv.guessedMapping).toEqual({ phone: 'Телефон (моб.)', name: 'ФИО', email: 'E-mail', card: 'Номер карты', balance: 'Сумма бонусов' });

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Customers');
    ws.addRow(['Customer ID', 'Full name', 'Mobile', 'Points', 'Notes']);
    ws.addRow(['C-1', 'Old friend', 79165551002, 40, 'likes tea']);
    ws.addRow(['C-2', 'New friend', '+79165551003', 0, '']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const book = await shop.api.imports.inspect({ fileName: 'book.xlsx', contentBase64: xlsx });
    expect(book.columns).toEqual(['Customer ID', 'Full name', 'Mobile', 'Points', 'Notes']);
    expect(book.sampleRows).toEqual([['C-1', 'Old friend', '79165551002', '40', 'likes tea'], ['C-2', 'New friend', '+79165551003', '0', '']]);
    expect(book.rows).toBe(2);
    expect(book.guessedMapping).toEqual({ phone: 'Mobile', name: 'Full name', balance: 'Points', externalId: 'Customer ID' });
  });

  it('takes a file as big as the import takes (a body over the 1 MB of other requests), and says how many rows it has', async () => {
    const shop = await h.business();
    const lines = ['Телефон;ФИО;Баллы'];
    for (let i = 0; i < 40_000; i++) lines.push(`+7916${String(6_000_000 + i).padStart(7, '0')};Клиент номер ${i};${i % 500}`);
    const content = Buffer.from(lines.join('\n'), 'utf8');
    expect(content.length).toBeGreaterThan(1024 * 1024);
    const r = await shop.api.imports.inspect({ fileName: 'big.csv', contentBase64: content.toString('base64') });
    expect(r.rows).toBe(40_000);
    expect(r.sampleRows).toHaveLength(5);
    expect(r.sampleRows[4]).toEqual(['+79166000004', 'Клиент номер 4', '4']);
    expect(r.guessedMapping).toEqual({ phone: 'Телефон', name: 'ФИО', balance: 'Баллы' });
  });

  it('no phone in the guess unless a header says so; a file without its header row is told apart', async () => {
    const shop = await h.business();
    const unclear = await shop.api.imports.inspect({ fileName: 'x.csv', contentBase64: Buffer.from('Номер;Клиент;Сумма\n+79165552001;Анна;10\n').toString('base64') });
    expect(unclear.guessedMapping).toEqual({ name: 'Клиент' });
    expect(unclear.looksLikeHeader).toBe(true);
    const headless = await shop.api.imports.inspect({ fileName: 'y.csv', contentBase64: Buffer.from('+79165552001;Анна;10\n+79165552002;Борис;5\n').toString('base64') });
    expect(headless).toMatchObject({ columns: ['+79165552001', 'Анна', '10'], rows: 1, looksLikeHeader: false });
    expect(headless.guessedMapping).toEqual({});
  });

  it('a broken file is the import\'s own 422 import_unreadable; bad input is 400; nothing changes', async () => {
    const shop = await h.business();
    const before = await counts(shop.id);
    const b64 = (x: string | Buffer) => Buffer.from(x).toString('base64');
    for (const content of [b64('just a header'), b64(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6])), b64(Buffer.from([0x00, 0x01, 0x02, 0x0a, 0x00]))]) {
      const e = await failure(shop.api.imports.inspect({ fileName: 'broken.xlsx', contentBase64: content }));
      expect(e).toMatchObject({ status: 422, code: 'import_unreadable' });
      // The same file gives the import the same answer.
      expect(await failure(shop.api.imports.dryRun({ fileName: 'broken.xlsx', contentBase64: content, mapping: { phone: 'x' }, expiresOn: null }))).toMatchObject({ status: 422, code: e.code });
    }
    const res = await h.fetch(`${h.url}/api/v1/imports/inspect`, { method: 'POST', headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ fileName: 'x.csv', contentBase64: b64('a;b\n1;2\n'), mapping: { phone: 'a' } }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'validation_failed' });
    expect(await failure(shop.api.imports.inspect({ fileName: '', contentBase64: b64('a;b\n1;2\n') }))).toMatchObject({ status: 400, code: 'validation_failed' });
    // Not base64 at all: said so, rather than read as an empty file.
    expect(await failure(shop.api.imports.inspect({ fileName: 'x.csv', contentBase64: '!!! not base64 !!!' }))).toMatchObject({ status: 400, code: 'validation_failed', problem: { errors: [{ path: 'contentBase64', message: 'must be base64' }] } });
    expect(await failure(shop.api.imports.dryRun({ fileName: 'x.csv', contentBase64: '%%%', mapping: { phone: 'a' }, expiresOn: null }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await counts(shop.id)).toEqual(before);
  });

  it('staff need points.bulk: the owner may look, a cashier is refused (403)', async () => {
    const shop = await h.business();
    const session = async (email: string) => {
      const res = await fetch(`${h.url}/api/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ businessId: shop.id, email, password: STAFF_PASSWORD }) });
      expect(res.status).toBe(204);
      const jar: Record<string, string> = {};
      for (const line of res.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        jar[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
      }
      return { cookie: `kopilka_session=${jar.kopilka_session}; kopilka_csrf=${jar.kopilka_csrf}`, csrf: jar.kopilka_csrf ?? '' };
    };
    const inspect = async (who: { cookie: string; csrf: string }) => {
      const res = await h.fetch(`${h.url}/api/v1/imports/inspect`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.csrf, origin: h.url },
        body: JSON.stringify({ fileName: 'a.csv', contentBase64: Buffer.from('Телефон;Имя\n+79165553001;Анна\n').toString('base64') }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const owner = await aStaff(h, shop.id, 'owner');
    const ok = await inspect(await session(owner.email));
    expect(ok).toMatchObject({ status: 200, body: { rows: 1, guessedMapping: { phone: 'Телефон', name: 'Имя' } } });
    const cashier = await aStaff(h, shop.id, 'cashier');
    const refused = await inspect(await session(cashier.email));
    expect(refused).toMatchObject({ status: 403, body: { code: 'forbidden', action: 'points.bulk' } });
  });
});
