// The Telegram delivery channel against the Bot API stand-in: a message lands in the member's chat with its button;
// blocked, never-started and unknown chats are dead ends for the channel; Telegram's 429s are honoured (all arrive,
// none twice, at ≥ 90 % of the limit and never above it); one chat gets at most one message a second; an unreachable
// or failing API is a retry, never a dead channel.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage, SendOutcome } from '../src/core/index.js';
import { telegramLimitsFor, telegramSender } from '../src/notify/channels/telegram.js';
import { createRateLimiter } from '../src/notify/rateLimiter.js';
import { buttonsOf, startTelegramApi, type TelegramApi } from './support/telegramApi.js';

const TOKEN = '7001:channel-test-secret';
let tg: TelegramApi;
beforeAll(async () => {
  tg = await startTelegramApi();
  tg.addBot({ token: TOKEN, username: 'kopilka_channel_bot' });
});
afterAll(async () => {
  await tg?.close();
});

const message = (address: string | number, text = 'Начислено 50 баллов'): OutgoingMessage => ({
  businessId: 'b1',
  messageId: `m-${address}-${text.length}`,
  channel: 'telegram',
  address: String(address),
  text,
});

/** Generous limiters of its own, so one test's pauses do not slow another. */
const freeLimiters = () => ({ botLimiter: createRateLimiter({ perSecond: 1000 }), chatLimiter: createRateLimiter({ perSecond: 1000 }) });

