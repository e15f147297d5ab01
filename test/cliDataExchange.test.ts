// `kopilka import` and `kopilka export` as a user runs them: a real process on a test schema (DATABASE_URL), progress
// lines on stderr, a summary on stdout, every bad row listed, exit code 1 on bad input with nothing changed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness } from '../src/app/createBusiness.js';
import { findMembers } from '../src/app/findMembers.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
let dir: string;
let businessId: string;

const STACK_LINE = /^\s+at /m;

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const u = new URL(t.url);
  u.searchParams.set('options', `-c search_path=${t.schema}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/kopilka.js', ...args], {
      env: { ...process.env, DATABASE_URL: u.toString(), KOPILKA_DATA_DIR: dir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const counts = async () => {
  const r = await sql<{ members: number; txs: number; lots: number }>`
    select (select count(*) from members where business_id = ${businessId})::int as members,
           (select count(*) from ledger_transactions where business_id = ${businessId})::int as txs,
           (select count(*) from lots where business_id = ${businessId})::int as lots`.execute(t.db);
  return r.rows[0];
};

const GOOD_ROWS = 3000;
const phoneOf = (i: number) => `+7916${String(3_000_000 + i).padStart(7, '0')}`;
const good = ['Телефон;Имя;Баллы', ...Array.from({ length: GOOD_ROWS }, (_, i) => `${phoneOf(i)};Клиент ${i};${(i % 97) + 1}`)].join('\r\n');
const goodPoints = Array.from({ length: GOOD_ROWS }, (_, i) => (i % 97) + 1).reduce((a, b) => a + b, 0);
const bad = ['Телефон;Имя;Баллы', '+79165550001;Анна;100', '12345;Борис;10', '+79165550003;Вера;-5', '+79165550001;Анна снова;1'].join('\n');
const importArgs = (file: string) => ['import', file, '--business', businessId, '--phone-column', 'Телефон', '--name-column', 'Имя', '--balance-column', 'Баллы', '--expires-on', '2030-12-31'];

beforeAll(async () => {
  t = await openTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'kopilka-cli-data-'));
  businessId = (await createBusiness(t.deps, { name: 'Кофейня', program: { welcomeBonus: 50 } })).business.id;
  await writeFile(path.join(dir, 'good.csv'), good);
  await writeFile(path.join(dir, 'bad.csv'), bad);
});

afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('kopilka import', () => {
  it('--dry-run lists every bad row with its reason, exits 1 and changes nothing; the real run is refused whole', async () => {
    const before = await counts();
    const dry = await cli([...importArgs(path.join(dir, 'bad.csv')), '--dry-run']);
    expect(dry.stderr).not.toMatch(STACK_LINE);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('Dry run of bad.csv: 4 rows, 1 ok, 3 bad');
    expect(dry.stdout).toContain('  row 3: phone: "12345" is not a valid phone number');
    expect(dry.stdout).toMatch(/row 4 \(\+79165550003\): balance: /);
    expect(dry.stdout).toMatch(/row 5 \(\+79165550001\): phone: the same phone as row 2/);
    expect(dry.stdout).not.toMatch(/^ {2}row 2\b/m);
    expect(dry.stderr).toContain('checking: 4 of 4 rows (100%)');
    expect(await counts()).toEqual(before);

    const run = await cli(importArgs(path.join(dir, 'bad.csv')));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: 3 of 4 rows cannot be imported; nothing was imported');
    expect(run.stderr).toMatch(/row 4 \(\+79165550003\): balance: /);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(await counts()).toEqual(before);
  }, 60_000);

  it('imports a good file with progress lines on stderr: members and balances in the ledger; the same file again adds nothing', async () => {
    const dry = await cli([...importArgs(path.join(dir, 'good.csv')), '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`${GOOD_ROWS.toLocaleString('en-US')} rows, ${GOOD_ROWS.toLocaleString('en-US')} ok, 0 bad`);

    const run = await cli(importArgs(path.join(dir, 'good.csv')));
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Imported good.csv: 3,000 new members, points added to 0, ${goodPoints.toLocaleString('en-US')} points expiring`);
    const lines = run.stderr.trim().split('\n').filter((l) => l.includes('importing:'));
    expect(lines.at(-1)).toBe('  importing: 3,000 of 3,000 rows (100%)');
    expect(await counts()).toEqual({ members: GOOD_ROWS, txs: GOOD_ROWS, lots: GOOD_ROWS });
    t.clock.set(new Date(Date.now() + 60_000));
    for (const i of [0, 1234, GOOD_ROWS - 1]) {
      const [m] = await findMembers(t.deps, businessId, { phone: phoneOf(i) });
      expect(m).toMatchObject({ name: `Клиент ${i}`, balance: { available: (i % 97) + 1, pending: 0 } });
    }
    const total = await sql<{ s: number }>`select coalesce(sum(remaining), 0)::int as s from lots where business_id = ${businessId}`.execute(t.db);
    expect(total.rows[0]?.s).toBe(goodPoints);

    const again = await cli(importArgs(path.join(dir, 'good.csv')));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('was imported before this same way');
    expect(await counts()).toEqual({ members: GOOD_ROWS, txs: GOOD_ROWS, lots: GOOD_ROWS });
    const dryAgain = await cli([...importArgs(path.join(dir, 'good.csv')), '--dry-run']);
    expect(dryAgain.code).toBe(1); // every row is now an existing member
    expect(dryAgain.stdout).toContain('This file was already imported this way');
  }, 120_000);

  it('bad input is one clear line and exit code 1: a missing file, a past expiry, an unknown business, a column that is not there', async () => {
    const before = await counts();
    const missing = await cli(importArgs(path.join(dir, 'nope.csv')));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Cannot read');
    const past = await cli([...importArgs(path.join(dir, 'bad.csv')).slice(0, -1), '2001-01-01', '--dry-run']);
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('expiresOn must not be in the past');
    const other = await cli(['import', path.join(dir, 'good.csv'), '--business', '00000000-0000-4000-8000-000000000000', '--phone-column', 'Телефон']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('No business');
    const column = await cli(['import', path.join(dir, 'good.csv'), '--business', businessId, '--phone-column', 'Phone', '--dry-run']);
    expect(column.code).toBe(1);
    expect(column.stderr).toMatch(/^error: .*Phone/m);
    for (const r of [missing, past, other, column]) expect(r.stderr).not.toMatch(STACK_LINE);
    expect(await counts()).toEqual(before);
  }, 60_000);
});

