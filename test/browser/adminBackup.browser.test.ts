// Backups in the admin panel, round trip (issue 7, R35), in headless Chromium: the owner opens Data, sees the daily
// backup told apart from those asked for, presses "Back up now", watches the progress bar run to done, and downloads
// the file through the page. Then the data changes (an adjustment, a purchase, a new member), and the downloaded file
// is restored with the real CLI (`kopilka restore FILE --force`): every balance and the ledger checksum are exactly
// as at backup time, and the panel (reloaded) shows the old balance again. A file with flipped bytes is refused and
// changes nothing. An admin (who may change settings, but is not the owner) sees no backups. Screenshots:
// test-results/screenshots/admin-backups-*.png.
import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import type pg from 'pg';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dailyBackup, type BackupDeps } from '../../src/app/backups.js';
import { getMember } from '../../src/app/getMember.js';
import { uuidv7 } from '../../src/app/ids.js';
import { backupStore } from '../../src/store/backup.js';
import { createPool } from '../../src/store/database.js';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';
import { nextPhone } from '../support/factories.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';
import type { TestDatabase } from '../support/testDatabase.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';

let dir = '';
let pool: pg.Pool | undefined;
let backups: BackupDeps;
/** The dump waits for this: the test holds a backup at "running" to see the page follow it, then lets it go. */
let gate: Promise<void> = Promise.resolve();

const h = useApi({
  cardApp: true,
  setup: async (t) => {
    dir = await makeTempDir();
    pool = createPool(t.url, { schema: t.schema, max: 3 });
    const store = backupStore(pool);
    backups = {
      backups: {
        ...store,
        dump: async (file, o) => {
          await gate;
          return store.dump(file, o);
        },
      },
      clock: t.clock,
      newId: uuidv7,
      dir,
      kopilkaVersion: '0.1.0-test',
    };
    return {
      backups,
      close: async () => {
        await pool?.end();
        if (dir) await removeTempDir(dir);
      },
    };
  },
});
const chrome = useChromium();

const shot = async (page: Page, name: string) => writeFileSync(path.join(SCREENSHOTS, `admin-backups-${name}.png`), await page.screenshot({ fullPage: true }));

async function signIn(page: Page, businessId: string, email: string): Promise<void> {
  await page.goto(`${h.url}/admin/?b=${businessId}`);
  await page.getByLabel(/Эл. почта|Email/).fill(email);
  await page.getByLabel(/Пароль|Password/).fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: /Войти|Sign in/ }).click();
}

