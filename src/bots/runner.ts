// Serves every connected customer bot from this process, and follows connects and disconnects (checked every
// `refreshSeconds`). Without bots, Kopilka runs on and says so once.
import { timingSafeEqual } from 'node:crypto';
import type { Bot } from 'grammy';
import { listLiveBots } from '../app/bots.js';
import type { AppDeps } from '../app/deps.js';
import type { Logger } from '../config/logger.js';
import type { BotConnection } from '../core/index.js';
import type { CustomerContext } from './context.js';
import { cardAppUrl, createCustomerBot } from './customerBot.js';
import { translate, type Lang } from './i18n.js';

const COMMANDS = ['start', 'card', 'balance', 'history', 'info', 'profile', 'help'] as const;

async function setUpChat(bot: Bot<CustomerContext>, cardUrl: string | null): Promise<void> {
  for (const lang of ['ru', 'en'] as Lang[]) {
    const commands = COMMANDS.map((command) => ({ command, description: translate(lang, `cmd_${command}`) }));
    await bot.api.setMyCommands(commands, lang === 'ru' ? {} : { language_code: lang });
  }
  await bot.api.setChatMenuButton({ menu_button: cardUrl ? { type: 'web_app', text: translate('ru', 'menuButton'), web_app: { url: cardUrl } } : { type: 'commands' } });
}

export interface BotRunner {
  /** Starts, stops or restarts bots to match the connections now. */
  refresh(): Promise<void>;
  /** A webhook call from Telegram for one of our bots (webhook mode): checks the bot's secret, then handles it. */
  handleWebhook(botId: string, secret: string | undefined, update: unknown): Promise<'ok' | 'unauthorized' | 'not_found'>;
  stop(): Promise<void>;
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/**
 * With `publicUrl`, bots run on webhooks (`<publicUrl>/telegram/<bot id>`, each with its own secret token);
 * without, on long polling.
 */
export function startBotRunner(
  deps: AppDeps,
  log: Logger,
  opts: { apiRoot: string; publicUrl?: string | null; refreshSeconds?: number; /** https address serving the card app; default publicUrl */ cardBaseUrl?: string | null },
): BotRunner {
  const cardBaseUrl = opts.cardBaseUrl !== undefined ? opts.cardBaseUrl : (opts.publicUrl ?? null);
  const running = new Map<string, { conn: BotConnection; bot: Bot<CustomerContext>; done: Promise<void> }>();
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

  const refresh = async () => {
    const live = (await listLiveBots(deps)).filter((b) => b.role === 'customer');
    if (live.length === 0 && !saidOff) log.info('no customer bot is connected: bots are off (kopilka bot connect --business ID --role customer --token …)');
    saidOff = live.length === 0;
    const wanted = new Set(live.map((b) => b.id));
    for (const id of [...running.keys()]) if (!wanted.has(id)) await stopOne(id, true);
    for (const conn of live) {
      if (running.has(conn.id) || stopped) continue;
      const bot = createCustomerBot(deps, conn, { apiRoot: opts.apiRoot, log, cardBaseUrl });
      // The chat's menu button opens the card (one tap); commands are listed in both languages. Best effort.
      void setUpChat(bot, cardAppUrl(cardBaseUrl, conn)).catch((e: unknown) => log.warn(`customer bot @${conn.username}: setting the menu failed: ${(e as Error)?.message ?? String(e)}`));
      if (opts.publicUrl) {
        const url = webhookUrl(conn);
        const done = bot
          .init()
          .then(() => bot.api.setWebhook(url, { secret_token: conn.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] }))
          .then(() => log.info(`customer bot @${conn.username} is running (webhook ${url})`))
          .catch((e: unknown) => {
            log.error(`customer bot @${conn.username}: setting the webhook failed: ${(e as Error)?.message ?? String(e)}`);
            running.delete(conn.id);
          });
        running.set(conn.id, { conn, bot, done });
        await done;
        continue;
      }
      const done = bot
        .start({ drop_pending_updates: false, allowed_updates: [...ALLOWED_UPDATES], onStart: () => log.info(`customer bot @${conn.username} is running (long polling)`) })
        .catch((e: unknown) => {
          log.error(`customer bot @${conn.username} stopped: ${(e as Error)?.message ?? String(e)}`);
          running.delete(conn.id); // the next refresh tries again
        });
      running.set(conn.id, { conn, bot, done });
    }
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
