// Sends a text through one of the business's connected bots (customer or staff); false when there is no such bot
// or Telegram refuses (the caller falls back to another channel or the log).
import { Api, type RawApi } from 'grammy';
import { listLiveBots } from '../app/bots.js';
import type { AppDeps } from '../app/deps.js';
import type { Logger } from '../config/logger.js';
import type { BotRole } from '../core/index.js';

/** Options of sendMessage beyond the chat and text (e.g. an inline keyboard). */
export type SendExtra = Omit<Parameters<RawApi['sendMessage']>[0], 'chat_id' | 'text'>;

export async function sendViaBot(deps: AppDeps, o: { log: Logger; telegramApiRoot: string }, to: { businessId: string; role: BotRole; chatId: number }, text: string, extra?: SendExtra): Promise<boolean> {
  const bot = (await listLiveBots(deps)).find((b) => b.businessId === to.businessId && b.role === to.role);
  if (!bot) return false;
  try {
    await new Api(bot.token, { apiRoot: o.telegramApiRoot }).sendMessage(to.chatId, text, extra);
    return true;
  } catch (e) {
    o.log.warn(`@${bot.username} could not message chat ${to.chatId}: ${(e as Error).message}`);
    return false;
  }
}
