// The Telegram channel: a member's chat with the business's customer bot, through the Bot API's sendMessage.
// Telegram's limits (about 30 messages/s per bot for broadcasts, 1/s per chat) are kept by slot limiters shared by
// every sender of the same bot in this process; a 429 anyway pauses the bot for its retry_after and sends again.
import type { ChannelSender, OutgoingMessage, SendOutcome } from '../../core/index.js';
import { createRateLimiter, type RateLimiter } from '../rateLimiter.js';

export const TELEGRAM_API_ROOT = 'https://api.telegram.org';
/** Telegram's broadcast limit per bot, and per chat. */
export const TELEGRAM_BOT_PER_SECOND = 30;
export const TELEGRAM_CHAT_PER_SECOND = 1;
/** Telegram cuts nothing: a longer text is refused (400 "message is too long"). */
const MAX_TEXT = 4096;

export interface TelegramLimits {
  bot: RateLimiter;
  chat: RateLimiter;
  /** The rates asked for; the bot's limiter runs slower than its nominal rate for a while after a 429. */
  nominal: { perBot: number; perChat: number };
  /** Called on every 429 and every accepted message (see adaptiveRate). */
  adapt: { limited(): void; accepted(): void };
}

/**
 * Telegram's limits are not exact: a bot that keeps hitting 429 slows itself down a little (1 %, at most once per
 * 2 s — one flood answers many requests at once), and after 20 s without one creeps back (0.5 % per 5 s).
 */
function adaptiveRate(limiter: RateLimiter, nominal: number, now: () => number = Date.now): TelegramLimits['adapt'] {
  let lastLimited = -Infinity;
  let lastLowered = -Infinity;
  let lastRaised = -Infinity;
  return {
    limited() {
      const t = now();
      lastLimited = t;
      if (t - lastLowered < 2_000) return;
      lastLowered = t;
      limiter.setRate(Math.max(nominal * 0.5, limiter.perSecond * 0.99));
    },
    accepted() {
      if (limiter.perSecond >= nominal) return;
      const t = now();
      if (t - lastLimited < 20_000 || t - lastRaised < 5_000) return;
      lastRaised = t;
      limiter.setRate(Math.min(nominal, limiter.perSecond * 1.005));
    },
  };
}

const limitsByBot = new Map<string, TelegramLimits>();

/**
 * The limiters of one bot, shared process-wide (keyed by the bot's id, the token's part before the colon, so a
 * re-issued token keeps its bot's limit). Rates asked for that differ from the bot's current ones replace them for
 * senders made from then on (tests and benchmarks set their own); without rates, whatever the bot has (else 30/s, 1/s).
 */
export function telegramLimitsFor(token: string, rates: { perBotPerSecond?: number; perChatPerSecond?: number } = {}): TelegramLimits {
  const botId = token.split(':')[0] ?? token;
  const current = limitsByBot.get(botId);
  const perBot = rates.perBotPerSecond ?? current?.nominal.perBot ?? TELEGRAM_BOT_PER_SECOND;
  const perChat = rates.perChatPerSecond ?? current?.nominal.perChat ?? TELEGRAM_CHAT_PER_SECOND;
  if (current && current.nominal.perBot === perBot && current.nominal.perChat === perChat) return current;
  const bot = createRateLimiter({ perSecond: perBot });
  const limits = { bot, chat: createRateLimiter({ perSecond: perChat }), nominal: { perBot, perChat }, adapt: adaptiveRate(bot, perBot) };
  limitsByBot.set(botId, limits);
  return limits;
}

export interface UrlButton {
  text: string;
  url: string;
}

export interface TelegramSenderOptions {
  token: string;
  apiRoot?: string;
  /** Default: `telegramLimitsFor(token, rates)`, the bot's limiters shared in the process. */
  botLimiter?: RateLimiter;
  chatLimiter?: RateLimiter;
  /** The bot's rates if this process has not limited it yet (default 30/s per bot, 1/s per chat). */
  rates?: { perBotPerSecond?: number; perChatPerSecond?: number };
  fetch?: typeof fetch;
  /** Inline url buttons under every message (e.g. "open card"), or chosen per message. */
  buttons?: readonly UrlButton[] | ((m: OutgoingMessage) => readonly UrlButton[] | undefined);
  /** One request's time limit (default 10 s). */
  timeoutMs?: number;
  /** Sends per message when Telegram answers 429 (default 3), and the longest retry_after waited in-process (default 10 s). */
  attemptsOn429?: number;
  maxWaitMs?: number;
}

