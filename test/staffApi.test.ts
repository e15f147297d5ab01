// The staff API end to end: the role matrix (every endpoint × every role, another business's staff, blocked and
// removed staff), invitations, sessions ending at once, the till (earn, redeem by QR or by code), limits with the
// owner told, idempotent double submits, and the append-only audit log.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { issueQrToken } from '../src/app/qrTokens.js';
import { createStaffClient, type StaffClient } from '../src/client/staff.js';
import { connectBot } from '../src/app/bots.js';
import { inviteStaff } from '../src/app/staff.js';
import { acceptInviteFromTelegram } from '../src/app/staffSessions.js';
import { approveTelegramLogin } from '../src/app/staffTelegramLogin.js';
import { signInitData } from '../src/app/telegramInitData.js';
import { signTelegramLogin } from '../src/app/telegramLogin.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import { useApi } from './support/apiServer.js';
import { useTelegramApi } from './support/useTelegramApi.js';
import { nextPhone } from './support/factories.js';
import { STAFF_PASSWORD, aStaff } from './support/staff.js';

const h = useApi();
const tg = useTelegramApi();
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

async function shopWithStaff() {
  const shop = await h.business({ welcomeBonus: 1000 });
  const member = await shop.api.members.create({ phone: nextPhone(), name: 'Клиент' });
  const staff = {
    owner: await aStaff(h, shop.id, 'owner'),
    admin: await aStaff(h, shop.id, 'admin'),
    manager: await aStaff(h, shop.id, 'manager'),
    cashier: await aStaff(h, shop.id, 'cashier'),
  };
  return { shop, member, staff };
}

