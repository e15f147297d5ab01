// Brand colours that do not read (a very light accent #ffe066, a pale card with white text) in a real browser: the
// card app still shows links, buttons, the active tab and the card's text at ≥ 4.5:1 — measured from
// getComputedStyle against the background actually behind each element — in the light and dark page themes and
// inside Telegram with its own theme, and axe finds no serious or critical problem. Screenshots in test-results.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectBot } from '../../src/app/bots.js';
import { issueSignInToken } from '../../src/app/cardSessions.js';
import { joinFromTelegram } from '../../src/app/joinFromTelegram.js';
import { signInitData } from '../../src/app/telegramInitData.js';
import { telegramGateway } from '../../src/bots/telegramGateway.js';
import { contrastRatio, cssColorToHex } from '../../web/shared/color.js';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';
import { nextPhone } from '../support/factories.js';
import { useTelegramApi } from '../support/useTelegramApi.js';

const h = useApi({ cardApp: true });
const tg = useTelegramApi();
const AXE = readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
const PHONE_VIEWPORT = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const BRANDING = { logoUrl: null, accentColor: '#ffe066', cardColor: '#fff3b0', cardTextColor: '#ffffff' };
const chrome = useChromium();

interface Sample {
  what: string;
  color: string;
  background: string;
}

/** Each element's text colour and the first opaque background behind it (its own or an ancestor's). */
async function samples(page: Page, selectors: Record<string, string>): Promise<Sample[]> {
  return (await page.evaluate(`(() => {
    const out = [];
    const opaque = (c) => c !== 'transparent' && !/^rgba\\(.*,\\s*0\\)$/.test(c);
    for (const [what, selector] of Object.entries(${JSON.stringify(selectors)})) {
      document.querySelectorAll(selector).forEach((el, i) => {
        if (!el.getClientRects().length) return;
        let bg = 'rgb(255, 255, 255)';
        for (let x = el; x; x = x.parentElement) {
          const c = getComputedStyle(x).backgroundColor;
          if (opaque(c)) { bg = c; break; }
        }
        out.push({ what: what + '[' + i + ']', color: getComputedStyle(el).color, background: bg });
      });
    }
    return out;
  })()`)) as Sample[];
}

/** Every sample below 4.5:1, as "what: colour on background = ratio". */
function unreadable(list: Sample[]): string[] {
  return list
    .map((s) => ({ ...s, ratio: contrastRatio(cssColorToHex(s.color) ?? '#fff', cssColorToHex(s.background) ?? '#fff') }))
    .filter((s) => s.ratio < 4.5)
    .map((s) => `${s.what}: ${s.color} on ${s.background} = ${s.ratio.toFixed(2)}`);
}

async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate('Boolean(window.axe)'))) await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) }));
  })()`)) as { id: string; impact: string | null; nodes: string[] }[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`);
}

const CARD = { card: '.card .brand-name, .card .card-number, .card .balance-value, .card .balance-caption, .card .qr-hint, .card .badge', activeTab: '.tab[aria-current="page"]', button: '.btn:not(.btn-secondary)', link: 'a:not(.tab):not(.btn), .link' };

async function check(page: Page, name: string): Promise<{ card: Sample[]; info: Sample[] }> {
  await page.locator('[data-testid="qr"]').waitFor({ state: 'visible', timeout: 15_000 });
  const card = await samples(page, CARD);
  writeFileSync(path.join(SCREENSHOTS, `card-branding-${name}.png`), await page.screenshot());
  expect(unreadable(card), name).toEqual([]);
  expect(await axe(page), `${name}: axe on the card`).toEqual([]);
  await page.locator('[data-testid="tab-info"]').click();
  await page.locator('[data-testid="info-contacts"]').waitFor({ timeout: 15_000 });
  const info = await samples(page, CARD);
  writeFileSync(path.join(SCREENSHOTS, `card-branding-${name}-info.png`), await page.screenshot({ fullPage: true }));
  expect(unreadable(info), `${name} info`).toEqual([]);
  expect(await axe(page), `${name}: axe on the info page`).toEqual([]);
  await page.locator('[data-testid="tab-profile"]').click();
  await page.locator('[data-testid="profile-form"]').waitFor({ timeout: 15_000 });
  const profile = await samples(page, CARD);
  expect(unreadable(profile), `${name} profile`).toEqual([]);
  return { card, info: [...info, ...profile] };
}

