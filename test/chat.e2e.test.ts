// The two-way chat with the notifications engine running (API server, outbox, pg-boss, the customer and staff bots
// on the Bot API stand-in): a member writes, staff answer from the staff bot or the staff API, and the answer
// arrives in the member's chat with the customer bot, once. A member who had blocked the bot and writes again is
// reachable again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBot } from '../src/app/bots.js';
import { inviteStaff } from '../src/app/staff.js';
import { startBotRunner, type BotRunner } from '../src/bots/runner.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import { silentLogger } from '../src/config/logger.js';
import { startNotifyHarness, type NotifyHarness } from './support/notifyHarness.js';
import { aStaff } from './support/staff.js';

let staffBotSeq = 0;
let h: NotifyHarness;
let runner: BotRunner;
const quiet = { notifications: { welcomeMessage: false } } as never;

beforeAll(async () => {
  h = await startNotifyHarness();
});
afterAll(async () => {
  await runner?.stop();
  await h?.close();
});

async function shopWithBots() {
  const shop = await h.shop(quiet);
  const staffToken = `74000000${++staffBotSeq}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw`;
  h.tg.addBot({ token: staffToken, username: `chat_e2e_staff${staffBotSeq}_bot` });
  await connectBot(h.t.deps, telegramGateway(h.tg.url), { businessId: shop.id, role: 'staff', token: staffToken });
  if (runner) await runner.refresh();
  else {
    runner = startBotRunner(h.t.deps, silentLogger, { apiRoot: h.tg.url });
    await runner.refresh();
  }
  const { token } = await inviteStaff(h.t.deps, { cli: true }, { businessId: shop.id, role: 'owner', name: 'Владелица' });
  const owner = h.tg.user(staffToken, { id: 880_001, first_name: 'Вера', language_code: 'ru' });
  const help = owner.waitForMessage((m) => m.text.startsWith('Вы — '));
  owner.sendCommand('/start', token);
  await help;
  return { shop, owner };
}

describe('a staff answer reaches the member', () => {
  it('member writes → owner presses Reply in the staff bot → the answer arrives in the member\'s chat, once; the API answer too', async () => {
    const { shop, owner } = await shopWithBots();
    const m = await h.telegramMember(shop, { name: 'Анна' });
    const forward = owner.waitForMessage((x) => x.text.startsWith('💬'));
    m.chat.sendText('Добрый день! Есть ли Baccarat Rouge 540 на 70 мл?');
    await m.chat.waitForMessage((x) => x.text.startsWith('Сообщение отправлено'));
    const f = await forward;
    await owner.pressButton(`chat:${m.id}`, f.message_id).answer();
    await owner.waitForMessage((x) => x.text.startsWith('Напишите ответ'));
    const answer = m.chat.waitForMessage((x) => x.text === 'Есть, отложим для вас до вечера.');
    owner.sendText('Есть, отложим для вас до вечера.');
    await owner.waitForMessage((x) => x.text.startsWith('✅ Ответ отправлен'));
    await answer;

    const manager = await aStaff(h, shop.id, 'manager');
    const second = m.chat.waitForMessage((x) => x.text === 'Цена — 32 000 ₽.');
    await manager.client.replyToChat(shop.id, m.id, 'Цена — 32 000 ₽.', { idempotencyKey: 'price-1' });
    await manager.client.replyToChat(shop.id, m.id, 'Цена — 32 000 ₽.', { idempotencyKey: 'price-1' }); // a retry
    await second;
    const rows = await h.waitFor(async () => {
      const r = (await h.messages(shop.id)).filter((x) => x.kind === 'chat');
      return r.length === 2 && r.every((x) => x.status === 'sent') ? r : null;
    }, 10_000, 'both answers sent');
    expect(rows.map((r) => [r.channel, r.body])).toEqual([
      ['telegram', 'Есть, отложим для вас до вечера.'],
      ['telegram', 'Цена — 32 000 ₽.'],
    ]);
    await new Promise((r) => setTimeout(r, 400));
    expect(m.chat.messages().filter((x) => x.text === 'Цена — 32 000 ₽.')).toHaveLength(1);
    const thread = await manager.client.chatThread(shop.id, m.id);
    expect(thread.items.map((x) => [x.direction, x.text])).toEqual([
      ['out', 'Цена — 32 000 ₽.'],
      ['out', 'Есть, отложим для вас до вечера.'],
      ['in', 'Добрый день! Есть ли Baccarat Rouge 540 на 70 мл?'],
    ]);
  });

  it('a member who blocked the bot (Telegram marked dead) and writes again gets the answer', async () => {
    const { shop } = await shopWithBots();
    const manager = await aStaff(h, shop.id, 'manager');
    const m = await h.telegramMember(shop, { name: 'Олег' });
    m.chat.block();
    await manager.client.replyToChat(shop.id, m.id, 'Ваш заказ готов.');
    await h.waitFor(async () => (await h.messages(shop.id)).find((x) => x.kind === 'chat' && x.status === 'failed'), 10_000, 'the answer to fail');
    const dead = async () => (await h.t.db.selectFrom('members').select('dead_channels').where('id', '=', m.id).executeTakeFirstOrThrow()).dead_channels;
    expect(await dead()).toEqual(['telegram']);
    m.chat.unblock();
    m.chat.sendText('Я снова здесь, что с заказом?');
    await m.chat.waitForMessage((x) => x.text.startsWith('Сообщение отправлено'));
    expect(await dead()).toEqual([]);
    const answer = m.chat.waitForMessage((x) => x.text === 'Заказ готов, ждём вас!');
    await manager.client.replyToChat(shop.id, m.id, 'Заказ готов, ждём вас!');
    await answer;
  });
});