/** The most sends that fell in any one-second window. */
function peakPerSecond(times: readonly number[]): number {
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

/** A local HTTP server answering every request with `answer` (or never, for timeouts); its URL and request count. */
async function fakeApi(answer: ((res: http.ServerResponse) => void) | null) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    req.resume();
    if (answer) answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('Telegram channel', () => {
  it('sends into the member\'s chat with the card button and no link preview; the id is the message id', async () => {
    const alice = tg.user(TOKEN, { id: 501, first_name: 'Alice' });
    alice.sendCommand('/start');
    const sender = telegramSender({ token: TOKEN, apiRoot: tg.url, ...freeLimiters(), buttons: [{ text: 'Открыть карту', url: 'https://loyalty.example.com/c/abc' }] });
    expect(sender.channel).toBe('telegram');
    const outcome = await sender.send(message(501, 'Начислено 50 баллов. Баланс: 150'));
    const last = alice.lastMessage()!;
    expect(outcome).toEqual({ status: 'sent', providerMessageId: String(last.message_id) });
    expect(last.text).toBe('Начислено 50 баллов. Баланс: 150');
    expect(buttonsOf(last)).toEqual([{ text: 'Открыть карту', url: 'https://loyalty.example.com/c/abc' }]);
    const call = tg.calls.filter((c) => c.method === 'sendMessage').at(-1)!;
    expect(call.params).toMatchObject({ chat_id: 501, link_preview_options: { is_disabled: true } });

    // Buttons per message, none for some; an over-long text is cut to Telegram's 4,096 instead of refused.
    const perMessage = telegramSender({ token: TOKEN, apiRoot: tg.url, ...freeLimiters(), buttons: (m) => (m.text.startsWith('card') ? [{ text: 'Card', url: 'https://loyalty.example.com/c/x' }] : undefined) });
    expect((await perMessage.send(message(501, 'plain'))).status).toBe('sent');
    expect(buttonsOf(alice.lastMessage())).toEqual([]);
    expect((await perMessage.send(message(501, 'x'.repeat(5000)))).status).toBe('sent');
    expect(alice.lastMessage()!.text).toHaveLength(4096);
  });

  it('a member who blocked the bot, never started it, or has no chat is dead on this channel', async () => {
    const sender = telegramSender({ token: TOKEN, apiRoot: tg.url, ...freeLimiters() });
    const bob = tg.user(TOKEN, { id: 502, first_name: 'Bob' });
    bob.sendCommand('/start');
    bob.block();
    expect(await sender.send(message(502))).toEqual({ status: 'dead', error: 'Forbidden: bot was blocked by the user' });
    tg.user(TOKEN, { id: 503, first_name: 'Carol' }); // never pressed Start
    expect(await sender.send(message(503))).toEqual({ status: 'dead', error: "Forbidden: bot can't initiate conversation with a user" });
    expect(await sender.send(message(999_999))).toEqual({ status: 'dead', error: 'Bad Request: chat not found' });
    expect(bob.messages()).toHaveLength(0);
  });

  it('stand-in down, 5xx, no answer, a revoked token: retry, never dead', async () => {
    const down = await fakeApi(null);
    const downUrl = down.url;
    await down.close();
    const refused = await telegramSender({ token: TOKEN, apiRoot: downUrl, ...freeLimiters() }).send(message(501));
    expect(refused.status).toBe('retry');
    expect((refused as { error: string }).error).toMatch(/Telegram unreachable: .*ECONNREFUSED/);

    const bad = await fakeApi((res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>'));
    expect(await telegramSender({ token: TOKEN, apiRoot: bad.url, ...freeLimiters() }).send(message(501))).toEqual({ status: 'retry', error: 'Telegram answered HTTP 502 with no JSON' });
    await bad.close();

    const failing = await fakeApi((res) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 500, description: 'Internal Server Error' })));
    expect(await telegramSender({ token: TOKEN, apiRoot: failing.url, ...freeLimiters() }).send(message(501))).toEqual({ status: 'retry', error: 'Internal Server Error' });
    await failing.close();

    const silent = await fakeApi(null);
    const timedOut = await telegramSender({ token: TOKEN, apiRoot: silent.url, ...freeLimiters(), timeoutMs: 200 }).send(message(501));
    expect(timedOut).toEqual({ status: 'retry', error: 'Telegram unreachable: no answer in 200 ms' });
    await silent.close();

    expect((await telegramSender({ token: '7001:revoked', apiRoot: tg.url, ...freeLimiters() }).send(message(501))).status).toBe('retry');
  });

  it('a 429 with a long retry_after is handed back as retry at once, and pauses the bot for that long', async () => {
    const flooded = await fakeApi((res) =>
      res.writeHead(429, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 30', parameters: { retry_after: 30 } })),
    );
    const limiters = freeLimiters();
    const before = Date.now();
    const outcome = await telegramSender({ token: TOKEN, apiRoot: flooded.url, ...limiters }).send(message(501));
    expect(outcome).toEqual({ status: 'retry', error: 'Too Many Requests: retry after 30', retryAfterMs: 30_000 });
    expect(flooded.requests()).toBe(1);
    expect(limiters.botLimiter.pausedUntil).toBeGreaterThanOrEqual(before + 30_000);
    await flooded.close();
  });

  it('one pair of limiters per bot in the process, whatever token string or sender asks for it', () => {
    const a = telegramLimitsFor('8001:first-secret', { perBotPerSecond: 5 });
    expect(telegramLimitsFor('8001:reissued-secret')).toBe(a);
    expect(a.bot.perSecond).toBe(5);
    expect(a.chat.perSecond).toBe(1);
    const other = telegramLimitsFor('8002:x');
    expect(other).not.toBe(a);
    expect(other.bot.perSecond).toBe(30);
    // Other rates asked for explicitly replace the bot's limiters (for senders made from then on); the same rates do not.
    expect(telegramLimitsFor('8001:first-secret', { perBotPerSecond: 5, perChatPerSecond: 1 })).toBe(a);
    const faster = telegramLimitsFor('8001:first-secret', { perBotPerSecond: 300 });
    expect(faster).not.toBe(a);
    expect([faster.bot.perSecond, faster.chat.perSecond]).toEqual([300, 1]);
    expect(telegramLimitsFor('8001:first-secret')).toBe(faster);
  });
});

describe('Telegram channel under Telegram\'s flood control', () => {
  const LIMIT = 20;
  const FLOOD_TOKEN = '7002:flood-secret';
  let limited: TelegramApi;
  beforeAll(async () => {
    limited = await startTelegramApi({ rateLimit: { perBotPerSecond: LIMIT } });
    limited.addBot({ token: FLOOD_TOKEN, username: 'kopilka_flood_bot' });
    for (let id = 1; id <= 200; id++) limited.user(FLOOD_TOKEN, { id: 10_000 + id, first_name: `M${id}` }, { started: true });
  });
  afterAll(async () => {
    await limited?.close();
  });

  /** Sends everything at once (as a batch of workers would), sending again whatever came back as retry. */
  async function deliverAll(send: (m: OutgoingMessage) => Promise<SendOutcome>, msgs: OutgoingMessage[]) {
    let pending = msgs;
    let rounds = 0;
    while (pending.length > 0 && rounds++ < 20) {
      const outcomes = await Promise.all(pending.map(send));
      expect(outcomes.filter((o) => o.status === 'dead')).toEqual([]);
      const wait = Math.max(0, ...outcomes.map((o) => (o.status === 'retry' ? (o.retryAfterMs ?? 0) : 0)));
      pending = pending.filter((_, i) => outcomes[i]!.status === 'retry');
      if (pending.length > 0) await new Promise((r) => setTimeout(r, wait));
    }
    return pending;
  }

  it('the stand-in answers a flood like Telegram: 429, description and retry_after', async () => {
    const url = `${limited.url}/bot${FLOOD_TOKEN}/sendMessage`;
    const post = (chat: number) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: chat, text: 'hi' }) });
    const answers = await Promise.all(Array.from({ length: LIMIT + 5 }, (_, i) => post(10_101 + i)));
    const tooMany = answers.filter((r) => r.status === 429);
    expect(tooMany.length).toBeGreaterThanOrEqual(5);
    expect(await tooMany[0]!.json()).toEqual({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    // A second message to one chat within a second is refused too (1/s per chat).
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post(10_200)).status).toBe(200);
    const again = await post(10_200);
    expect(again.status).toBe(429);
    expect(((await again.json()) as { parameters: unknown }).parameters).toEqual({ retry_after: 1 });
    const stats = limited.sendStats(FLOOD_TOKEN);
    expect(stats.tooManyRequests).toBeGreaterThanOrEqual(6);
    expect(stats.perChat.get(10_200)).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
  });

  it('paced at the limit: every message arrives once, at ≥ 90 % of the limit and never above it', async () => {
    const stats = limited.sendStats(FLOOD_TOKEN);
    const from = stats.acceptedAt.length;
    const before = new Map(stats.perChat);
    const sender = telegramSender({
      token: FLOOD_TOKEN,
      apiRoot: limited.url,
      // Just under the limit: requests land a few milliseconds apart from how they left (more on a busy machine).
      botLimiter: createRateLimiter({ perSecond: LIMIT * 0.95 }),
      chatLimiter: createRateLimiter({ perSecond: 1 }),
    });
    const N = 60;
    const msgs = Array.from({ length: N }, (_, i) => message(10_001 + i, `broadcast ${i}`));
    expect(await deliverAll((m) => sender.send(m), msgs)).toEqual([]);
    const times = stats.acceptedAt.slice(from);
    expect(times).toHaveLength(N);
    for (let i = 0; i < N; i++) expect((stats.perChat.get(10_001 + i) ?? 0) - (before.get(10_001 + i) ?? 0)).toBe(1);
    const rate = ((N - 1) / (times.at(-1)! - times[0]!)) * 1000;
    expect(peakPerSecond(times)).toBeLessThanOrEqual(LIMIT);
    expect(rate).toBeLessThanOrEqual(LIMIT);
    expect(rate).toBeGreaterThanOrEqual(0.9 * LIMIT);
  });

  it('paced far above the limit: 429s pause the bot, and still every message arrives exactly once', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const stats = limited.sendStats(FLOOD_TOKEN);
    const from = stats.acceptedAt.length;
    const refusedBefore = stats.tooManyRequests;
    const before = new Map(stats.perChat);
    const botLimiter = createRateLimiter({ perSecond: LIMIT * 5 });
    const sender = telegramSender({ token: FLOOD_TOKEN, apiRoot: limited.url, botLimiter, chatLimiter: createRateLimiter({ perSecond: 1 }) });
    const N = 50;
    const msgs = Array.from({ length: N }, (_, i) => message(10_101 + i, `flood ${i}`));
    expect(await deliverAll((m) => sender.send(m), msgs)).toEqual([]);
    expect(stats.tooManyRequests).toBeGreaterThan(refusedBefore);
    expect(botLimiter.pausedUntil).toBeGreaterThan(0);
    const times = stats.acceptedAt.slice(from);
    expect(times).toHaveLength(N);
    for (let i = 0; i < N; i++) expect((stats.perChat.get(10_101 + i) ?? 0) - (before.get(10_101 + i) ?? 0)).toBe(1);
    expect(peakPerSecond(times)).toBeLessThanOrEqual(LIMIT);
  });

  it('a bot that hits 429 slows its own rate down by 1 %, once for a burst of them', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const token = `${FLOOD_TOKEN.split(':')[0]}:${FLOOD_TOKEN.split(':')[1]}`;
    const limits = telegramLimitsFor(token, { perBotPerSecond: LIMIT * 5, perChatPerSecond: 1000 });
    expect(limits.bot.perSecond).toBe(LIMIT * 5);
    const sender = telegramSender({ token, apiRoot: limited.url, rates: { perBotPerSecond: LIMIT * 5, perChatPerSecond: 1000 } });
    const refusedBefore = limited.sendStats(FLOOD_TOKEN).tooManyRequests;
    const msgs = Array.from({ length: 30 }, (_, i) => message(10_001 + i, `adapt ${i}`));
    expect(await deliverAll((m) => sender.send(m), msgs)).toEqual([]);
    const refused = limited.sendStats(FLOOD_TOKEN).tooManyRequests - refusedBefore;
    expect(refused).toBeGreaterThan(0);
    // The 429s of one flood come within a second or two: one step down (two if they straddle the 2 s guard).
    expect([LIMIT * 5 * 0.99, LIMIT * 5 * 0.99 * 0.99].map((r) => Math.round(r * 1000))).toContain(Math.round(limits.bot.perSecond * 1000));
  });

  it('one chat gets at most one message a second; other chats are not held up by it', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const stats = limited.sendStats(FLOOD_TOKEN);
    const sender = telegramSender({ token: FLOOD_TOKEN, apiRoot: limited.url, botLimiter: createRateLimiter({ perSecond: LIMIT * 0.97 }), chatLimiter: createRateLimiter({ perSecond: 1 }) });
    const member = limited.user(FLOOD_TOKEN, { id: 10_150, first_name: 'M150' });
    const start = Date.now();
    const done: Record<string, number> = {};
    const track = (label: string, m: OutgoingMessage) => sender.send(m).then((o) => ((done[label] = Date.now() - start), o));
    const outcomes = await Promise.all([
      track('a1', message(10_150, 'one')),
      track('a2', message(10_150, 'two')),
      track('a3', message(10_150, 'three')),
      track('b', message(10_151, 'other chat')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    // All three, each a second after the one before (a send refused 429 for arriving early goes after the pause).
    expect(member.messages().slice(-3).map((m) => m.text).sort()).toEqual(['one', 'three', 'two']);
    const arrivals = member.messages().slice(-3).map((m) => m.date);
    expect(arrivals[2]! - arrivals[0]!).toBeGreaterThanOrEqual(1);
    expect(stats.perChat.get(10_150)).toBeGreaterThanOrEqual(3);
    expect(done.b!).toBeLessThan(500);
    expect(done.a3!).toBeGreaterThanOrEqual(1990);
    expect(done.a3!).toBeLessThan(4000);
  });
});
