// The two-way chat end to end: real grammY customer and staff bots on long polling against the Bot API stand-in, the
// real HTTP server and PostgreSQL. A member's free text is stored, acknowledged and forwarded to the staff who answer
// customers (owner, admin, manager — not cashiers) with a Reply button; Reply (or a swipe-reply) sends the answer,
// which becomes a `messages` row of kind 'chat' for the notifications engine; the staff API's inbox lists, opens
// (marking read) and answers threads, by role and only within the staff member's business.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBot } from '../src/app/bots.js';
import { createMember } from '../src/app/createMember.js';
import { eraseMember } from '../src/app/eraseMember.js';
import { inviteStaff } from '../src/app/staff.js';
import { updateMember } from '../src/app/updateMember.js';
import { startBotRunner, type BotRunner } from '../src/bots/runner.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import type { StaffApiError } from '../src/client/staff.js';
import { silentLogger } from '../src/config/logger.js';
import type { StaffRole } from '../src/core/index.js';
import { useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';
import { aStaff } from './support/staff.js';
import { buttonsOf, type BotMessage, type TelegramUser } from './support/telegramApi.js';
import { useTelegramApi } from './support/useTelegramApi.js';

const CUSTOMER_TOKEN = '7300000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const STAFF_TOKEN = '7300000002:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const h = useApi();
const tg = useTelegramApi();
let runner: BotRunner;
let shopId: string;
const staffBot: Record<'owner' | 'manager' | 'cashier', { u: TelegramUser; id: string }> = {} as never;

let userSeq = 70_000;
const customer = (first_name = 'Анна', language_code = 'ru') => tg.user(CUSTOMER_TOKEN, { id: ++userSeq, first_name, language_code });
const callbacks = (m: BotMessage) => buttonsOf(m).flatMap((b) => ('callback_data' in b && b.callback_data ? [b.callback_data] : []));
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: StaffApiError) => e.code ?? String(e));

async function joinStaffBot(role: StaffRole): Promise<{ u: TelegramUser; id: string }> {
  const { token } = await inviteStaff(h.t.deps, { cli: true }, { businessId: shopId, role, name: `Bot ${role}` });
  const u = tg.user(STAFF_TOKEN, { id: ++userSeq, first_name: role, language_code: 'ru' });
  const help = u.waitForMessage((m) => /^Вы — /.test(m.text));
  u.sendCommand('/start', token);
  await help;
  const row = await h.t.db.selectFrom('staff').select('id').where('business_id', '=', shopId).where('telegram_user_id', '=', u.user.id).executeTakeFirstOrThrow();
  return { u, id: row.id };
}

/** A member who joined with this Telegram account. */
async function aMember(u: TelegramUser, name: string | null = 'Анна') {
  const { member } = await createMember(h.t.deps, { businessId: shopId, phone: nextPhone(), ...(name ? { name } : {}) });
  await h.t.deps.uow.run((repos) => repos.members.linkTelegram(shopId, member.id, u.user.id, null));
  return member;
}

const chatRows = (memberId: string) =>
  h.t.db.selectFrom('chat_messages').select(['direction', 'text', 'channel', 'staff_id', 'read_at']).where('member_id', '=', memberId).orderBy('at').orderBy('id').execute();
const outbox = (memberId: string) =>
  h.t.db.selectFrom('messages').select(['key', 'kind', 'purpose', 'text', 'status', 'send_after']).where('member_id', '=', memberId).where('kind', '=', 'chat').orderBy('created_at').execute();

beforeAll(async () => {
  tg.addBot({ token: CUSTOMER_TOKEN, username: 'perfume_bot' });
  tg.addBot({ token: STAFF_TOKEN, username: 'perfume_staff_bot' });
  shopId = (await h.business()).id;
  await connectBot(h.t.deps, telegramGateway(tg.url), { businessId: shopId, role: 'customer', token: CUSTOMER_TOKEN });
  await connectBot(h.t.deps, telegramGateway(tg.url), { businessId: shopId, role: 'staff', token: STAFF_TOKEN });
  runner = startBotRunner(h.t.deps, silentLogger, { apiRoot: tg.url });
  await runner.refresh();
  staffBot.owner = await joinStaffBot('owner');
  staffBot.manager = await joinStaffBot('manager');
  staffBot.cashier = await joinStaffBot('cashier');
});
afterAll(async () => {
  await runner?.stop();
});

