// One business's customer bot: grammY with our context and the feature composers. Unknown input always gets an
// answer; a failing update is logged and answered, never crashing the process.
import { Bot } from 'grammy';
import { businessForBot } from '../app/botSessions.js';
import { telegramReachability } from '../app/memberChannels.js';
import type { AppDeps } from '../app/deps.js';
import type { Logger } from '../config/logger.js';
import type { BotConnection } from '../core/index.js';
import { kopilkaContext, type CustomerContext } from './context.js';
import { memberChat } from './customer/chat.js';
import { join } from './customer/join.js';
import { menu } from './customer/menu.js';
import { profile } from './customer/profile.js';

/** The card app's address for a bot's Mini App buttons: only over https (Telegram refuses anything else). */
export function cardAppUrl(base: string | null | undefined, conn: BotConnection): string | null {
  if (!base || !/^https:\/\//.test(base)) return null;
  return `${base.replace(/\/+$/, '')}/card/?b=${conn.businessId}&bot=${conn.id}`;
}

export function createCustomerBot(deps: AppDeps, conn: BotConnection, opts: { apiRoot: string; log: Logger; cardBaseUrl?: string | null }): Bot<CustomerContext> {
  const cardUrl = cardAppUrl(opts.cardBaseUrl, conn);
  const bot = new Bot<CustomerContext>(conn.token, { client: { apiRoot: opts.apiRoot } });
  bot.use(async (ctx, next) => {
    const business = await businessForBot(deps, conn.businessId);
    ctx.kopilka = kopilkaContext(deps, conn.businessId, { name: business.name, pointsName: business.program.pointsName }, ctx.from?.language_code, cardUrl);
    await next();
  });
  // Blocked or unblocked by the user: messages skip Telegram meanwhile (the notifications engine reads this).
  bot.on('my_chat_member', async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (ctx.chat.type !== 'private') return;
    await telegramReachability(deps, { businessId: conn.businessId, telegramUserId: ctx.myChatMember.from.id, reachable: status === 'member' || status === 'administrator' });
  });
  bot.chatType('private').use(join, menu, profile, memberChat({ log: opts.log, telegramApiRoot: opts.apiRoot }));
  bot.on('message', (ctx) => ctx.reply(ctx.kopilka.t('unknown')));
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery());
  bot.catch(async (err) => {
    opts.log.error(`customer bot @${conn.username}: ${err.error instanceof Error ? (err.error.stack ?? err.error.message) : String(err.error)}`);
    await err.ctx.reply(err.ctx.kopilka?.t('unknown') ?? 'Sorry, something went wrong.').catch(() => undefined);
  });
  return bot;
}
