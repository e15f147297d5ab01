// The customer bot end to end: real grammY, long polling against the local Bot API stand-in, real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBot } from '../src/app/bots.js';
import { createMember } from '../src/app/createMember.js';
import { updateMember } from '../src/app/updateMember.js';
import { startBotRunner, type BotRunner } from '../src/bots/runner.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import { silentLogger } from '../src/config/logger.js';
import { aBusiness, nextPhone } from './support/factories.js';
import { buttonsOf, startTelegramApi, type TelegramApi } from './support/telegramApi.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

const TOKEN = '7100000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
let t: TestDatabase;
let tg: TelegramApi;
let runner: BotRunner;
let businessId: string;

beforeAll(async () => {
  t = await openTestDatabase();
  tg = await startTelegramApi();
  tg.addBot({ token: TOKEN, username: 'coffee_bot' });
  const b = await aBusiness(t.deps, { welcomeBonus: 100, pointsName: 'бонусы' });
  businessId = b.id;
  await connectBot(t.deps, telegramGateway(tg.url), { businessId, role: 'customer', token: TOKEN });
  runner = startBotRunner(t.deps, silentLogger, { apiRoot: tg.url });
  await runner.refresh();
});
afterAll(async () => {
  await runner?.stop();
  await tg?.close();
  await t?.close();
});

let userSeq = 20_000;
const aUser = (language_code = 'ru') => tg.user(TOKEN, { id: ++userSeq, first_name: 'Ольга', username: `olga${userSeq}`, language_code });
const members = () => t.db.selectFrom('members').select(['id', 'phone', 'telegram_user_id']).where('business_id', '=', businessId).execute();

