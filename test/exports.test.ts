// Exports over HTTP: CSV and XLSX contents for made data, parsed back; a 200,000-row export streams from a cursor.
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/core/index.js';
import { failure, useApi } from './support/apiServer.js';
import { STAFF_PASSWORD, aStaff } from './support/staff.js';

const h = useApi();

async function shop() {
  const b = await h.business({ welcomeBonus: 0, pointsLifetimeDays: 365, tiers: [{ id: 'gold', name: 'Gold', minTotalSpent: 1000_00, earnRateBp: 1000, maxRedeemBp: 5000 }] });
  await h.t.db.updateTable('businesses').set({ timezone: 'Europe/Moscow' }).where('id', '=', b.id).execute();
  return b;
}

const get = (apiKey: string, path: string) => h.fetch(`${h.url}/api/v1${path}`, { headers: { authorization: `Bearer ${apiKey}` } });

describe('GET /exports/members.csv|xlsx', () => {
  it('writes every member with balance, spend, tier and consent; CSV with BOM, ; and formulas guarded; XLSX parses back the same', async () => {
    const { api, apiKey } = await shop();
    h.t.clock.set(new Date('2026-03-10T09:00:00Z'));
    const anna = await api.members.create({ phone: '+79160000001', name: 'Анна; "Ки"', birthday: '1990-05-01', email: 'anna@example.com' });
    const evil = await api.members.create({ phone: '+79160000002', name: '=HYPERLINK("http://x")' });
    await api.purchases.create({ member: { id: anna.id }, amount: 1234_50 });
    await api.members.adjust(evil.id, { points: 7, reason: '@bonus' });

    const res = await get(apiKey, '/exports/members.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="members-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.split('\r\n'); // TextDecoder drops the BOM
    expect(lines[0]).toBe('Card;Phone;Name;Birthday;E-mail;Balance;Pending;Total spent;Purchases;Tier;Created;Marketing consent;Channel');
    // anna: 5% of 1234.50 = 61 points; 1234.50 spent → Gold; created 12:00 Moscow; SMS reaches nobody (no channel set up).
    expect(lines[1]).toBe(`${anna.cardNumber};+79160000001;"Анна; ""Ки""";1990-05-01;anna@example.com;61;0;1234,50;1;Gold;2026-03-10 12:00:00;;`);
    expect(lines[2]).toBe(`${evil.cardNumber};+79160000002;"'=HYPERLINK(""http://x"")";;;7;0;0,00;0;;2026-03-10 12:00:00;;`);
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);

    const comma = await (await get(apiKey, '/exports/members.csv?separator=,&lang=ru')).text();
    const rows = parseCsv(comma, ',');
    expect(rows[0]?.[0]).toBe('Карта');
    expect(rows[1]?.slice(2, 8)).toEqual(['Анна; "Ки"', '1990-05-01', 'anna@example.com', '61', '0', '1234.50']);

    const xres = await get(apiKey, '/exports/members.xlsx');
    expect(xres.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xres.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0];
    expect(sheet?.name).toBe('Members');
    expect(sheet?.rowCount).toBe(3);
    const values = (n: number) => (sheet?.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['Card', 'Phone', 'Name', 'Birthday', 'E-mail', 'Balance', 'Pending', 'Total spent', 'Purchases', 'Tier', 'Created', 'Marketing consent', 'Channel']);
    const a = values(2);
    expect(a.slice(0, 3)).toEqual([anna.cardNumber, '+79160000001', 'Анна; "Ки"']);
    expect(a[3]).toEqual(new Date('1990-05-01T00:00:00Z'));
    expect(a.slice(4, 10)).toEqual(['anna@example.com', 61, 0, 1234.5, 1, 'Gold']);
    expect(a[10]).toEqual(new Date('2026-03-10T12:00:00Z')); // the wall-clock time in Moscow, as a spreadsheet date
    expect(values(3)[2]).toBe('=HYPERLINK("http://x")'); // text in a cell, never a formula
    expect(sheet?.getRow(3).getCell(3).type).toBe(ExcelJS.ValueType.String);
  });
});

