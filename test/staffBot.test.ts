// The staff bot end to end: real grammY on long polling against the Bot API stand-in, real PostgreSQL. Strangers get
// one refusal then silence; invitations; finding members (last 4 digits with a choice, card number); paying with
// points confirmed by a code sent to the member (wrong, expired, burnt by five wrong tries); earning; roles and
// limits (the owner told); blocked staff; admin commands. Outcomes are checked in the database and the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBot } from '../src/app/bots.js';
import { createMember } from '../src/app/createMember.js';
import { inviteStaff, updateStaff } from '../src/app/staff.js';
import { pollTelegramLogin, startTelegramLogin } from '../src/app/staffTelegramLogin.js';
import type { TillDeps } from '../src/app/till.js';
import { startBotRunner, type BotRunner } from '../src/bots/runner.js';
import { createStaffBot } from '../src/bots/staffBot.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import { silentLogger } from '../src/config/logger.js';
import { formatCardNumber, type StaffRole } from '../src/core/index.js';
import { aBusiness } from './support/factories.js';
import { buttonsOf, startTelegramApi, type BotMessage, type TelegramApi, type TelegramUser } from './support/telegramApi.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

const TOKEN = '7600000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const CASHIER_BASE = 'https://till.example.com';
let t: TestDatabase;
let tg: TelegramApi;
let runner: BotRunner;
let businessId: string;
let botId: string;
const codes: { memberId: string; code: string }[] = [];
const alerts: { businessId: string; staffId: string; limit: string; action: string }[] = [];
const till: TillDeps = {
  codes: { send: async (to, m) => void codes.push({ memberId: to.member.id, code: m.code }) },
  alerts: { limitExceeded: async (business, staff, breach) => void alerts.push({ businessId: business, staffId: staff.id, limit: breach.limit, action: breach.action }) },
};

beforeAll(async () => {
  t = await openTestDatabase();
  tg = await startTelegramApi();
  tg.addBot({ token: TOKEN, username: 'zerno_staff_bot' });
  const b = await aBusiness(t.deps, { welcomeBonus: 1000 });
  businessId = b.id;
  botId = (await connectBot(t.deps, telegramGateway(tg.url), { businessId, role: 'staff', token: TOKEN })).id;
  runner = startBotRunner(t.deps, silentLogger, { apiRoot: tg.url, till, cashierBaseUrl: CASHIER_BASE });
  await runner.refresh();
});
afterAll(async () => {
  await runner?.stop();
  await tg?.close();
  await t?.close();
});

let userSeq = 40_000;
const aUser = (first_name = 'Ольга', last_name = 'Петрова', language_code = 'ru') => tg.user(TOKEN, { id: ++userSeq, first_name, last_name, username: `staff${userSeq}`, language_code });
const text = (m: BotMessage) => m.text.replace(/[\u00a0\u202f]/g, ' '); // Intl puts no-break spaces in money
const callbacks = (m: BotMessage) => buttonsOf(m).flatMap((b) => ('callback_data' in b && b.callback_data ? [b.callback_data] : []));

async function join(role: StaffRole, u: TelegramUser = aUser()): Promise<{ u: TelegramUser; staffId: string }> {
  const { token } = await inviteStaff(t.deps, { cli: true }, { businessId, role, name: `Invited ${role}` });
  const help = u.waitForMessage((m) => /^(Вы — |You are )/.test(m.text)); // the last of the welcome messages
  u.sendCommand('/start', token);
  await help;
  const row = await t.db.selectFrom('staff').select('id').where('business_id', '=', businessId).where('telegram_user_id', '=', u.user.id).executeTakeFirstOrThrow();
  return { u, staffId: row.id };
}

let phoneSeq = 100;
/** A member whose phone ends with `last4` (+7 916 ### ## ##). */
async function aMember(last4: string, name?: string) {
  const phone = `+7916${String(++phoneSeq).padStart(3, '0')}${last4}`;
  return (await createMember(t.deps, { businessId, phone, ...(name ? { name } : {}) })).member;
}
const balanceOf = async (memberId: string) => {
  const r = await t.db.selectFrom('lots').select((eb) => eb.fn.sum<string>('remaining').as('p')).where('member_id', '=', memberId).executeTakeFirstOrThrow();
  return Number(r.p ?? 0);
};
const auditOf = (staffId: string) => t.db.selectFrom('audit_log').select(['action', 'member_id', 'points', 'amount', 'channel']).where('staff_id', '=', staffId).orderBy('id').execute();