describe('the role matrix', () => {
  it('gives each role exactly what the table says, and nothing to other businesses, blocked or removed staff', async () => {
    const { shop, member, staff } = await shopWithStaff();
    const other = await h.business();
    const outsider = await aStaff(h, other.id, 'owner');
    const blocked = await aStaff(h, shop.id, 'cashier');
    const removed = await aStaff(h, shop.id, 'cashier');
    await staff.owner.client.me();
    await fetch(`${h.url}/api/staff/staff/${blocked.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${staff.admin.client.sessionToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'blocked' }) });
    await fetch(`${h.url}/api/staff/staff/${removed.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${staff.admin.client.sessionToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'removed' }) });

    const qr = async () => (await issueQrToken(h.t.deps, { businessId: shop.id, memberId: member.id })).token;
    let n = 0;
    const actions: Record<string, (c: StaffClient) => Promise<unknown>> = {
      me: (c) => c.me(),
      'lookup by phone': (c) => c.lookup({ phone: member.phone }),
      'search by name': (c) => c.lookup({ q: 'Клиент' }),
      member: (c) => c.member(member.id),
      quote: (c) => c.quote({ memberId: member.id, amount: 100_00 }),
      earn: (c) => c.earn({ memberId: member.id, amount: 100_00 }),
      'redeem by QR': async (c) => c.redeem({ memberId: member.id, amount: 100_00, points: 10, qrToken: await qr() }),
      'redeem code': async (c) => {
        h.t.clock.advance(61_000); // one code a minute per member
        return c.requestRedeemCode({ memberId: member.id });
      },
      adjust: (c) => c.adjust({ memberId: member.id, points: 5, reason: 'matrix' }),
      audit: (c) => fetchJson(c, 'GET', '/audit'),
      'list staff': (c) => fetchJson(c, 'GET', '/staff'),
      'invite cashier': (c) => fetchJson(c, 'POST', '/staff/invites', { role: 'cashier', name: `New ${++n}` }),
      today: (c) => fetchJson(c, 'GET', '/reports/today'),
      'bonus to all': (c) => fetchJson(c, 'POST', '/bulk-accruals', { points: 1, reason: 'matrix' }, `bulk-${++n}`),
      broadcast: (c) => fetchJson(c, 'POST', '/broadcasts', { text: 'Скидки!' }),
    };
    const allowed: Record<string, string[]> = {
      owner: Object.keys(actions),
      admin: Object.keys(actions),
      manager: ['me', 'lookup by phone', 'search by name', 'member', 'quote', 'earn', 'redeem by QR', 'redeem code', 'adjust', 'audit', 'today'],
      cashier: ['me', 'lookup by phone', 'member', 'quote', 'earn', 'redeem by QR', 'redeem code'],
    };
    for (const [role, who] of Object.entries(staff)) {
      for (const [name, act] of Object.entries(actions)) {
        const got = await codeOf(act(who.client));
        expect(`${role} ${name}: ${got}`).toBe(`${role} ${name}: ${allowed[role]!.includes(name) ? 'ok' : 'forbidden'}`);
      }
    }
    // Another business's owner can do everything — in their business only.
    expect(await codeOf(outsider.client.member(member.id))).toBe('member_not_found');
    expect(await codeOf(outsider.client.earn({ memberId: member.id, amount: 100_00 }))).toBe('member_not_found');
    expect((await outsider.client.lookup({ phone: member.phone })).items).toEqual([]);
    expect(await codeOf(fetchJson(outsider.client, 'PATCH', `/staff/${staff.cashier.id}`, { status: 'blocked' }))).toBe('staff_not_found');
    // Blocked and removed staff: their sessions ended, and they cannot sign in again.
    for (const s of [blocked, removed]) {
      expect(await codeOf(s.client.me())).toBe('unauthorized');
      expect(await codeOf(createStaffClient({ baseUrl: h.url }).signIn({ businessId: shop.id, email: s.email, password: STAFF_PASSWORD }))).toBe(s === blocked ? 'staff_blocked' : 'invalid_credentials');
    }
  });

  it('lets staff give only roles below their own; nobody changes themselves or the owner', async () => {
    const { staff } = await shopWithStaff();
    expect(await codeOf(fetchJson(staff.admin.client, 'POST', '/staff/invites', { role: 'admin', name: 'X' }))).toBe('forbidden');
    expect(await codeOf(fetchJson(staff.admin.client, 'PATCH', `/staff/${staff.manager.id}`, { role: 'admin' }))).toBe('forbidden');
    expect(await codeOf(fetchJson(staff.admin.client, 'PATCH', `/staff/${staff.owner.id}`, { status: 'blocked' }))).toBe('forbidden');
    expect(await codeOf(fetchJson(staff.admin.client, 'PATCH', `/staff/${staff.admin.id}`, { limits: { maxPointsPerDay: null } }))).toBe('forbidden');
    expect(await codeOf(fetchJson(staff.owner.client, 'POST', '/staff/invites', { role: 'owner', name: 'X' }))).toBe('validation_failed');
    expect(await fetchJson(staff.admin.client, 'PATCH', `/staff/${staff.cashier.id}`, { role: 'manager', limits: { maxPointsPerDay: 100 } })).toMatchObject({ role: 'manager', limits: { maxPointsPerDay: 100 } });
    // Ownership is handed over by the owner alone.
    expect(await codeOf(fetchJson(staff.admin.client, 'POST', '/owner-transfer', { toStaffId: staff.admin.id }))).toBe('forbidden');
    expect(await fetchJson(staff.owner.client, 'POST', '/owner-transfer', { toStaffId: staff.admin.id })).toMatchObject({ id: staff.admin.id, role: 'owner' });
    expect((await staff.owner.client.me()).staff.role).toBe('admin');
  });
});

