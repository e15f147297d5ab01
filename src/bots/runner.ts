// Serves every connected bot (customer and staff) from this process, and follows connects and disconnects (checked
// every `refreshSeconds`). Without bots, Kopilka runs on and says so once.
import { timingSafeEqual } from 'node:crypto';
import type { Bot } from 'grammy';
import { listLiveBots } from '../app/bots.js';
import type { AppDeps } from '../app/deps.js';
import type { TillDeps } from '../app/till.js';
import type { Logger } from '../config/logger.js';
import type { BotConnection } from '../core/index.js';
import { redeemCodeSender, staffAlerts } from '../notify/staffChannels.js';
import type { CustomerContext } from './context.js';
import { cardAppUrl, createCustomerBot } from './customerBot.js';
import { translate, type Lang } from './i18n.js';
import { cashierAppUrl, createStaffBot } from './staffBot.js';
import { staffText, type StaffContext } from './staffContext.js';

const COMMANDS = ['start', 'card', 'balance', 'history', 'info', 'profile', 'help'] as const;
const STAFF_COMMANDS = ['start', 'scan', 'help', 'cancel'] as const;

async function setUpChat(bot: Bot<CustomerContext>, cardUrl: string | null): Promise<void> {
  for (const lang of ['ru', 'en'] as Lang[]) {
    const commands = COMMANDS.map((command) => ({ command, description: translate(lang, `cmd_${command}`) }));
    await bot.api.setMyCommands(commands, lang === 'ru' ? {} : { language_code: lang });
  }
  await bot.api.setChatMenuButton({ menu_button: cardUrl ? { type: 'web_app', text: translate('ru', 'menuButton'), web_app: { url: cardUrl } } : { type: 'commands' } });
}

/** The staff bot's commands, and its menu button opening the cashier screen (to scan a customer's QR) when it can. */
async function setUpStaffChat(bot: Bot<StaffContext>, cashierUrl: string | null): Promise<void> {
  for (const lang of ['ru', 'en'] as Lang[]) {
    const commands = STAFF_COMMANDS.map((command) => ({ command, description: staffText(lang, `cmd_${command}`) }));
    await bot.api.setMyCommands(commands, lang === 'ru' ? {} : { language_code: lang });
  }
  await bot.api.setChatMenuButton({ menu_button: cashierUrl ? { type: 'web_app', text: staffText('ru', 'menuButton'), web_app: { url: cashierUrl } } : { type: 'commands' } });
}

export interface BotRunner {
  /** Starts, stops or restarts bots to match the connections now. */
  refresh(): Promise<void>;
  /** A webhook call from Telegram for one of our bots (webhook mode): checks the bot's secret, then handles it. */
  handleWebhook(botId: string, secret: string | undefined, update: unknown): Promise<'ok' | 'unauthorized' | 'not_found'>;
  stop(): Promise<void>;
}

const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/**
 * With `publicUrl`, bots run on webhooks (`<publicUrl>/telegram/<bot id>`, each with its own secret token);
 * without, on long polling.
 */
