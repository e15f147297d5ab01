// Which channels a business can send through right now, and their senders: Telegram is its live customer bot, VK,
// SMS and e-mail its stored settings. Looked up at most once per few seconds per business (a broadcast sends
// thousands of messages a minute); senders are kept while their settings stay the same (they hold rate limits).
import type { ChannelDirectory } from '../app/deliverMessage.js';
import type { AppDeps } from '../app/deps.js';
import type { Channel, ChannelSender } from '../core/index.js';
import { configuredSenders, type ConfiguredSenders } from './channels/configured.js';
import type { ProviderEndpoints } from './channels/endpoints.js';
import { telegramSender, type UrlButton } from './channels/telegram.js';

export interface ChannelDirectoryOptions {
  telegramApiRoot: string;
  endpoints: ProviderEndpoints;
  /** Telegram's limits per bot and per chat (tests and benchmarks lower or raise them). */
  telegramRates?: { perBotPerSecond?: number; perChatPerSecond?: number };
  /** An "open card" button under Telegram messages (only with an https card address). */
  cardButton?: ((businessId: string) => UrlButton | null) | undefined;
  cacheMs?: number;
}

export interface ClosableChannelDirectory extends ChannelDirectory {
  close(): void;
}

export function channelDirectory(deps: AppDeps, o: ChannelDirectoryOptions): ClosableChannelDirectory {
  const configured: ConfiguredSenders = configuredSenders(o.endpoints);
  const telegram = new Map<string, ChannelSender>();
  const cache = new Map<string, { at: number; value: Awaited<ReturnType<ChannelDirectory['forBusiness']>> }>();
  const cacheMs = o.cacheMs ?? 5_000;

  const load = async (businessId: string) => {
    const { bots, stored } = await deps.uow.run(async (repos) => ({
      bots: (await repos.bots.live(businessId)).filter((b) => b.role === 'customer'),
      stored: await repos.notificationChannels.list(businessId),
    }));
    const senders = new Map<Channel, ChannelSender>();
    const bot = bots[0];
    if (bot) {
      let s = telegram.get(bot.token);
      if (!s) {
        const button = o.cardButton?.(businessId) ?? null;
        // The bot's limiters are shared by every sender of it in the process (and slow down after a 429).
        s = telegramSender({ token: bot.token, apiRoot: o.telegramApiRoot, ...(o.telegramRates ? { rates: o.telegramRates } : {}), ...(button ? { buttons: [button] } : {}) });
        telegram.set(bot.token, s);
      }
      senders.set('telegram', s);
    }
    for (const c of stored) senders.set(c.channel, configured.senderFor(c));
    return { configured: [...senders.keys()], sender: (c: Channel) => senders.get(c) ?? null };
  };

  return {
    async forBusiness(businessId) {
      const hit = cache.get(businessId);
      if (hit && Date.now() - hit.at < cacheMs) return hit.value;
      const value = await load(businessId);
      cache.set(businessId, { at: Date.now(), value });
      return value;
    },
    close() {
      configured.close();
      cache.clear();
    },
  };
}
