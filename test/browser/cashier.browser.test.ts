// The cashier screen in headless Chromium: accept an invitation, find the customer by a photo of their card's QR
// (the camera replaced by the file input), accrue for a purchase with a double tap that accrues once, see the
// receipt and the balance; then pay with points by the code sent to the customer. Screenshots for review.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { issueQrToken } from '../../src/app/qrTokens.js';
import { inviteStaff } from '../../src/app/staff.js';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';
import { nextPhone } from '../support/factories.js';
import { writeQrPng } from '../support/qrPng.js';

const SHOTS = SCREENSHOTS;
const h = useApi({ cardApp: true });
const chrome = useChromium();

async function shot(page: Page, name: string): Promise<void> {
  writeFileSync(path.join(SHOTS, `${name}.png`), await page.screenshot());
}

describe('the cashier screen', () => {
  it('invitation → scan → amount → earn (a double tap once) → receipt → pay with points by the customer\'s code', async () => {
    const shop = await h.business({ welcomeBonus: 500 });
    const phone = nextPhone();
    const member = await shop.api.members.create({ phone, name: 'Ирина' });
    const { token } = await inviteStaff(h.t.deps, { cli: true }, { businessId: shop.id, role: 'cashier', name: 'Касса 1' });
    const context = await chrome.browser.newContext({ viewport: { width: 800, height: 1000 }, locale: 'ru-RU' });
    const page = await context.newPage();
    const earnCalls: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/staff/earn') earnCalls.push(r.headers()['idempotency-key'] ?? '');
    });

    await page.goto(`${h.url}/cashier/?b=${shop.id}#invite=${token}`);
    await page.locator('input[autocomplete="name"], input[name="name"]').first().fill('Касса 1');
    await page.locator('input[type="email"]').fill(`till-${shop.id.slice(-6)}@shop.test`);
    await page.locator('input[type="password"]').fill('a long enough password');
    await shot(page, 'cashier-invite');
    await page.locator('input[type="password"]').press('Enter');

    const qrFile = path.join(SHOTS, 'customer-qr.png');
    writeQrPng((await issueQrToken(h.t.deps, { businessId: shop.id, memberId: member.id })).token, qrFile);
    await page.locator('[data-testid="qr-file"]').setInputFiles(qrFile);
    await page.getByText('Ирина').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="amount"]').fill('1000');
    await page.getByText('50', { exact: false }).first().waitFor(); // will earn 50
    await shot(page, 'cashier-member');
    await page.locator('[data-testid="earn"]').dblclick();
    await page.locator('[data-testid="receipt"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="receipt-balance"]').innerText()).toContain('550');
    await shot(page, 'cashier-receipt');
    expect(new Set(earnCalls).size).toBe(1); // however many requests, one operation
    expect((await shop.api.members.get(member.id))).toMatchObject({ purchasesCount: 1, balance: { available: 550 } });

    // Next customer: typed card number (no QR) → pay with points needs the code the customer received.
    await page.getByRole('button', { name: /Следующий|Next/ }).click();
    await page.locator('input[inputmode], input[type="search"], input[type="text"]').first().fill(member.cardNumber);
    await page.locator('input[inputmode], input[type="search"], input[type="text"]').first().press('Enter');
    await page.getByText('Ирина').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="amount"]').fill('1000');
    await page.locator('[data-testid="redeem"]').click();
    await expect.poll(() => h.redeemCodes.filter((c) => c.memberId === member.id).length, { timeout: 10_000 }).toBe(1);
    await page.locator('[data-testid="confirmation-code"]').fill(h.redeemCodes.find((c) => c.memberId === member.id)!.code);
    await page.locator('[data-testid="confirmation-code"]').press('Enter');
    await page.locator('[data-testid="receipt"]').waitFor({ timeout: 15_000 });
    const after = await shop.api.members.get(member.id);
    expect(after.balance.available).toBe(550 - 300 + 35);
    expect(await page.locator('[data-testid="receipt-balance"]').innerText()).toContain(String(after.balance.available));
    await context.close();
  });
});
