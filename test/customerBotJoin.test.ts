// The customer bot with a configured program: an invite link, the business's own questions (required and optional),
// the Open card Mini App buttons and menu button, the owner's info text, the profile with the invite link, and the
// referral paid after the friend's first purchase.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBot } from '../src/app/bots.js';
import { createMember } from '../src/app/createMember.js';
import { recordPurchase } from '../src/app/recordPurchase.js';
import { inviteLink } from '../src/app/referrals.js';
import { startBotRunner, type BotRunner } from '../src/bots/runner.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import { silentLogger } from '../src/config/logger.js';
import { aBusiness, nextPhone } from './support/factories.js';
import { buttonsOf, startTelegramApi, type TelegramApi } from './support/telegramApi.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

const TOKEN = '7500000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const CARD_BASE = 'https://loyalty.example.com';
let t: TestDatabase;
let tg: TelegramApi;
let runner: BotRunner;
let businessId: string;
let botId: string;

beforeAll(async () => {
  t = await openTestDatabase();
  tg = await startTelegramApi();
  tg.addBot({ token: TOKEN, username: 'zerno_bot' });
  const b = await aBusiness(t.deps, {
    welcomeBonus: 50,
    infoText: 'Кофейня «Зерно», ул. Ленина, 1. Каждый 6-й кофе — в подарок.',
    questionnaire: [
      { id: 'name', type: 'name', label: '', required: true },
      { id: 'birthday', type: 'birthday', label: '', required: false },
      { id: 'drink', type: 'text', label: 'Любимый напиток?', required: true },
    ],
    referral: { enabled: true, inviterBonus: 100, friendBonus: 70 },
  });
  businessId = b.id;
  botId = (await connectBot(t.deps, telegramGateway(tg.url), { businessId, role: 'customer', token: TOKEN })).id;
  runner = startBotRunner(t.deps, silentLogger, { apiRoot: tg.url, cardBaseUrl: CARD_BASE });
  await runner.refresh();
});
afterAll(async () => {
  await runner?.stop();
  await tg?.close();
  await t?.close();
});

let userSeq = 30_000;
const aUser = () => tg.user(TOKEN, { id: ++userSeq, first_name: 'Анна', last_name: 'Ли', username: `anna${userSeq}`, language_code: 'ru' });
const cardUrl = () => `${CARD_BASE}/card/?b=${businessId}&bot=${botId}`;
const memberRow = (phone: string) => t.db.selectFrom('members').selectAll().where('business_id', '=', businessId).where('phone', '=', phone).executeTakeFirstOrThrow();

