// The local Telegram Bot API stand-in, driven by real grammY bots: long polling with bot.start(), webhook mode with
// webhookCallback on a node:http server, Telegram's error answers surfacing as GrammyError, and real long-poll timing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, Bot, GrammyError, InlineKeyboard, Keyboard, webhookCallback, type ApiClientOptions } from 'grammy';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buttonsOf, startTelegramApi, type TelegramApi } from './support/telegramApi.js';

let tg: TelegramApi;
beforeAll(async () => {
  tg = await startTelegramApi();
});
afterAll(async () => {
  await tg?.close();
});

/** A bot like the project's: /start asks for the phone with a request_contact keyboard, text is echoed, the inline
 * "Balance" button is answered and its message edited. */
function loyaltyBot(token: string, client: ApiClientOptions = {}) {
  const bot = new Bot(token, { client: { apiRoot: tg.url, ...client } });
  const seen: Update[] = [];
  bot.use(async (ctx, next) => {
    seen.push(ctx.update);
    await next();
  });
  bot.command('start', (ctx) =>
    ctx.reply(`Welcome! Code: ${ctx.match || 'none'}. Share your phone to join.`, {
      reply_markup: new Keyboard().requestContact('Share phone').resized().oneTime(),
    }),
  );
  bot.on('message:contact', async (ctx) => {
    const contact = ctx.message.contact;
    if (contact.user_id !== ctx.from.id) {
      await ctx.reply('Please share your own contact.');
      return;
    }
    await ctx.reply(`Thanks, ${contact.phone_number}`, { reply_markup: { remove_keyboard: true } });
    await ctx.reply('<b>Your card</b>', {
      parse_mode: 'HTML',
      reply_markup: new InlineKeyboard().text('Balance', 'balance').webApp('Open card', 'https://kopilka.example/card'),
    });
  });
  bot.on('message:text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
  bot.on('callback_query:data', async (ctx) => {
    await ctx.answerCallbackQuery({ text: `pressed ${ctx.callbackQuery.data}` });
    await ctx.editMessageText('Balance: 0 points', { reply_markup: new InlineKeyboard().text('Balance', 'balance') });
  });
  return { bot, seen };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as GrammyError,
  );

describe('Telegram Bot API stand-in', () => {
  it('long polling: /start, a contact, text and a button press reach a grammY bot; replies are recorded; stop is prompt', async () => {
    const token = '5001:AAE-long-polling-test';
    tg.addBot({ token, username: 'kopilka_poll_bot' });
    const { bot, seen } = loyaltyBot(token);
    const errors: unknown[] = [];
    bot.catch((e) => void errors.push(e.error));
    const alice = tg.user(token, { id: 4242, first_name: 'Alice', username: 'alice' });
    const polling = bot.start(); // grammY polls with getUpdates timeout=30

    alice.sendCommand('/start', 'ref42');
    const welcome = await alice.waitForMessage((m) => m.text.startsWith('Welcome'));
    expect(welcome.text).toBe('Welcome! Code: ref42. Share your phone to join.');
    expect(buttonsOf(welcome)).toEqual([{ text: 'Share phone', request_contact: true }]);
    expect(alice.replyKeyboard()).toMatchObject({ one_time_keyboard: true, resize_keyboard: true });

    const card = alice.waitForMessage((m) => m.text === 'Your card');
    alice.shareContact({ phone_number: '+79001234567' });
    expect((await card).entities).toEqual([{ type: 'bold', offset: 0, length: 9 }]);
    expect(alice.replyKeyboard()).toBeUndefined(); // the one-time keyboard went away, and remove_keyboard came too
    const forged = alice.waitForMessage();
    alice.shareContact({ phone_number: '+79990000000', user_id: 777, first_name: 'Mallory' });
    expect((await forged).text).toBe('Please share your own contact.');

    alice.sendText('hello there');
    expect((await alice.waitForMessage()).text).toBe('echo: hello there');

    const cardId = alice.messages().find((m) => m.text === 'Your card')!.message_id;
    expect(await alice.pressButton('balance').answer()).toEqual({ text: 'pressed balance' });
    await vi.waitFor(() => expect(alice.messages().find((m) => m.message_id === cardId)?.text).toBe('Balance: 0 points'));
    // Pressing again: the edit would change nothing, and Telegram says so.
    expect(await alice.pressButton('balance', cardId).answer()).toEqual({ text: 'pressed balance' });
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toBeInstanceOf(GrammyError);
    expect((errors[0] as GrammyError).description).toMatch(/^Bad Request: message is not modified/);

    expect(alice.messages().map((m) => [m.message_id, m.text])).toEqual([
      [2, 'Welcome! Code: ref42. Share your phone to join.'],
      [4, 'Thanks, +79001234567'],
      [5, 'Balance: 0 points'],
      [7, 'Please share your own contact.'],
      [9, 'echo: hello there'],
    ]);

    // What the bot received is what Telegram sends.
    const ids = seen.map((u) => u.update_id);
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));
    expect(seen[0]!.message).toMatchObject({
      message_id: 1,
      text: '/start ref42',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      from: { id: 4242, is_bot: false, first_name: 'Alice', username: 'alice' },
      chat: { id: 4242, type: 'private' },
    });
    expect(seen[1]!.message?.contact).toEqual({ phone_number: '+79001234567', first_name: 'Alice', user_id: 4242 });
    expect(seen[4]!.callback_query).toMatchObject({ data: 'balance', from: { id: 4242 }, message: { message_id: cardId } });

    const t0 = performance.now();
    await bot.stop();
    await polling;
    expect(performance.now() - t0).toBeLessThan(1000);
    const polls = tg.calls.filter((c) => c.token === token && c.method === 'getUpdates');
    expect(polls.some((c) => c.params.timeout === 30)).toBe(true);
    // stop() cancelled the held poll: the stand-in sees the hang-up, or the next getUpdates supersedes it (409).
    const cancelled = polls.at(-2)!;
    expect(cancelled.params.timeout).toBe(30);
    expect(cancelled.aborted === true || cancelled.response?.error_code === 409).toBe(true);
    expect(polls.at(-1)!.params).toMatchObject({ offset: ids.at(-1)! + 1, limit: 1 }); // stop() confirms the last update
    expect(tg.pendingUpdates(token)).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it('webhook mode: updates POSTed with the secret header; grammY refuses a wrong secret; getUpdates answers 409', async () => {
    const token = '5002:AAE-webhook-test';
    tg.addBot({ token, username: 'kopilka_hook_bot' });
    // answerCallbackQuery travels back in the webhook response body, which Telegram executes.
    const { bot } = loyaltyBot(token, { canUseWebhookReply: (method) => method === 'answerCallbackQuery' });
    const handle = webhookCallback(bot, 'http', { secretToken: 'right-secret' });
    const secrets: unknown[] = [];
    const server = http.createServer((req, res) => {
      secrets.push(req.headers['x-telegram-bot-api-secret-token']);
      void handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`;
    try {
      expect(await bot.api.setWebhook(hookUrl, { secret_token: 'right-secret' })).toBe(true);
      expect(await bot.api.getWebhookInfo()).toMatchObject({ url: hookUrl, pending_update_count: 0, has_custom_certificate: false });
      const bob = tg.user(token, { id: 5151, first_name: 'Bob' });

      bob.sendCommand('/start');
      expect((await bob.waitForMessage()).text).toBe('Welcome! Code: none. Share your phone to join.');
      expect(secrets).toEqual(['right-secret']);
      const card = bob.waitForMessage((m) => m.text === 'Your card');
      bob.shareContact({ phone_number: '+79005556677' });
      await card;
      expect(await bob.pressButton('balance').answer()).toEqual({ text: 'pressed balance' });
      expect(tg.calls.filter((c) => c.viaWebhookReply)).toMatchObject([
        { token, method: 'answerCallbackQuery', params: { text: 'pressed balance' }, response: { ok: true, result: true } },
      ]);

      const conflict = await failure(bot.api.getUpdates());
      expect(conflict).toBeInstanceOf(GrammyError);
      expect(conflict).toMatchObject({
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });

      // Someone else posting to the webhook without the secret is turned away by grammY.
      const handledBefore = tg.calls.length;
      const forged = await fetch(hookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'guess' },
        body: JSON.stringify({ update_id: 1, message: { message_id: 99, date: 0, chat: { id: 5151, type: 'private' }, text: '/start' } }),
      });
      expect(forged.status).toBe(401);
      expect(tg.calls.length).toBe(handledBefore);

      // Telegram holding the wrong secret: grammY answers 401, the stand-in retries, records the error, keeps the update.
      await bot.api.setWebhook(hookUrl, { secret_token: 'wrong-secret' });
      const sentBefore = bob.messages().length;
      bob.sendText('are you there?');
      await tg.webhookIdle(token);
      expect(secrets.filter((s) => s === 'wrong-secret')).toHaveLength(4); // the first try and 3 retries
      expect(await bot.api.getWebhookInfo()).toMatchObject({
        pending_update_count: 1,
        last_error_message: 'Wrong response from the webhook: 401 Unauthorized',
      });
      expect(bob.messages()).toHaveLength(sentBefore);

      // With the right secret again, the pending update goes through.
      const late = bob.waitForMessage();
      await bot.api.setWebhook(hookUrl, { secret_token: 'right-secret' });
      expect((await late).text).toBe('echo: are you there?');
      await tg.webhookIdle(token);
      expect((await bot.api.getWebhookInfo()).pending_update_count).toBe(0);
    } finally {
      await bot.api.deleteWebhook();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers like Telegram: unknown token 401, unknown method 404, bad parameters 400, blocked 403', async () => {
    const stranger = new Api('999999:AAE-nobody-knows-me', { apiRoot: tg.url });
    expect(await failure(stranger.getMe())).toMatchObject({ error_code: 401, description: 'Unauthorized' });
    const raw401 = await fetch(`${tg.url}/bot999999:AAE-nobody-knows-me/getMe`);
    expect([raw401.status, await raw401.json()]).toEqual([401, { ok: false, error_code: 401, description: 'Unauthorized' }]);

    const token = '5003:AAE-errors-test';
    tg.addBot({ token, username: 'kopilka_errors_bot', firstName: 'Kopilka' });
    const api = new Api(token, { apiRoot: tg.url });
    expect(await api.getMe()).toMatchObject({ id: 5003, is_bot: true, username: 'kopilka_errors_bot', first_name: 'Kopilka' });
    const notFound = await failure(api.sendChatAction(1, 'typing'));
    expect(notFound).toBeInstanceOf(GrammyError);
    expect(notFound).toMatchObject({ error_code: 404, description: 'Not Found', method: 'sendChatAction' });

    expect(await failure(api.sendMessage(123456, 'hi'))).toMatchObject({ error_code: 400, description: 'Bad Request: chat not found' });
    const carol = tg.user(token, { id: 6161, first_name: 'Carol' });
    expect(await failure(api.sendMessage(6161, 'hi'))).toMatchObject({
      error_code: 403,
      description: "Forbidden: bot can't initiate conversation with a user",
    });
    carol.sendCommand('/start');
    await expect(carol.waitForMessage(undefined, 50)).rejects.toThrow(/within 50 ms\.\nTranscript:\n {2}#1 user: "\/start"$/);
    expect(await failure(api.sendMessage(6161, ''))).toMatchObject({ description: 'Bad Request: message text is empty' });
    expect(await failure(api.sendMessage(6161, 'You have 10.5 points', { parse_mode: 'MarkdownV2' }))).toMatchObject({
      error_code: 400,
      description: "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    });
    expect(await failure(api.sendMessage(6161, 'a<br>b', { parse_mode: 'HTML' }))).toMatchObject({
      description: `Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 1`,
    });
    expect(
      await failure(api.sendMessage(6161, 'Card', { reply_markup: new InlineKeyboard().webApp('Open', 'http://localhost:3000/card') })),
    ).toMatchObject({ error_code: 400, description: expect.stringMatching(/Web App URL .* Only HTTPS links are allowed$/) });
    expect(await failure(api.sendMessage(6161, 'x', { reply_markup: new InlineKeyboard().text('a'.repeat(10), 'd'.repeat(65)) }))).toMatchObject({
      description: 'Bad Request: BUTTON_DATA_INVALID',
    });

    const sent = await api.sendMessage(6161, '*You have* 10\\.5 points', { parse_mode: 'MarkdownV2' });
    expect(sent).toMatchObject({ message_id: 2, text: 'You have 10.5 points', entities: [{ type: 'bold', offset: 0, length: 8 }], from: { id: 5003 } });
    expect(await failure(api.editMessageText(6161, sent.message_id, '*You have* 10\\.5 points', { parse_mode: 'MarkdownV2' }))).toMatchObject({
      description: expect.stringMatching(/^Bad Request: message is not modified/),
    });
    expect(await failure(api.editMessageText(6161, 1, 'edited'))).toMatchObject({ description: "Bad Request: message can't be edited" });
    expect(await api.deleteMessage(6161, sent.message_id)).toBe(true);
    expect(await failure(api.deleteMessage(6161, sent.message_id))).toMatchObject({ description: 'Bad Request: message to delete not found' });
    expect(await failure(api.answerCallbackQuery('nope'))).toMatchObject({
      description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
    });

    // Settings round-trip.
    await api.setMyCommands([{ command: 'start', description: 'Join the loyalty program' }]);
    expect(await api.getMyCommands()).toEqual([{ command: 'start', description: 'Join the loyalty program' }]);
    expect(await failure(api.setMyCommands([{ command: 'Bad-Command', description: 'x' }]))).toMatchObject({ description: 'Bad Request: BOT_COMMAND_INVALID' });
    await api.setMyDescription('Points for every coffee');
    expect(await api.getMyDescription()).toEqual({ description: 'Points for every coffee' });
    await api.setChatMenuButton({ chat_id: 6161, menu_button: { type: 'web_app', text: 'Card', web_app: { url: 'https://kopilka.example/card' } } });
    expect(await api.getChatMenuButton({ chat_id: 6161 })).toEqual({ type: 'web_app', text: 'Card', web_app: { url: 'https://kopilka.example/card' } });
    expect(carol.menuButton()).toMatchObject({ type: 'web_app' });
    expect(await api.getChatMenuButton()).toEqual({ type: 'commands' });

    // The wire protocol beyond grammY's JSON: GET with a query string, and a form body with JSON-encoded fields.
    const got = await fetch(`${tg.url}/bot${token}/getme`);
    expect(await got.json()).toMatchObject({ ok: true, result: { username: 'kopilka_errors_bot' } });
    const form = await fetch(`${tg.url}/bot${token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: '6161', text: 'Pick one', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] }) }),
    });
    expect(await form.json()).toMatchObject({ ok: true, result: { text: 'Pick one', reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] } } });

    carol.block();
    expect(await failure(api.sendMessage(6161, 'Come back!'))).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect((await api.getUpdates()).map((u) => u.my_chat_member?.new_chat_member.status).filter(Boolean)).toEqual(['kicked']);
  });

  it('getUpdates really long-polls: an empty poll waits its timeout, an arriving update ends it at once', async () => {
    const token = '5004:AAE-timing-test';
    tg.addBot({ token, username: 'kopilka_timing_bot' });
    const api = new Api(token, { apiRoot: tg.url });
    const dave = tg.user(token, { id: 7171, first_name: 'Dave' });

    let t0 = performance.now();
    expect(await api.getUpdates({ timeout: 1 })).toEqual([]);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(1500);

    t0 = performance.now();
    const poll = api.getUpdates({ timeout: 10 });
    setTimeout(() => dave.sendText('ping'), 150);
    const updates = await poll;
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1000);
    expect(updates.map((u) => u.message?.text)).toEqual(['ping']);

    // Unconfirmed updates come again; an offset past them confirms them.
    expect(await api.getUpdates()).toEqual(updates);
    expect(await api.getUpdates({ offset: updates[0]!.update_id + 1 })).toEqual([]);
    expect(tg.pendingUpdates(token)).toEqual([]);

    // A second poller ends the first with 409, as when two bot instances run.
    const first = failure(api.getUpdates({ timeout: 5 }));
    await vi.waitFor(() => expect(tg.calls.some((c) => c.token === token && c.params.timeout === 5 && !c.response)).toBe(true));
    expect(await api.getUpdates()).toEqual([]);
    expect(await first).toMatchObject({
      error_code: 409,
      description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    });

    // close() ends a held long poll at once instead of leaving it hanging.
    const other = await startTelegramApi();
    other.addBot({ token, username: 'kopilka_timing_bot' });
    const held = new Api(token, { apiRoot: other.url }).getUpdates({ timeout: 30 });
    await vi.waitFor(() => expect(other.calls.some((c) => c.method === 'getUpdates')).toBe(true));
    t0 = performance.now();
    await other.close();
    expect(await held).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
