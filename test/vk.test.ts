// Members and the business's VK community, with the API server and the notifications engine running against the VK
// API stand-in and the Bot API stand-in: VK's Callback API at /vk/callback/<secret> (confirmation, the secret key,
// a repeated event), connecting VK with the card's one-time vk.me link (used once, never late), a linked member's
// messages in the chat and told to staff in the staff bot, strangers told how to connect, VK allowed and forbidden,
// the member's vkUserId through the integration API (one member per VK account), and the engine writing to a linked
// member through the community.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBot } from '../src/app/bots.js';
import { issueSignInToken } from '../src/app/cardSessions.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import { nextPhone } from './support/factories.js';
import { startNotifyHarness, type NotifyHarness } from './support/notifyHarness.js';
import { aStaff } from './support/staff.js';
import { startVkApi, type VkApiStandIn } from './support/vkApi.js';

let h: NotifyHarness;
let vk: VkApiStandIn;
let seq = 0;
const quiet = { notifications: { welcomeMessage: false } } as never;

beforeAll(async () => {
  vk = await startVkApi();
  h = await startNotifyHarness({ notifications: { endpoints: { vkApiRoot: vk.url, timeoutMs: 5000 } } });
});
afterAll(async () => {
  await h?.close();
  await vk?.close();
});

type Json = Record<string, any>;

async function call(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await h.fetch(`${h.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

/** A business with its VK community set up for the Callback API, and a staff bot whose owner has Telegram. */
async function shop() {
  const n = ++seq;
  const groupId = 9_100 + n;
  const token = `vk1.a.community-token-${n}-${process.pid}`;
  vk.addGroup(groupId, token);
  const b = await h.business(quiet);
  const set = await call(b.apiKey, 'PATCH', '/notification-channels/vk', { groupId, token, confirmationCode: `c0nf1rm${n}`, secretKey: `Sekret${n}Key` });
  expect(set.status).toBe(200);
  expect(set.body.settings).toEqual({ groupId, token: '…' + token.slice(-4), confirmationCode: `c0nf1rm${n}`, secretKey: '…' });
  const callbackPath = set.body.callbackPath as string;
  expect(callbackPath).toMatch(/^\/vk\/callback\/[A-Za-z0-9_-]{32}$/);

  const staffToken = `75100000${n}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDvk${n}`;
  h.tg.addBot({ token: staffToken, username: `vk_staff${n}_bot` });
  await connectBot(h.t.deps, telegramGateway(h.tg.url), { businessId: b.id, role: 'staff', token: staffToken });
  const owner = await aStaff(h, b.id, 'owner', 'Владелица');
  const ownerTelegramId = 990_000 + n;
  await h.t.db.updateTable('staff').set({ telegram_user_id: ownerTelegramId }).where('id', '=', owner.id).execute();
  const ownerChat = h.tg.user(staffToken, { id: ownerTelegramId, first_name: 'Вера', language_code: 'ru' }, { started: true });

  const event = async (body: Json, path = callbackPath) => {
    const res = await fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ group_id: groupId, v: '5.199', secret: `Sekret${n}Key`, ...body }) });
    return { status: res.status, text: await res.text() };
  };
  let eventSeq = 0;
  let messageSeq = 0;
  /** A message_new as VK posts it (API 5.199). */
  const write = (fromId: number, text: string, extra: Json = {}, client: Json = { lang_id: 0 }) =>
    event({
      type: 'message_new',
      event_id: `ev${n}x${++eventSeq}`,
      object: { message: { date: 1_773_000_000, from_id: fromId, peer_id: fromId, id: ++messageSeq, out: 0, text, conversation_message_id: messageSeq, ...extra }, client_info: client },
    });
  const repliesTo = (userId: number) => vk.delivered.filter((d) => d.groupId === groupId && d.userId === userId).map((d) => d.text);
  return { ...b, groupId, token, callbackPath, event, write, repliesTo, owner, ownerChat, staffToken };
}

/** A card session for the member, as a sign-in link gives one. */
async function cardSession(businessId: string, phone: string): Promise<string> {
  const { token } = await issueSignInToken(h.t.deps, { businessId, phone });
  const res = await fetch(`${h.url}/api/card/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signInToken: token }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { sessionToken: string }).sessionToken;
}