interface BotApiAnswer {
  ok?: boolean;
  result?: { message_id?: number };
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/** The member cannot be reached by this bot: blocked it, deleted the account, never started it, or no such chat. */
const isDead = (status: number, description: string) =>
  status === 403 || (status === 400 && /chat not found|user not found|PEER_ID_INVALID|USER_ID_INVALID/i.test(description));

export function telegramSender(o: TelegramSenderOptions): ChannelSender {
  const url = `${(o.apiRoot ?? TELEGRAM_API_ROOT).replace(/\/+$/, '')}/bot${o.token}/sendMessage`;
  const shared = o.botLimiter && o.chatLimiter ? null : telegramLimitsFor(o.token, o.rates);
  const botLimiter = o.botLimiter ?? shared!.bot;
  // Adapting the rate only when the limiter is the bot's shared one (explicit limiters are the caller's to tune).
  const adapt = !o.botLimiter && shared ? shared.adapt : { limited() {}, accepted() {} };
  const chatLimiter = o.chatLimiter ?? shared!.chat;
  const doFetch = o.fetch ?? ((input: string | URL | Request, init?: RequestInit) => fetch(input, init));
  const timeoutMs = o.timeoutMs ?? 10_000;
  const attempts = o.attemptsOn429 ?? 3;
  const maxWaitMs = o.maxWaitMs ?? 10_000;

  const body = (m: OutgoingMessage): string => {
    const buttons = typeof o.buttons === 'function' ? o.buttons(m) : o.buttons;
    const text = m.text.length > MAX_TEXT ? `${m.text.slice(0, MAX_TEXT - 1)}…` : m.text;
    return JSON.stringify({
      chat_id: /^-?\d+$/.test(m.address) ? Number(m.address) : m.address,
      text,
      link_preview_options: { is_disabled: true },
      ...(buttons && buttons.length > 0 && { reply_markup: { inline_keyboard: buttons.map((b) => [{ text: b.text, url: b.url }]) } }),
    });
  };

  return {
    channel: 'telegram',
    async send(m: OutgoingMessage): Promise<SendOutcome> {
      const payload = body(m);
      for (let attempt = 1; ; attempt++) {
        // The chat's slot first: holding a bot slot while waiting a second for the chat would waste the bot's rate.
        await chatLimiter.take(m.address);
        await botLimiter.take();
        let status: number;
        let answer: BotApiAnswer;
        try {
          const res = await doFetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: payload,
            signal: AbortSignal.timeout(timeoutMs),
          });
          status = res.status;
          const raw = await res.text();
          try {
            answer = JSON.parse(raw) as BotApiAnswer;
          } catch {
            return { status: 'retry', error: `Telegram answered HTTP ${status} with no JSON` };
          }
        } catch (e) {
          const err = e as Error;
          return { status: 'retry', error: `Telegram unreachable: ${err.name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : (err.cause as Error | undefined)?.message ?? err.message}` };
        }
        if (answer.ok === true) {
          adapt.accepted();
          const id = answer.result?.message_id;
          return { status: 'sent', providerMessageId: id === undefined ? null : String(id) };
        }
        const code = answer.error_code ?? status;
        const description = answer.description ?? `HTTP ${status}`;
        if (code === 429) {
          const waitMs = Math.max(1, answer.parameters?.retry_after ?? 1) * 1000;
          botLimiter.pause(waitMs); // every sender of this bot waits, not just this one
          adapt.limited();
          if (attempt < attempts && waitMs <= maxWaitMs) continue;
          return { status: 'retry', error: description, retryAfterMs: waitMs };
        }
        if (isDead(code, description)) return { status: 'dead', error: description };
        // 5xx, 401 (token revoked: the business must fix its bot) and other refusals: try again later.
        return { status: 'retry', error: description };
      }
    },
  };
}
