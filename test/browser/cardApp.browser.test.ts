// The card app in a real browser (Debian's headless Chromium driven by playwright-core): sign in through a one-time
// link, read the QR code from a screenshot, pay with it through the purchase API, see the lapsed token refused; open
// it as a Telegram Mini App (initData + theme in the URL hash) in light and dark; sign in by a code in a plain mobile
// browser. Screenshots are saved to test-results/screenshots for review.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBot } from '../../src/app/bots.js';
import { issueSignInToken } from '../../src/app/cardSessions.js';
import { joinFromTelegram } from '../../src/app/joinFromTelegram.js';
import { signInitData } from '../../src/app/telegramInitData.js';
import { telegramGateway } from '../../src/bots/telegramGateway.js';
import { useApi } from '../support/apiServer.js';
import { launchChromium, SCREENSHOTS } from '../support/chromium.js';
import { nextPhone } from '../support/factories.js';
import { useTelegramApi } from '../support/useTelegramApi.js';

// jsqr is CommonJS with an ES-style default export: Node hands us the function, TypeScript the namespace.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;
const SHOTS = SCREENSHOTS;
const h = useApi({ cardApp: true });
let browser: Browser;
const tg = useTelegramApi();

beforeAll(async () => {
  // Never a downloaded browser: the system's Chromium (apt-get install -y chromium), headless, as root.
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PHONE_VIEWPORT = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

async function shot(page: Page, name: string): Promise<Buffer> {
  const png = await page.screenshot({ fullPage: false });
  writeFileSync(path.join(SHOTS, `${name}.png`), png);
  return png;
}

/** Finds and decodes the QR code in a screenshot, as a phone camera at the till would. */
function readQr(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height)?.data ?? null;
}

async function cardShown(page: Page): Promise<void> {
  await page.locator('[data-testid="qr"]').waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('[data-testid="card-number"]').waitFor({ state: 'visible' });
}

describe('the card app in a mobile browser', () => {
  it('opens through a sign-in link; the QR read from a screenshot pays at the till, and is refused once it lapses', async () => {
    const shop = await h.business({ welcomeBonus: 300, branding: { logoUrl: null, accentColor: '#e4572e', cardColor: '#17324d', cardTextColor: '#ffffff' } });
    const phone = nextPhone();
    const member = await shop.api.members.create({ phone, name: 'Марина' });
    const { token } = await issueSignInToken(h.t.deps, { businessId: shop.id, phone });
    const context = await browser.newContext({ ...PHONE_VIEWPORT, locale: 'ru-RU', colorScheme: 'light' });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${h.url}/card/?b=${shop.id}#signin=${token}`);
    await cardShown(page);
    expect(await page.locator('[data-testid="card-number"]').innerText()).toContain(member.cardNumber);
    expect(await page.locator('[data-testid="balance"]').innerText()).toContain('300');
    expect(page.url()).not.toContain('signin='); // the one-time token leaves the address bar
    // The first screen waited for one API call besides signing in.
    expect(requests.filter((p) => p.startsWith('/api/card/') && p !== '/api/card/sessions')).toEqual(['/api/card/me']);

    const qrToken = readQr(await shot(page, 'card-mobile-light'));
    expect(qrToken).toMatch(/^[A-Za-z0-9_-]+$/);
    const paid = await shop.api.purchases.create({ member: { qrToken: qrToken! }, amount: 1000_00, redeemPoints: 'max' });
    expect(paid).toMatchObject({ memberId: member.id, redeemedPoints: 300, payableAmount: 700_00 });

    h.t.clock.advance(181_000); // the token was good for 3 minutes
    const late = await shop.api.purchases.create({ member: { qrToken: qrToken! }, amount: 100_00 }).then(() => 'accepted', (e: { code: string }) => e.code);
    expect(late).toBe('invalid_qr_token');

    // History shows the movements with their reasons.
    await page.goto(`${h.url}/card/?b=${shop.id}#/history`);
    await page.getByText('Paid with points', { exact: false }).or(page.getByText('Списано', { exact: false })).first().waitFor({ timeout: 15_000 });
    await shot(page, 'history-mobile-light');
    await context.close();
  });

  it('signs in with a code sent to the member, in a browser without Telegram', async () => {
    const shop = await h.business({ welcomeBonus: 120 });
    const phone = nextPhone();
    const member = await shop.api.members.create({ phone });
    const context = await browser.newContext({ ...PHONE_VIEWPORT, locale: 'ru-RU', colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(`${h.url}/card/?b=${shop.id}`);
    await page.locator('input[type="tel"]').fill(phone);
    await shot(page, 'sign-in-mobile-dark');
    await page.locator('input[type="tel"]').press('Enter');
    await expect.poll(() => h.sentCodes.find((c) => c.memberId === member.id)?.code, { timeout: 10_000 }).toBeTruthy();
    const code = h.sentCodes.find((c) => c.memberId === member.id)!.code;
    await page.locator('input[autocomplete="one-time-code"]').fill(code);
    await page.locator('input[autocomplete="one-time-code"]').press('Enter');
    await cardShown(page);
    expect(await page.locator('[data-testid="balance"]').innerText()).toContain('120');
    expect(readQr(await shot(page, 'card-mobile-dark'))).toMatch(/^[A-Za-z0-9_-]+$/);

    // Profile → "delete my data" → confirm: the data is erased and the app says so.
    await page.locator('[data-testid="tab-profile"]').click();
    await page.locator('[data-testid="profile-form"]').waitFor();
    expect(await page.locator('[data-testid="phone"]').innerText()).toBe(phone);
    await shot(page, 'profile-mobile-dark');
    await page.locator('[data-testid="delete"]').click();
    await page.locator('[data-testid="delete-confirm"]').click();
    await page.getByText('удалены', { exact: false }).waitFor({ timeout: 15_000 });
    expect(await shop.api.members.get(member.id)).toMatchObject({ name: null, blocked: true });
    expect(await page.evaluate<number>('localStorage.length')).toBe(0); // nothing of the session is left behind
    await context.close();
  });
});

describe('the card app as a Telegram Mini App', () => {
  const themes = {
    light: { bg_color: '#ffffff', text_color: '#000000', hint_color: '#707579', link_color: '#3390ec', button_color: '#3390ec', button_text_color: '#ffffff', secondary_bg_color: '#f4f4f5' },
    dark: { bg_color: '#212121', text_color: '#ffffff', hint_color: '#aaaaaa', link_color: '#8774e1', button_color: '#8774e1', button_text_color: '#ffffff', secondary_bg_color: '#181818' },
  };

  for (const [name, theme] of Object.entries(themes)) {
    it(`opens at once on the card with Telegram's ${name} theme, signed in by initData`, async () => {
      const botToken = `76000000${name === 'light' ? '01' : '02'}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw`;
      tg.addBot({ token: botToken, username: `mini_${name}_bot` });
      const shop = await h.business({ welcomeBonus: 250, pointsName: 'бонусы' });
      const bot = await connectBot(h.t.deps, telegramGateway(tg.url), { businessId: shop.id, role: 'customer', token: botToken });
      const userId = name === 'light' ? 61_001 : 61_002;
      await joinFromTelegram(h.t.deps, { businessId: shop.id, telegramUserId: userId, contact: { phone: nextPhone(), userId }, profile: { firstName: 'Ника' } });
      const initData = signInitData(botToken, { user: JSON.stringify({ id: userId, first_name: 'Ника', language_code: 'ru' }), auth_date: String(Math.floor(h.t.clock.now().getTime() / 1000) - 5) });
      const hash = new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: '8.0', tgWebAppPlatform: 'android', tgWebAppThemeParams: JSON.stringify(theme) });
      const context = await browser.newContext({ ...PHONE_VIEWPORT, locale: 'ru-RU' });
      const page = await context.newPage();
      await page.goto(`${h.url}/card/?b=${shop.id}&bot=${bot.id}#${hash.toString()}`);
      await cardShown(page);
      expect(await page.locator('[data-testid="balance"]').innerText()).toContain('250');
      const bg = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
      expect(bg).toBe(name === 'light' ? 'rgb(255, 255, 255)' : 'rgb(33, 33, 33)');
      expect(readQr(await shot(page, `card-telegram-${name}`))).toMatch(/^[A-Za-z0-9_-]+$/);
      await context.close();
    });
  }

  it('refuses altered initData and says so instead of showing a blank screen', async () => {
    const botToken = '7600000003:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    tg.addBot({ token: botToken, username: 'mini_forged_bot' });
    const shop = await h.business();
    const bot = await connectBot(h.t.deps, telegramGateway(tg.url), { businessId: shop.id, role: 'customer', token: botToken });
    await joinFromTelegram(h.t.deps, { businessId: shop.id, telegramUserId: 61_003, contact: { phone: nextPhone(), userId: 61_003 }, profile: {} });
    const genuine = signInitData(botToken, { user: JSON.stringify({ id: 61_003, first_name: 'A' }), auth_date: String(Math.floor(h.t.clock.now().getTime() / 1000)) });
    const forged = genuine.replace('61003', '61004');
    const context = await browser.newContext(PHONE_VIEWPORT);
    const page = await context.newPage();
    await page.goto(`${h.url}/card/?b=${shop.id}&bot=${bot.id}#${new URLSearchParams({ tgWebAppData: forged, tgWebAppVersion: '8.0' }).toString()}`);
    await page.locator('[role="alert"]').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="qr"]').count()).toBe(0);
    await context.close();
  });
});