async function brandedShop() {
  const shop = await h.business({ welcomeBonus: 150, branding: BRANDING });
  await shop.api.business.update({ address: 'ул. Ленина, 1', mapUrl: 'https://yandex.ru/maps/-/CCU', phone: '+74951234567', socialLinks: [{ kind: 'vk', url: 'https://vk.com/zerno' }], infoHtml: '<p>Кофе <a href="https://zerno.test">на сайте</a></p>' });
  return shop;
}

describe('the card app with a very light brand accent', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`keeps links, buttons, the active tab and the card's text readable (${scheme} page)`, async () => {
      const shop = await brandedShop();
      const phone = nextPhone();
      await shop.api.members.create({ phone, name: 'Марина' });
      const { token } = await issueSignInToken(h.t.deps, { businessId: shop.id, phone });
      const context = await chrome.browser.newContext({ ...PHONE_VIEWPORT, locale: 'ru-RU', colorScheme: scheme, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${h.url}/card/?b=${shop.id}#signin=${token}`);
      const { card, info } = await check(page, scheme);
      // Every kind of text was there to be measured, and the brand's colours still show where they read.
      expect(card.some((s) => s.what.startsWith('activeTab'))).toBe(true);
      expect(info.some((s) => s.what.startsWith('link'))).toBe(true);
      expect(info.some((s) => s.what.startsWith('button'))).toBe(true);
      expect(await page.evaluate(`getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()`)).toBe('#ffe066');
      if (scheme === 'dark') {
        // On the dark page the light accent reads as it is: a link keeps a warm yellow hue.
        const link = cssColorToHex(info.find((s) => s.what.startsWith('link'))!.color)!;
        expect(parseInt(link.slice(1, 3), 16)).toBeGreaterThan(parseInt(link.slice(5, 7), 16));
      }
      await context.close();
    });
  }

  it('inside Telegram, a theme whose link and button colours do not read is made readable too', async () => {
    const botToken = '7600000091:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    tg.addBot({ token: botToken, username: 'branding_bot' });
    const shop = await brandedShop();
    const bot = await connectBot(h.t.deps, telegramGateway(tg.url), { businessId: shop.id, role: 'customer', token: botToken });
    const userId = 61_091;
    await joinFromTelegram(h.t.deps, { businessId: shop.id, telegramUserId: userId, contact: { phone: nextPhone(), userId }, profile: { firstName: 'Ника' } });
    const initData = signInitData(botToken, { user: JSON.stringify({ id: userId, first_name: 'Ника', language_code: 'ru' }), auth_date: String(Math.floor(h.t.clock.now().getTime() / 1000) - 5) });
    const theme = { bg_color: '#ffffff', text_color: '#000000', hint_color: '#5e6166', link_color: '#8fd3ff', button_color: '#ffe066', button_text_color: '#ffffff', secondary_bg_color: '#f4f4f5' };
    const hash = new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: '8.0', tgWebAppPlatform: 'android', tgWebAppThemeParams: JSON.stringify(theme) });
    const context = await chrome.browser.newContext({ ...PHONE_VIEWPORT, locale: 'ru-RU', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${h.url}/card/?b=${shop.id}&bot=${bot.id}#${hash.toString()}`);
    const { card } = await check(page, 'telegram');
    expect(card.some((s) => s.what.startsWith('activeTab'))).toBe(true);
    // Telegram switches to a dark theme whose link colour is dark too: re-read and made readable at once.
    const dark = { bg_color: '#212121', text_color: '#ffffff', hint_color: '#aaaaaa', link_color: '#2a2a66', button_color: '#ffe066', button_text_color: '#ffffff', secondary_bg_color: '#181818', section_bg_color: '#181818' };
    await page.evaluate(`window.Telegram.WebView.receiveEvent('theme_changed', { theme_params: ${JSON.stringify(dark)} })`);
    await expect.poll(() => page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(33, 33, 33)');
    const after = await samples(page, CARD);
    expect(after.some((s) => s.what.startsWith('activeTab') && s.background === 'rgb(24, 24, 24)')).toBe(true);
    expect(unreadable(after), 'after theme_changed').toEqual([]);
    expect(await axe(page), 'axe after theme_changed').toEqual([]);
    writeFileSync(path.join(SCREENSHOTS, 'card-branding-telegram-dark-profile.png'), await page.screenshot());
    await context.close();
  });
});
