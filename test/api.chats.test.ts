// The members' chat over /api/v1 (the admin panel's inbox, issue 7), through the typed client with the panel's
// cookie session: unread counts, the unread filter, a thread marked read when opened, a reply stored once per
// idempotency key, bad input refused with nothing changed, a cashier, an API key and another business refused.
// Every answer is checked against the OpenAPI document by the harness.
import { describe, expect, it } from 'vitest';
import { receiveMemberMessage } from '../src/app/chat.js';
import { createClient, type KopilkaClient } from '../src/client/index.js';
import { useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';
import { STAFF_PASSWORD, aStaff } from './support/staff.js';

const h = useApi();

/** The typed client as the panel uses it: the staff member's cookies and the CSRF header. */
async function panelClient(businessId: string, email: string): Promise<KopilkaClient> {
  const res = await fetch(`${h.url}/api/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ businessId, email, password: STAFF_PASSWORD }) });
  expect(res.status).toBe(204);
  const jar: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const i = pair.indexOf('=');
    jar[pair.slice(0, i)] = pair.slice(i + 1);
  }
  const cookie = `kopilka_session=${jar.kopilka_session}; kopilka_csrf=${jar.kopilka_csrf}`;
  return createClient({
    baseUrl: h.url,
    session: true,
    retries: 0,
    csrfToken: () => jar.kopilka_csrf ?? null,
    fetch: (url, init = {}) => h.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), cookie, origin: h.url } }),
  });
}

const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { status: number; code: string });

describe('the members\' chat on /api/v1', () => {
  it('lists conversations with unread counts, opens one (read), replies once per key; bad input changes nothing', async () => {
    const shop = await h.business();
    const anna = await shop.api.members.create({ phone: nextPhone(), name: 'Анна' });
    const boris = await shop.api.members.create({ phone: nextPhone(), name: 'Борис' });
    await receiveMemberMessage(h.t.deps, { businessId: shop.id, memberId: boris.id, text: 'Привет', channel: 'telegram' });
    h.t.clock.advance(1000);
    await receiveMemberMessage(h.t.deps, { businessId: shop.id, memberId: anna.id, text: 'Где мои баллы?', channel: 'telegram' });
    h.t.clock.advance(1000);
    await receiveMemberMessage(h.t.deps, { businessId: shop.id, memberId: anna.id, text: 'Жду ответа', channel: 'vk' });
    const manager = await aStaff(h, shop.id, 'manager', 'Мария');
    const api = await panelClient(shop.id, manager.email);

    const list = await api.chats.list();
    expect(list.items.map((c) => [c.member.name, c.unread, c.last.text])).toEqual([['Анна', 2, 'Жду ответа'], ['Борис', 1, 'Привет']]);
    expect(list.nextBefore).toBeNull();
    const paged = await api.chats.list({ limit: 1 });
    expect(paged.items.map((c) => c.member.name)).toEqual(['Анна']);
    expect((await api.chats.list({ limit: 1, before: paged.nextBefore! })).items.map((c) => c.member.name)).toEqual(['Борис']);

    const thread = await api.chats.thread(anna.id);
    expect(thread.member).toMatchObject({ id: anna.id, name: 'Анна', blocked: false });
    expect(thread.items.map((m) => [m.direction, m.text, m.readAt])).toEqual([['in', 'Жду ответа', null], ['in', 'Где мои баллы?', null]]);
    expect((await api.chats.list({ unreadOnly: true })).items.map((c) => c.member.name)).toEqual(['Борис']);

    const reply = await api.chats.reply(anna.id, '  Уже начислили!  ', { idempotencyKey: 'reply-1' });
    expect(reply).toMatchObject({ direction: 'out', text: 'Уже начислили!', staff: { id: manager.id, name: 'Мария' } });
    const again = await api.chats.reply(anna.id, '  Уже начислили!  ', { idempotencyKey: 'reply-1' });
    expect(again.id).toBe(reply.id);
    const after = await api.chats.thread(anna.id);
    expect(after.items.filter((m) => m.direction === 'out')).toHaveLength(1);
    expect(after.items.every((m) => m.direction === 'out' || m.readAt !== null)).toBe(true);
    // Delivered through the notifications engine (a chat message), and audited with the panel as its channel.
    const sent = await shop.api.admin.members.messages(anna.id);
    expect(sent.items.filter((m) => m.kind === 'chat').map((m) => m.text)).toEqual(['Уже начислили!']);
    const audit = await shop.api.admin.audit({ action: 'chat.reply' });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ memberId: anna.id });

    // Bad input: an empty answer, an unknown member, another business's member; nothing more stored.
    expect(await failure(api.chats.reply(anna.id, '   '))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.chats.reply(anna.id, 'x'.repeat(4001)))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.chats.thread('00000000-0000-4000-8000-000000000000'))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await failure(api.chats.thread('not-an-id'))).toMatchObject({ status: 404, code: 'member_not_found' });
    const other = await h.business();
    const stranger = await other.api.members.create({ phone: nextPhone(), name: 'Чужой' });
    await receiveMemberMessage(h.t.deps, { businessId: other.id, memberId: stranger.id, text: 'Секрет', channel: 'telegram' });
    expect(await failure(api.chats.thread(stranger.id))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await failure(api.chats.reply(stranger.id, 'Здравствуйте'))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect((await api.chats.list()).items.map((c) => c.member.name)).toEqual(['Анна', 'Борис']);
    expect((await api.chats.thread(anna.id)).items.filter((m) => m.direction === 'out')).toHaveLength(1);
  });

  it('a cashier and an API key may not read or answer members', async () => {
    const shop = await h.business();
    const member = await shop.api.members.create({ phone: nextPhone(), name: 'Вера' });
    await receiveMemberMessage(h.t.deps, { businessId: shop.id, memberId: member.id, text: 'Жалоба', channel: 'telegram' });
    const cashier = await aStaff(h, shop.id, 'cashier');
    const till = await panelClient(shop.id, cashier.email);
    expect(await failure(till.chats.list())).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await failure(till.chats.thread(member.id))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await failure(till.chats.reply(member.id, 'Ответ'))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await failure(shop.api.chats.list())).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await failure(shop.api.chats.reply(member.id, 'Ответ'))).toMatchObject({ status: 403, code: 'forbidden' });
    // Still unread: nobody saw it.
    const owner = await aStaff(h, shop.id, 'owner');
    expect((await (await panelClient(shop.id, owner.email)).chats.list()).items[0]?.unread).toBe(1);
  });
});
