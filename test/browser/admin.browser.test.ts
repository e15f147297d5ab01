// The admin panel in headless Chromium: an owner signs in, sees the dashboard (own SVG charts), the customers list
// and a member, broadcasts, data and the audit log, opens the settings, changes the points name and sees the rules
// preview follow; a manager signs in and cannot reach the settings (no menu item; the address says "no access").
// Screenshots of each main screen go to test-results/screenshots/admin-*.png for review.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';
import { nextPhone } from '../support/factories.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';

const SHOTS = SCREENSHOTS;
const h = useApi({ cardApp: true });
const chrome = useChromium();

async function shot(page: Page, name: string): Promise<void> {
  writeFileSync(path.join(SHOTS, `admin-${name}.png`), await page.screenshot({ fullPage: true }));
}

async function signIn(page: Page, businessId: string, email: string): Promise<void> {
  await page.goto(`${h.url}/admin/?b=${businessId}`);
  await page.getByLabel(/Эл. почта|Email/).fill(email);
  await page.getByLabel(/Пароль|Password/).fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: /Войти|Sign in/ }).click();
}

describe('the admin panel', () => {
  it('owner: sign-in → dashboard → customers → member → broadcasts → settings (points name and its preview) → data → audit', async () => {
    const shop = await h.business({ welcomeBonus: 100, earnRateBp: 500, maxRedeemBp: 3000 });
    const names = ['Ирина', 'Олег', 'Мария', 'Сергей', 'Анна'];
    const members = [];
    for (const name of names) members.push(await shop.api.members.create({ phone: nextPhone(), name }));
    for (const [i, m] of members.entries()) {
      for (let k = 0; k <= i; k++) await shop.api.purchases.create({ member: { id: m.id }, amount: 50_000 + 25_000 * k });
    }
    await shop.api.members.adjust(members[0]!.id, { points: 40, reason: 'подарок' });
    const owner = await aStaff(h, shop.id, 'owner', 'Владелец');

    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A 401 of "who am I" before signing in is the browser's own log line, not the page's error.
    page.on('console', (m) => (m.type() === 'error' && !m.text().startsWith('Failed to load resource') ? errors.push(m.text()) : null));

    // A wrong password is said in words.
    await page.goto(`${h.url}/admin/?b=${shop.id}`);
    await page.getByLabel(/Эл. почта/).fill(owner.email);
    await page.getByLabel(/Пароль/).fill('not the password');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByText('Неверная почта или пароль.').waitFor();
    await shot(page, 'signin');

    await signIn(page, shop.id, owner.email);
    await page.locator('[data-testid="fig-members"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="fig-members"] strong').innerText()).toBe('5');
    expect(await page.locator('[data-testid="fig-purchases"] strong').innerText()).toBe('15'); // 1 + 2 + … + 5
    expect(await page.locator('svg.chart').count()).toBe(4);
    expect(await page.locator('svg.chart rect.cell').count()).toBe(7 * 24);
    const menu = await page.locator('nav.side a').allInnerTexts();
    expect(menu).toEqual(['Сводка', 'Клиенты', 'Сообщения', 'Рассылки', 'Настройки', 'Сотрудники', 'Данные', 'Журнал']);
    await shot(page, 'dashboard');

    await page.getByRole('link', { name: 'Клиенты' }).click();
    await page.locator('[data-testid="members"] table').waitFor();
    expect(await page.locator('[data-testid="members"] tbody tr').count()).toBe(5);
    await page.getByLabel('Сортировка').selectOption('totalSpent');
    await page.getByRole('button', { name: 'Показать' }).click();
    await expect.poll(() => page.locator('[data-testid="members"] tbody tr').first().innerText()).toContain('Анна');
    await shot(page, 'customers');

    await page.getByRole('link', { name: 'Ирина' }).click();
    await page.locator('[data-testid="member-balance"]').waitFor();
    expect(await page.locator('[data-testid="member-balance"] strong').innerText()).toBe(String(100 + 25 + 40));
    await page.getByText('подарок').first().waitFor();
    await shot(page, 'member');
    expect(new URL(page.url()).pathname).toBe(`/admin/customers/${members[0]!.id}`);

    await page.getByRole('link', { name: 'Рассылки' }).click();
    await page.getByLabel('Текст', { exact: true }).fill('{name}, у нас новинки!');
    await page.getByRole('button', { name: 'Посчитать' }).click();
    await page.locator('[data-testid="broadcast-preview"] p').first().waitFor();
    await shot(page, 'broadcasts');

    await page.getByRole('link', { name: 'Настройки' }).click();
    const preview = page.locator('[data-testid="rules-preview"]');
    await preview.waitFor();
    expect(await preview.innerText()).toMatch(/1\s000\s₽.*50 баллы.*300\s₽/);
    await page.getByLabel('Как называть баллы').fill('бонусы');
    await expect.poll(() => preview.innerText()).toContain('50 бонусы');
    await page.getByLabel('Начисление, % от оплаты').fill('7');
    await expect.poll(() => preview.innerText()).toContain('70 бонусы');
    await page.getByLabel('Цвет карты').fill('#aa2233');
    await page.locator('[data-testid="template-preview"]').filter({ hasText: /\S/ }).waitFor();
    await shot(page, 'settings');
    await page.locator('[data-testid="rules"]').getByRole('button', { name: 'Сохранить' }).click();
    await page.locator('[data-testid="rules"]').getByText('Сохранено').waitFor();
    const program = await shop.api.program.get();
    expect(program).toMatchObject({ pointsName: 'бонусы', earnPercent: 7 });

    await page.getByRole('link', { name: 'Данные' }).click();
    await page.locator('[data-testid="export-members-csv"]').waitFor();
    await shot(page, 'data');

    await page.getByRole('link', { name: 'Журнал' }).click();
    await page.locator('[data-testid="audit"]').waitFor();
    await shot(page, 'audit');

    // English, and a phone's width.
    await page.getByRole('button', { name: 'EN' }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('[data-testid="fig-members"]').waitFor();
    await shot(page, 'dashboard-phone-en');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a manager has no settings in the menu, and the settings address says no access', async () => {
    const shop = await h.business();
    const manager = await aStaff(h, shop.id, 'manager', 'Менеджер');
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await signIn(page, shop.id, manager.email);
    await page.locator('[data-testid="fig-members"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('nav.side a').allInnerTexts()).toEqual(['Сводка', 'Клиенты', 'Сообщения', 'Данные', 'Журнал']);
    await page.goto(`${h.url}/admin/settings`);
    await page.locator('[data-testid="no-access"]').waitFor();
    expect(await page.locator('[data-testid="no-access"]').innerText()).toContain('менеджер');
    await shot(page, 'manager-no-access');
    // The API refuses too, whatever the page shows.
    const status = await page.evaluate(async () => (await fetch('/api/v1/program', { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-csrf-token': /kopilka_csrf=([^;]+)/.exec((globalThis as unknown as { document: { cookie: string } }).document.cookie)?.[1] ?? '' }, body: JSON.stringify({ pointsName: 'x' }) })).status);
    expect(status).toBe(403);
    await context.close();
  });
});
