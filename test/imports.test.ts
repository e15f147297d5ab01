// Imports over HTTP: a dry run lists every bad row and changes nothing; a good file imports all in one transaction;
// the same file again adds nothing; balances become lots with the chosen expiry; a failure part-way leaves nothing.
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { endOfLocalDay, lotSchedule } from '../src/core/index.js';
import { failure, useApi } from './support/apiServer.js';
import { checkLedgerInvariants } from './support/invariants.js';

const h = useApi();

async function shop() {
  const b = await h.business({ welcomeBonus: 50, pointsLifetimeDays: 180 });
  await h.t.db.updateTable('businesses').set({ timezone: 'Europe/Moscow' }).where('id', '=', b.id).execute();
  return b;
}

const b64 = (text: string, encoding: BufferEncoding = 'utf8') => Buffer.from(text, encoding).toString('base64');
const mapping = { phone: 'Телефон', name: 'ФИО', balance: 'Баллы', birthday: 'Дата рождения', email: 'Почта' };
const counts = async (businessId: string) => {
  const r = await sql<{ members: number; txs: number; lots: number; events: number }>`
    select (select count(*) from members where business_id = ${businessId})::int as members,
           (select count(*) from ledger_transactions where business_id = ${businessId})::int as txs,
           (select count(*) from lots where business_id = ${businessId})::int as lots,
           (select count(*) from outbox_events where business_id = ${businessId})::int as events`.execute(h.t.db);
  return r.rows[0];
};