async function cardMe(session: string): Promise<Json> {
  const res = await fetch(`${h.url}/api/card/me`, { headers: { authorization: `Bearer ${session}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

const refOf = (url: string) => new URL(url).searchParams.get('ref') as string;
const chatRows = async (businessId: string) =>
  (await sql<{ member_id: string; direction: string; text: string; channel: string }>`select member_id, direction, text, channel from chat_messages where business_id = ${businessId} order by at, id`.execute(h.t.db)).rows;
const deadChannels = async (memberId: string) => (await h.t.db.selectFrom('members').select('dead_channels').where('id', '=', memberId).executeTakeFirstOrThrow()).dead_channels;

describe('VK Callback API', () => {
  it('answers the confirmation with the saved string; a wrong address is not found, another community or a wrong secret key refused, and nothing is stored', async () => {
    const s = await shop();
    expect(await s.event({ type: 'confirmation', secret: undefined })).toEqual({ status: 200, text: `c0nf1rm${s.groupId - 9_100}` });
    const m = await s.api.members.create({ phone: nextPhone(), name: 'Ира' });
    expect((await call(s.apiKey, 'PATCH', `/members/${m.id}`, { vkUserId: 7_100 })).status).toBe(200);

    const wrongPath = await s.event({ type: 'message_new', object: { message: { from_id: 7_100, peer_id: 7_100, id: 1, text: 'Привет' } } }, '/vk/callback/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(wrongPath.status).toBe(404);
    expect(JSON.parse(wrongPath.text)).toMatchObject({ code: 'not_found' });
    expect((await s.event({ type: 'confirmation', group_id: 1 })).status).toBe(403);
    const badKey = await s.event({ type: 'message_new', secret: 'nope', object: { message: { from_id: 7_100, peer_id: 7_100, id: 2, text: 'Привет' } } });
    expect(badKey.status).toBe(403);
    expect(await s.event({ type: 'message_new', secret: undefined, object: { message: { from_id: 7_100, peer_id: 7_100, id: 3, text: 'Привет' } } })).toMatchObject({ status: 403 });
    expect(await chatRows(s.id)).toEqual([]);
    expect(s.repliesTo(7_100)).toEqual([]);
    // Events we do not use are acknowledged all the same (VK would send them again otherwise).
    expect(await s.event({ type: 'wall_post_new', event_id: 'w1', object: { id: 5 } })).toEqual({ status: 200, text: 'ok' });
  });

  it('a confirmation with no string saved is a clear error for the owner', async () => {
    const b = await h.business(quiet);
    const set = await call(b.apiKey, 'PATCH', '/notification-channels/vk', { groupId: 4_242, token: 'vk1.a.no-callback-token' });
    const res = await fetch(`${h.url}${set.body.callbackPath as string}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'confirmation', group_id: 4_242 }) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as Json).detail).toContain('confirmationCode');
    // Settings are checked: the strings VK shows are Latin letters and digits.
    const bad = await call(b.apiKey, 'PATCH', '/notification-channels/vk', { confirmationCode: 'не код', secretKey: 'a b' });
    expect(bad.status).toBe(422);
    expect(bad.body.problems).toEqual([expect.stringContaining('vk.confirmationCode'), expect.stringContaining('vk.secretKey')]);
  });
});

