// The card app's API: password-less sign-in (a one-time link, or Telegram initData checked with the business's
// bot token), the card's first screen in one call, and its QR token paying at the till through the purchase API.
import { describe, expect, it } from 'vitest';
import { connectBot } from '../src/app/bots.js';
import { issueSignInToken } from '../src/app/cardSessions.js';
import { joinFromTelegram } from '../src/app/joinFromTelegram.js';
import { signInInitData } from './support/initData.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import { useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';
import { useTelegramApi } from './support/useTelegramApi.js';

const h = useApi();
const tg = useTelegramApi();

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const me = (session: string) => fetch(`${h.url}/api/card/me`, { headers: { authorization: `Bearer ${session}` } });

describe('sign-in by a one-time link', () => {
  it('gives a session once; the card shows points, tier progress and a QR token the till can pay with', async () => {
    const shop = await h.business({ welcomeBonus: 200, tiers: [{ id: 'silver', name: 'Silver', minTotalSpent: 5000_00, earnRateBp: 700, maxRedeemBp: 4000 }] });
    const phone = nextPhone();
    const member = await shop.api.members.create({ phone });
    const { token } = await issueSignInToken(h.t.deps, { businessId: shop.id, phone });
    const signed = await post('/api/card/sessions', { signInToken: token });
    expect(signed.status).toBe(201);
    const { sessionToken } = (await signed.json()) as { sessionToken: string };
    expect((await post('/api/card/sessions', { signInToken: token })).status).toBe(401); // one use only
    const card = (await (await me(sessionToken)).json()) as { member: { id: string; balance: { available: number } }; nextTier: { name: string; missing: number }; program: { maxRedeemPercent: number }; qr: { token: string; expiresAt: string } };
    expect(card.member).toMatchObject({ id: member.id, balance: { available: 200 } });
    expect(card.nextTier).toEqual({ name: 'Silver', missing: 5000_00 });
    expect(card.program.maxRedeemPercent).toBe(30);
    expect(card.qr.token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(new Date(card.qr.expiresAt).getTime() - h.t.clock.now().getTime()).toBe(180_000);
    const paid = await shop.api.purchases.create({ member: { qrToken: card.qr.token }, amount: 1000_00, redeemPoints: 'max' });
    expect(paid).toMatchObject({ memberId: member.id, redeemedPoints: 200 });
    const history = (await (await fetch(`${h.url}/api/card/transactions`, { headers: { authorization: `Bearer ${sessionToken}` } })).json()) as { items: { type: string }[] };
    expect(history.items.map((x) => x.type)).toEqual(['earn', 'redeem', 'welcome']); // within one instant, by id
    h.t.clock.advance(181_000);
    expect(await shop.api.purchases.quote({ member: { qrToken: card.qr.token }, amount: 100_00 }).then(() => 'ok', (e: { code: string }) => e.code)).toBe('invalid_qr_token');
  });

  it('refuses expired, forged or missing tokens and sessions', async () => {
    const shop = await h.business();
    const phone = nextPhone();
    await shop.api.members.create({ phone });
    const { token } = await issueSignInToken(h.t.deps, { businessId: shop.id, phone });
    h.t.clock.advance(16 * 60_000);
    expect((await post('/api/card/sessions', { signInToken: token })).status).toBe(401);
    expect((await post('/api/card/sessions', { signInToken: 'ksl_forged' })).status).toBe(401);
    expect((await post('/api/card/sessions', { nope: 1 })).status).toBe(400);
    expect((await me('kcs_nothing')).status).toBe(401);
    expect((await fetch(`${h.url}/api/card/me`)).status).toBe(401);
    expect(await issueSignInToken(h.t.deps, { businessId: shop.id, phone: nextPhone() }).then(() => 'ok', (e: { code: string }) => e.code)).toBe('member_not_found');
  });
});

describe('sign-in from Telegram', () => {
  it('accepts initData signed with the business bot\'s token for a joined member, and refuses another bot\'s', async () => {
    const token = '7300000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    tg.addBot({ token, username: 'card_bot' });
    const shop = await h.business();
    const bot = await connectBot(h.t.deps, telegramGateway(tg.url), { businessId: shop.id, role: 'customer', token });
    const joined = await joinFromTelegram(h.t.deps, { businessId: shop.id, telegramUserId: 41_001, contact: { phone: nextPhone(), userId: 41_001 }, profile: { firstName: 'Лена' } });
    const initData = signInInitData(token, 41_001, h.t.clock.now());
    const ok = await post('/api/card/sessions', { botId: bot.id, initData });
    expect(ok.status).toBe(201);
    const card = (await (await me(((await ok.json()) as { sessionToken: string }).sessionToken)).json()) as { member: { id: string } };
    expect(card.member.id).toBe(joined.member.id);
    expect((await post('/api/card/sessions', { botId: bot.id, initData: signInInitData('7300000002:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsbw', 41_001, h.t.clock.now()) })).status).toBe(401);
    expect((await post('/api/card/sessions', { botId: bot.id, initData: signInInitData(token, 41_999, h.t.clock.now()) })).status).toBe(404);
  });
});