describe('GET /exports/transactions.csv|xlsx', () => {
  it('lists the period\'s transactions oldest first, with Moscow times, who did it, and the purchase', async () => {
    const { api, apiKey } = await shop();
    h.t.clock.set(new Date('2026-03-10T20:30:00Z')); // 23:30 Moscow, 10 March
    const m = await api.members.create({ phone: '+79160000011' });
    const p = await api.purchases.create({ member: { id: m.id }, amount: 200_00 });
    h.t.clock.set(new Date('2026-03-10T21:30:00Z')); // 00:30 Moscow, 11 March
    await api.members.adjust(m.id, { points: -3, reason: 'correction' });
    const key = await h.t.db.selectFrom('api_keys').select(['id', 'name']).where('prefix', '=', apiKey.split('_')[1] as string).executeTakeFirstOrThrow();

    const day10 = parseCsv(await (await get(apiKey, '/exports/transactions.csv?from=2026-03-10&to=2026-03-10')).text());
    expect(day10).toEqual([
      ['Date', 'Card', 'Type', 'Points', 'Balance after', 'Reason', 'Who', 'Purchase id'],
      ['2026-03-10 23:30:00', m.cardNumber, 'earn', '10', '10', 'Purchase', `api_key: ${key.name}`, p.purchaseId],
    ]);
    const all = parseCsv(await (await get(apiKey, '/exports/transactions.csv')).text());
    expect(all.slice(1).map((r) => [r[0], r[2], r[3], r[4], r[5]])).toEqual([
      ['2026-03-10 23:30:00', 'earn', '10', '10', 'Purchase'],
      ['2026-03-11 00:30:00', 'adjust', '-3', '7', 'correction'],
    ]);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await (await get(apiKey, '/exports/transactions.xlsx?from=2026-03-11&lang=ru')).arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0];
    expect(sheet?.name).toBe('Операции');
    expect((sheet?.getRow(2).values as unknown[]).slice(1)).toEqual([new Date('2026-03-11T00:30:00Z'), m.cardNumber, 'adjust', -3, 7, 'correction', `api_key: ${key.name}`]);
    expect(sheet?.rowCount).toBe(2);
  });

  it('refuses a bad period before sending anything (400), and needs a key', async () => {
    const { apiKey } = await shop();
    const bad = await get(apiKey, '/exports/transactions.csv?from=2026-13-01');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('validation_failed');
    const reversed = await get(apiKey, '/exports/transactions.xlsx?from=2026-03-02&to=2026-03-01');
    expect(reversed.status).toBe(400);
    expect((await h.fetch(`${h.url}/api/v1/exports/members.csv`)).status).toBe(401);
    expect(await failure(h.client(apiKey).exports.download('transactions', 'csv', { to: 'x' }))).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('streams 200,000 rows from a cursor: a client that stops reading holds the query open, and memory stays bounded', async () => {
    const { id, api, apiKey } = await shop();
    const m = await api.members.create({ phone: '+79160000021' });
    await sql`
      insert into ledger_transactions (business_id, id, member_id, type, points, balance_after, reason, actor_type, actor_id, purchase_id, meta, created_at)
      select ${id}::uuid, gen_random_uuid(), ${m.id}::uuid, 'adjust', 1, i, 'bulk row ' || i, 'system', null, null, '{}', timestamptz '2026-01-01' + i * interval '1 second'
        from generate_series(1, 200000) i`.execute(h.t.db);

    // A client that reads one chunk and stops: the server waits with the cursor open (a server that loaded every row
    // first would have finished its query before the first byte).
    const res = await fetch(`${h.url}/api/v1/exports/transactions.csv`, { headers: { authorization: `Bearer ${apiKey}` } }); // not h.fetch: it reads the whole body
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.value?.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 500));
    const open = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and query like '%from ledger_transactions t%' and pid <> pg_backend_pid()`.execute(h.t.db);
    expect(open.rows[0]?.n).toBe(1);
    await reader.cancel();

    // The whole file, read as it comes, while the heap is sampled.
    global.gc?.();
    const start = process.memoryUsage().heapUsed;
    let peak = start;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const full = await fetch(`${h.url}/api/v1/exports/transactions.csv`, { headers: { authorization: `Bearer ${apiKey}` } });
    let lines = 0;
    let bytes = 0;
    let tail = '';
    const decoder = new TextDecoder();
    for await (const chunk of full.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      const text = tail + decoder.decode(chunk, { stream: true });
      const parts = text.split('\r\n');
      tail = parts.pop() ?? '';
      lines += parts.length;
      if (lines === 2) expect(parts.at(-1)).toMatch(/;adjust;1;1;bulk row 1;system;$/);
    }
    clearInterval(sampler);
    expect(lines).toBe(200_001);
    expect(bytes).toBeGreaterThan(12_000_000);
    // The file is > 12 MB and its rows as objects several times that; streamed, the heap grows far less.
    expect(peak - start).toBeLessThan(60_000_000);
    const after = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where query like '%from ledger_transactions t%' and state = 'active' and pid <> pg_backend_pid()`.execute(h.t.db);
    expect(after.rows[0]?.n).toBe(0);
  }, 120_000);
});

describe('staff in the admin panel', () => {
  it('a manager may export (report.export); a cashier may neither export nor import (403 forbidden)', async () => {
    const { id, api } = await shop();
    await api.members.create({ phone: '+79160000031' });
    const cookieOf = async (role: 'manager' | 'cashier') => {
      const st = await aStaff(h, id, role);
      const res = await fetch(`${h.url}/api/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ businessId: id, email: st.email, password: STAFF_PASSWORD }) });
      expect(res.status).toBe(204);
      const pairs = res.headers.getSetCookie().map((c) => c.split(';')[0] as string);
      return { cookie: pairs.join('; '), csrf: (pairs.find((p) => p.startsWith('kopilka_csrf=')) ?? '').slice('kopilka_csrf='.length) };
    };
    const manager = await cookieOf('manager');
    const ok = await h.fetch(`${h.url}/api/v1/exports/members.csv`, { headers: { cookie: manager.cookie } });
    expect(ok.status).toBe(200);
    expect(parseCsv(await ok.text())).toHaveLength(2);
    const cashier = await cookieOf('cashier');
    const no = await h.fetch(`${h.url}/api/v1/exports/transactions.xlsx`, { headers: { cookie: cashier.cookie } });
    expect(no.status).toBe(403);
    expect(((await no.json()) as { code: string }).code).toBe('forbidden');
    const imp = await h.fetch(`${h.url}/api/v1/imports`, {
      method: 'POST',
      headers: { cookie: cashier.cookie, 'x-csrf-token': cashier.csrf, origin: h.url, 'content-type': 'application/json', 'idempotency-key': 'k' },
      body: JSON.stringify({ fileName: 'a.csv', contentBase64: Buffer.from('phone\n+79160000032').toString('base64'), mapping: { phone: 'phone' }, expiresOn: null, dryRun: true }),
    });
    expect(imp.status).toBe(403);
    expect(((await imp.json()) as { code: string }).code).toBe('forbidden'); // not csrf_failed: the CSRF token was right
  });
});