describe('connecting VK from the card', () => {
  it('the card\'s vk.me link connects the VK account that writes with it, once; the reply says so; the card then shows VK connected', async () => {
    const s = await shop();
    const phone = nextPhone();
    const m = await s.api.members.create({ phone, name: 'Оля' });
    const session = await cardSession(s.id, phone);
    const before = await cardMe(session);
    expect(before.vkConnected).toBe(false);
    expect(before.vkConnectUrl).toMatch(new RegExp(`^https://vk\\.me/club${s.groupId}\\?ref=kvk_[A-Za-z0-9_-]{32}$`));
    const ref = refOf(before.vkConnectUrl);
    // Only the hash is stored.
    expect(await h.t.db.selectFrom('sign_in_tokens').select('token_hash').where('member_id', '=', m.id).execute()).not.toContainEqual({ token_hash: ref });

    // Opening the link and pressing Start: VK sends the ref and the Start payload with the first message.
    expect(await s.write(7_201, 'Начать', { ref, ref_source: 'card', payload: '{"command":"start"}' })).toEqual({ status: 200, text: 'ok' });
    expect((await s.api.members.get(m.id)).vkUserId).toBe(7_201);
    expect(s.repliesTo(7_201)).toEqual([expect.stringMatching(/^VK подключён: «API test shop» будет присылать сюда/)]);
    expect(await chatRows(s.id)).toEqual([]);
    const after = await cardMe(session);
    expect(after).toMatchObject({ vkConnected: true, vkConnectUrl: null });

    // The same link again: another VK account is not connected by it; the one it connected hears it is connected already.
    await s.write(7_202, 'Начать', { ref, payload: '{"command":"start"}' });
    expect(s.repliesTo(7_202)).toEqual([expect.stringMatching(/^Эта ссылка уже использована или устарела/)]);
    expect((await s.api.members.get(m.id)).vkUserId).toBe(7_201);
    expect(await h.t.db.selectFrom('members').select('id').where('vk_user_id', '=', 7_202).execute()).toEqual([]);
    await s.write(7_201, 'Начать', { ref, payload: '{"command":"start"}' }, { lang_id: 3 });
    expect(s.repliesTo(7_201).at(-1)).toMatch(/^VK is already connected to your API test shop card/);
    // A member.updated event for the integrations.
    const events = await sql<{ payload: Json }>`select payload from outbox_events where business_id = ${s.id} and type = 'member.updated'`.execute(h.t.db);
    expect(events.rows.map((r) => r.payload)).toEqual([{ memberId: m.id, changed: ['vkUserId'], actor: { type: 'member', id: m.id } }]);
  });

  it('a link past its hour, or of another business, connects nothing', async () => {
    const s = await shop();
    const other = await shop();
    const phone = nextPhone();
    const m = await s.api.members.create({ phone });
    const session = await cardSession(s.id, phone);
    const late = refOf((await cardMe(session)).vkConnectUrl);
    h.t.clock.advance(61 * 60_000);
    const foreign = refOf((await cardMe(session)).vkConnectUrl);
    await s.write(7_301, 'Начать', { ref: late });
    expect(s.repliesTo(7_301)).toEqual([expect.stringMatching(/^Эта ссылка уже использована или устарела/)]);
    await other.write(7_302, 'Начать', { ref: foreign });
    expect(other.repliesTo(7_302)).toEqual([expect.stringMatching(/^Эта ссылка уже использована или устарела/)]);
    // A made-up token, and a card sign-in token, are no connect links either.
    await s.write(7_303, 'Начать', { ref: `kvk_${'A'.repeat(32)}` });
    const signIn = (await issueSignInToken(h.t.deps, { businessId: s.id, phone })).token;
    await s.write(7_304, 'Начать', { ref: signIn });
    expect(s.repliesTo(7_303)).toEqual([expect.stringMatching(/^Эта ссылка/)]);
    expect(s.repliesTo(7_304)).toEqual([expect.stringMatching(/^Чтобы получать здесь сообщения о баллах/)]);
    expect((await s.api.members.get(m.id)).vkUserId).toBeNull();
    // A fresh link still works.
    await s.write(7_305, 'Начать', { ref: refOf((await cardMe(session)).vkConnectUrl) });
    expect((await s.api.members.get(m.id)).vkUserId).toBe(7_305);
  });
});

