// The import's column mapping in the admin panel (issue 7, R34), in headless Chromium: the owner chooses a file saved
// from 1C (Windows-1251, ";", headers "Код;Наименование;Телефон;Дата рождения;Бонусы"). The page reads it at once and
// shows its first rows and one select per field, pre-set from the headers. The owner's "Код" column holds the shop's
// old card numbers (Kopilka numbers), so they set it as the card instead of the external id: the import button closes
// until the next check; the check refuses a column chosen twice; with the external id left out it passes, and the
// import brings in the members with those cards, names, birthdays and balances. axe finds nothing serious on the
// form. Screenshots: test-results/screenshots/admin-import-mapping-*.png.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../src/core/index.js';
import { useApi } from '../support/apiServer.js';
import { launchChromium, SCREENSHOTS } from '../support/chromium.js';
import { checkLedgerInvariants } from '../support/invariants.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';

const h = useApi({ cardApp: true });
const AXE = readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const shot = async (page: Page, name: string) => writeFileSync(path.join(SCREENSHOTS, `admin-import-mapping-${name}.png`), await page.screenshot({ fullPage: true }));

/** Serious and critical WCAG 2 A/AA violations on the page as it is now, one line each. */
async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate('Boolean(window.axe)'))) await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 6).map((n) => n.target.join(' ')) }));
  })()`)) as { id: string; impact: string | null; nodes: string[] }[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`);
}

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

const card = (body: string) => `${body}${luhnCheckDigit(body)}`;
const CUSTOMERS = [
  { code: card('510000001'), name: 'Петров Пётр', phone: '+7 916 888-01-01', e164: '+79168880101', birthday: '03.02.1985', iso: '1985-02-03', points: 1200 },
  { code: card('510000002'), name: 'Ёлкина Мария', phone: '89168880102', e164: '+79168880102', birthday: '', iso: null, points: 35 },
  { code: card('510000003'), name: 'Сидоров Иван', phone: '+79168880103', e164: '+79168880103', birthday: '30.12.1979', iso: '1979-12-30', points: 0 },
];
const FILE = ['Код;Наименование;Телефон;Дата рождения;Бонусы', ...CUSTOMERS.map((c) => [c.code, c.name, c.phone, c.birthday, c.points].join(';'))].join('\r\n');