describe('a member writes to the customer bot', () => {
  it('is stored, acknowledged, and forwarded to the owner and the manager with a Reply button — not to the cashier', async () => {
    const u = customer();
    const member = await aMember(u);
    // They had blocked the bot once: writing to it shows they are reachable again.
    await h.t.db.updateTable('members').set({ dead_channels: ['telegram', 'sms'] }).where('id', '=', member.id).execute();
    const forwards = [staffBot.owner.u.waitForMessage((m) => m.text.startsWith('💬')), staffBot.manager.u.waitForMessage((m) => m.text.startsWith('💬'))];
    u.sendText('  Здравствуйте! Есть ли Baccarat Rouge 540 в наличии?  ');
    expect((await u.waitForMessage()).text).toBe('Сообщение отправлено в «API test shop», вам ответят здесь.');
    const last4 = member.cardNumber.slice(-4);
    for (const f of await Promise.all(forwards)) {
      expect(f.text).toBe(`💬 Анна (…${last4}): Здравствуйте! Есть ли Baccarat Rouge 540 в наличии?`);
      expect(buttonsOf(f).map((b) => b.text)).toEqual(['✍️ Ответить']);
      expect(callbacks(f)).toEqual([`chat:${member.id}`]);
    }
    expect(await chatRows(member.id)).toEqual([{ direction: 'in', text: 'Здравствуйте! Есть ли Baccarat Rouge 540 в наличии?', channel: 'telegram', staff_id: null, read_at: null }]);
    expect((await h.t.db.selectFrom('members').select('dead_channels').where('id', '=', member.id).executeTakeFirstOrThrow()).dead_channels).toEqual(['sms']);
    // A second message: the bot handles updates in order, so the first one's forwarding is finished by its answer.
    u.sendText('И ещё вопрос');
    await u.waitForMessage((m) => m.text.startsWith('Сообщение отправлено'));
    expect(staffBot.cashier.u.messages().filter((m) => m.text.startsWith('💬'))).toEqual([]);
    expect((await chatRows(member.id)).map((r) => r.text)).toEqual(['Здравствуйте! Есть ли Baccarat Rouge 540 в наличии?', 'И ещё вопрос']);
  });

  it('a member without a name is shown by the card\'s last digits; English members are answered in English', async () => {
    const u = customer('Bob', 'en');
    const member = await aMember(u, null);
    // Only this member's forward: the previous test's second forward may still be on its way to the owner.
    const forward = staffBot.owner.u.waitForMessage((m) => m.text.startsWith('💬') && m.text.endsWith('Hello, do you ship to Kazan?'));
    u.sendText('Hello, do you ship to Kazan?');
    expect((await u.waitForMessage()).text).toBe('Your message went to API test shop; they will answer you here.');
    expect((await forward).text).toBe(`💬 карта …${member.cardNumber.slice(-4)}: Hello, do you ship to Kazan?`);
  });

  it('keeps menu buttons and commands working, and stores nothing from strangers or blocked members', async () => {
    const u = customer();
    const member = await aMember(u);
    const stored = async () => Number((await h.t.db.selectFrom('chat_messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await stored();
    u.sendText('💰 Баланс');
    expect((await u.waitForMessage()).text).toMatch(/^Доступно: /);
    u.sendCommand('/nonsense');
    expect((await u.waitForMessage()).text).toBe('Не понял сообщение. Выберите пункт меню ниже или нажмите /start.');
    const stranger = customer();
    stranger.sendText('Можно вопрос?');
    expect((await stranger.waitForMessage()).text).toBe('Не понял сообщение. Выберите пункт меню ниже или нажмите /start.');
    await updateMember(h.t.deps, { businessId: shopId, memberId: member.id, blocked: true });
    u.sendText('Почему карта заблокирована?');
    expect((await u.waitForMessage()).text).toBe('Ваша карта заблокирована. Пожалуйста, обратитесь в магазин.');
    expect(await chatRows(member.id)).toEqual([]);
    expect(await stored()).toBe(before);
  });
});

describe('staff answer in the staff bot', () => {
  it('Reply → the answer → stored, read, audited, and handed to the engine as a chat message', async () => {
    const u = customer();
    const member = await aMember(u);
    const owner = staffBot.owner.u;
    const forward = owner.waitForMessage((m) => m.text.startsWith('💬') && m.text.endsWith('Подскажите, до скольки вы работаете?'));
    u.sendText('Подскажите, до скольки вы работаете?');
    const f = await forward;
    await owner.pressButton(`chat:${member.id}`, f.message_id).answer();
    const ask = await owner.waitForMessage((m) => m.text.startsWith('Напишите ответ'));
    expect(ask.text).toBe(`Напишите ответ для Анна (…${member.cardNumber.slice(-4)}) — он придёт клиенту в чат с ботом «API test shop».`);
    // Pressing Reply opened the conversation: the member's message is read.
    expect((await chatRows(member.id))[0]?.read_at).not.toBeNull();
    owner.sendText('До 22:00 каждый день 🌸');
    expect((await owner.waitForMessage((m) => m.text.startsWith('✅'))).text).toBe(`✅ Ответ отправлен: Анна (…${member.cardNumber.slice(-4)}).`);
    const rows = await chatRows(member.id);
    expect(rows.map((r) => [r.direction, r.text, r.staff_id])).toEqual([
      ['in', 'Подскажите, до скольки вы работаете?', null],
      ['out', 'До 22:00 каждый день 🌸', staffBot.owner.id],
    ]);
    const [out] = await h.t.db.selectFrom('chat_messages').select('id').where('member_id', '=', member.id).where('direction', '=', 'out').execute();
    expect(await outbox(member.id)).toEqual([
      { key: `chat:${out?.id}`, kind: 'chat', purpose: 'service', text: 'До 22:00 каждый день 🌸', status: expect.any(String), send_after: expect.any(Date) },
    ]);
    const audit = await h.t.db.selectFrom('audit_log').select(['action', 'member_id', 'channel', 'details']).where('staff_id', '=', staffBot.owner.id).where('action', '=', 'chat.reply').execute();
    expect(audit).toEqual([{ action: 'chat.reply', member_id: member.id, channel: 'telegram', details: { chatMessageId: out?.id, length: 23 } }]);
    // The flow is over: the next text is a search again, not a second answer.
    owner.sendText('До 23:00');
    await owner.waitForMessage((m) => !m.text.startsWith('✅'));
    expect(await outbox(member.id)).toHaveLength(1);
  });

  it('a swipe-reply to the forwarded message answers that member; a cashier cannot use a Reply button', async () => {
    const u = customer();
    const member = await aMember(u);
    const manager = staffBot.manager.u;
    const forward = manager.waitForMessage((m) => m.text.startsWith('💬') && m.text.endsWith('Есть пробники?'));
    u.sendText('Есть пробники?');
    const f = await forward;
    manager.replyTo(f.message_id, 'Да, приходите — подберём.');
    await manager.waitForMessage((m) => m.text.startsWith('✅ Ответ отправлен'));
    expect((await outbox(member.id)).map((m) => m.text)).toEqual(['Да, приходите — подберём.']);
    expect((await chatRows(member.id)).map((r) => [r.direction, r.staff_id, r.read_at === null])).toEqual([
      ['in', null, false],
      ['out', staffBot.manager.id, true],
    ]);
    // A cashier never gets the forward, and their help says nothing of answering customers.
    const cashier = staffBot.cashier.u;
    const cashierSeen = cashier.messages().length;
    cashier.sendCommand('/help');
    const help = await cashier.waitForMessage();
    expect(help.text).not.toContain('Ответить');
    expect(cashier.messages().slice(cashierSeen).some((m) => m.text.startsWith('💬'))).toBe(false);
    expect((await staffBot.manager.u.messages()).find((m) => m.text.startsWith('Вы — менеджер'))?.text).toContain('нажмите «Ответить»');
  });
});

describe('the staff API inbox', () => {
  it('lists threads newest first with unread counts, opens one (marking it read) and replies once per key', async () => {
    const owner = await aStaff(h, shopId, 'owner');
    const manager = await aStaff(h, shopId, 'manager');
    const a = customer();
    const b = customer();
    const ma = await aMember(a, 'Алла');
    const mb = await aMember(b, 'Борис');
    a.sendText('Первое от Аллы');
    await a.waitForMessage();
    h.t.clock.advance(1000);
    a.sendText('Второе от Аллы');
    await a.waitForMessage();
    h.t.clock.advance(1000);
    b.sendText('От Бориса');
    await b.waitForMessage();

    const all = await owner.client.chats(shopId);
    const mine = all.items.filter((x) => [ma.id, mb.id].includes(x.member.id));
    expect(mine.map((x) => [x.member.name, x.last.text, x.unread])).toEqual([
      ['Борис', 'От Бориса', 1],
      ['Алла', 'Второе от Аллы', 2],
    ]);
    expect(mine[0]).toMatchObject({ member: { id: mb.id, cardNumber: mb.cardNumber, blocked: false }, last: { direction: 'in', channel: 'telegram', staff: null, readAt: null } });
    // Paging: one thread a page, the cursor leads to the next.
    const first = await owner.client.chats(shopId, { limit: 1 });
    expect(first.items).toHaveLength(1);
    const second = await owner.client.chats(shopId, { limit: 1, before: first.nextBefore ?? '' });
    expect(second.items[0]?.member.id).not.toBe(first.items[0]?.member.id);
    expect((second.items[0]?.last.at ?? '') <= (first.items[0]?.last.at ?? '')).toBe(true);

    const thread = await manager.client.chatThread(shopId, ma.id);
    expect(thread.member).toMatchObject({ id: ma.id, name: 'Алла', cardNumber: ma.cardNumber, blocked: false });
    expect(thread.member.phoneMasked).toMatch(/^\+7 ••• •••-\d\d-\d\d$/);
    expect(thread.items.map((m) => [m.text, m.readAt])).toEqual([
      ['Второе от Аллы', null],
      ['Первое от Аллы', null],
    ]);
    const older = await manager.client.chatThread(shopId, ma.id, { limit: 1 });
    expect(older.items.map((m) => m.text)).toEqual(['Второе от Аллы']);
    expect((await manager.client.chatThread(shopId, ma.id, { limit: 1, before: older.nextBefore ?? '' })).items.map((m) => m.text)).toEqual(['Первое от Аллы']);
    expect((await manager.client.chatThread(shopId, ma.id)).items.every((m) => m.readAt !== null)).toBe(true);
    const unread = await owner.client.chats(shopId, { unreadOnly: true });
    expect(unread.items.map((x) => x.member.id)).toContain(mb.id);
    expect(unread.items.map((x) => x.member.id)).not.toContain(ma.id);

    h.t.clock.advance(1000);
    const key = 'reply-alla-1';
    const reply = await manager.client.replyToChat(shopId, ma.id, '  Алла, всё есть, ждём вас!  ', { idempotencyKey: key });
    expect(reply).toMatchObject({ memberId: ma.id, direction: 'out', text: 'Алла, всё есть, ждём вас!', channel: 'telegram', staff: { id: manager.id }, readAt: null });
    const again = await manager.client.replyToChat(shopId, ma.id, '  Алла, всё есть, ждём вас!  ', { idempotencyKey: key });
    expect(again.id).toBe(reply.id);
    expect(await codeOf(manager.client.replyToChat(shopId, ma.id, 'другой текст', { idempotencyKey: key }))).toBe('idempotency_conflict');
    expect(await outbox(ma.id)).toEqual([expect.objectContaining({ key: `chat:${reply.id}`, text: 'Алла, всё есть, ждём вас!', purpose: 'service' })]);
    const top = (await owner.client.chats(shopId)).items.find((x) => x.member.id === ma.id);
    expect(top).toMatchObject({ unread: 0, last: { id: reply.id, direction: 'out', staff: { id: manager.id } } });
    expect((await owner.client.chats(shopId)).items[0]?.member.id).toBe(ma.id); // the answered thread is now the newest
  });

  it('needs a session, an Idempotency-Key and valid text; cashiers, other businesses and strangers\' ids are refused', async () => {
    const owner = await aStaff(h, shopId, 'owner');
    const admin = await aStaff(h, shopId, 'admin');
    const cashier = await aStaff(h, shopId, 'cashier');
    const other = await h.business();
    const outsider = await aStaff(h, other.id, 'owner');
    const theirMember = await other.api.members.create({ phone: nextPhone() }); // through the public API
    const u = customer();
    const member = await aMember(u);
    u.sendText('Вопрос');
    await u.waitForMessage();

    expect(await codeOf(admin.client.chats(shopId))).toBe('ok');
    expect(await codeOf(cashier.client.chats(shopId))).toBe('forbidden');
    expect(await codeOf(cashier.client.chatThread(shopId, member.id))).toBe('forbidden');
    expect(await codeOf(cashier.client.replyToChat(shopId, member.id, 'Здравствуйте'))).toBe('forbidden');
    // Another business's staff see nothing of this one, with their own session or this business's id.
    expect(await codeOf(outsider.client.chats(shopId))).toBe('forbidden');
    expect(await codeOf(outsider.client.chatThread(shopId, member.id))).toBe('forbidden');
    expect(await codeOf(outsider.client.replyToChat(shopId, member.id, 'чужой ответ'))).toBe('forbidden');
    expect(await codeOf(outsider.client.chatThread(other.id, member.id))).toBe('member_not_found');
    expect(await codeOf(outsider.client.replyToChat(other.id, member.id, 'чужой ответ'))).toBe('member_not_found');
    expect((await outsider.client.chats(other.id)).items).toEqual([]);
    expect(await codeOf(owner.client.chatThread(shopId, theirMember.id))).toBe('member_not_found');
    expect(await codeOf(owner.client.replyToChat(shopId, theirMember.id, 'ответ'))).toBe('member_not_found');
    expect(await codeOf(owner.client.chatThread(shopId, 'not-a-member'))).toBe('member_not_found');
    // The cashier's and outsider's looks did not mark anything read.
    expect((await chatRows(member.id)).map((r) => r.read_at)).toEqual([null]);

    const url = `${h.url}/api/staff/businesses/${shopId}/chats/${member.id}`;
    const post = (headers: Record<string, string>, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const auth = { authorization: `Bearer ${owner.client.sessionToken}` };
    const problem = async (r: Promise<Response>) => {
      const res = await r;
      return [res.status, ((await res.json()) as { code: string }).code];
    };
    expect(await problem(post({}, { text: 'x' }))).toEqual([401, 'unauthorized']);
    expect(await problem(post(auth, { text: 'x' }))).toEqual([400, 'idempotency_key_missing']);
    expect(await problem(post({ ...auth, 'idempotency-key': 'k1' }, { text: '' }))).toEqual([400, 'validation_failed']);
    expect(await problem(post({ ...auth, 'idempotency-key': 'k2' }, { text: '   ' }))).toEqual([400, 'validation_failed']);
    expect(await problem(post({ ...auth, 'idempotency-key': 'k3' }, { text: 'x'.repeat(4001) }))).toEqual([400, 'validation_failed']);
    expect(await problem(post({ ...auth, 'idempotency-key': 'k4' }, { text: 'x', extra: 1 }))).toEqual([400, 'validation_failed']);
    expect(await problem(fetch(`${h.url}/api/staff/businesses/${shopId}/chats?unreadOnly=maybe`, { headers: auth }))).toEqual([400, 'validation_failed']);
    expect(await problem(fetch(`${h.url}/api/staff/businesses/${shopId}/chats?limit=0`, { headers: auth }))).toEqual([400, 'validation_failed']);
    expect(await problem(fetch(`${h.url}/api/staff/businesses/${shopId}/chats?before=garbage`, { headers: auth }))).toEqual([400, 'validation_failed']);
    // Nothing was stored by the refused calls.
    expect(await outbox(member.id)).toEqual([]);
    expect((await chatRows(member.id)).map((r) => r.direction)).toEqual(['in']);
    expect(await h.t.db.selectFrom('audit_log').select('id').where('action', '=', 'chat.reply').where('member_id', '=', member.id).execute()).toEqual([]);
  });

  it('erasing a member\'s data deletes their conversation; it can no longer be opened or answered', async () => {
    const owner = await aStaff(h, shopId, 'owner');
    const u = customer();
    const member = await aMember(u, 'Ева');
    u.sendText('Удалите мои данные, пожалуйста');
    await u.waitForMessage();
    await owner.client.replyToChat(shopId, member.id, 'Удалим.');
    expect(await chatRows(member.id)).toHaveLength(2);
    await eraseMember(h.t.deps, { businessId: shopId, memberId: member.id, channel: 'web' });
    expect(await chatRows(member.id)).toEqual([]);
    expect((await owner.client.chats(shopId)).items.map((x) => x.member.id)).not.toContain(member.id);
    expect(await codeOf(owner.client.chatThread(shopId, member.id))).toBe('member_not_found');
    expect(await codeOf(owner.client.replyToChat(shopId, member.id, 'ещё'))).toBe('member_not_found');
  });
});
