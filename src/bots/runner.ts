// Serves every connected customer bot from this process by long polling, and follows connects and disconnects
// (checked every `refreshSeconds`). Without bots, Kopilka runs on and says so once.
import type { Bot } from 'grammy';
import { listLiveBots } from '../app/bots.js';
import type { AppDeps } from '../app/deps.js';
import type { Logger } from '../config/logger.js';
import type { BotConnection } from '../core/index.js';
import type { CustomerContext } from './context.js';
import { createCustomerBot } from './customerBot.js';

export interface BotRunner {
  /** Starts, stops or restarts bots to match the connections now. */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

export function startBotRunner(deps: AppDeps, log: Logger, opts: { apiRoot: string; refreshSeconds?: number }): BotRunner {
  const running = new Map<string, { conn: BotConnection; bot: Bot<CustomerContext>; done: Promise<void> }>();
  let saidOff = false;
  let stopped = false;

  const stopOne = async (id: string) => {
    const r = running.get(id);
    if (!r) return;
    running.delete(id);
    await r.bot.stop().catch(() => undefined);
    await r.done;
  };

  const refresh = async () => {
    const live = (await listLiveBots(deps)).filter((b) => b.role === 'customer');
    if (live.length === 0 && !saidOff) log.info('no customer bot is connected: bots are off (kopilka bot connect --business ID --role customer --token …)');
    saidOff = live.length === 0;
    const wanted = new Set(live.map((b) => b.id));
    for (const id of [...running.keys()]) if (!wanted.has(id)) await stopOne(id);
    for (const conn of live) {
      if (running.has(conn.id) || stopped) continue;
      const bot = createCustomerBot(deps, conn, { apiRoot: opts.apiRoot, log });
      const done = bot
        .start({ drop_pending_updates: false, allowed_updates: ['message', 'callback_query'], onStart: () => log.info(`customer bot @${conn.username} is running (long polling)`) })
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
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...running.keys()].map(stopOne));
    },
  };
}
