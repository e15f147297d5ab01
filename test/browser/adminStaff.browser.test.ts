// The admin panel's staff page in headless Chromium: the owner sees the staff with their limits, invites a cashier to
// a location and gets the link to copy, blocks a cashier, creates and revokes an API key (shown once), adds a
// webhook, connects the staff bot by its token (checked on the Bot API stand-in) and then gets a t.me invitation
// too; the tabs work from the keyboard; a manager (English, phone width) has no staff item and no access. Screenshots:
// test-results/screenshots/admin-staff*.png.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addLocation } from '../../src/app/addLocation.js';
import { telegramGateway } from '../../src/bots/telegramGateway.js';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';
import { startTelegramApi, type TelegramApi } from '../support/telegramApi.js';

const SHOTS = SCREENSHOTS;
let tg: TelegramApi | undefined;
const h = useApi({
  cardApp: true,
  setup: async () => {
    tg = await startTelegramApi();
    return { setup: { telegram: telegramGateway(tg.url) }, close: async () => tg?.close() };
  },
});
const chrome = useChromium();

const shot = async (page: Page, name: string) => writeFileSync(path.join(SHOTS, `admin-${name}.png`), await page.screenshot({ fullPage: true }));

async function signIn(page: Page, businessId: string, email: string): Promise<void> {
  await page.goto(`${h.url}/admin/?b=${businessId}`);
  await page.getByLabel(/Эл. почта|Email/).fill(email);
  await page.getByLabel(/Пароль|Password/).fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: /Войти|Sign in/ }).click();
}