describe('invitations and sessions', () => {
  it('an invitation works once and expires; a password signs in; signing out ends that session only', async () => {
    const { shop, staff } = await shopWithStaff();
    const invite = (await fetchJson(staff.admin.client, 'POST', '/staff/invites', { role: 'cashier', name: 'Оля' })) as { token: string; link: string };
    expect(invite.link).toBe(`https://shop.test/cashier/?b=${shop.id}#invite=${invite.token}`);
    const olya = createStaffClient({ baseUrl: h.url });
    await olya.signIn({ inviteToken: invite.token, name: 'Оля', email: 'olya@shop.test', password: STAFF_PASSWORD });
    expect((await olya.me()).staff).toMatchObject({ name: 'Оля', role: 'cashier', email: 'olya@shop.test' });
    expect(await codeOf(createStaffClient({ baseUrl: h.url }).signIn({ inviteToken: invite.token, name: 'Оля', email: 'olya2@shop.test', password: STAFF_PASSWORD }))).toBe('invalid_invite');
    const late = (await fetchJson(staff.admin.client, 'POST', '/staff/invites', { role: 'cashier', name: 'Late' })) as { token: string };
    h.t.clock.advance(73 * 3_600_000);
    expect(await codeOf(createStaffClient({ baseUrl: h.url }).signIn({ inviteToken: late.token, name: 'L', email: 'late@shop.test', password: STAFF_PASSWORD }))).toBe('invalid_invite');
    h.t.clock.advance(60_000);
    expect(await codeOf(createStaffClient({ baseUrl: h.url }).signIn({ businessId: shop.id, email: 'olya@shop.test', password: 'wrong password!' }))).toBe('invalid_credentials');
    const second = createStaffClient({ baseUrl: h.url });
    await second.signIn({ businessId: shop.id, email: 'OLYA@shop.test', password: STAFF_PASSWORD });
    await second.signOut();
    expect(await codeOf(second.me())).toBe('unauthorized');
    expect((await olya.me()).staff.name).toBe('Оля');
    // Each device is a session of its own: list them, end another one (a lost phone).
    const phone = createStaffClient({ baseUrl: h.url });
    await phone.signIn({ businessId: shop.id, email: 'olya@shop.test', password: STAFF_PASSWORD });
    const sessions = (await fetchJson(olya, 'GET', '/sessions')) as { items: { id: string; current: boolean; channel: string }[] };
    expect(sessions.items.map((x) => x.current).sort()).toEqual([false, true]);
    await fetchJson(olya, 'DELETE', `/sessions/${sessions.items.find((x) => !x.current)!.id}`);
    expect(await codeOf(phone.me())).toBe('unauthorized');
    expect(await codeOf(fetchJson(olya, 'DELETE', '/sessions/0000000000000000'))).toBe('staff_not_found');
  });
});

describe('signing in with Telegram', () => {
  it('the staff bot\'s Mini App (initData) and the Login Widget sign in staff tied to that Telegram account only', async () => {
    const shop = await h.business();
    const botToken = '7700000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    tg.addBot({ token: botToken, username: 'staff_login_bot' });
    const bot = await connectBot(h.t.deps, telegramGateway(tg.url), { businessId: shop.id, role: 'staff', token: botToken });
    const { token } = await inviteStaff(h.t.deps, { cli: true }, { businessId: shop.id, role: 'cashier', name: 'Лиза' });
    await acceptInviteFromTelegram(h.t.deps, { businessId: shop.id, inviteToken: token, telegramUserId: 71_001, username: 'liza', name: 'Лиза' });
    const now = Math.floor(h.t.clock.now().getTime() / 1000);
    const mini = createStaffClient({ baseUrl: h.url });
    await mini.signIn({ botId: bot.id, initData: signInitData(botToken, { user: JSON.stringify({ id: 71_001, first_name: 'Лиза' }), auth_date: String(now) }) });
    expect((await mini.me()).staff).toMatchObject({ name: 'Лиза', role: 'cashier', telegramUsername: 'liza' });
    const web = createStaffClient({ baseUrl: h.url });
    await web.signIn({ businessId: shop.id, telegramLogin: signTelegramLogin(botToken, { id: 71_001, first_name: 'Лиза', username: 'liza', auth_date: now }) });
    expect((await web.me()).staff.name).toBe('Лиза');
    h.t.clock.advance(1000);
    const forged = { ...signTelegramLogin(botToken, { id: 71_001, first_name: 'Лиза', auth_date: now }), id: 71_002 };
    expect(await codeOf(createStaffClient({ baseUrl: h.url }).signIn({ businessId: shop.id, telegramLogin: forged }))).toBe('invalid_init_data');
    h.t.clock.advance(1000);
    expect(await codeOf(createStaffClient({ baseUrl: h.url }).signIn({ businessId: shop.id, telegramLogin: signTelegramLogin(botToken, { id: 71_002, first_name: 'X', auth_date: now }) }))).toBe('not_staff');
    h.t.clock.advance(1000);
    expect(await codeOf(createStaffClient({ baseUrl: h.url }).signIn({ botId: bot.id, initData: signInitData('7700000009:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', { user: JSON.stringify({ id: 71_001 }), auth_date: String(now) }) }))).toBe('invalid_init_data');
  });
});

