// The notifications engine end to end: purchases become notices in the member's Telegram chat through the outbox,
// the relay, pg-boss and the Bot API stand-in; each message once; a blocked bot is remembered; consent and quiet
// hours are respected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleMessages } from '../src/app/messages.js';
import { startNotifyHarness, type NotifyHarness } from './support/notifyHarness.js';

let h: NotifyHarness;
beforeAll(async () => {
  h = await startNotifyHarness();
});
afterAll(async () => {
  await h?.close();
});

const quiet = { notifications: { welcomeMessage: false } } as never;

describe('accrual and redemption notices', () => {
  it('a purchase reaches the member in Telegram with the points and the new balance, once', async () => {
    const shop = await h.shop(quiet);
    const m = await h.telegramMember(shop, { name: 'Анна' });
    const receipt = { member: { id: m.id }, amount: 100_000, externalId: 'r-1' };
    await shop.api.purchases.create(receipt, { idempotencyKey: 'receipt-1' });
    await shop.api.purchases.create(receipt, { idempotencyKey: 'receipt-1' }); // a till's retry: replayed, not a second purchase
    const msg = await m.chat.waitForMessage((x) => x.text.includes('начислено'));
    expect(msg.text).toBe('Анна, начислено 50 баллы. Баланс: 50.');
    const rows = await h.waitFor(async () => {
      const r = await h.messages(shop.id);
      return r.every((x) => x.status === 'sent') && r.length > 0 ? r : null;
    });
    expect(rows.map((r) => [r.kind, r.status, r.channel])).toEqual([['accrual', 'sent', 'telegram']]);
    await new Promise((r) => setTimeout(r, 500));
    expect(m.chat.messages().filter((x) => x.text.includes('начислено'))).toHaveLength(1);
  });

  it('paying with points sends the redemption notice too; turned off notices are not sent', async () => {
    const shop = await h.shop({ notifications: { welcomeMessage: false, accrualNotices: false } } as never);
    const m = await h.telegramMember(shop, { name: 'Олег' });
    await shop.api.members.adjust(m.id, { points: 300, reason: 'gift' });
    await shop.api.purchases.create({ member: { id: m.id }, amount: 100_000, redeemPoints: 200 });
    const msg = await m.chat.waitForMessage((x) => x.text.includes('списано'));
    // The balance as it is when the notice goes: 300 − 200, plus the 40 earned on the 800 ₽ paid in money.
    expect(msg.text).toBe('Олег, списано 200 баллы в оплату покупки. Баланс: 140.');
    await h.waitFor(async () => (await h.messages(shop.id)).every((x) => x.status === 'sent'));
    expect((await h.messages(shop.id)).map((r) => r.kind)).toEqual(['redemption']);
  });

  it('the business\'s own template, in English for an English-speaking business', async () => {
    const shop = await h.shop({ notifications: { welcomeMessage: false, language: 'en', templates: { en: { accrual: '+{points} {pointsName} at {business}; you have {balance}' } } }, pointsName: 'stars' } as never);
    const m = await h.telegramMember(shop, { name: 'Ann' });
    await shop.api.purchases.create({ member: { id: m.id }, amount: 20_000 });
    const msg = await m.chat.waitForMessage();
    expect(msg.text).toBe('+10 stars at API test shop; you have 10');
  });
});