export function startBotRunner(
  deps: AppDeps,
  log: Logger,
  opts: {
    apiRoot: string;
    publicUrl?: string | null;
    refreshSeconds?: number;
    /** https address serving the card app; default publicUrl */
    cardBaseUrl?: string | null;
    /** Where staff bots send redemption codes and limit alerts; default: the members' and owners' Telegram chats. */
    till?: TillDeps;
    /** The address serving the cashier screen (the staff bot's Mini App needs https); default publicUrl */
    cashierBaseUrl?: string | null;
  },
): BotRunner {
  const cardBaseUrl = opts.cardBaseUrl !== undefined ? opts.cardBaseUrl : (opts.publicUrl ?? null);
  const cashierBaseUrl = opts.cashierBaseUrl !== undefined ? opts.cashierBaseUrl : (opts.publicUrl ?? null);
  const channels = { log, telegramApiRoot: opts.apiRoot, production: true };
  const till: TillDeps = opts.till ?? { codes: redeemCodeSender(deps, channels), alerts: staffAlerts(deps, channels) };
  const running = new Map<string, { conn: BotConnection; bot: Bot<CustomerContext> | Bot<StaffContext>; done: Promise<void> }>();
  const webhookUrl = (conn: BotConnection) => `${opts.publicUrl?.replace(/\/+$/, '')}/telegram/${conn.id}`;
  let saidOff = false;
  let stopped = false;

  const stopOne = async (id: string, disconnected = false) => {
    const r = running.get(id);
    if (!r) return;
    running.delete(id);
    if (opts.publicUrl) {
      if (disconnected) await r.bot.api.deleteWebhook().catch(() => undefined); // a restart keeps it, a disconnect does not
    } else await r.bot.stop().catch(() => undefined);
    await r.done;
  };

  /** A bot for the connection, with its chat set up: the menu button and commands in both languages (best effort). */
  const build = (conn: BotConnection): Bot<CustomerContext> | Bot<StaffContext> => {
    const failed = (e: unknown) => log.warn(`${conn.role} bot @${conn.username}: setting the menu failed: ${(e as Error)?.message ?? String(e)}`);
    if (conn.role === 'staff') {
      const bot = createStaffBot(deps, conn, { apiRoot: opts.apiRoot, log, till, cashierBaseUrl });
      void setUpStaffChat(bot, cashierAppUrl(cashierBaseUrl, conn)).catch(failed);
      return bot;
    }
    const bot = createCustomerBot(deps, conn, { apiRoot: opts.apiRoot, log, cardBaseUrl });
    // The chat's menu button opens the card (one tap).
    void setUpChat(bot, cardAppUrl(cardBaseUrl, conn)).catch(failed);
    return bot;
  };

  const refreshOnce = async () => {
    const live = (await listLiveBots(deps)).filter((b) => b.role === 'customer' || b.role === 'staff');
    if (live.length === 0 && !saidOff) log.info('no bot is connected: bots are off (kopilka bot connect --business ID --role customer|staff --token …)');
    saidOff = live.length === 0;
    const wanted = new Set(live.map((b) => b.id));
    for (const id of [...running.keys()]) if (!wanted.has(id)) await stopOne(id, true);
    for (const conn of live) {
      if (running.has(conn.id) || stopped) continue;
      const bot = build(conn);
      const name = `${conn.role} bot @${conn.username}`;
      if (opts.publicUrl) {
        const url = webhookUrl(conn);
        const done = bot
          .init()
          .then(() => bot.api.setWebhook(url, { secret_token: conn.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] }))
          .then(() => log.info(`${name} is running (webhook ${url})`))
          .catch((e: unknown) => {
            log.error(`${name}: setting the webhook failed: ${(e as Error)?.message ?? String(e)}`);
            running.delete(conn.id);
          });
        running.set(conn.id, { conn, bot, done });
        await done;
        continue;
      }
      const done = bot
        .start({ drop_pending_updates: false, allowed_updates: [...ALLOWED_UPDATES], onStart: () => log.info(`${name} is running (long polling)`) })
        .catch((e: unknown) => {
          log.error(`${name} stopped: ${(e as Error)?.message ?? String(e)}`);
          running.delete(conn.id); // the next refresh tries again
        });
      running.set(conn.id, { conn, bot, done });
    }
  };

  // One refresh at a time: a caller's refresh waits for the one in flight (whose bots may still be setting webhooks),
  // then runs its own, so when it resolves every connected bot is up.
  let inFlight: Promise<void> = Promise.resolve();
  const refresh = (): Promise<void> => {
    inFlight = inFlight.catch(() => undefined).then(refreshOnce);
    return inFlight;
  };

  const timer = setInterval(() => void refresh().catch((e: unknown) => log.error(`bots: ${(e as Error)?.message ?? String(e)}`)), (opts.refreshSeconds ?? 60) * 1000);
  timer.unref();
  void refresh().catch((e: unknown) => log.error(`bots: ${(e as Error)?.message ?? String(e)}`));
  return {
    refresh,
    async handleWebhook(botId, secret, update) {
      const r = running.get(botId);
      if (!r || !opts.publicUrl) return 'not_found';
      const expected = Buffer.from(r.conn.webhookSecret);
      const given = Buffer.from(secret ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'unauthorized';
      await r.done;
      await r.bot.handleUpdate(update as Parameters<typeof r.bot.handleUpdate>[0]);
      return 'ok';
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...running.keys()].map((id) => stopOne(id)));
    },
  };
}