describe('the customer bot', () => {
  it('/start → consent → own phone → card with the welcome bonus → marketing consent → menu', async () => {
    const u = aUser();
    u.sendCommand('/start');
    const ask = await u.waitForMessage((m) => m.text.includes('согласие'));
    expect(buttonsOf(ask).map((b) => ('text' in b ? b.text : ''))).toEqual(['☑️ Согласен(на) на обработку персональных данных']);
    await u.pressButton('consent:pd').answer();
    const share = await u.waitForMessage((m) => m.text.includes('поделитесь номером'));
    expect(buttonsOf(share)).toEqual([expect.objectContaining({ request_contact: true })]);
    const phone = nextPhone();
    u.shareContact({ phone_number: phone.slice(1) });
    // The default questionnaire: an optional birthday.
    const birthday = await u.waitForMessage((m) => m.text.includes('день рождения'));
    expect(buttonsOf(birthday).map((b) => ('text' in b ? b.text : ''))).toEqual(['Пропустить']);
    u.sendText('31.02.1990');
    await u.waitForMessage((m) => m.text.startsWith('Не получилось прочитать дату'));
    u.sendText('01.05.1990');
    const card = await u.waitForMessage((m) => m.text.includes('выпущена'));
    expect(card.text).toMatch(/В подарок — 100 бонусы!/);
    const marketing = await u.waitForMessage((m) => m.text.includes('новости'));
    expect(marketing.reply_markup).toBeTruthy();
    await u.pressButton('marketing:no').answer();
    await u.waitForMessage((m) => m.text.includes('Записали'));
    u.sendText('💰 Баланс');
    expect((await u.waitForMessage((m) => m.text.startsWith('Доступно'))).text).toContain('Доступно: 100 бонусы.');
    u.sendText('🧾 История');
    expect((await u.waitForMessage((m) => m.text.startsWith('Последние'))).text).toMatch(/\+100\s+Приветственный бонус/);
    const me = (await members()).find((m) => m.phone === phone);
    expect(me?.telegram_user_id).toBe(u.user.id);
    expect((await t.db.selectFrom('members').select('birthday').where('id', '=', me?.id ?? '').executeTakeFirst())?.birthday).toBe('1990-05-01');
    const consents = await t.db.selectFrom('member_consents').select(['kind', 'granted', 'text_version', 'channel']).where('member_id', '=', me?.id ?? '').orderBy('id').execute();
    expect(consents).toEqual([
      { kind: 'personal_data', granted: true, text_version: 'pd-1', channel: 'telegram' },
      { kind: 'marketing', granted: false, text_version: 'mk-1', channel: 'telegram' },
    ]);
  });

  it('refuses a contact that is not the sender\'s own, and a phone before the consent', async () => {
    const u = aUser();
    const before = (await members()).length;
    u.sendCommand('/start');
    await u.waitForMessage((m) => m.text.includes('согласие'));
    u.shareContact({ phone_number: nextPhone() });
    await u.waitForMessage((m) => m.text.startsWith('Сначала подтвердите'));
    await u.pressButton('consent:pd').answer();
    await u.waitForMessage((m) => m.text.includes('поделитесь номером'));
    u.shareContact({ phone_number: nextPhone(), user_id: 999 });
    await u.waitForMessage((m) => m.text.startsWith('Можно поделиться только своим номером'));
    expect((await members()).length).toBe(before);
  });

  it('links a member enrolled at the till instead of making a second card', async () => {
    const phone = nextPhone();
    const atTill = await createMember(t.deps, { businessId, phone });
    const u = aUser('en');
    u.sendCommand('/start');
    await u.waitForMessage((m) => m.text.includes('consent'));
    await u.pressButton('consent:pd').answer();
    await u.waitForMessage((m) => m.text.includes('share your phone'));
    u.shareContact({ phone_number: phone });
    await u.waitForMessage((m) => m.text.includes('birthday'));
    await u.pressButton('q:skip:birthday').answer();
    const found = await u.waitForMessage((m) => m.text.startsWith('We found your card'));
    expect(found.text).toContain(atTill.member.cardNumber);
    expect((await members()).filter((m) => m.phone === phone)).toEqual([{ id: atTill.member.id, phone, telegram_user_id: u.user.id }]);
  });

  it('answers what it does not understand, and tells a blocked member to contact the shop', async () => {
    const u = aUser();
    u.sendText('привет');
    expect((await u.waitForMessage()).text).toBe('Не понял сообщение. Выберите пункт меню ниже или нажмите /start.');
    u.sendText('💰 Баланс');
    expect((await u.waitForMessage()).text).toBe('Чтобы получить карту, нажмите /start.');
    const phone = nextPhone();
    u.sendCommand('/start');
    await u.pressButton('consent:pd', (await u.waitForMessage((m) => m.text.includes('согласие'))).message_id).answer();
    u.shareContact({ phone_number: phone });
    await u.waitForMessage((m) => m.text.includes('день рождения'));
    await u.pressButton('q:skip:birthday').answer();
    await u.waitForMessage((m) => m.text.includes('выпущена'));
    const me = (await members()).find((m) => m.phone === phone);
    await updateMember(t.deps, { businessId, memberId: me?.id ?? '', blocked: true });
    u.sendText('💰 Баланс');
    expect((await u.waitForMessage((m) => m.text.includes('заблокирована'))).text).toBe('Ваша карта заблокирована. Пожалуйста, обратитесь в магазин.');
  });
});

describe('blocking the bot', () => {
  it('a member who blocks the bot is unreachable on Telegram until they unblock it', async () => {
    const u = aUser();
    const { member } = await createMember(t.deps, { businessId, phone: nextPhone() });
    await t.deps.uow.run((repos) => repos.members.linkTelegram(businessId, member.id, u.user.id, null));
    u.sendCommand('/start');
    await u.waitForMessage();
    const dead = async () => (await t.db.selectFrom('members').select('dead_channels').where('id', '=', member.id).executeTakeFirstOrThrow()).dead_channels;
    u.block();
    for (let i = 0; i < 100 && (await dead()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await dead()).toEqual(['telegram']);
    u.unblock();
    for (let i = 0; i < 100 && (await dead()).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await dead()).toEqual([]);
  });
});