describe('members writing to the community', () => {
  it('a linked member\'s message is stored in the chat (VK reachable again), acknowledged, and told to staff in the staff bot; a repeated event once', async () => {
    const s = await shop();
    const m = await s.api.members.create({ phone: nextPhone(), name: 'Анна' });
    await call(s.apiKey, 'PATCH', `/members/${m.id}`, { vkUserId: 7_401 });
    await h.t.db.updateTable('members').set({ dead_channels: ['vk'] }).where('id', '=', m.id).execute();
    const told = s.ownerChat.waitForMessage((x) => x.text.startsWith('💬'));

    const body = { type: 'message_new', event_id: `repeat-${s.id}`, object: { message: { date: 1, from_id: 7_401, peer_id: 7_401, id: 77, out: 0, text: '  Есть ли торт «Наполеон» на субботу?  ' }, client_info: { lang_id: 0 } } };
    expect(await s.event(body)).toEqual({ status: 200, text: 'ok' });
    expect(await s.event(body)).toEqual({ status: 200, text: 'ok' }); // VK sending it again
    expect(await chatRows(s.id)).toEqual([{ member_id: m.id, direction: 'in', text: 'Есть ли торт «Наполеон» на субботу?', channel: 'vk' }]);
    expect(await deadChannels(m.id)).toEqual([]);
    expect(s.repliesTo(7_401)).toEqual(['Сообщение отправлено в «API test shop», вам ответят.']);
    const notice = await told;
    expect(notice.text).toMatch(/^💬 Анна \(…\d{4}\): Есть ли торт «Наполеон» на субботу\?$/);
    expect(JSON.stringify(notice.reply_markup)).toContain(`chat:${m.id}`);

    // The staff inbox has it, and the answer goes back through the community.
    const manager = await aStaff(h, s.id, 'manager');
    const thread = await manager.client.chatThread(s.id, m.id);
    expect(thread.items.map((x) => [x.direction, x.channel, x.text])).toEqual([['in', 'vk', 'Есть ли торт «Наполеон» на субботу?']]);
    await manager.client.replyToChat(s.id, m.id, 'Да, оставим для вас.', { idempotencyKey: 'cake-1' });
    await h.waitFor(() => s.repliesTo(7_401).includes('Да, оставим для вас.'), 15_000, 'the answer in VK');
    expect((await h.messages(s.id)).filter((x) => x.kind === 'chat').map((x) => [x.channel, x.status])).toEqual([['vk', 'sent']]);

    // Pictures only, and very long texts, are answered and not stored.
    await s.write(7_401, '', { attachments: [{ type: 'photo' }] });
    await s.write(7_401, 'я'.repeat(4001));
    expect(s.repliesTo(7_401).slice(-2)).toEqual([expect.stringMatching(/^Пока можно отправить только текст/), expect.stringMatching(/^Слишком длинное сообщение: не больше 4000/)]);
    expect(await chatRows(s.id)).toHaveLength(2);
  });

  it('strangers are told how to connect and nothing of theirs is kept; a blocked member is told so; group chats and other communities are ignored', async () => {
    const s = await shop();
    await s.write(7_501, 'Здравствуйте, какие у вас скидки?');
    await s.write(7_502, 'Hello?', {}, { lang_id: 3 });
    expect(s.repliesTo(7_501)).toEqual([expect.stringMatching(/^Чтобы получать здесь сообщения о баллах и писать в «API test shop», откройте свою карту/)]);
    expect(s.repliesTo(7_502)).toEqual([expect.stringMatching(/^To get news about your points here and write to API test shop/)]);
    const blocked = await s.api.members.create({ phone: nextPhone() });
    await call(s.apiKey, 'PATCH', `/members/${blocked.id}`, { vkUserId: 7_503, blocked: true });
    await s.write(7_503, 'Почему карта не работает?');
    expect(s.repliesTo(7_503)).toEqual([expect.stringMatching(/^Ваша карта заблокирована/)]);
    await s.event({ type: 'message_new', event_id: 'chat1', object: { message: { from_id: 7_501, peer_id: 2_000_000_001, id: 0, text: 'в беседе' } } });
    await s.event({ type: 'message_new', event_id: 'grp1', object: { message: { from_id: -5, peer_id: -5, id: 9, text: 'сообщество' } } });
    expect(await chatRows(s.id)).toEqual([]);
    expect(s.repliesTo(7_501)).toHaveLength(1);
    expect(s.ownerChat.messages()).toEqual([]);
  });

  it('VK saying the member forbade or allowed the community\'s messages marks VK dead or reachable', async () => {
    const s = await shop();
    const m = await s.api.members.create({ phone: nextPhone() });
    await call(s.apiKey, 'PATCH', `/members/${m.id}`, { vkUserId: 7_601 });
    expect(await s.event({ type: 'message_deny', event_id: 'd1', object: { user_id: 7_601 } })).toEqual({ status: 200, text: 'ok' });
    expect(await deadChannels(m.id)).toEqual(['vk']);
    await s.event({ type: 'message_allow', event_id: 'a1', object: { user_id: 7_601, key: 'x' } });
    expect(await deadChannels(m.id)).toEqual([]);
  });
});