describe('"Log in with Telegram" through the staff bot', () => {
  it('the page collects a session once, after the bot approves its code for active staff; nobody else approves', async () => {
    const shop = await h.business();
    const page = createStaffClient({ baseUrl: h.url });
    expect(await page.business(shop.id)).toEqual({ id: shop.id, name: 'API test shop', staffBotUsername: null });
    expect(await codeOf(page.startTelegramLogin({ businessId: shop.id }))).toBe('bot_not_found');
    const botToken = '7700000002:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    tg.addBot({ token: botToken, username: 'staff_weblogin_bot' });
    await connectBot(h.t.deps, telegramGateway(tg.url), { businessId: shop.id, role: 'staff', token: botToken });
    expect((await page.business(shop.id)).staffBotUsername).toBe('staff_weblogin_bot');
    const { token } = await inviteStaff(h.t.deps, { cli: true }, { businessId: shop.id, role: 'manager', name: 'Маша' });
    await acceptInviteFromTelegram(h.t.deps, { businessId: shop.id, inviteToken: token, telegramUserId: 72_001, username: 'masha', name: 'Маша' });

    const login = await page.startTelegramLogin({ businessId: shop.id });
    const code = /^https:\/\/t\.me\/staff_weblogin_bot\?start=login_([a-z0-9]{12})$/.exec(login.botLink)?.[1];
    expect(code).toBeTruthy();
    expect(await page.pollTelegramLogin(login.loginId)).toEqual({ status: 'pending' });
    expect(await codeOf(approveTelegramLogin(h.t.deps, { businessId: shop.id, code: code!, telegramUserId: 72_999 }))).toBe('not_staff');
    expect(await page.pollTelegramLogin(login.loginId)).toEqual({ status: 'pending' });
    await approveTelegramLogin(h.t.deps, { businessId: shop.id, code: code!, telegramUserId: 72_001 });
    expect(await codeOf(approveTelegramLogin(h.t.deps, { businessId: shop.id, code: code!, telegramUserId: 72_001 }))).toBe('invalid_sign_in');
    expect(await page.pollTelegramLogin(login.loginId)).toMatchObject({ status: 'approved', sessionToken: expect.stringMatching(/^kss_/) });
    expect((await page.me()).staff.name).toBe('Маша');
    expect(await createStaffClient({ baseUrl: h.url }).pollTelegramLogin(login.loginId)).toEqual({ status: 'expired' }); // collected once
    const late = await page.startTelegramLogin({ businessId: shop.id });
    h.t.clock.advance(5 * 60_000 + 1000);
    expect(await codeOf(approveTelegramLogin(h.t.deps, { businessId: shop.id, code: late.botLink.split('login_')[1]!, telegramUserId: 72_001 }))).toBe('invalid_sign_in');
    expect(await page.pollTelegramLogin(late.loginId)).toEqual({ status: 'expired' });
    expect(await codeOf(page.pollTelegramLogin('ktl_forged'))).toBe('invalid_sign_in');
  });
});