describe('POST /imports', () => {
  it('a dry run lists every bad row with its reason, and changes nothing; a real run of that file is refused whole', async () => {
    const { id, api } = await shop();
    h.t.clock.set(new Date('2026-03-10T09:00:00Z'));
    await api.members.create({ phone: '+79161110009' });
    const csv = [
      'Телефон;ФИО;Баллы;Дата рождения;Почта',
      '8 (916) 111-00-01;Анна;1 200;01.05.1990;anna@example.com', // 2 ok
      '12345;Борис;10;;', // 3 bad phone
      '+7 916 111 00 01;Вера;5;;', // 4 the same phone as row 2
      '+79161110004;Глеб;12.5;;', // 5 not whole
      '+79161110005;Дина;-3;;', // 6 negative
      '+79161110006;Ева;0;31.02.1990;', // 7 no such date
      '+79161110007;Жанна;;;not-an-email', // 8 bad e-mail
      '+79161110009;Зоя;7;;', // 9 already a member
      ';;;;', // blank: not a row
      '+79161110010;Ира;;2030-01-01;', // 11 birthday in the future
    ].join('\r\n');
    const before = await counts(id);
    const report = await api.imports.dryRun({ fileName: 'clients.csv', contentBase64: b64(csv), mapping, expiresOn: '2026-12-31' });
    expect(report.totals).toEqual({ rows: 9, ok: 1, bad: 8, newMembers: 1, matchedMembers: 0, points: 1200 });
    expect(report.columns).toEqual(['Телефон', 'ФИО', 'Баллы', 'Дата рождения', 'Почта']);
    const byRow = Object.fromEntries(report.rows.map((r) => [r.row, r.problems.map((p) => p.code)]));
    expect(report.rows.find((r) => r.row === 2)).toMatchObject({ status: 'ok', action: 'create', phone: '+79161110001', name: 'Анна', points: 1200 });
    expect(report.rows.find((r) => r.row === 4)?.problems[0]?.message).toBe('the same phone as row 2');
    expect(report.rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 11]);
    expect(byRow).toEqual({ 2: [], 3: ['phone_invalid'], 4: ['phone_duplicate'], 5: ['balance_invalid'], 6: ['balance_invalid'], 7: ['birthday_invalid'], 8: ['email_invalid'], 9: ['member_exists'], 11: ['birthday_invalid'] });
    expect(await counts(id)).toEqual(before);

    const refused = await failure(api.imports.run({ fileName: 'clients.csv', contentBase64: b64(csv), mapping, expiresOn: '2026-12-31' }));
    expect(refused).toMatchObject({ status: 422, code: 'import_has_errors' });
    expect((refused.problem.rows as unknown[]).length).toBe(8);
    expect(await counts(id)).toEqual(before);

    const unknownColumn = await failure(api.imports.dryRun({ fileName: 'x.csv', contentBase64: b64(csv), mapping: { phone: 'Phone' }, expiresOn: null }));
    expect(unknownColumn).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.imports.dryRun({ fileName: 'x.csv', contentBase64: b64('just a header'), mapping: { phone: 'x' }, expiresOn: null }))).toMatchObject({ status: 422, code: 'import_unreadable' });
  });

  it('imports a good file whole: members without welcome bonus, balances as lots expiring at the end of the chosen day; again, it adds nothing', async () => {
    const { id, api } = await shop();
    h.t.clock.set(new Date('2026-03-10T09:00:00Z'));
    // Windows-1251, as 1C writes it, with ; and a quoted name.
    const csv = ['Телефон;ФИО;Баллы;Дата рождения;Почта', '+79162220001;"Петров; Пётр";300;1985-02-03;p@example.com', '+79162220002;Мария;0;;', '+79162220003;=SUM(A1);15;;'].join('\r\n');
    const cp1251 = encode1251(csv);
    const input = { fileName: 'from-1c.csv', contentBase64: cp1251.toString('base64'), mapping, expiresOn: '2026-06-30' };
    const dry = await api.imports.dryRun(input);
    expect(dry.totals).toEqual({ rows: 3, ok: 3, bad: 0, newMembers: 3, matchedMembers: 0, points: 315 });
    expect(dry.alreadyImportedAs).toBeNull();

    const first = await api.request<{ importId: string; totals: unknown; expiresAt: string; replayed: boolean }>('POST', '/imports', { body: { ...input, dryRun: false }, idempotencyKey: 'import-1' });
    expect(first.status).toBe(201);
    const expiresAt = endOfLocalDay('2026-06-30', 'Europe/Moscow');
    expect(first.body).toMatchObject({ totals: { rows: 3, ok: 3, newMembers: 3, points: 315 }, expiresAt: expiresAt.toISOString(), replayed: false });

    const members = await h.t.db.selectFrom('members').select(['id', 'phone', 'name', 'birthday', 'email']).where('business_id', '=', id).orderBy('phone').execute();
    expect(members.map((m) => [m.phone, m.name, m.birthday, m.email])).toEqual([
      ['+79162220001', 'Петров; Пётр', '1985-02-03', 'p@example.com'],
      ['+79162220002', 'Мария', null, null],
      ['+79162220003', '=SUM(A1)', null, null],
    ]);
    const lots = await sql<{ phone: string; amount: number; remaining: number; expires_at: Date; activates_at: Date; type: string; reason: string; meta: Record<string, unknown> }>`
      select m.phone, l.amount::int, l.remaining::int, l.expires_at, l.activates_at, t.type, t.reason, t.meta
        from lots l join members m on m.business_id = l.business_id and m.id = l.member_id
        join ledger_transactions t on t.business_id = l.business_id and t.id = l.transaction_id
       where l.business_id = ${id} order by m.phone`.execute(h.t.db);
    expect(lots.rows.map((l) => [l.phone, l.amount, l.remaining, l.expires_at.toISOString(), l.activates_at.toISOString(), l.type, l.reason])).toEqual([
      ['+79162220001', 300, 300, expiresAt.toISOString(), '2026-03-10T09:00:00.000Z', 'adjust', 'import from-1c.csv'],
      ['+79162220003', 15, 15, expiresAt.toISOString(), '2026-03-10T09:00:00.000Z', 'adjust', 'import from-1c.csv'],
    ]);
    expect(lots.rows[0]?.meta).toEqual({ importId: first.body.importId, row: 2 });
    const member = (await api.members.find({ phone: '+79162220001' }))[0];
    expect(member?.balance.available).toBe(300);
    await checkLedgerInvariants(h.t.db);

    const before = await counts(id);
    const again = await api.request<{ importId: string; replayed: boolean }>('POST', '/imports', { body: { ...input, dryRun: false }, idempotencyKey: 'another-key' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ importId: first.body.importId, replayed: true });
    expect(await counts(id)).toEqual(before);
    expect((await api.imports.dryRun(input)).alreadyImportedAs).toBe(first.body.importId);
    const list = await api.imports.list();
    expect(list[0]).toMatchObject({ id: first.body.importId, status: 'done', rowsTotal: 3, rowsDone: 3, fileName: 'from-1c.csv' });
    expect(await api.imports.get(first.body.importId)).toMatchObject({ status: 'done', result: { importId: first.body.importId } });
  });

  it('reads XLSX; expiresOn null gives the program\'s lifetime; matchExisting adds points to a member with that phone', async () => {
    const { id, api } = await shop();
    h.t.clock.set(new Date('2026-03-10T09:00:00Z'));
    const existing = await api.members.create({ phone: '+79163330001' }); // 50 welcome points
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Клиенты');
    ws.addRow(['Phone', 'Name', 'Points', 'Code']);
    ws.addRow(['+79163330001', 'Old friend', 40, 'C-1']);
    ws.addRow([79163330002, 'Number phone', 25, 'C-2']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const input = { fileName: 'book.xlsx', contentBase64: xlsx.toString('base64'), mapping: { phone: 'phone', name: 'NAME', balance: 'Points', externalId: 'Code' }, expiresOn: null };
    expect((await api.imports.dryRun(input)).rows.map((r) => r.problems.map((p) => p.code))).toEqual([['member_exists'], []]);
    const dry = await api.imports.dryRun({ ...input, matchExisting: true });
    expect(dry.rows.map((r) => r.action)).toEqual(['add_points', 'create']);
    const result = await api.imports.run({ ...input, matchExisting: true });
    const business = await h.t.db.selectFrom('businesses').select('program').where('id', '=', id).executeTakeFirstOrThrow();
    const lifetime = lotSchedule(business.program as never, 'Europe/Moscow', new Date('2026-03-10T09:00:00Z')).expiresAt;
    expect(result).toMatchObject({ totals: { rows: 2, ok: 2, newMembers: 1, matchedMembers: 1, points: 65 }, expiresAt: lifetime?.toISOString() });
    expect((await api.members.get(existing.id)).balance.available).toBe(90);
    expect((await api.members.find({ phone: '+79163330002' }))[0]?.name).toBe('Number phone');
    const meta = await h.t.db.selectFrom('ledger_transactions').select('meta').where('business_id', '=', id).where('type', '=', 'adjust').orderBy('created_at').execute();
    expect(meta.map((m) => (m.meta as { externalId?: string }).externalId).sort()).toEqual(['C-1', 'C-2']);
    await checkLedgerInvariants(h.t.db);
  });

  it('a failure part-way through leaves nothing, the import is marked failed, and progress is visible while one runs', async () => {
    const { id, api } = await shop();
    h.t.clock.set(new Date('2026-03-10T09:00:00Z'));
    const rows = ['phone;balance'];
    for (let i = 0; i < 1500; i++) rows.push(`+7916444${String(i).padStart(4, '0')};${i + 1}`);
    const input = { fileName: 'big.csv', contentBase64: b64(rows.join('\n')), mapping: { phone: 'phone', balance: 'balance' }, expiresOn: '2027-01-01' };
    // The 1,200th member cannot be written: the database refuses it, after 1,199 were.
    await sql.raw(`
      create function ${h.t.schema}.refuse_member() returns trigger language plpgsql as $$
      begin if new.phone = '+79164441199' then raise exception 'disk on fire'; end if; return new; end $$;
      create trigger refuse_member before insert on ${h.t.schema}.members for each row execute function ${h.t.schema}.refuse_member();`).execute(h.t.db);
    const before = await counts(id);
    const seen: number[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const running = (await api.imports.list()).find((x) => x.status === 'running');
        if (running) seen.push(running.rowsDone);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const e = await failure(api.imports.run(input));
    polling = false;
    await poll;
    expect(e).toMatchObject({ status: 500, code: 'internal_error' });
    expect(await counts(id)).toEqual(before);
    expect(seen.some((n) => n > 0 && n < 1500)).toBe(true);
    expect((await api.imports.list())[0]).toMatchObject({ status: 'failed', rowsTotal: 1500 });

    await sql.raw(`drop trigger refuse_member on ${h.t.schema}.members`).execute(h.t.db);
    const ok = await api.imports.run(input);
    expect(ok.totals).toMatchObject({ rows: 1500, newMembers: 1500, points: (1500 * 1501) / 2 });
    const after = await counts(id);
    expect(after).toMatchObject({ members: (before?.members ?? 0) + 1500, lots: (before?.lots ?? 0) + 1500 });
    await checkLedgerInvariants(h.t.db);
  }, 60_000);
});

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
