// Import and export in the admin panel (issue 7, R33/R34), in headless Chromium: the owner opens Data and checks a CSV
// with bad rows — the dry run lists every bad row with its reason and the import button stays closed, nothing changes.
// Then a good file of 4,000 rows: the check passes, the import runs with a progress bar that moves (rows done of the
// file's rows, polled from GET /progress/{id} while the POST is open) and reaches the end; the members and their
// balances are really in the ledger. The same file again adds nothing. An export's progress runs to done beside its
// link while the browser downloads the file. Screenshots: test-results/screenshots/admin-import-*.png.
import { readFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../support/apiServer.js';
import { launchChromium, SCREENSHOTS } from '../support/chromium.js';
import { checkLedgerInvariants } from '../support/invariants.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';

const h = useApi({ cardApp: true });
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const shot = async (page: Page, name: string) => writeFileSync(path.join(SCREENSHOTS, `admin-import-${name}.png`), await page.screenshot({ fullPage: true }));

async function signIn(page: Page, businessId: string, email: string): Promise<void> {
  await page.goto(`${h.url}/admin/?b=${businessId}`);
  await page.getByLabel(/Эл. почта|Email/).fill(email);
  await page.getByLabel(/Пароль|Password/).fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: /Войти|Sign in/ }).click();
}

const ROWS = 4000;
const phoneOf = (i: number) => `+7916${String(4_000_000 + i).padStart(7, '0')}`;
const pointsOf = (i: number) => (i % 200) + 1;
const GOOD = ['phone;name;balance', ...Array.from({ length: ROWS }, (_, i) => `${phoneOf(i)};Гость ${i};${pointsOf(i)}`)].join('\r\n');
const GOOD_POINTS = Array.from({ length: ROWS }, (_, i) => pointsOf(i)).reduce((a, b) => a + b, 0);
const BAD = ['phone;name;balance', '+79165551001;Анна;100', '12345;Борис;10', '+79165551003;Вера;-5', '+79165551004;Глеб;12,5', '+79165551001;Анна ещё раз;1', '+79165551006;Дина;7'].join('\r\n');

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

async function counts(businessId: string) {
  const r = await sql<{ members: number; txs: number; lots: number; points: number }>`
    select (select count(*) from members where business_id = ${businessId})::int as members,
           (select count(*) from ledger_transactions where business_id = ${businessId})::int as txs,
           (select count(*) from lots where business_id = ${businessId})::int as lots,
           (select coalesce(sum(remaining), 0) from lots where business_id = ${businessId})::int as points`.execute(h.t.db);
  return r.rows[0];
}