describe('channels and consent', () => {
  it('a member who blocked the bot: the message fails with the reason, and Telegram is remembered as dead', async () => {
    const shop = await h.shop(quiet);
    const m = await h.telegramMember(shop);
    m.chat.block();
    await shop.api.purchases.create({ member: { id: m.id }, amount: 50_000 });
    const [row] = await h.waitFor(async () => {
      const r = await h.messages(shop.id);
      return r.length > 0 && r[0]!.status === 'failed' ? r : null;
    });
    expect(row!.last_error).toMatch(/telegram: .*blocked/i);
    const member = await h.t.db.selectFrom('members').select('dead_channels').where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(member.dead_channels).toEqual(['telegram']);
  });

  it('marketing goes only to members who agreed; service messages always', async () => {
    const shop = await h.shop(quiet);
    const yes = await h.telegramMember(shop, { name: 'Да' });
    const no = await h.telegramMember(shop, { name: 'Нет', marketing: false });
    const now = h.t.clock.now();
    await h.t.deps.uow.run((repos) =>
      scheduleMessages(repos, [yes, no].map((m) => ({ businessId: shop.id, id: h.t.deps.newId(), key: `test:${m.id}`, memberId: m.id, kind: 'broadcast' as const, purpose: 'marketing' as const, campaignId: null, vars: {}, text: 'Скидки, {name}!', sendAfter: now, createdAt: now }))),
    );
    await yes.chat.waitForMessage((x) => x.text === 'Скидки, Да!');
    const rows = await h.waitFor(async () => {
      const r = await h.messages(shop.id);
      return r.every((x) => x.status !== 'scheduled' && x.status !== 'queued' && x.status !== 'sending') ? r : null;
    });
    const byMember = Object.fromEntries(rows.map((r) => [r.member_id, r]));
    expect(byMember[no.id]!.status).toBe('skipped');
    expect(byMember[no.id]!.last_error).toMatch(/not agreed to marketing/);
    expect(no.chat.messages()).toHaveLength(0);
  });

  it('a message scheduled for later waits, and a key used twice is one message', async () => {
    const shop = await h.shop(quiet);
    const m = await h.telegramMember(shop);
    const now = h.t.clock.now();
    const later = new Date(now.getTime() + 3_600_000);
    const make = (sendAfter: Date) => ({ businessId: shop.id, id: h.t.deps.newId(), key: 'later:1', memberId: m.id, kind: 'chat' as const, purpose: 'service' as const, campaignId: null, vars: {}, text: 'later', sendAfter, createdAt: now });
    const added = await h.t.deps.uow.run(async (repos) => (await scheduleMessages(repos, [make(later)])) + (await scheduleMessages(repos, [make(now)])));
    expect(added).toBe(1);
    await new Promise((r) => setTimeout(r, 800));
    const [row] = await h.messages(shop.id);
    expect(row!.status).toBe('scheduled');
    h.t.clock.advance(3_600_000);
    await m.chat.waitForMessage((x) => x.text === 'later');
  });
});

describe('a broadcast asked for by staff', () => {
  it('reaches every member who agreed to marketing, once, and shows as a broadcast', async () => {
    const { aStaff } = await import('./support/staff.js');
    const { requestBroadcast } = await import('../src/app/adminOps.js');
    const shop = await h.shop(quiet);
    const a = await h.telegramMember(shop, { name: 'Вера' });
    const b = await h.telegramMember(shop, { name: 'Глеб' });
    const c = await h.telegramMember(shop, { name: 'Дина', marketing: false });
    const owner = await aStaff(h, shop.id, 'owner');
    const staff = await h.t.deps.uow.run((repos) => repos.staff.get(shop.id, owner.id));
    await requestBroadcast(h.t.deps, { staff: staff!, channel: 'telegram' }, { text: 'Новое меню, {name}!' });
    await h.received(a.chat, (x) => x === 'Новое меню, Вера!');
    await h.received(b.chat, (x) => x === 'Новое меню, Глеб!');
    const list = (await shop.api.request<{ items: { kind?: string; text: string; status: string }[] }>('GET', '/broadcasts')).body.items;
    expect(list).toHaveLength(1);
    expect(list[0]!.text).toBe('Новое меню, {name}!');
    await new Promise((r) => setTimeout(r, 400));
    expect(c.chat.messages()).toHaveLength(0);
    expect(a.chat.messages().filter((x) => x.text.startsWith('Новое меню'))).toHaveLength(1);
  });
});

describe('erasure', () => {
  it('"delete my data" skips the member\'s unsent messages and forgets what every message said', async () => {
    const { eraseMember } = await import('../src/app/eraseMember.js');
    const shop = await h.shop(quiet);
    const m = await h.telegramMember(shop, { name: 'Ира' });
    await shop.api.purchases.create({ member: { id: m.id }, amount: 10_000 });
    await h.received(m.chat, (x) => x.includes('начислено'));
    const now = h.t.clock.now();
    await h.t.deps.uow.run((repos) => scheduleMessages(repos, [{ businessId: shop.id, id: h.t.deps.newId(), key: 'later:erase', memberId: m.id, kind: 'chat', purpose: 'service', campaignId: null, vars: {}, text: 'Ира, завтра скидка', sendAfter: new Date(now.getTime() + 86_400_000), createdAt: now }]));
    await h.waitFor(async () => (await h.messages(shop.id)).find((r) => r.kind === 'accrual')?.status === 'sent');
    await eraseMember(h.t.deps, { businessId: shop.id, memberId: m.id, channel: 'card' });
    const rows = await h.t.db.selectFrom('messages').select(['kind', 'status', 'text', 'body', 'vars']).where('member_id', '=', m.id).orderBy('created_at').execute();
    expect(rows).toEqual([
      { kind: 'accrual', status: 'sent', text: null, body: null, vars: {} },
      { kind: 'chat', status: 'skipped', text: null, body: null, vars: {} },
    ]);
  });
});