describe('vkUserId through the integration API', () => {
  it('is set, shown, unique within the business (409 vk_user_taken), cleared with null; bad values are refused; erasing the member forgets it', async () => {
    const s = await shop();
    const a = await s.api.members.create({ phone: nextPhone() });
    const b = await s.api.members.create({ phone: nextPhone() });
    expect(a.vkUserId).toBeNull();
    const set = await call(s.apiKey, 'PATCH', `/members/${a.id}`, { vkUserId: 7_701 });
    expect(set).toMatchObject({ status: 200, body: { id: a.id, vkUserId: 7_701 } });
    expect((await s.api.members.get(a.id)).vkUserId).toBe(7_701);
    const taken = await call(s.apiKey, 'PATCH', `/members/${b.id}`, { vkUserId: 7_701, name: 'Не сохранится' });
    expect(taken).toMatchObject({ status: 409, body: { code: 'vk_user_taken', memberId: a.id } });
    expect((await s.api.members.get(b.id)).name).toBeNull();
    // Another business may have the same VK user as its member.
    const other = await shop();
    const c = await other.api.members.create({ phone: nextPhone() });
    expect((await call(other.apiKey, 'PATCH', `/members/${c.id}`, { vkUserId: 7_701 })).status).toBe(200);
    for (const bad of [0, -5, 1.5, '7701', 2 ** 60]) {
      const r = await call(s.apiKey, 'PATCH', `/members/${b.id}`, { vkUserId: bad });
      expect(r.status, String(bad)).toBe(400);
      expect(r.body.code).toBe('validation_failed');
    }
    expect((await call(s.apiKey, 'PATCH', `/members/${a.id}`, { vkUserId: null })).body.vkUserId).toBeNull();
    expect((await call(s.apiKey, 'PATCH', `/members/${b.id}`, { vkUserId: 7_701 })).body.vkUserId).toBe(7_701);

    const session = await cardSession(s.id, (await s.api.members.get(b.id)).phone);
    expect((await fetch(`${h.url}/api/card/me`, { method: 'DELETE', headers: { authorization: `Bearer ${session}` } })).status).toBe(204);
    expect((await h.t.db.selectFrom('members').select('vk_user_id').where('id', '=', b.id).executeTakeFirstOrThrow()).vk_user_id).toBeNull();
    expect(h.checked.failures).toEqual([]);
  });
});

describe('the engine writes to a linked member through the community', () => {
  it('an accrual notice reaches the VK account the member connected, once', async () => {
    const s = await shop();
    const phone = nextPhone();
    const m = await s.api.members.create({ phone, name: 'Вера' });
    await s.write(7_801, 'Начать', { ref: refOf((await cardMe(await cardSession(s.id, phone))).vkConnectUrl), payload: '{"command":"start"}' });
    await s.api.purchases.create({ member: { id: m.id }, amount: 100_000 });
    const row = await h.waitFor(async () => (await h.messages(s.id)).find((x) => x.kind === 'accrual' && x.status === 'sent'), 20_000, 'the accrual notice sent');
    expect(row.channel).toBe('vk');
    const texts = s.repliesTo(7_801);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toBe(row.body);
    expect(texts[1]).toContain('Вера');
  });
});