describe('the till', () => {
  it('earns and pays with points by QR; a double submit with one key happens once', async () => {
    const { shop, member, staff } = await shopWithStaff();
    const cashier = staff.cashier.client;
    const found = await cashier.lookup({ qrToken: (await issueQrToken(h.t.deps, { businessId: shop.id, memberId: member.id })).token });
    expect(found).toMatchObject({ identifiedBy: 'qr', items: [{ id: member.id, name: 'Клиент', balance: { available: 1000 } }] });
    expect(found.items[0]!.phoneMasked).toMatch(/^\+7 ••• •••-\d\d-\d\d$/);
    expect(await cashier.quote({ memberId: member.id, amount: 1000_00 })).toMatchObject({ earnPoints: 50, maxRedeemPoints: 300, maxRedeemValue: 300_00 });
    const [a, b] = await Promise.all([
      cashier.earn({ memberId: member.id, amount: 1000_00 }, { idempotencyKey: 'tap-1' }).catch((e: { code: string }) => e.code),
      cashier.earn({ memberId: member.id, amount: 1000_00 }, { idempotencyKey: 'tap-1' }).catch((e: { code: string }) => e.code),
    ]);
    const receipts = [a, b].filter((x) => typeof x === 'object');
    expect(receipts.length + [a, b].filter((x) => x === 'idempotency_in_flight').length).toBe(2);
    const again = await cashier.earn({ memberId: member.id, amount: 1000_00 }, { idempotencyKey: 'tap-1' });
    expect(again.balance.available).toBe(1050);
    expect((await shop.api.members.get(member.id)).purchasesCount).toBe(1);
    const qr = (await issueQrToken(h.t.deps, { businessId: shop.id, memberId: member.id })).token;
    const paid = await cashier.redeem({ memberId: member.id, amount: 1000_00, points: 'max', qrToken: qr });
    expect(paid).toMatchObject({ redeemedPoints: 300, payableAmount: 700_00, earnedPoints: 35, balance: { available: 1050 - 300 + 35 } });
    const other = await shop.api.members.create({ phone: nextPhone() });
    expect(await codeOf(cashier.redeem({ memberId: other.id, amount: 100_00, points: 1, qrToken: qr }))).toBe('invalid_qr_token');
    expect(await codeOf(cashier.redeem({ memberId: member.id, amount: 100_00, points: 1 }))).toBe('confirmation_required');
  });

  it('a redemption without the QR needs the code sent to the member: wrong, expired and too many tries are refused', async () => {
    const { member, staff } = await shopWithStaff();
    const cashier = staff.cashier.client;
    await cashier.requestRedeemCode({ memberId: member.id });
    const code = h.redeemCodes.filter((c) => c.memberId === member.id).at(-1)!.code;
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await codeOf(cashier.redeem({ memberId: member.id, amount: 100_00, points: 10, confirmationCode: wrong }))).toBe('invalid_confirmation_code');
    expect(await codeOf(cashier.requestRedeemCode({ memberId: member.id }))).toBe('too_many_codes');
    expect((await cashier.redeem({ memberId: member.id, amount: 100_00, points: 10, confirmationCode: code })).redeemedPoints).toBe(10);
    expect(await codeOf(cashier.redeem({ memberId: member.id, amount: 100_00, points: 10, confirmationCode: code }))).toBe('invalid_confirmation_code'); // used

    h.t.clock.advance(61_000);
    await cashier.requestRedeemCode({ memberId: member.id });
    const late = h.redeemCodes.filter((c) => c.memberId === member.id).at(-1)!.code;
    h.t.clock.advance(5 * 60_000 + 1000);
    expect(await codeOf(cashier.redeem({ memberId: member.id, amount: 100_00, points: 10, confirmationCode: late }))).toBe('invalid_confirmation_code');

    await cashier.requestRedeemCode({ memberId: member.id });
    const third = h.redeemCodes.filter((c) => c.memberId === member.id).at(-1)!.code;
    const bad = third === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) expect(await codeOf(cashier.redeem({ memberId: member.id, amount: 100_00, points: 10, confirmationCode: bad }))).toBe('invalid_confirmation_code');
    expect(await codeOf(cashier.redeem({ memberId: member.id, amount: 100_00, points: 10, confirmationCode: bad }))).toBe('too_many_attempts');
    expect(await codeOf(cashier.redeem({ memberId: member.id, amount: 100_00, points: 10, confirmationCode: third }))).toBe('too_many_attempts');
  });

  it('holds staff to their limits, tells the owner, and keeps every action in an append-only audit log', async () => {
    const { shop, member, staff } = await shopWithStaff();
    await fetchJson(staff.owner.client, 'PATCH', `/staff/${staff.manager.id}`, { limits: { maxPointsPerOperation: 100, maxPointsPerDay: 150 } });
    expect(await codeOf(staff.manager.client.adjust({ memberId: member.id, points: 101, reason: 'too big' }))).toBe('staff_limit_exceeded');
    await staff.manager.client.adjust({ memberId: member.id, points: 100, reason: 'gift' });
    expect(await codeOf(staff.manager.client.earn({ memberId: member.id, amount: 2000_00 }))).toBe('staff_limit_exceeded'); // 100 more points: 200 > 150
    expect((await staff.manager.client.earn({ memberId: member.id, amount: 1000_00 })).earnedPoints).toBe(50);
    expect(await codeOf(staff.manager.client.adjust({ memberId: member.id, points: -100, reason: 'correction' }))).toBe('ok'); // taking away is not issuing
    expect(h.alerts.filter((a) => a.staffId === staff.manager.id).map((a) => [a.limit, a.action])).toEqual([['per_operation', 'points.adjust'], ['per_day', 'till.earn']]);
    expect((await staff.manager.client.me()).issued.today).toBe(150);
    // Concurrent operations cannot slip past the day's limit together.
    await fetchJson(staff.owner.client, 'PATCH', `/staff/${staff.cashier.id}`, { limits: { maxPointsPerDay: 100 } });
    const racing = await Promise.all(Array.from({ length: 4 }, () => codeOf(staff.cashier.client.earn({ memberId: member.id, amount: 1000_00 }))));
    expect(racing.filter((r) => r === 'ok').length).toBe(2);

    const audit = (await fetchJson(staff.manager.client, 'GET', '/audit?limit=200')) as { items: { action: string; staffId: string; points: number | null; channel: string }[] };
    const mine = audit.items.filter((a) => a.staffId === staff.manager.id).map((a) => [a.action, a.points]);
    expect(mine).toEqual(expect.arrayContaining([['points.adjust', 100], ['limit.exceeded', 101], ['limit.exceeded', 100], ['till.earn', 50], ['points.adjust', -100], ['session.start', null]]));
    expect(audit.items.every((a) => a.channel === 'web' || a.channel === 'cli')).toBe(true);
    // Never editable, even with direct SQL.
    await expect(sql`update audit_log set points = 0 where business_id = ${shop.id}`.execute(h.t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where business_id = ${shop.id}`.execute(h.t.db)).rejects.toThrow(/append-only/);
  });
});

describe('admin operations', () => {
  it('totals today\'s purchases, gives every active member a bonus once per key, and queues a broadcast', async () => {
    const { shop, member, staff } = await shopWithStaff();
    const second = await shop.api.members.create({ phone: nextPhone() });
    const blocked = await shop.api.members.create({ phone: nextPhone() });
    await shop.api.members.update(blocked.id, { blocked: true });
    await staff.cashier.client.earn({ memberId: member.id, amount: 500_00 });
    expect(await fetchJson(staff.manager.client, 'GET', '/reports/today')).toMatchObject({ purchases: 1, amount: 500_00, earned: 25, redeemed: 0, newMembers: 3, currency: 'RUB' });
    const bonus = { points: 40, reason: 'День рождения кофейни' };
    expect(await fetchJson(staff.admin.client, 'POST', '/bulk-accruals', bonus, 'bday-1')).toEqual({ members: 2, points: 40 });
    await fetchJson(staff.admin.client, 'POST', '/bulk-accruals', bonus, 'bday-1'); // a retry credits nobody twice
    expect((await shop.api.members.get(second.id)).balance.available).toBe(1000 + 40);
    expect((await shop.api.members.get(blocked.id)).balance.available).toBe(1000);
    const queued = (await fetchJson(staff.admin.client, 'POST', '/broadcasts', { text: 'Новое меню!' })) as { id: string };
    const events = await h.t.db.selectFrom('outbox_events').select(['type', 'payload']).where('business_id', '=', shop.id).where('type', '=', 'broadcast.requested').execute();
    expect(events.map((e) => (e.payload as { id: string; text: string }))).toEqual([expect.objectContaining({ id: queued.id, text: 'Новое меню!' })]);
    expect(await codeOf(fetchJson(staff.admin.client, 'POST', '/bulk-accruals', bonus))).toBe('idempotency_key_missing');
  });
});

async function fetchJson(c: StaffClient, method: string, path: string, body?: unknown, key?: string): Promise<unknown> {
  const res = await fetch(`${h.url}/api/staff${path}`, {
    method,
    headers: { authorization: `Bearer ${c.sessionToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(key ? { 'idempotency-key': key } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = res.status === 204 ? null : await res.json();
  if (!res.ok) throw Object.assign(new Error(String((json as { detail?: string }).detail)), { code: (json as { code: string }).code });
  return json;
}