describe('the import\'s column mapping in the admin panel', () => {
  it('owner: a 1C file pre-sets the selects from its headers; "Код" becomes the card; checked, imported, in the database', async () => {
    const shop = await h.business({ welcomeBonus: 100 });
    const owner = await aStaff(h, shop.id, 'owner', 'Владелец Ольга');
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'ru-RU', bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' && !m.text().startsWith('Failed to load resource') ? errors.push(m.text()) : null));

    await page.goto(`${h.url}/admin/?b=${shop.id}`);
    await page.getByLabel(/Эл. почта|Email/).fill(owner.email);
    await page.getByLabel(/Пароль|Password/).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: /Войти|Sign in/ }).click();
    await page.getByRole('link', { name: 'Данные' }).click();
    const file = page.locator('[data-testid="import-file"]');
    await file.waitFor();
    const check = page.locator('[data-testid="import-check"]');
    const run = page.locator('[data-testid="import-run"]');
    const status = page.locator('section:has([data-testid="import-file"]) p.status[role="status"]');
    const result = page.locator('[data-testid="import-result"]');

    // 1. The file is read at once: its first rows, and each select pre-set from the headers (found by its label).
    await file.setInputFiles({ name: 'контрагенты.csv', mimeType: 'text/csv', buffer: encode1251(FILE) });
    await page.locator('[data-testid="import-column-phone"]').waitFor({ timeout: 15_000 });
    const columnOf = (label: string) => page.getByLabel(label, { exact: true });
    const chosen = async () => ({
      phone: await columnOf('Телефон (обязательно)').inputValue(),
      name: await columnOf('Имя').inputValue(),
      balance: await columnOf('Баллы').inputValue(),
      birthday: await columnOf('Дата рождения').inputValue(),
      email: await columnOf('Эл. почта').inputValue(),
      card: await columnOf('Номер карты Копилки').inputValue(),
      externalId: await columnOf('Код клиента в другой системе').inputValue(),
    });
    expect(await chosen()).toEqual({ phone: 'Телефон', name: 'Наименование', balance: 'Бонусы', birthday: 'Дата рождения', email: '', card: '', externalId: 'Код' });
    // Each select offers the file's columns and "not imported".
    expect(await columnOf('Номер карты Копилки').locator('option').allTextContents()).toEqual(['— не загружать', 'Код', 'Наименование', 'Телефон', 'Дата рождения', 'Бонусы']);
    expect(await columnOf('Телефон (обязательно)').getAttribute('aria-required')).toBe('true');
    const sample = page.locator('[data-testid="import-sample"]');
    expect(await sample.locator('thead th').allInnerTexts()).toEqual(['Код', 'Наименование', 'Телефон', 'Дата рождения', 'Бонусы']);
    const sampleRows: string[][] = [];
    for (let i = 0; i < (await sample.locator('tbody tr').count()); i++) sampleRows.push(await sample.locator('tbody tr').nth(i).locator('td').allInnerTexts());
    expect(sampleRows).toEqual(CUSTOMERS.map((c) => [c.code, c.name, c.phone, c.birthday, String(c.points)]));
    expect(await page.locator('[data-testid="import-preview"]').innerText()).toContain('Строк в файле: 3.');
    expect(await page.locator('[data-testid="import-no-header"]').count()).toBe(0);
    expect(await axe(page)).toEqual([]);
    await shot(page, 'guessed');

    // 2. As guessed, the check passes (the codes are fine as external ids) and opens the import button.
    await check.click();
    await expect.poll(() => result.innerText(), { timeout: 15_000 }).toMatch(/Ошибок нет: строк 3/);
    expect(await run.isEnabled()).toBe(true);

    // 3. But "Код" holds the shop's old card numbers: the owner sets it as the card, by keyboard. Changing a select
    // closes the import button until the next check; a column chosen twice is refused before anything is sent.
    const cardSelect = columnOf('Номер карты Копилки');
    await cardSelect.focus();
    await page.keyboard.press('ArrowDown'); // from "— не загружать" to the next option, "Код"
    expect(await cardSelect.inputValue()).toBe('Код');
    expect(await run.isDisabled()).toBe(true);
    expect(await result.innerText()).toBe('');
    await check.click();
    await expect.poll(() => status.innerText()).toBe('Столбец «Код» выбран дважды.');
    expect(await run.isDisabled()).toBe(true);
    await columnOf('Код клиента в другой системе').selectOption('');
    expect(await chosen()).toEqual({ phone: 'Телефон', name: 'Наименование', balance: 'Бонусы', birthday: 'Дата рождения', email: '', card: 'Код', externalId: '' });
    // The phone cannot be left out.
    await columnOf('Телефон (обязательно)').selectOption('');
    await check.click();
    await expect.poll(() => status.innerText()).toBe('Выберите столбец с телефоном.');
    expect(await page.evaluate('document.activeElement && document.activeElement.getAttribute("data-testid")')).toBe('import-column-phone');
    await columnOf('Телефон (обязательно)').selectOption('Телефон');

    // 4. The check with the chosen mapping; then the import.
    await check.click();
    await expect.poll(() => result.innerText(), { timeout: 15_000 }).toMatch(/Ошибок нет: строк 3/);
    expect(await run.isEnabled()).toBe(true);
    await shot(page, 'checked');
    await run.click();
    await expect.poll(() => status.innerText(), { timeout: 30_000 }).toMatch(/^Загружено: новых клиентов 3, пополнено 0, .+: 1\s235\.$/);
    expect(await run.isDisabled()).toBe(true);
    await shot(page, 'done');

    // 5. In the database: the members with the file's card numbers, names, birthdays and balances; no welcome bonus;
    // no external id (that column was not imported).
    const members = await sql<{ phone: string; card_number: string; name: string; birthday: string | null }>`
      select phone, card_number, name, birthday::text as birthday from members where business_id = ${shop.id} order by phone`.execute(h.t.db);
    expect(members.rows.map((m) => [m.phone, m.card_number, m.name, m.birthday])).toEqual(CUSTOMERS.map((c) => [c.e164, c.code, c.name, c.iso]));
    for (const c of CUSTOMERS) {
      const [m] = await shop.api.members.find({ card: c.code });
      expect(m).toMatchObject({ phone: c.e164, balance: { available: c.points } });
    }
    const meta = await sql<{ meta: Record<string, unknown> }>`select meta from ledger_transactions where business_id = ${shop.id}`.execute(h.t.db);
    expect(meta.rows).toHaveLength(2); // the two rows with points
    expect(meta.rows.every((r) => r.meta.externalId === undefined && typeof r.meta.importId === 'string')).toBe(true);
    await checkLedgerInvariants(h.t.db);

    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
