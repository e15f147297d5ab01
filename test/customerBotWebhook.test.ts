// The customer bot on webhooks (when PUBLIC_URL is set): Telegram (the stand-in) POSTs updates to
// /telegram/<bot id> with the bot's secret token; calls without it are refused and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBot } from '../src/app/bots.js';
import { startBotRunner, type BotRunner } from '../src/bots/runner.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import { silentLogger } from '../src/config/logger.js';
import { createHttpApp, startHttpServer, type RunningHttpServer } from '../src/http/server.js';
import { freePort } from '../src/store/embedded/freePort.js';
import { aBusiness, nextPhone } from './support/factories.js';
import { startTelegramApi, type TelegramApi } from './support/telegramApi.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

const TOKEN = '7200000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
let t: TestDatabase;
let tg: TelegramApi;
let runner: BotRunner;
let server: RunningHttpServer;
let botId = '';

beforeAll(async () => {
  t = await openTestDatabase();
  tg = await startTelegramApi();
  tg.addBot({ token: TOKEN, username: 'hook_bot' });
  const b = await aBusiness(t.deps, { welcomeBonus: 30 });
  botId = (await connectBot(t.deps, telegramGateway(tg.url), { businessId: b.id, role: 'customer', token: TOKEN })).id;
  const port = await freePort();
  runner = startBotRunner(t.deps, silentLogger, { apiRoot: tg.url, publicUrl: `http://127.0.0.1:${port}` });
  server = await startHttpServer(createHttpApp({ app: t.deps, db: t.db, log: silentLogger, telegram: runner }), { host: '127.0.0.1', port });
  await runner.refresh();
});
afterAll(async () => {
  await runner?.stop();
  await server?.close();
  await tg?.close();
  await t?.close();
});

describe('webhook mode', () => {
  it('sets the webhook with a secret token and serves a whole join through it', async () => {
    const setWebhook = tg.calls.find((c) => c.method === 'setWebhook');
    expect(setWebhook?.params).toMatchObject({ url: `${server.url}/telegram/${botId}`, secret_token: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/) });
    const u = tg.user(TOKEN, { id: 31_001, first_name: 'Ира', language_code: 'ru' });
    u.sendCommand('/start');
    await u.pressButton('consent:pd', (await u.waitForMessage((m) => m.text.includes('согласие'))).message_id).answer();
    u.shareContact({ phone_number: nextPhone() });
    await u.waitForMessage((m) => m.text.includes('день рождения'));
    await u.pressButton('q:skip:birthday').answer();
    expect((await u.waitForMessage((m) => m.text.includes('выпущена'))).text).toContain('30');
  });

  it('refuses a call without the right secret, for an unknown bot, or with a broken body', async () => {
    const update = { update_id: 999, message: { message_id: 1, date: 1, chat: { id: 31_002, type: 'private' }, from: { id: 31_002, is_bot: false, first_name: 'X' }, text: '/start' } };
    const post = (path: string, headers: Record<string, string>, body = JSON.stringify(update)) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post(`/telegram/${botId}`, {})).status).toBe(401);
    expect((await post(`/telegram/${botId}`, { 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(401);
    expect((await post('/telegram/nope', { 'x-telegram-bot-api-secret-token': 'x' })).status).toBe(404);
    expect((await post(`/telegram/${botId}`, {}, '{not json')).status).toBe(400);
    expect(tg.calls.filter((c) => c.method === 'sendMessage' && (c.params as { chat_id?: number }).chat_id === 31_002)).toEqual([]);
  });
});