describe('joining with the business\'s questions and an invitation', () => {
  it('sets the chat\'s menu button to the card and lists the commands', async () => {
    await expect.poll(() => tg.calls.find((c) => c.method === 'setChatMenuButton' && c.token === TOKEN)?.params).toEqual({
      menu_button: { type: 'web_app', text: 'Карта', web_app: { url: cardUrl() } },
    });
    expect(aUser().menuButton()).toEqual({ type: 'web_app', text: 'Карта', web_app: { url: cardUrl() } });
    expect(tg.calls.filter((c) => c.method === 'setMyCommands' && c.token === TOKEN).length).toBe(2);
  });

  it('asks the questions in order, offers the Telegram name, checks answers, skips only optional ones, then opens the card', async () => {
    const inviterPhone = nextPhone();
    const inviter = await createMember(t.deps, { businessId, phone: inviterPhone });
    const invite = await inviteLink(t.deps, { businessId, memberId: inviter.member.id });
    expect(invite?.link).toMatch(/^https:\/\/t\.me\/zerno_bot\?start=ref_[a-z0-9]{8}$/);
    const code = invite!.link.split('start=')[1]!;

    const u = aUser();
    u.sendCommand('/start', code);
    await u.waitForMessage((m) => m.text.includes('по приглашению друга'));
    await u.pressButton('consent:pd', (await u.waitForMessage((m) => m.text.includes('согласие'))).message_id).answer();
    await u.waitForMessage((m) => m.text.includes('поделитесь номером'));
    const phone = nextPhone();
    u.shareContact({ phone_number: phone });

    const nameQ = await u.waitForMessage((m) => m.text.startsWith('Как к вам обращаться?'));
    expect(buttonsOf(nameQ).map((b) => ('text' in b ? b.text : ''))).toEqual(['Как в Telegram: Анна Ли']); // required: no Skip
    await u.pressButton('q:tgname:name').answer();
    await u.waitForMessage((m) => m.text.includes('день рождения'));
    u.sendText('завтра');
    await u.waitForMessage((m) => m.text.startsWith('Не получилось прочитать дату'));
    await u.pressButton('q:skip:birthday').answer();
    const drinkQ = await u.waitForMessage((m) => m.text === 'Любимый напиток?');
    expect(buttonsOf(drinkQ)).toEqual([]);
    u.sendText('💰 Баланс'); // a menu word is an answer while a question is open
    const card = await u.waitForMessage((m) => m.text.includes('выпущена'));
    expect(card.text).toContain('В подарок — 50 баллы!');
    const open = await u.waitForMessage((m) => m.text.includes('Открыть карту'));
    expect(buttonsOf(open)).toEqual([{ text: '💳 Открыть карту', web_app: { url: cardUrl() } }]);
    await u.waitForMessage((m) => m.text.includes('новости'));

    const row = await memberRow(phone);
    expect(row).toMatchObject({ name: 'Анна Ли', birthday: null, answers: { drink: '💰 Баланс' }, referred_by: inviter.member.id, telegram_user_id: u.user.id });
    // The friend's first purchase pays both sides, once.
    const first = await recordPurchase(t.deps, { businessId, member: { id: row.id }, amount: 100_00 });
    expect(first.balance.available).toBe(50 + 5 + 70);
    await recordPurchase(t.deps, { businessId, member: { id: row.id }, amount: 100_00 });
    const inviterPoints = await t.db.selectFrom('lots').select((eb) => eb.fn.sum<string>('remaining').as('p')).where('member_id', '=', inviter.member.id).executeTakeFirstOrThrow();
    expect(Number(inviterPoints.p)).toBe(50 + 100); // their own welcome bonus + the referral
  });

  it('asks a linked member only what their card lacks', async () => {
    const phone = nextPhone();
    await createMember(t.deps, { businessId, phone, name: 'Пётр' });
    const u = aUser();
    u.sendCommand('/start');
    await u.pressButton('consent:pd', (await u.waitForMessage((m) => m.text.includes('согласие'))).message_id).answer();
    u.shareContact({ phone_number: phone });
    await u.waitForMessage((m) => m.text.includes('день рождения'));
    u.sendText('1985-03-08');
    await u.waitForMessage((m) => m.text === 'Любимый напиток?');
    u.sendText('чай');
    await u.waitForMessage((m) => m.text.startsWith('Нашли вашу карту'));
    expect(await memberRow(phone)).toMatchObject({ name: 'Пётр', birthday: '1985-03-08', answers: { drink: 'чай' } });
  });

  it('shows the owner\'s text, the card button and the profile with the invite link and the marketing switch', async () => {
    const u = aUser();
    const phone = nextPhone();
    await createMember(t.deps, { businessId, phone, name: 'Вера', birthday: '1990-01-02' });
    await t.db.updateTable('members').set({ answers: JSON.stringify({ drink: 'какао' }) as never }).where('phone', '=', phone).execute();
    u.sendCommand('/start');
    await u.pressButton('consent:pd', (await u.waitForMessage((m) => m.text.includes('согласие'))).message_id).answer();
    u.shareContact({ phone_number: phone });
    await u.waitForMessage((m) => m.text.startsWith('Нашли вашу карту'));

    u.sendText('ℹ️ О программе');
    const info = await u.waitForMessage((m) => m.text.includes('Зерно'));
    expect(info.text).toMatch(/^Кофейня «Зерно», ул\. Ленина, 1\. Каждый 6-й кофе — в подарок\.\n\nПравила: начисляем 5% от суммы покупки/);
    u.sendText('💳 Карта');
    const card = await u.waitForMessage((m) => m.text.startsWith('Карта №'));
    expect(buttonsOf(card)).toEqual([{ text: '💳 Открыть карту', web_app: { url: cardUrl() } }]);
    u.sendText('👤 Профиль');
    const profile = await u.waitForMessage((m) => m.text.startsWith('Ваш профиль'));
    expect(profile.text).toContain('Имя: Вера');
    expect(profile.text).toContain('День рождения: 02.01.1990');
    expect(profile.text).toMatch(/Пригласите друга по ссылке: https:\/\/t\.me\/zerno_bot\?start=ref_[a-z0-9]{8}/);
    expect(profile.text).toContain('Новости и акции: не присылаем');
    await u.pressButton('marketing:yes', profile.message_id).answer();
    await u.waitForMessage((m) => m.text.startsWith('Записали'));
    u.sendCommand('/profile');
    expect((await u.waitForMessage((m) => m.text.startsWith('Ваш профиль'))).text).toContain('Новости и акции: присылаем');
  });
});