describe('import and export in the admin panel', () => {
  it('owner: a file with bad rows is refused row by row; a good file imports with live progress; again adds nothing; an export shows its progress', async () => {
    const shop = await h.business({ welcomeBonus: 100 });
    const owner = await aStaff(h, shop.id, 'owner', 'Владелец Анна');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU', acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' && !m.text().startsWith('Failed to load resource') ? errors.push(m.text()) : null));

    await signIn(page, shop.id, owner.email);
    await page.getByRole('link', { name: 'Данные' }).click();
    const file = page.locator('[data-testid="import-file"]');
    await file.waitFor();
    const check = page.locator('[data-testid="import-check"]');
    const run = page.locator('[data-testid="import-run"]');
    const status = page.locator('section:has([data-testid="import-file"]) p.status[role="status"]');

    // 1. The bad file: every bad row with its reason; the import button stays closed; nothing changes.
    const before = await counts(shop.id);
    await file.setInputFiles(csvFile('bad.csv', BAD));
    await check.click();
    const badRows = page.locator('[data-testid="import-bad-rows"] tbody tr');
    await badRows.first().waitFor({ timeout: 15_000 });
    const listed: string[][] = [];
    for (let i = 0; i < (await badRows.count()); i++) listed.push(await badRows.nth(i).locator('td').allInnerTexts());
    expect(listed.map((r) => r[0])).toEqual(['3', '4', '5', '6']);
    expect(listed[0]).toEqual(['3', '', 'Борис', '"12345" is not a valid phone number']); // no phone could be read from it
    expect(listed[1]![3]).toMatch(/"-5" is not a whole number of points/);
    expect(listed[2]![3]).toMatch(/"12,5" is not a whole number of points/);
    expect(listed[3]![3]).toBe('the same phone as row 2');
    expect(await page.locator('[data-testid="import-result"]').innerText()).toContain('Строк с ошибками: 4 из 6');
    expect(await run.isDisabled()).toBe(true);
    // The check's own progress ended at every row checked.
    const checkBar = page.locator('[data-testid="import-check-progress"] [role="progressbar"]');
    expect(await checkBar.getAttribute('aria-valuenow')).toBe('6');
    expect(await checkBar.getAttribute('aria-valuemax')).toBe('6');
    expect(await counts(shop.id)).toEqual(before);
    await shot(page, 'bad-rows');

    // 2. The good file: a clean check opens the import button.
    await file.setInputFiles(csvFile('guests.csv', GOOD));
    expect(await page.locator('[data-testid="import-bad-rows"]').count()).toBe(0);
    expect(await run.isDisabled()).toBe(true);
    await check.click();
    await expect.poll(() => page.locator('[data-testid="import-result"]').innerText(), { timeout: 30_000 }).toMatch(/Ошибок нет: строк 4\s000/);
    expect(await run.isEnabled()).toBe(true);

    // Every value the import's bar takes, as the page sets it (a string: the tests compile without the DOM's types).
    await page.evaluate(`(() => {
      const seen = (window.importSeen = []);
      const bar = document.querySelector('[data-testid="import-progress"] [role="progressbar"]');
      new MutationObserver(() => seen.push([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuemax')])).observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
    })()`);
    // The set-based import writes 4,000 rows in about the 500 ms between progress writes: each insert of its members
    // (a chunk of rows) waits a little here, so the bar is seen mid-way on a fast machine too.
    await sql.raw(`
      create function ${h.t.schema}.slow_members() returns trigger language plpgsql as $$ begin perform pg_sleep(0.15); return null; end $$;
      create trigger slow_members after insert on ${h.t.schema}.members for each statement execute function ${h.t.schema}.slow_members();`).execute(h.t.db);
    await run.click();
    const bar = page.getByRole('progressbar', { name: 'Загрузка строк' });
    await bar.waitFor();
    // Mid-way: some rows done of 4,000, said in words too.
    await expect.poll(async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0), { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
    const mid = Number(await bar.getAttribute('aria-valuenow'));
    if (mid < ROWS) {
      expect(await page.locator('[data-testid="import-progress"] .work-progress-text').innerText()).toMatch(/^[\d\s]+ из 4\s000 строк$/);
      await shot(page, 'progress');
    }
    await expect.poll(() => status.innerText(), { timeout: 60_000 }).toMatch(/^Загружено: новых клиентов 4\s000, пополнено 0, .+: [\d\s]+\.$/);
    await sql.raw(`drop trigger slow_members on ${h.t.schema}.members`).execute(h.t.db);
    expect(await bar.getAttribute('aria-valuenow')).toBe(String(ROWS));
    expect(await bar.getAttribute('aria-valuemax')).toBe(String(ROWS));
    expect(await page.locator('[data-testid="import-progress"] .work-progress-text').innerText()).toMatch(/^4\s000 из 4\s000 строк$/);
    const seen = (await page.evaluate('window.importSeen')) as [string, string][];
    const values = seen.map(([v]) => Number(v));
    expect(values.some((v) => v > 0 && v < ROWS)).toBe(true); // it was seen moving, not only done
    expect(values).toEqual([...values].sort((a, b) => a - b)); // and only forward
    expect(seen.every(([, max]) => max === String(ROWS))).toBe(true);
    expect(await run.isDisabled()).toBe(true);
    await shot(page, 'done');

    // The members and their balances are in the ledger: one adjustment and one lot each, no welcome bonus.
    expect(await counts(shop.id)).toEqual({ members: ROWS, txs: ROWS, lots: ROWS, points: GOOD_POINTS });
    for (const i of [0, 1999, ROWS - 1]) {
      const [m] = await shop.api.members.find({ phone: phoneOf(i) });
      expect(m).toMatchObject({ name: `Гость ${i}`, balance: { available: pointsOf(i), pending: 0 } });
      const history = await shop.api.members.transactions(m!.id);
      expect(history.items.map((x) => [x.type, x.points, x.reason])).toEqual([['adjust', pointsOf(i), 'import guests.csv']]);
    }
    await checkLedgerInvariants(h.t.db);
    // The API says the same, in its documented shape (checked against the OpenAPI document by h.fetch).
    const imports = (await (await h.fetch(`${h.url}/api/v1/imports`, { headers: { authorization: `Bearer ${shop.apiKey}` } })).json()) as { items: { status: string; rowsDone: number; rowsTotal: number; fileName: string }[] };
    expect(imports.items.map((x) => [x.fileName, x.status, x.rowsDone, x.rowsTotal])).toEqual([['guests.csv', 'done', ROWS, ROWS]]);

    // 3. The same file again: the check says it was imported already, the button stays closed, and a run through the
    // API (what the button sends) replays the first result and adds nothing.
    await check.click();
    await expect.poll(() => page.locator('[data-testid="import-result"]').innerText(), { timeout: 30_000 }).toContain('Этот файл уже загружался так же');
    expect(await run.isDisabled()).toBe(true);
    const again = await shop.api.imports.run({ fileName: 'guests.csv', contentBase64: Buffer.from(GOOD).toString('base64'), mapping: { phone: 'phone', name: 'name', balance: 'balance' }, expiresOn: null });
    expect(again).toMatchObject({ replayed: true, totals: { newMembers: ROWS } });
    expect(await counts(shop.id)).toEqual({ members: ROWS, txs: ROWS, lots: ROWS, points: GOOD_POINTS });
    await shot(page, 'again');

    // 4. An export: the browser downloads the file while the progress beside the link runs to done.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-members-csv"]').click()]);
    const saved = path.join(SCREENSHOTS, '..', `admin-import-members-${process.pid}.csv`);
    await download.saveAs(saved);
    const text = (await readFile(saved, 'utf8')).replace(/^\ufeff/, '');
    expect(text.trim().split(/\r?\n/)).toHaveLength(ROWS + 1);
    const exportBar = page.getByRole('progressbar', { name: /Выгрузка: Клиенты/ });
    await expect.poll(() => exportBar.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe(String(ROWS));
    expect(await exportBar.getAttribute('aria-valuemax')).toBe(String(ROWS));
    await expect.poll(() => page.locator('li:has([data-testid="export-members-csv"]) p.status').innerText()).toMatch(/^Готово: 4\s000 строк, [\d\s,]+ (КБ|МБ)\./);
    await shot(page, 'export');

    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