/** Opens a member's card from the choice or the lookup reply, then starts an operation on it. */
async function startOp(u: TelegramUser, op: 'earn' | 'redeem' | 'adjust', memberId: string) {
  const has = (m: BotMessage) => callbacks(m).includes(`op:${op}:${memberId}`);
  const card = u.messages().reverse().find(has) ?? (await u.waitForMessage(has));
  await u.pressButton(`op:${op}:${memberId}`, card.message_id).answer();
  return card;
}

/** Pays `amount` (typed as text) with the most points allowed: returns the code the member got. */
async function redeemUpToCode(u: TelegramUser, memberId: string, amount: string): Promise<string> {
  await startOp(u, 'redeem', memberId);
  await u.waitForMessage((m) => m.text.startsWith('Сумма покупки'));
  const sent = codes.length;
  u.sendText(amount);
  const quote = await u.waitForMessage((m) => m.text.startsWith('Покупка на'));
  const max = callbacks(quote).find((d) => d.startsWith('rmax:'))!;
  await u.pressButton(max, quote.message_id).answer();
  await u.waitForMessage((m) => m.text.startsWith('Клиенту отправлен код'));
  expect(codes.length).toBe(sent + 1);
  return codes.at(-1)!.code;
}

describe('who the staff bot answers', () => {
  it('gives a stranger one polite refusal and then silence', async () => {
    const stranger = aUser('Иван', 'Чужой');
    stranger.sendCommand('/start');
    const refusal = await stranger.waitForMessage();
    expect(refusal.text).toBe('Здравствуйте! Этот бот — для сотрудников «Test coffee». Если вы работаете здесь, попросите у владельца приглашение.');
    stranger.sendText('1234');
    stranger.sendCommand('/start');
    stranger.sendCommand('/bonus', '100 всем');
    // Updates are handled in order: once a later user is answered, the stranger's messages were handled too.
    const { u } = await join('cashier');
    u.sendCommand('/help');
    await u.waitForMessage((m) => m.text.startsWith('Вы — кассир'));
    expect(stranger.messages().map((m) => m.text)).toEqual([refusal.text]);
    // The state sits beside the customer bot's, under its own key.
    const row = await t.db.selectFrom('bot_sessions').select('state').where('business_id', '=', businessId).where('telegram_user_id', '=', stranger.user.id).executeTakeFirstOrThrow();
    expect(row.state).toEqual({ staff: { told: true } });
  });

  it('/start with an invitation makes the Telegram account that staff member, once', async () => {
    const { token } = await inviteStaff(t.deps, { cli: true }, { businessId, role: 'cashier', name: 'Оля' });
    const u = aUser('Ольга', 'Смирнова');
    u.sendCommand('/start', token);
    const welcome = await u.waitForMessage((m) => m.text.startsWith('Добро пожаловать'));
    expect(welcome.text).toBe('Добро пожаловать в команду «Test coffee», Ольга Смирнова! Ваша роль: кассир.');
    expect(buttonsOf(welcome).map((b) => b.text)).toEqual(['📷 Сканировать QR', '❓ Помощь']);
    const help = await u.waitForMessage((m) => m.text.startsWith('Вы — кассир'));
    expect(help.text).not.toContain('/bonus');
    expect(help.text).not.toContain('/today');
    const row = await t.db.selectFrom('staff').selectAll().where('business_id', '=', businessId).where('telegram_user_id', '=', u.user.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Ольга Смирнова', role: 'cashier', status: 'active', telegram_username: u.user.username });
    expect((await auditOf(row.id)).map((a) => [a.action, a.channel])).toEqual([['staff.joined', 'telegram']]);
    // The same invitation again, from someone else: refused, and they are still a stranger.
    const other = aUser('Пётр', 'Другой');
    other.sendCommand('/start', token);
    expect((await other.waitForMessage()).text).toMatch(/^Приглашение недействительно/);
  });

  it('tells a blocked staff member they are blocked', async () => {
    const { u, staffId } = await join('cashier');
    await updateStaff(t.deps, { cli: true }, { businessId, staffId, change: { status: 'blocked' } });
    u.sendText('1234');
    expect((await u.waitForMessage()).text).toBe('Ваш доступ сотрудника «Test coffee» заблокирован. Обратитесь к владельцу.');
    u.sendCommand('/start');
    expect((await u.waitForMessage()).text).toMatch(/заблокирован/);
  });

  it('sets the menu button to the cashier screen and offers "Scan QR" as a Mini App', async () => {
    const url = `${CASHIER_BASE}/cashier/?b=${businessId}&bot=${botId}`;
    await expect.poll(() => tg.calls.find((c) => c.method === 'setChatMenuButton' && c.token === TOKEN)?.params).toEqual({ menu_button: { type: 'web_app', text: 'Касса', web_app: { url } } });
    const { u } = await join('cashier');
    u.sendText('📷 Сканировать QR');
    const scan = await u.waitForMessage((m) => m.text.startsWith('Откройте кассу'));
    expect(buttonsOf(scan)).toEqual([{ text: '📷 Сканировать QR', web_app: { url } }]);
  });
});

describe('the till', () => {
  it('finds by last 4 (two matches: choose), pays with points confirmed by the code the member got', async () => {
    const { u, staffId } = await join('cashier');
    const first = await aMember('7301', 'Анна');
    const second = await aMember('7301', 'Борис');
    u.sendText('7301');
    const choice = await u.waitForMessage((m) => m.text.startsWith('Нашлось клиентов: 2'));
    expect(callbacks(choice).sort()).toEqual([`m:${first.id}`, `m:${second.id}`].sort());
    expect(buttonsOf(choice).map((b) => b.text).join('\n')).toContain('Борис · +7 ••• •••-73-01');
    await u.pressButton(`m:${second.id}`, choice.message_id).answer();
    const card = await u.waitForMessage((m) => m.text.startsWith('👤 Борис'));
    expect(card.text).toContain(`Карта: ${formatCardNumber(second.cardNumber)}`);
    expect(card.text).toContain('Баланс: 1000 баллы');
    expect(card.text).toMatch(/\+1000 {2}Приветственный бонус/);
    expect(callbacks(card)).toEqual([`op:earn:${second.id}`, `op:redeem:${second.id}`]); // a cashier: no adjustment

    const code = await redeemUpToCode(u, second.id, '1500');
    const quoted = u.messages().find((m) => m.text.startsWith('Покупка на'))!;
    expect(text(quoted)).toContain('Покупка на 1 500 ₽. Можно оплатить до 450 баллы (450 ₽).');
    u.sendText(code === '000000' ? '111111' : '000000');
    await u.waitForMessage((m) => m.text.startsWith('❌ Код неверный'));
    expect(await balanceOf(second.id)).toBe(1000);
    u.sendText(code);
    const receipt = await u.waitForMessage((m) => m.text.startsWith('✅ Оплачено'));
    expect(text(receipt)).toBe('✅ Оплачено баллы: 450 (450 ₽). К оплате деньгами: 1 050 ₽.\nНачислено: 52. Баланс клиента: 602 баллы.');
    expect(await balanceOf(second.id)).toBe(1000 - 450 + 52);
    expect(await balanceOf(first.id)).toBe(1000);
    const audit = await auditOf(staffId);
    expect(audit.map((a) => [a.action, a.member_id, a.channel])).toEqual([
      ['staff.joined', null, 'telegram'],
      ['redeem.code_sent', second.id, 'telegram'],
      ['till.redeem', second.id, 'telegram'],
    ]);
    expect(audit[2]).toMatchObject({ amount: 150000, points: 52 - 450 });
    // The same code again does nothing more.
    u.sendText(code);
    await u.waitForMessage();
    expect(await balanceOf(second.id)).toBe(1000 - 450 + 52);
  });

  it('refuses an expired code and sends a new one on request', async () => {
    const { u } = await join('cashier');
    const m = await aMember('7302');
    u.sendText('7302');
    const old = await redeemUpToCode(u, m.id, '1000');
    t.clock.advance(5 * 60_000 + 1000);
    u.sendText(old);
    const expired = await u.waitForMessage((x) => x.text.startsWith('⌛'));
    expect(expired.text).toBe('⌛ Срок действия кода истёк. Отправьте клиенту новый код.');
    expect(await balanceOf(m.id)).toBe(1000);
    await u.pressButton(callbacks(expired).find((d) => d.startsWith('code:'))!, expired.message_id).answer();
    await u.waitForMessage((x) => x.text.startsWith('Клиенту отправлен код'));
    u.sendText(codes.at(-1)!.code);
    await u.waitForMessage((x) => x.text.startsWith('✅ Оплачено'));
    expect(await balanceOf(m.id)).toBe(1000 - 300 + 35);
  });

  it('burns the code after five wrong tries', async () => {
    const { u } = await join('cashier');
    const m = await aMember('7303');
    u.sendText('7303');
    const code = await redeemUpToCode(u, m.id, '1000');
    const wrong = code === '999999' ? '888888' : '999999';
    for (let i = 1; i <= 4; i++) {
      u.sendText(wrong);
      await u.waitForMessage((x) => x.text.startsWith('❌ Код неверный'));
    }
    u.sendText(wrong);
    const spent = await u.waitForMessage((x) => x.text.startsWith('⛔'));
    expect(spent.text).toMatch(/^⛔ Слишком много неверных попыток/);
    u.sendText(code); // the right one, too late
    await u.waitForMessage((x) => x.text.startsWith('⛔ Слишком много'));
    expect(await balanceOf(m.id)).toBe(1000);
  });

  it('earns for a purchase found by card number', async () => {
    const { u, staffId } = await join('cashier');
    const m = await aMember('7304', 'Вера');
    u.sendText(formatCardNumber(m.cardNumber));
    await startOp(u, 'earn', m.id);
    await u.waitForMessage((x) => x.text.startsWith('Сумма покупки?'));
    u.sendText('сто');
    await u.waitForMessage((x) => x.text.startsWith('Введите сумму цифрами'));
    u.sendText('1 500,50');
    const receipt = await u.waitForMessage((x) => x.text.startsWith('✅ Покупка'));
    expect(text(receipt)).toBe('✅ Покупка на 1 500,50 ₽: начислено 75 баллы.\nБаланс клиента: 1075 баллы.');
    expect(await balanceOf(m.id)).toBe(1075);
    expect((await auditOf(staffId)).filter((a) => a.action === 'till.earn')).toEqual([{ action: 'till.earn', member_id: m.id, points: 75, amount: 150050, channel: 'telegram' }]);
  });

  it('refuses what a cashier may not do: /bonus, /today, search by name', async () => {
    const { u } = await join('cashier');
    u.sendCommand('/bonus', '100 Праздник');
    expect((await u.waitForMessage()).text).toBe('Ваша роль (кассир) не позволяет это сделать.');
    u.sendCommand('/today');
    expect((await u.waitForMessage()).text).toBe('Ваша роль (кассир) не позволяет это сделать.');
    u.sendText('Анна');
    expect((await u.waitForMessage()).text).toMatch(/^Поиск по имени — для менеджеров и выше/);
    u.sendCommand('/invite');
    expect((await u.waitForMessage()).text).toBe('Ваша роль (кассир) не позволяет это сделать.');
  });

  it('lets a manager adjust with a reason (once, however often confirmed) and refuses going over the day\'s limit, telling the owner', async () => {
    const { u, staffId } = await join('manager');
    await updateStaff(t.deps, { cli: true }, { businessId, staffId, change: { limits: { maxPointsPerDay: 150 } } });
    const m = await aMember('7305', 'Глеб');
    u.sendText('Глеб'); // managers may search by name
    await startOp(u, 'adjust', m.id);
    await u.waitForMessage((x) => x.text.startsWith('Введите число (баллы)'));
    u.sendText('+100');
    await u.waitForMessage((x) => x.text.startsWith('Причина?'));
    u.sendText('Компенсация за ожидание');
    const confirm = await u.waitForMessage((x) => x.text.includes('Подтвердить?'));
    expect(confirm.text).toBe('+100 баллы клиенту Глеб. Причина: «Компенсация за ожидание». Подтвердить?');
    const data = callbacks(confirm).find((d) => d.startsWith('oka:'))!;
    const done = u.waitForMessage((x) => x.text.startsWith('✅ Готово'));
    const once = u.pressButton(data, confirm.message_id);
    const twice = u.pressButton(data, confirm.message_id); // a double tap
    await once.answer();
    expect((await twice.answer()).text).toBe('Эта операция уже завершена или отменена.');
    await done;
    expect(await balanceOf(m.id)).toBe(1100);

    // 2000 ₽ would issue 100 more points: 200 > 150 a day.
    await startOp(u, 'earn', m.id);
    await u.waitForMessage((x) => x.text.startsWith('Сумма покупки?'));
    u.sendText('2000');
    const refused = await u.waitForMessage((x) => x.text.startsWith('⛔'));
    expect(refused.text).toBe('⛔ Отклонено: превышен ваш лимит за день — доступно ещё 50, а операция на 100. Владелец уведомлён.');
    expect(await balanceOf(m.id)).toBe(1100);
    expect(alerts.filter((a) => a.staffId === staffId)).toEqual([{ businessId, staffId, limit: 'per_day', action: 'till.earn' }]);
    expect((await auditOf(staffId)).map((a) => [a.action, a.points, a.channel])).toEqual([
      ['staff.joined', null, 'telegram'],
      ['points.adjust', 100, 'telegram'],
      ['limit.exceeded', 100, 'telegram'],
    ]);
    u.sendCommand('/today');
    expect(text(await u.waitForMessage((x) => x.text.startsWith('Итоги')))).toMatch(/^Итоги за \d\d\.\d\d\.\d{4}:\nПокупок: \d+ на [\d ,]+ ₽/);
  });
});

describe('"Log in with Telegram" on the cashier screen', () => {
  it('/start login_<code> from active staff approves the page\'s login; from a stranger it does not', async () => {
    const { u } = await join('cashier');
    const login = await startTelegramLogin(t.deps, { businessId });
    const code = login.botLink.split('start=')[1]!;
    const stranger = aUser();
    const refusal = stranger.waitForMessage();
    stranger.sendCommand('/start', code);
    expect((await refusal).text).toMatch(/для сотрудник/);
    expect(await pollTelegramLogin(t.deps, login.loginId, null)).toEqual({ status: 'pending' });
    const ok = u.waitForMessage((m) => m.text.startsWith('✅ Вход подтверждён'));
    u.sendCommand('/start', code);
    await ok;
    expect(await pollTelegramLogin(t.deps, login.loginId, null)).toMatchObject({ status: 'approved' });
    const again = u.waitForMessage();
    u.sendCommand('/start', code);
    expect((await again).text).toMatch(/^Ссылка для входа недействительна/);
  });
});

describe('the role matrix in the bot', () => {
  it('gives each role exactly the commands the table allows; removed staff and other businesses\' staff get nothing', async () => {
    const refused = (role: string) => `Ваша роль (${role}) не позволяет это сделать.`;
    const names: Record<StaffRole, string> = { owner: 'владелец', admin: 'администратор', manager: 'менеджер', cashier: 'кассир' };
    const actions: [string, (u: TelegramUser) => void, (m: BotMessage) => boolean][] = [
      ['/today', (u) => u.sendCommand('/today'), (m) => m.text.startsWith('Итоги за')],
      ['/bonus', (u) => u.sendCommand('/bonus', '5 Матрица'), (m) => m.text.startsWith('Начислить по 5')],
      ['/invite', (u) => u.sendCommand('/invite'), (m) => m.text === 'Кого пригласить?'],
      ['/broadcast', (u) => u.sendCommand('/broadcast', 'Привет'), (m) => m.text.startsWith('✅ Рассылка принята')],
      ['search by name', (u) => u.sendText('Несуществующееимя'), (m) => m.text.startsWith('Клиент не найден')],
    ];
    const allowed: Record<StaffRole, string[]> = {
      owner: ['/today', '/bonus', '/invite', '/broadcast', 'search by name'],
      admin: ['/today', '/bonus', '/invite', '/broadcast', 'search by name'],
      manager: ['/today', 'search by name'],
      cashier: [],
    };
    for (const role of ['owner', 'admin', 'manager', 'cashier'] as StaffRole[]) {
      const { u } = await join(role);
      for (const [name, act, ok] of actions) {
        const reply = u.waitForMessage();
        act(u);
        const m = await reply;
        const got = ok(m) ? 'allowed' : m.text === refused(names[role]) || m.text.startsWith('Поиск по имени — для менеджеров') ? 'refused' : `unexpected: ${m.text}`;
        expect(`${role} ${name}: ${got}`).toBe(`${role} ${name}: ${allowed[role].includes(name) ? 'allowed' : 'refused'}`);
        u.sendCommand('/cancel');
        await u.waitForMessage();
      }
    }
    // Removed: the account is no longer staff (one refusal, then silence), whatever it sends.
    const { u: gone, staffId } = await join('admin');
    await t.db.updateTable('staff').set({ status: 'removed' }).where('id', '=', staffId).execute();
    const first = gone.waitForMessage();
    gone.sendCommand('/today');
    expect((await first).text).toMatch(/для сотрудник/);
    const before = gone.messages().length;
    gone.sendCommand('/bonus', '5 x');
    gone.sendText('1234');
    await new Promise((r) => setTimeout(r, 300));
    expect(gone.messages().length).toBe(before);
    // Another business's staff (same person, other shop) is a stranger here.
    const other = await aBusiness(t.deps);
    const { token } = await inviteStaff(t.deps, { cli: true }, { businessId: other.id, role: 'owner', name: 'Чужой' });
    const stranger = aUser();
    const reply = stranger.waitForMessage();
    stranger.sendCommand('/start', token);
    expect((await reply).text).toMatch(/приглашение|недействительно|invitation/i);
  });
});

describe('admin commands', () => {
  it('/invite asks the role and name and replies with the Telegram and web links; the link works', async () => {
    const { u } = await join('admin');
    u.sendCommand('/invite');
    const ask = await u.waitForMessage((m) => m.text === 'Кого пригласить?');
    expect(callbacks(ask)).toEqual(['inv:manager', 'inv:cashier']); // only roles below an admin's own
    await u.pressButton('inv:manager', ask.message_id).answer();
    await u.waitForMessage((m) => m.text.startsWith('Как зовут нового сотрудника'));
    u.sendText('Марина');
    const links = await u.waitForMessage((m) => m.text.startsWith('Приглашение для Марина'));
    const token = /start=(ksi_[\w-]+)/.exec(links.text)?.[1];
    expect(links.text).toContain(`Telegram: https://t.me/zerno_staff_bot?start=${token}`);
    expect(links.text).toContain(`${CASHIER_BASE}/cashier/?b=${businessId}#invite=${token}`);
    const marina = aUser('Марина', 'Орлова');
    marina.sendCommand('/start', token!);
    expect((await marina.waitForMessage()).text).toBe('Добро пожаловать в команду «Test coffee», Марина Орлова! Ваша роль: менеджер.');
  });

  it('/bonus confirms first and credits every member once; /broadcast is queued', async () => {
    const { u, staffId } = await join('owner');
    const m = await aMember('7306');
    const before = await balanceOf(m.id);
    u.sendCommand('/bonus');
    expect((await u.waitForMessage()).text).toBe('Напишите так: /bonus 100 День рождения кофейни');
    u.sendCommand('/bonus', '25 День рождения кофейни');
    const confirm = await u.waitForMessage((x) => x.text.startsWith('Начислить по 25'));
    await u.pressButton(callbacks(confirm).find((d) => d.startsWith('okb:'))!, confirm.message_id).answer();
    const done = await u.waitForMessage((x) => x.text.startsWith('✅ Начислено по 25'));
    const members = Number(/клиентов: (\d+)/.exec(done.text)?.[1]);
    const total = await t.db.selectFrom('members').select((eb) => eb.fn.countAll<string>().as('n')).where('business_id', '=', businessId).where('blocked', '=', false).executeTakeFirstOrThrow();
    expect(members).toBe(Number(total.n));
    expect(await balanceOf(m.id)).toBe(before + 25);
    u.sendCommand('/broadcast', 'Скидка 20% в пятницу');
    await u.waitForMessage((x) => x.text.startsWith('✅ Рассылка принята'));
    const outbox = await t.db.selectFrom('outbox_events').select(['type', 'payload']).where('business_id', '=', businessId).where('type', '=', 'broadcast.requested').execute();
    expect(outbox.map((o) => o.payload as { text: string; by: string }).filter((p) => p.by === staffId).map((p) => p.text)).toEqual(['Скидка 20% в пятницу']);
    expect((await auditOf(staffId)).map((a) => [a.action, a.channel])).toEqual([
      ['staff.joined', 'telegram'],
      ['points.bulk', 'telegram'],
      ['broadcast.send', 'telegram'],
    ]);
  });

  it('speaks English to English-language Telegram apps, with /help by role', async () => {
    const { u } = await join('manager', aUser('Kate', 'Doe', 'en'));
    u.sendCommand('/help');
    const help = await u.waitForMessage((m) => m.text.startsWith('You are manager'));
    expect(help.text).toContain('/today');
    expect(help.text).not.toContain('/invite');
    u.sendText('12');
    expect((await u.waitForMessage()).text).toMatch(/^I did not understand/);
  });
});

describe('without a public https address, and when something breaks', () => {
  // A second staff bot of the same business, built directly (not in the bots table, so the runner leaves it alone):
  // the cashier screen is on plain http, and sending redemption codes fails.
  const TOKEN2 = '7600000002:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
  const errors: string[] = [];
  let bot: ReturnType<typeof createStaffBot> | undefined;
  let running: Promise<void> | undefined;
  afterAll(async () => {
    await bot?.stop();
    await running;
  });

  it('says scanning needs https, gives the http web link, and answers an update that fails', async () => {
    tg.addBot({ token: TOKEN2, username: 'zerno_staff2_bot' });
    const conn = { id: '01a20000-0000-7000-8000-000000000001', businessId, role: 'staff' as const, token: TOKEN2, telegramId: 7600000002, username: 'zerno_staff2_bot', webhookSecret: 'x', createdAt: new Date() };
    const broken: TillDeps = { ...till, codes: { send: async () => { throw new Error('the member channel is down'); } } };
    const log = { ...silentLogger, error: (m: string) => void errors.push(m) };
    bot = createStaffBot(t.deps, conn, { apiRoot: tg.url, log, till: broken, cashierBaseUrl: 'http://127.0.0.1:3000' });
    running = bot.start({ drop_pending_updates: false });

    const { token } = await inviteStaff(t.deps, { cli: true }, { businessId, role: 'admin', name: 'Админ' });
    const u = tg.user(TOKEN2, { id: ++userSeq, first_name: 'Антон', language_code: 'ru' });
    const help = u.waitForMessage((m) => m.text.startsWith('Вы — администратор'));
    u.sendCommand('/start', token);
    await help;
    u.sendText('📷 Сканировать QR');
    const scan = await u.waitForMessage();
    expect(scan.text).toMatch(/^Сканировать QR можно в экране кассы, а он открывается в Telegram только с публичного https-адреса/);
    expect(buttonsOf(scan).some((b) => 'web_app' in b)).toBe(false);

    u.sendCommand('/invite');
    await u.pressButton('inv:cashier', (await u.waitForMessage((m) => m.text === 'Кого пригласить?')).message_id).answer();
    await u.waitForMessage((m) => m.text.startsWith('Как зовут'));
    u.sendText('Кассир Новый');
    const links = await u.waitForMessage((m) => m.text.startsWith('Приглашение для'));
    expect(links.text).toMatch(/Telegram: https:\/\/t\.me\/zerno_staff2_bot\?start=ksi_/);
    expect(links.text).toContain(`Экран кассы в браузере: http://127.0.0.1:3000/cashier/?b=${businessId}#invite=ksi_`);

    const m = await aMember('7399');
    u.sendText('7399');
    await startOp(u, 'redeem', m.id);
    await u.waitForMessage((x) => x.text.startsWith('Сумма покупки'));
    u.sendText('1000');
    const quote = await u.waitForMessage((x) => x.text.startsWith('Покупка на'));
    await u.pressButton(callbacks(quote).find((d) => d.startsWith('rmax:'))!, quote.message_id).answer();
    expect((await u.waitForMessage()).text).toBe('Что-то пошло не так, операция не выполнена. Попробуйте ещё раз.');
    expect(errors.join('\n')).toContain('the member channel is down');
    u.sendCommand('/help'); // still alive
    await u.waitForMessage((x) => x.text.startsWith('Вы — администратор'));
  });
});