describe('kopilka import without --phone-column', () => {
  it('guesses the columns from a 1C header, prints the mapping it chose, and imports with it; no phone column is one clear line', async () => {
    const other = (await createBusiness(t.deps, { name: 'Пекарня', program: { welcomeBonus: 0 } })).business.id;
    const file = path.join(dir, 'from-1c.csv');
    await writeFile(file, ['Код;Наименование;Телефон;Дата рождения;Бонусы', '000000101;Петров Пётр;+7 916 777-01-01;03.02.1985;1 200', '000000102;Ёлкина Мария;89167770102;;35'].join('\r\n'));
    const dry = await cli(['import', file, '--business', other, '--dry-run']);
    expect(dry.stderr).not.toMatch(STACK_LINE);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain(['  --phone-column "Телефон"', '  --name-column "Наименование"', '  --birthday-column "Дата рождения"', '  --balance-column "Бонусы"', '  --external-id-column "Код"', '  not imported: email, card'].join('\n'));
    expect(dry.stdout).toContain('Dry run of from-1c.csv: 2 rows, 2 ok, 0 bad; would create 2 members, add points to 0, 1,235 points in all.');

    // A column flag still wins over the guess: "Код" as the name instead of the external id.
    const flagged = await cli(['import', file, '--business', other, '--name-column', 'Код', '--dry-run', '--json']);
    expect(flagged.code).toBe(0);
    expect(flagged.stderr).toContain('  --name-column "Код"');
    expect(flagged.stderr).not.toContain('--external-id-column');
    expect(JSON.parse(flagged.stdout)).toMatchObject({ dryRun: true, totals: { rows: 2, ok: 2 } });

    const run = await cli(['import', file, '--business', other, '--expires-on', '2030-12-31']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Imported from-1c.csv: 2 new members, points added to 0, 1,235 points');
    t.clock.set(new Date(Date.now() + 60_000));
    const [petrov] = await findMembers(t.deps, other, { phone: '+79167770101' });
    expect(petrov).toMatchObject({ name: 'Петров Пётр', birthday: '1985-02-03', balance: { available: 1200 } });
    const [elkina] = await findMembers(t.deps, other, { phone: '+79167770102' });
    expect(elkina).toMatchObject({ name: 'Ёлкина Мария', balance: { available: 35 } });

    const noPhone = path.join(dir, 'no-phone.csv');
    await writeFile(noPhone, 'Номер;Клиент;Сумма\n+79167770103;Анна;10\n');
    const refused = await cli(['import', noPhone, '--business', other, '--dry-run']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error: No column's header says it holds the phone (the file's columns: Номер, Клиент, Сумма); name it with --phone-column");
    expect(refused.stderr).not.toMatch(STACK_LINE);
    // With the flag, as before.
    const named = await cli(['import', noPhone, '--business', other, '--phone-column', 'Номер', '--dry-run']);
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('1 rows, 1 ok, 0 bad');
  }, 60_000);
});

describe('kopilka export', () => {
  it('writes members and transactions as CSV and XLSX with progress lines, and a summary', async () => {
    const csv = path.join(dir, 'members.csv');
    const r = await cli(['export', 'members', '--business', businessId, '--format', 'csv', '--out', csv, '--lang', 'ru']);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Exported 3,000 members to ${csv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ KB\\)`));
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^ {2}exporting: 3,000 of 3,000 rows \(100%\), \d+ KB$/);
    const text = (await readFile(csv, 'utf8')).replace(/^\ufeff/, '');
    const lines = text.trim().split('\r\n').length > 1 ? text.trim().split('\r\n') : text.trim().split('\n');
    expect(lines).toHaveLength(GOOD_ROWS + 1);
    expect(lines[0]).toMatch(/^Карта;Телефон;Имя/);
    expect(existsSync(`${csv}.partial`)).toBe(false);

    const xlsx = path.join(dir, 'tx.xlsx');
    const x = await cli(['export', 'transactions', '--business', businessId, '--format', 'xlsx', '--out', xlsx, '--json']);
    expect(x.code).toBe(0);
    expect(JSON.parse(x.stdout)).toMatchObject({ what: 'transactions', format: 'xlsx', file: xlsx, rows: GOOD_ROWS });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    expect(book.worksheets[0]?.rowCount).toBe(GOOD_ROWS + 1);
  }, 60_000);

  it('bad input exits 1 with one line and leaves no file', async () => {
    const out = path.join(dir, 'x.csv');
    const format = await cli(['export', 'members', '--business', businessId, '--format', 'pdf', '--out', out]);
    expect(format.code).toBe(1);
    expect(format.stderr).toContain('pdf');
    const what = await cli(['export', 'purchases', '--business', businessId, '--format', 'csv', '--out', out]);
    expect(what.code).toBe(1);
    expect(what.stderr).toContain('"members" or "transactions"');
    const period = await cli(['export', 'transactions', '--business', businessId, '--format', 'csv', '--out', out, '--from', '2026-05-01', '--to', '2026-04-01']);
    expect(period.code).toBe(1);
    expect(period.stderr).toContain('from must not be after to');
    const business = await cli(['export', 'members', '--business', 'nope', '--format', 'csv', '--out', out]);
    expect(business.code).toBe(1);
    expect(business.stderr).toContain('No business');
    for (const r of [format, what, period, business]) expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  }, 60_000);
});
