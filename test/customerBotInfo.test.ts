// The customer bot's "About" answer once the owner has a rich Info page and a business profile: the page's plain
// form (tags stripped, list items as "• ", links as "text (url)", never a tag or a script), then the address with
// the map link, phone, opening hours and links, then the rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBot } from '../src/app/bots.js';
import { updateBusinessProfile } from '../src/app/updateBusinessProfile.js';
import { startBotRunner, type BotRunner } from '../src/bots/runner.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import { silentLogger } from '../src/config/logger.js';
import { aBusiness, nextPhone } from './support/factories.js';
import { startTelegramApi, type TelegramApi } from './support/telegramApi.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

const TOKEN = '7500000007:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
let t: TestDatabase;
let tg: TelegramApi;
let runner: BotRunner;
let businessId: string;

beforeAll(async () => {
  t = await openTestDatabase();
  tg = await startTelegramApi();
  tg.addBot({ token: TOKEN, username: 'zerno_info_bot' });
  businessId = (await aBusiness(t.deps, { welcomeBonus: 10 })).id;
  await updateBusinessProfile(t.deps, { cli: true }, {
    businessId,
    change: {
      address: 'ул. Ленина, 1',
      mapUrl: 'https://yandex.ru/maps/-/CDaBcD',
      phone: '+7 495 123-45-67',
      socialLinks: [{ kind: 'telegram', url: 't.me/zerno' }],
      hours: { days: { mon: { open: '08:00', close: '22:00' }, fri: { open: '18:00', close: '02:00', overnight: true } }, note: 'Санитарный день — последний четверг' },
      infoHtml: '<h2>Кофейня «Зерно»</h2><p>Кофе <b>на вынос</b><script>alert(1)</script></p><ul><li>Латте</li><li>Раф</li></ul><p><a href="https://zerno.ru" onclick="x()">Сайт</a></p>',
    },
  });
  await connectBot(t.deps, telegramGateway(tg.url), { businessId, role: 'customer', token: TOKEN });
  runner = startBotRunner(t.deps, silentLogger, { apiRoot: tg.url, cardBaseUrl: 'https://loyalty.example.com' });
  await runner.refresh();
});
afterAll(async () => {
  await runner?.stop();
  await tg?.close();
  await t?.close();
});

describe('the customer bot\'s About answer', () => {
  it('is the Info page in plain text, then the address, phone, hours and links, then the rules', async () => {
    const u = tg.user(TOKEN, { id: 77_001, first_name: 'Анна', language_code: 'ru' });
    u.sendCommand('/start');
    await u.pressButton('consent:pd', (await u.waitForMessage((m) => m.text.includes('согласие'))).message_id).answer();
    u.shareContact({ phone_number: nextPhone() });
    await u.waitForMessage((m) => m.text.includes('день рождения') || m.text.startsWith('Готово') || m.text.includes('Карта №'));
    u.sendCommand('/info');
    const info = await u.waitForMessage((m) => m.text.includes('Зерно'));
    expect(info.text).toBe([
      'Кофейня «Зерно»\n\nКофе на вынос\n\n• Латте\n• Раф\n\nСайт (https://zerno.ru)',
      'Адрес: ул. Ленина, 1\nКарта: https://yandex.ru/maps/-/CDaBcD',
      'Телефон: +74951234567',
      'Часы работы:\nПн 08:00–22:00\nВт выходной\nСр выходной\nЧт выходной\nПт 18:00–02:00\nСб выходной\nВс выходной\nСанитарный день — последний четверг',
      'https://t.me/zerno',
      info.text.slice(info.text.indexOf('Правила:')),
    ].join('\n\n'));
    expect(info.text).toMatch(/\n\nПравила: начисляем 5% от суммы покупки/);
    expect(info.text).not.toMatch(/[<>]|script|onclick/);
  });
});
