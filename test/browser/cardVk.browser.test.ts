// The card app's profile in a real browser (headless Chromium) for a business with a VK community: a "Connect VK"
// link to the community's dialog carrying a one-time ref, and once the member's VK account is linked, a note that
// VK is connected instead. Screenshots go to test-results/screenshots.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueSignInToken } from '../../src/app/cardSessions.js';
import { setNotificationChannel } from '../../src/app/notificationChannels.js';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';
import { nextPhone } from '../support/factories.js';

const SHOTS = SCREENSHOTS;
const h = useApi({ cardApp: true });
const chrome = useChromium();

describe('connecting VK from the card app', () => {
  it('the profile links to the community with a one-time ref, and says VK is connected once it is', async () => {
    const shop = await h.business();
    await setNotificationChannel(h.t.deps, { businessId: shop.id, channel: 'vk', change: { groupId: 228_001, token: 'vk1.a.browser-test-token' } });
    const phone = nextPhone();
    const member = await shop.api.members.create({ phone, name: 'Лиза' });
    const context = await chrome.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${h.url}/card/?b=${shop.id}#signin=${(await issueSignInToken(h.t.deps, { businessId: shop.id, phone })).token}`);
    await page.locator('[data-testid="qr"]').waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('[data-testid="tab-profile"]').click();
    const link = page.locator('[data-testid="vk-connect"]');
    await link.waitFor();
    expect(await link.innerText()).toBe('Подключить VK');
    expect(await link.getAttribute('href')).toMatch(/^https:\/\/vk\.me\/club228001\?ref=kvk_[A-Za-z0-9_-]{32}$/);
    expect(await link.getAttribute('rel')).toBe('noopener');
    await link.scrollIntoViewIfNeeded();
    writeFileSync(path.join(SHOTS, 'profile-vk-connect.png'), await page.screenshot());

    await shop.api.members.update(member.id, { vkUserId: 31_337 });
    await page.reload();
    await page.locator('[data-testid="tab-profile"]').click();
    const connected = page.locator('[data-testid="vk-connected"]');
    await connected.waitFor();
    expect(await connected.innerText()).toContain('VK подключён');
    expect(await page.locator('[data-testid="vk-connect"]').count()).toBe(0);
    await context.close();
  });
});
