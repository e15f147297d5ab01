// The dashboard's Takings section in headless Chromium (issue 7, R31): a manager of a shop with two locations and no
// takings yet sees "—" for the share of revenue from members and a hint how to enter takings; its button moves the
// keyboard to the form; the day's takings of a location are typed and saved with Enter (the row is in revenue_days,
// entered from the panel by that manager); the share and "based on 1 of 30 days" follow; a bad amount is refused in
// words and changes nothing; the Edit button of a day fills the form with what is stored, and a correction is saved
// and audited. axe finds no serious WCAG 2 A/AA problem in the section. Screenshots: admin-takings-*.png.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addLocation } from '../../src/app/addLocation.js';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';
import { nextPhone } from '../support/factories.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';

const h = useApi({ cardApp: true });
const AXE = readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
const chrome = useChromium();

const shot = async (page: Page, name: string) => writeFileSync(path.join(SCREENSHOTS, `admin-takings-${name}.png`), await page.screenshot({ fullPage: true }));

async function stored(businessId: string) {
  return (await sql<{ day: string; location_id: string | null; amount: string; source: string; updated_by: string }>`
    select to_char(day, 'YYYY-MM-DD') as day, location_id, amount, source, updated_by from revenue_days where business_id = ${businessId} order by day, location_id`.execute(h.t.db)).rows
    .map((r) => ({ ...r, amount: Number(r.amount) }));
}

/** The data-testid of the focused element. */
const focused = (page: Page) => page.evaluate('document.activeElement?.getAttribute("data-testid") ?? null') as Promise<string | null>;

/** Waits until the share figure is drawn from a new answer (the dashboard reloads after a save). */
async function shareAfter(page: Page, old: string): Promise<string> {
  await page.waitForFunction(`(() => {
    const el = document.querySelector('[data-testid="fig-member-share"] strong');
    return el !== null && el.textContent !== ${JSON.stringify(old)};
  })()`, null, { timeout: 15_000 });
  return page.locator('[data-testid="fig-member-share"] strong').innerText();
}

describe('the Takings section', () => {
  it('a manager enters and corrects a day\'s takings with the keyboard, and the share of revenue from members follows', async () => {
    const shop = await h.business();
    const lenina = await addLocation(h.t.deps, { businessId: shop.id, name: 'Ленина' });
    await addLocation(h.t.deps, { businessId: shop.id, name: 'Мира' });
    const member = await shop.api.members.create({ phone: nextPhone() });
    await shop.api.purchases.create({ member: { id: member.id }, amount: 1_000_00, locationId: lenina.id });
    const { today } = await shop.api.revenue.list();
    const manager = await aStaff(h, shop.id, 'manager', 'Менеджер');

    const ctx = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU', bypassCSP: true });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.url}/admin/?b=${shop.id}`);
    await page.getByLabel('Эл. почта').fill(manager.email);
    await page.getByLabel('Пароль').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.locator('[data-testid="takings-list"] table').waitFor({ timeout: 15_000 });

    // No takings yet: no share, and how to enter them.
    expect(await page.locator('[data-testid="fig-member-share"] strong').innerText()).toBe('—');
    await expect(page.locator('[data-testid="share-hint"]').innerText()).resolves.toMatch(/PUT \/api\/v1\/revenue/);
    expect(await page.locator('[data-testid="takings-list"] tbody tr').count()).toBe(30);
    await shot(page, 'empty');

    // The hint's button takes the keyboard to the form; Tab to the location, then the amount; Enter saves.
    await page.getByRole('button', { name: 'Внести выручку' }).click();
    expect(await focused(page)).toBe('takings-day');
    expect(await page.getByLabel('День', { exact: true }).inputValue()).toBe(today);
    // (Chromium's date field takes a Tab per part: day, month, year.)
    for (let i = 0; i < 5 && (await focused(page)) === 'takings-day'; i++) await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('takings-location');
    await page.getByLabel('Точка', { exact: true }).last().selectOption(lenina.id);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('takings-amount');
    await page.keyboard.type('abc');
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-testid="takings"] [role="status"]').innerText()).resolves.toMatch(/Введите сумму числом/);
    expect(await stored(shop.id)).toEqual([]);

    await page.getByLabel(/Выручка за день/).fill('2 000,00');
    await page.keyboard.press('Enter');
    expect(await shareAfter(page, '—')).toBe('50 %');
    await expect(page.locator('[data-testid="takings"] [role="status"]').innerText()).resolves.toMatch(/Сохранено/);
    expect(await page.locator('[data-testid="share-basis"]').innerText()).toMatch(/1 из 30/);
    expect(await stored(shop.id)).toEqual([{ day: today, location_id: lenina.id, amount: 2_000_00, source: 'panel', updated_by: `staff:${manager.id}` }]);
    const firstRow = page.locator('[data-testid="takings-list"] tbody tr').first();
    expect(await firstRow.innerText()).toMatch(/2\s000\s₽/);
    await shot(page, 'saved');

    // Edit fills the form with what is stored; a correction is saved and audited.
    await page.getByLabel(/Выручка за день/).fill('');
    await firstRow.getByRole('button', { name: /Изменить выручку за/ }).click();
    expect(await page.getByLabel(/Выручка за день/).inputValue()).toBe('2000');
    expect(await focused(page)).toBe('takings-amount');
    await page.getByLabel(/Выручка за день/).fill('4000');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    expect(await shareAfter(page, '50 %')).toBe('25 %');
    expect((await stored(shop.id)).map((r) => r.amount)).toEqual([4_000_00]);
    const audit = await sql<{ details: { before: number | null; amount: number } }>`select details from audit_log where business_id = ${shop.id} and action = 'revenue.takings_set' order by id`.execute(h.t.db);
    expect(audit.rows.map((r) => [r.details.before, r.details.amount])).toEqual([[null, 2_000_00], [2_000_00, 4_000_00]]);

    // axe: the figure, the form and the list.
    await page.addScriptTag({ content: AXE });
    const violations = (await page.evaluate(`(async () => {
      const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
    })()`)) as string[];
    expect(violations).toEqual([]);
    await shot(page, 'corrected');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