/** `kopilka …` on the test's schema, as an operator runs it on the server. */
function cli(args: string[], t: TestDatabase): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const u = new URL(t.url);
  u.searchParams.set('options', `-c search_path=${t.schema}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/kopilka.js', ...args], {
      env: { ...process.env, DATABASE_URL: u.toString(), KOPILKA_DATA_DIR: dir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every member of the business with their balance (as the API's member object has it), by id. */
async function balances(businessId: string): Promise<Record<string, unknown>> {
  const { rows } = await sql<{ id: string }>`select id from members where business_id = ${businessId} order by id`.execute(h.t.db);
  const out: Record<string, unknown> = {};
  for (const { id } of rows) out[id] = (await getMember(h.t.deps, { businessId, memberId: id })).balance;
  return out;
}

describe('backups in the admin panel', () => {
  it('owner: sees the daily backup apart, backs up now with live progress, downloads; the CLI restores it exactly; a damaged file is refused', async () => {
    const shop = await h.business({ welcomeBonus: 100, earnRateBp: 500, maxRedeemBp: 3000 });
    const members = [];
    for (const name of ['Ирина', 'Олег', 'Мария']) members.push(await shop.api.members.create({ phone: nextPhone(), name }));
    for (const [i, m] of members.entries()) await shop.api.purchases.create({ member: { id: m.id }, amount: 40_000 * (i + 1) });
    await shop.api.members.adjust(members[0]!.id, { points: 40, reason: 'подарок' });
    const owner = await aStaff(h, shop.id, 'owner', 'Владелец Анна');
    // The server's own daily backup, made before the owner looks.
    const daily = await dailyBackup(backups);
    expect(daily?.status).toBe('done');

    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU', acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' && !m.text().startsWith('Failed to load resource') ? errors.push(m.text()) : null));

    await signIn(page, shop.id, owner.email);
    await page.getByRole('link', { name: 'Данные' }).click();
    const section = page.locator('[data-testid="backups"]');
    const rows = section.locator('[data-testid="backups-list"] tbody tr');
    await rows.first().waitFor({ timeout: 15_000 });
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('[data-kind]').getAttribute('data-kind')).toBe('daily');
    expect(await rows.first().innerText()).toContain('по расписанию (ежедневно)');
    expect(await section.locator('[data-testid="backup-restore-note"] code').innerText()).toBe('kopilka restore ФАЙЛ --force');

    // Every value the progress bar takes, as the page sets it.
    // (a string: the tests compile without the DOM's types)
    await page.evaluate(`(() => {
      const seen = (window.progressSeen = []);
      const bar = document.querySelector('[data-testid="backup-progressbar"]');
      new MutationObserver(() => seen.push(Number(bar.getAttribute('aria-valuenow')))).observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
    })()`);

    // Back up now: held at "running" first, so the page is seen following it, then let go.
    let release!: () => void;
    gate = new Promise((r) => (release = r));
    await section.getByRole('button', { name: 'Сделать копию сейчас' }).click();
    const bar = section.getByRole('progressbar', { name: 'Ход резервного копирования' });
    await bar.waitFor();
    await expect.poll(() => section.locator('[data-testid="backup-progress-text"]').innerText()).toContain('Копия делается');
    expect(await bar.getAttribute('aria-valuenow')).toBe('0');
    expect(await section.getByRole('button', { name: 'Сделать копию сейчас' }).isDisabled()).toBe(true);
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().innerText()).toMatch(/вручную: Владелец Анна[\s\S]*делается \(0 %\)/);
    await shot(page, 'running');
    release();

    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe('100');
    await expect.poll(() => section.locator('[data-testid="backup-progress-text"]').innerText()).toMatch(/^Копия готова: [\d,]+ (КБ|МБ)\.$/);
    expect(await bar.getAttribute('aria-valuetext')).toMatch(/^Копия готова/);
    const seen = (await page.evaluate('window.progressSeen')) as number[];
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(100);
    expect(seen).toEqual([...seen].sort((a, b) => a - b)); // it only goes forward
    await expect.poll(() => rows.first().innerText()).toContain('готова');
    expect(await section.getByRole('button', { name: 'Сделать копию сейчас' }).isEnabled()).toBe(true);
    await shot(page, 'done');

    // The API says the same, in its documented shape (checked against the OpenAPI document by h.fetch).
    const listed = (await (await h.fetch(`${h.url}/api/v1/backups`, { headers: { authorization: `Bearer ${shop.apiKey}` } })).json()) as { items: { id: string; kind: string; status: string; size: number; requestedBy: string | null; fileName: string }[] };
    expect(listed.items.map((b) => [b.kind, b.status, b.requestedBy])).toEqual([['manual', 'done', 'Владелец Анна'], ['daily', 'done', null]]);
    const made = listed.items[0]!;

    // Download through the page.
    const [download] = await Promise.all([page.waitForEvent('download'), section.locator('[data-testid="backup-download"]').click()]);
    expect(download.suggestedFilename()).toBe(made.fileName);
    const file = path.join(dir, 'from-the-panel.backup.gz');
    await download.saveAs(file);
    expect((await stat(file)).size).toBe(made.size);
    const manifest = JSON.parse(gunzipSync(await readFile(file)).toString('utf8').split('\n')[1]!) as { ledgerChecksum: string; members: number };

    // What the data was at backup time.
    const atBackup = { ledger: await backups.backups.ledgerChecksum(), balances: await balances(shop.id) };
    expect(manifest.ledgerChecksum).toBe(atBackup.ledger);
    expect(Object.keys(atBackup.balances)).toHaveLength(3);
    const irina = members[0]!.id;
    const irinaAtBackup = (await shop.api.members.get(irina)).balance.available;

    // The data changes after the backup.
    await shop.api.members.adjust(irina, { points: 500, reason: 'ошибочное начисление' });
    await shop.api.purchases.create({ member: { id: members[1]!.id }, amount: 99_000 });
    await shop.api.members.create({ phone: nextPhone(), name: 'Новый' });
    expect(await backups.backups.ledgerChecksum()).not.toBe(atBackup.ledger);
    expect(Object.keys(await balances(shop.id))).toHaveLength(4);
    await page.goto(`${h.url}/admin/customers/${irina}`);
    const balance = page.locator('[data-testid="member-balance"] strong');
    await balance.waitFor();
    expect((await balance.innerText()).replace(/\s/g, '')).toBe(String(irinaAtBackup + 500));

    // Restore the downloaded file with the CLI, over the changed database.
    const restored = await cli(['restore', file, '--force', '--json'], h.t);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ wipedBusinesses: 1, businesses: 1, members: 3, ledgerChecksum: atBackup.ledger });
    expect(await backups.backups.ledgerChecksum()).toBe(atBackup.ledger);
    expect(await balances(shop.id)).toEqual(atBackup.balances);
    expect((await shop.api.members.get(irina)).balance.available).toBe(irinaAtBackup);

    // The panel, reloaded, shows the old balance again (the session was in the backup too).
    await page.reload();
    await balance.waitFor();
    expect((await balance.innerText()).replace(/\s/g, '')).toBe(String(irinaAtBackup));
    await shot(page, 'member-after-restore');

    // A damaged copy of the file (bytes flipped in the middle) is refused, and nothing changes.
    await shop.api.members.adjust(irina, { points: 7, reason: 'после восстановления' });
    const now = { ledger: await backups.backups.ledgerChecksum(), balances: await balances(shop.id) };
    const bytes = await readFile(file);
    for (const at of [Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 1]) bytes[at] = bytes[at]! ^ 0xff;
    const damaged = path.join(dir, 'damaged.backup.gz');
    await writeFile(damaged, bytes);
    const refused = await cli(['restore', damaged, '--force'], h.t);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/damaged/);
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    expect(await backups.backups.ledgerChecksum()).toBe(now.ledger);
    expect(await balances(shop.id)).toEqual(now.balances);
    await page.reload();
    await balance.waitFor();
    expect((await balance.innerText()).replace(/\s/g, '')).toBe(String(irinaAtBackup + 7));

    // The backups' list outlives the restore (its records are not part of a backup); English, a phone's width.
    await page.getByRole('button', { name: 'EN' }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Data' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toContain('on demand: Владелец Анна');
    expect(await rows.nth(1).innerText()).toContain('scheduled (daily)');
    await section.getByRole('button', { name: 'Back up now' }).waitFor();
    await shot(page, 'phone-en');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('an admin (may change settings, is not the owner) sees no backups, and the API refuses them', async () => {
    const shop = (await sql<{ id: string }>`select id from businesses`.execute(h.t.db)).rows[0]!;
    const admin = await aStaff(h, shop.id, 'admin', 'Администратор');
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await signIn(page, shop.id, admin.email);
    await page.getByRole('link', { name: 'Данные' }).click();
    await page.locator('[data-testid="export-members-csv"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="backups"]').count()).toBe(0);
    const res = await page.evaluate(async () => (await fetch('/api/v1/backups')).status);
    expect(res).toBe(403);
    await context.close();
  });
});