describe('the admin panel: staff, API keys, webhooks and bots', () => {
  it('owner: invites a cashier (the link is shown), blocks one, makes and revokes a key, adds a webhook, connects the staff bot', async () => {
    const shop = await h.business();
    await addLocation(h.t.deps, { businessId: shop.id, name: 'Центр' });
    const owner = await aStaff(h, shop.id, 'owner', 'Владелец');
    await aStaff(h, shop.id, 'cashier', 'Кассир Пётр');
    const manager = await aStaff(h, shop.id, 'manager', 'Менеджер Ольга');

    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' && !m.text().startsWith('Failed to load resource') ? errors.push(m.text()) : null));
    page.on('dialog', (d) => void d.accept());

    await signIn(page, shop.id, owner.email);
    await page.getByRole('link', { name: 'Сотрудники' }).waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: 'Сотрудники' }).click();
    const list = page.locator('[data-testid="staff-list"]');
    await list.locator('table').waitFor();
    expect(await list.locator('tbody tr').count()).toBe(3);
    expect(await list.locator('tr', { hasText: 'Кассир Пётр' }).innerText()).toContain('в день: 5');

    // Invite a cashier to a location: the link is shown to copy.
    await page.getByLabel('Имя', { exact: true }).fill('Ира');
    expect(await page.getByLabel('Роль', { exact: true }).locator('option').allInnerTexts()).toEqual(['администратор', 'менеджер', 'кассир']);
    await page.getByLabel('Роль', { exact: true }).selectOption('cashier');
    await page.locator('[data-testid="invite-submit"]').locator('..').getByLabel('Центр').check();
    await page.locator('[data-testid="invite-submit"]').click();
    const link = page.locator('[data-testid="invite-link"]');
    await link.waitFor();
    expect(await link.inputValue()).toMatch(new RegExp(`^https://shop\\.test/cashier/\\?b=${shop.id}#invite=ksi_`));
    expect(await page.locator('[data-testid="invite-result"]').innerText()).toContain('Подключите бота сотрудников');
    await page.locator('[data-testid="invite-result"]').getByRole('button', { name: 'Копировать' }).click();
    await page.getByText('Скопировано').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(await link.inputValue());
    await shot(page, 'staff');

    // Block the cashier: the list says so.
    await page.getByRole('button', { name: 'Заблокировать: Кассир Пётр' }).click();
    await expect.poll(() => list.locator('tr', { hasText: 'Кассир Пётр' }).innerText()).toContain('заблокирован');
    // Change the manager's daily limit.
    await page.getByRole('button', { name: 'Изменить: Менеджер Ольга' }).click();
    await page.getByLabel('Не больше баллов в день').fill('700');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => list.locator('tr', { hasText: 'Менеджер Ольга' }).innerText()).toContain('в день: 700');

    // API keys: shown once, then revoked. The tabs move with the arrow keys.
    await page.locator('[data-testid="tab-staff"]').focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('[data-testid="tab-integrations"]').getAttribute('aria-selected')).toBe('true');
    await page.getByLabel('Название ключа').fill('Сайт');
    await page.getByRole('button', { name: 'Создать ключ' }).click();
    const key = page.locator('[data-testid="api-key-value"]');
    await key.waitFor();
    const keyText = await key.inputValue();
    expect(keyText).toMatch(/^kop_[a-f0-9]{10}_/);
    expect((await h.fetch(`${h.url}/api/v1/program`, { headers: { authorization: `Bearer ${keyText}` } })).status).toBe(200);
    await page.getByRole('button', { name: 'Отозвать: Сайт' }).click();
    await expect.poll(() => page.locator('[data-testid="api-keys"] tr', { hasText: 'Сайт' }).innerText()).toContain('отозван');
    expect((await h.fetch(`${h.url}/api/v1/program`, { headers: { authorization: `Bearer ${keyText}` } })).status).toBe(401);

    // A webhook: the secret shown once, listed with no delivery yet.
    await page.getByLabel('Адрес (https://…)').fill('https://crm.test/hook');
    await page.getByRole('button', { name: 'Добавить вебхук' }).click();
    await page.locator('[data-testid="webhook-secret"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="webhooks"]').innerText()).toContain('https://crm.test/hook');
    expect(await page.locator('[data-testid="webhooks"]').innerText()).toContain('ещё не было');
    await shot(page, 'staff-keys');

    // Bots: a wrong token is refused in words; the right one connects; then invitations carry a t.me link.
    tg!.addBot({ token: '5550001:' + 'B'.repeat(35), username: 'shop_staff_test_bot' });
    await page.locator('[data-testid="tab-bots"]').click();
    await page.getByLabel('Токен от @BotFather').last().fill('5550002:' + 'C'.repeat(35));
    await page.locator('[data-testid="bot-staff"]').getByRole('button', { name: 'Подключить' }).click();
    await page.locator('.status.error').waitFor();
    await page.getByLabel('Токен от @BotFather').last().fill('5550001:' + 'B'.repeat(35));
    await page.locator('[data-testid="bot-staff"]').getByRole('button', { name: 'Подключить' }).click();
    await expect.poll(() => page.locator('[data-testid="bot-staff"]').innerText()).toContain('@shop_staff_test_bot');
    expect(await page.locator('[data-testid="bots"]').innerText()).toContain('@BotFather');
    await shot(page, 'staff-bots');
    await page.locator('[data-testid="tab-staff"]').click();
    await page.getByLabel('Имя', { exact: true }).fill('Олег');
    await page.locator('[data-testid="invite-submit"]').click();
    await page.locator('[data-testid="invite-telegram"]').waitFor();
    expect(await page.locator('[data-testid="invite-telegram"]').inputValue()).toMatch(/^https:\/\/t\.me\/shop_staff_test_bot\?start=ksi_/);
    expect(errors).toEqual([]);
    await context.close();

    // A manager: no staff item, and the address says no access.
    const mctx = await chrome.browser.newContext({ viewport: { width: 390, height: 800 }, locale: 'en-US' });
    const mpage = await mctx.newPage();
    await signIn(mpage, shop.id, manager.email);
    await mpage.locator('nav.side').waitFor({ timeout: 15_000 });
    expect(await mpage.locator('nav.side a').allInnerTexts()).not.toContain('Staff');
    await mpage.goto(`${h.url}/admin/staff`);
    await mpage.locator('[data-testid="no-access"]').waitFor();
    await mctx.close();
  });
});
