// "Log in with Telegram" on the cashier screen's web sign-in page, in headless Chromium: the page shows the business's
// name and the button (its staff bot is connected), opens t.me/<bot>?start=login_<code>, and signs in once the staff
// bot approves the code (approveTelegramLogin, what /start login_<code> does) — through network errors while it waits.
// A Telegram account that is not staff approves nothing: the page keeps waiting, then the login expires.
import { type BrowserContext, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectBot } from '../../src/app/bots.js';
import { inviteStaff } from '../../src/app/staff.js';
import { acceptInviteFromTelegram } from '../../src/app/staffSessions.js';
import { approveTelegramLogin } from '../../src/app/staffTelegramLogin.js';
import { telegramGateway } from '../../src/bots/telegramGateway.js';
import { useApi } from '../support/apiServer.js';
import { useChromium } from '../support/chromium.js';
import { useTelegramApi } from '../support/useTelegramApi.js';

const h = useApi({ cardApp: true });
const tg = useTelegramApi();
const chrome = useChromium();

const BOT = { token: '7700000301:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDtill', username: 'kopilka_till_login_bot' };
const STAFF_TG_ID = 73_001;
const LINK_RE = new RegExp(`^https://t\\.me/${BOT.username}\\?start=login_([a-z0-9]{12})$`);

let shop: { id: string } | null = null;

/** One business with its staff bot connected and a cashier tied to a Telegram account (made once for the file). */
async function shopWithStaffBot(): Promise<{ id: string }> {
  if (shop) return shop;
  const s = await h.business();
  await s.api.program.get(); // at least one call through the OpenAPI-checked client (useApi checks it)
  tg.addBot(BOT);
  await connectBot(h.t.deps, telegramGateway(tg.url), { businessId: s.id, role: 'staff', token: BOT.token });
  const { token } = await inviteStaff(h.t.deps, { cli: true }, { businessId: s.id, role: 'cashier', name: 'Оля' });
  await acceptInviteFromTelegram(h.t.deps, { businessId: s.id, inviteToken: token, telegramUserId: STAFF_TG_ID, username: 'olya', name: 'Оля' });
  shop = { id: s.id };
  return shop;
}

/** A fresh browser profile; t.me answers locally (no internet in tests), and each poll request is counted. */
async function openSignIn(businessId: string): Promise<{ context: BrowserContext; page: Page; polls: () => number }> {
  const context = await chrome.browser.newContext({ viewport: { width: 800, height: 1000 }, locale: 'ru-RU' });
  await context.route('https://t.me/**', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<p>Telegram</p>' }));
  const page = await context.newPage();
  let polls = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/staff/telegram-logins/poll') polls++;
  });
  await page.goto(`${h.url}/cashier/?b=${businessId}`);
  return { context, page, polls: () => polls };
}

/** Presses "Войти через Telegram": the bot's link opens in a new tab and is shown on the page; returns its code. */
async function pressLogIn(context: BrowserContext, page: Page): Promise<string> {
  const popup = context.waitForEvent('page', { timeout: 10_000 });
  await page.locator('[data-testid="signin-telegram-login"]').click();
  const link = page.locator('[data-testid="telegram-login-link"]');
  await link.waitFor({ timeout: 10_000 });
  const href = (await link.getAttribute('href')) ?? '';
  expect(href).toMatch(LINK_RE);
  const tab = await popup;
  await tab.waitForURL(href, { timeout: 10_000 });
  await tab.close();
  expect(await page.getByText(`Нажмите «Запустить» (Start) в боте @${BOT.username} — вход подтвердится здесь`).count()).toBe(1);
  return LINK_RE.exec(href)![1]!;
}

const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

describe('"Log in with Telegram" on the cashier screen', () => {
  it('shows the business and the button above the password form; the bot\'s approval signs the page in, through network errors', async () => {
    const { id } = await shopWithStaffBot();
    const { context, page, polls } = await openSignIn(id);
    await page.locator('[data-testid="signin-telegram-login"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('h1').innerText()).toBe('API test shop');
    expect(await page.title()).toContain('API test shop');
    expect(await page.locator('[data-testid="signin-telegram-login"]').innerText()).toBe('Войти через Telegram');
    await page.locator('[data-testid="signin-email"]').waitFor(); // e-mail and password stay below
    await page.locator('[data-testid="signin-password"]').waitFor();

    // The first two polls find no network: the page just asks again.
    let dropped = 0;
    await page.route('**/api/staff/telegram-logins/poll', (r) => (dropped < 2 ? (dropped++, r.abort('internetdisconnected')) : r.continue()));
    const code = await pressLogIn(context, page);
    await expect.poll(() => dropped, { timeout: 10_000 }).toBe(2);
    await expect.poll(polls, { timeout: 10_000 }).toBeGreaterThan(2); // asked again after the failures, still pending
    expect(await page.locator('[data-testid="header"]').count()).toBe(0);

    await approveTelegramLogin(h.t.deps, { businessId: id, code, telegramUserId: STAFF_TG_ID });
    await page.locator('[data-testid="header"]').waitFor({ timeout: 5_000 });
    expect(await page.locator('[data-testid="staff-name"]').innerText()).toContain('Оля');
    expect(await page.locator('[data-testid="business-name"]').innerText()).toBe('API test shop');

    // Kept like a password sign-in: polling stopped, and a reload opens the till at once.
    const after = polls();
    await page.waitForTimeout(2_000);
    expect(polls()).toBe(after);
    expect(await page.evaluate<string | null>(`localStorage.getItem('kopilka.cashier.session.${id}')`)).toMatch(/"token":"kss_/);
    await page.reload();
    await page.locator('[data-testid="header"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="staff-name"]').innerText()).toContain('Оля');
    await context.close();
  });

  it('an approval from a Telegram account that is not staff leaves the page waiting; then the login expires and can be tried again', async () => {
    const { id } = await shopWithStaffBot();
    const { context, page, polls } = await openSignIn(id);
    await page.locator('[data-testid="signin-telegram-login"]').waitFor({ timeout: 15_000 });
    const code = await pressLogIn(context, page);
    expect(await codeOf(approveTelegramLogin(h.t.deps, { businessId: id, code, telegramUserId: 73_999 }))).toBe('not_staff');
    const before = polls();
    await expect.poll(polls, { timeout: 10_000 }).toBeGreaterThan(before + 1); // two more answers: still pending
    expect(await page.locator('[data-testid="header"]').count()).toBe(0);
    await page.locator('[data-testid="telegram-login-waiting"]').waitFor();

    h.t.clock.advance(5 * 60_000 + 1_000);
    await page.locator('[data-testid="telegram-login-expired"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="signin-telegram-login"]').innerText()).toBe('Попробовать снова');
    expect(await page.locator('[data-testid="header"]').count()).toBe(0);
    const stopped = polls();
    await page.waitForTimeout(2_000);
    expect(polls()).toBe(stopped); // no asking after expiry

    // Trying again gives a new code that the staff member can approve.
    const again = await pressLogIn(context, page);
    expect(again).not.toBe(code);
    await approveTelegramLogin(h.t.deps, { businessId: id, code: again, telegramUserId: STAFF_TG_ID });
    await page.locator('[data-testid="header"]').waitFor({ timeout: 5_000 });
    await context.close();
  });
});
