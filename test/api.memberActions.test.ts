// The admin panel's member page over real HTTP with the panel's cookie session: the profile (consents, channels),
// the history's "who did it" by name, "resend sign-in link" (a messages row by the engine, the link works once,
// masked for staff, limited per member, audited) and a one-off message (the chat reply) — each action refused with
// 403 to roles without its permission and to API keys. Every answer is checked against the OpenAPI document.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordConsent } from '../src/app/consents.js';
import { deliverMessage, type ChannelDirectory } from '../src/app/deliverMessage.js';
import { LINKS_PER_HOUR, RESENT_LINK_MINUTES } from '../src/app/resendSignInLink.js';
import type { OutgoingMessage } from '../src/core/index.js';
import { useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';
import { panelCall, panelSession, type Json, type PanelSession } from './support/panel.js';
import { aStaff } from './support/staff.js';

const h = useApi();

type Session = PanelSession;
const session = (businessId: string, email: string) => panelSession(h, businessId, email);
/** A call as a signed-in staff member (Session) or with an API key (string); every write with a new key. */
const call = (who: Session | string, method: string, path: string, body?: unknown) =>
  panelCall(h, who, method, path, body, method !== 'GET' ? { idempotencyKey: randomUUID() } : {});

async function shopWith(...roles: ('owner' | 'admin' | 'manager' | 'cashier')[]) {
  const biz = await h.business({ welcomeBonus: 50 });
  const staff: Record<string, { id: string; name: string; s: Session }> = {};
  for (const role of roles) {
    const name = `${role} ${randomUUID().slice(0, 4)}`;
    const st = await aStaff(h, biz.id, role, name);
    staff[role] = { id: st.id, name, s: await session(biz.id, st.email) };
  }
  return { ...biz, staff };
}

const messagesOf = (businessId: string, memberId: string) =>
  h.t.db.selectFrom('messages').selectAll().where('business_id', '=', businessId).where('member_id', '=', memberId).orderBy('created_at').execute();

describe('the member page', () => {
  it('profile: consents with their time, each channel with its address, whether it failed and whether it reaches', async () => {
    const shop = await shopWith('manager', 'cashier');
    const m = await shop.api.members.create({ phone: nextPhone(), name: 'Вера', email: 'vera@x.test', birthday: '1990-05-01' });
    await recordConsent(h.t.deps, { businessId: shop.id, memberId: m.id, kind: 'marketing', granted: true, textVersion: 'v1', channel: 'telegram' });
    await h.t.db.updateTable('members').set({ telegram_user_id: 777001, telegram_username: 'vera_tg', dead_channels: ['sms'], language: 'en' }).where('id', '=', m.id).execute();

    const r = await call(shop.staff.manager!.s, 'GET', `/members/${m.id}/profile`);
    expect(r.status).toBe(200);
    expect(r.body.language).toBe('en');
    expect(r.body.consents.marketing).toMatchObject({ granted: true, channel: 'telegram' });
    expect(r.body.consents.personalData).toBeNull();
    // The shop has no bot and no VK / SMS / e-mail settings: nothing is set up, so nothing reaches yet.
    expect(r.body.channels).toEqual([
      { channel: 'telegram', address: '@vera_tg', configured: false, failed: false, reachable: false },
      { channel: 'vk', address: null, configured: false, failed: false, reachable: false },
      { channel: 'sms', address: m.phone, configured: false, failed: true, reachable: false },
      { channel: 'email', address: 'vera@x.test', configured: false, failed: false, reachable: false },
    ]);
    // Withdrawn later: the latest answer wins.
    await recordConsent(h.t.deps, { businessId: shop.id, memberId: m.id, kind: 'marketing', granted: false, textVersion: 'v1', channel: 'web' });
    expect((await call(shop.staff.manager!.s, 'GET', `/members/${m.id}/profile`)).body.consents.marketing).toMatchObject({ granted: false, channel: 'web' });

    // A cashier may not read it (member.history); an unknown member is 404; an API key reads it.
    expect((await call(shop.staff.cashier!.s, 'GET', `/members/${m.id}/profile`)).status).toBe(403);
    expect((await call(shop.staff.manager!.s, 'GET', `/members/${randomUUID()}/profile`)).body.code).toBe('member_not_found');
    expect((await call(shop.apiKey, 'GET', `/members/${m.id}/profile`)).status).toBe(200);
    // Another business's staff do not see this member.
    const other = await shopWith('owner');
    expect((await call(other.staff.owner!.s, 'GET', `/members/${m.id}/profile`)).status).toBe(404);
  });

  it('history says who did each row: the staff member, the API key (by name), the system', async () => {
    const shop = await shopWith('manager');
    const m = await shop.api.members.create({ phone: nextPhone() });
    expect((await call(shop.staff.manager!.s, 'POST', `/members/${m.id}/adjustments`, { points: 30, reason: 'извинение за ожидание' })).status).toBe(201);
    await shop.api.members.adjust(m.id, { points: -5, reason: 'ошибка кассира' });
    const keyName = (await h.t.db.selectFrom('api_keys').select('name').where('business_id', '=', shop.id).executeTakeFirstOrThrow()).name;

    const r = await call(shop.staff.manager!.s, 'GET', `/members/${m.id}/transactions`);
    expect(r.status).toBe(200);
    expect(r.body.items.map((x: Json) => [x.type, x.points, x.reason, x.who])).toEqual([
      ['adjust', -5, 'ошибка кассира', { type: 'api_key', id: expect.any(String), name: keyName }],
      ['adjust', 30, 'извинение за ожидание', { type: 'staff', id: shop.staff.manager!.id, name: shop.staff.manager!.name }],
      ['welcome', 50, expect.anything(), { type: expect.stringMatching(/^(system|api_key)$/), id: expect.anything(), name: expect.anything() }],
    ]);
    // The ledger's own record of the actors, read straight from the database.
    const rows = await h.t.db.selectFrom('ledger_transactions').select(['actor_type', 'actor_id', 'points']).where('member_id', '=', m.id).orderBy('created_at', 'desc').execute();
    expect(rows.slice(0, 2).map((x) => [x.actor_type, x.actor_id])).toEqual([['api_key', r.body.items[0].who.id], ['staff', shop.staff.manager!.id]]);
  });

  it('resend sign-in link: a service message by the engine, the link signs in once, masked for staff, limited, audited', async () => {
    const shop = await shopWith('owner', 'manager', 'cashier');
    const m = await shop.api.members.create({ phone: nextPhone(), name: 'Олег', email: 'oleg@x.test' });
    const manager = shop.staff.manager!;

    const r = await call(manager.s, 'POST', `/members/${m.id}/sign-in-link`);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ memberId: m.id, messageId: expect.any(String) });
    expect(Date.parse(r.body.expiresAt) - h.t.clock.now().getTime()).toBe(RESENT_LINK_MINUTES * 60_000);
    const [row] = (await messagesOf(shop.id, m.id)).filter((x) => x.kind === 'sign_in_link');
    expect(row).toMatchObject({ id: r.body.messageId, purpose: 'service', status: 'scheduled', text: null });
    const token = (row!.vars as Record<string, string>).token!;
    expect(token).toMatch(/^ksl_/);

    // Audited in the manager's name.
    const audit = (await call(shop.staff.owner!.s, 'GET', `/audit?memberId=${m.id}&action=member.sign_in_link`)).body.items as Json[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ staffId: manager.id, staffRole: 'manager', details: { messageId: r.body.messageId } });

    // Delivered by the engine's worker: the text carries the card's link with the token.
    await h.t.db.updateTable('messages').set({ status: 'queued' }).where('id', '=', r.body.messageId).execute();
    const sent: OutgoingMessage[] = [];
    const channels: ChannelDirectory = {
      forBusiness: async () => ({ configured: ['email'], sender: () => ({ channel: 'email', send: async (msg) => (sent.push(msg), { status: 'sent', providerMessageId: null }) }) }),
    };
    const result = await deliverMessage(h.t.deps, { channels, cardUrl: (b) => `https://shop.test/card/?b=${b}` }, { businessId: shop.id, messageId: r.body.messageId, finalAttempt: false });
    expect(result).toEqual({ status: 'sent', channel: 'email' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.address).toBe('oleg@x.test');
    expect(sent[0]!.text).toContain(`https://shop.test/card/?b=${shop.id}#signin=${token}`);

    // Staff see that it went, never the link.
    const listed = (await call(manager.s, 'GET', `/members/${m.id}/messages`)).body.items as Json[];
    const shown = listed.find((x) => x.id === r.body.messageId)!;
    expect(shown).toMatchObject({ kind: 'sign_in_link', status: 'sent', channel: 'email' });
    expect(shown.text).toContain('#signin=…');
    expect(shown.text).not.toContain(token);

    // The link signs the member in to the card, once.
    const signIn = () => fetch(`${h.url}/api/card/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signInToken: token }) });
    expect((await signIn()).status).toBe(201);
    expect((await signIn()).status).not.toBe(201);

    // Limited per member: again at once is 429; a minute later it goes; at most LINKS_PER_HOUR in an hour.
    const again = await call(manager.s, 'POST', `/members/${m.id}/sign-in-link`);
    expect([again.status, again.body.code]).toEqual([429, 'too_many_codes']);
    for (let i = 1; i < LINKS_PER_HOUR; i++) {
      h.t.clock.advance(61_000);
      expect((await call(manager.s, 'POST', `/members/${m.id}/sign-in-link`)).status).toBe(201);
    }
    h.t.clock.advance(61_000);
    expect((await call(manager.s, 'POST', `/members/${m.id}/sign-in-link`)).status).toBe(429);
    expect((await messagesOf(shop.id, m.id)).filter((x) => x.kind === 'sign_in_link')).toHaveLength(LINKS_PER_HOUR);
    // Another member is not held by this one's limit.
    const other = await shop.api.members.create({ phone: nextPhone() });
    expect((await call(manager.s, 'POST', `/members/${other.id}/sign-in-link`)).status).toBe(201);
  });

  it('resend sign-in link and a message are refused (403) to a cashier and an API key, and to a blocked member', async () => {
    const shop = await shopWith('manager', 'cashier');
    const m = await shop.api.members.create({ phone: nextPhone() });
    const before = (await messagesOf(shop.id, m.id)).length;

    const cashierLink = await call(shop.staff.cashier!.s, 'POST', `/members/${m.id}/sign-in-link`);
    expect([cashierLink.status, cashierLink.body.code]).toEqual([403, 'forbidden']);
    const cashierMessage = await call(shop.staff.cashier!.s, 'POST', `/chats/${m.id}`, { text: 'Привет' });
    expect([cashierMessage.status, cashierMessage.body.code]).toEqual([403, 'forbidden']);
    expect((await call(shop.apiKey, 'POST', `/members/${m.id}/sign-in-link`)).status).toBe(403);
    expect(await messagesOf(shop.id, m.id)).toHaveLength(before); // nothing was sent

    // The manager may: the message is a `messages` row for this member (a chat reply, sent by the engine).
    const msg = await call(shop.staff.manager!.s, 'POST', `/chats/${m.id}`, { text: 'Ваш заказ готов' });
    expect(msg.status).toBe(201);
    const rows = await messagesOf(shop.id, m.id);
    expect(rows.filter((x) => x.kind === 'chat').map((x) => [x.text, x.purpose, x.status])).toEqual([['Ваш заказ готов', 'service', 'scheduled']]);

    // A blocked member gets no sign-in link; an unknown one is 404; a bad id too.
    await shop.api.members.update(m.id, { blocked: true });
    const blocked = await call(shop.staff.manager!.s, 'POST', `/members/${m.id}/sign-in-link`);
    expect([blocked.status, blocked.body.code]).toEqual([422, 'member_blocked']);
    expect((await call(shop.staff.manager!.s, 'POST', `/members/${randomUUID()}/sign-in-link`)).status).toBe(404);
    expect((await call(shop.staff.manager!.s, 'POST', '/members/not-an-id/sign-in-link')).status).toBe(404);
  });
});
