// One business's staff bot: grammY with the staff context and the feature composers (access, admin commands, the
// till operations, the member card, finding a member). It answers only its business's staff (strangers: one polite
// refusal, then silence); every domain error gets a human message, and a failing update is logged and answered.
import { Bot, type NextFunction } from 'grammy';
import { businessForStaffBot, getStaffBotState } from '../app/staffBotSessions.js';
import { staffByTelegram } from '../app/staffSessions.js';
import type { AppDeps } from '../app/deps.js';
import type { TillDeps } from '../app/till.js';
import type { Logger } from '../config/logger.js';
import { DomainError, type BotConnection } from '../core/index.js';
import { langOf } from './i18n.js';
import { access } from './staff/access.js';
import { admin, helpText } from './staff/admin.js';
import { chat as chatReplies } from './staff/chat.js';
import { find } from './staff/find.js';
import { mainMenu } from './staff/keyboards.js';
import { member } from './staff/member.js';
import { operations } from './staff/operations.js';
import { staffContext, staffText, type StaffContext, type StaffState } from './staffContext.js';

const trimBase = (base: string) => base.replace(/\/+$/, '');

/** The cashier screen as the staff bot's Mini App: only over https (Telegram refuses anything else). */
export function cashierAppUrl(base: string | null | undefined, conn: BotConnection): string | null {
  if (!base || !/^https:\/\//.test(base)) return null;
  return `${trimBase(base)}/cashier/?b=${conn.businessId}&bot=${conn.id}`;
}

/** Domain errors become the locale's message for their code; anything else goes on to bot.catch. */
async function explainDomainErrors(ctx: StaffContext, next: NextFunction): Promise<void> {
  try {
    await next();
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined); // may be answered already
    await ctx.reply(ctx.kopilka.errorText(e));
  }
}

export function createStaffBot(
  deps: AppDeps,
  conn: BotConnection,
  opts: { apiRoot: string; log: Logger; till: TillDeps; /** serves /cashier/ (Mini App: https only) */ cashierBaseUrl?: string | null },
): Bot<StaffContext> {
  const cashierUrl = cashierAppUrl(opts.cashierBaseUrl, conn);
  const cashierWebBase = opts.cashierBaseUrl ? `${trimBase(opts.cashierBaseUrl)}/cashier/` : null;
  const bot = new Bot<StaffContext>(conn.token, { client: { apiRoot: opts.apiRoot } });
  bot.use(async (ctx, next) => {
    const from = ctx.from;
    const [business, staff, state] = await Promise.all([
      businessForStaffBot(deps, conn.businessId),
      from ? staffByTelegram(deps, conn.businessId, from.id) : null,
      from ? (getStaffBotState(deps, conn.businessId, from.id) as Promise<StaffState>) : ({} as StaffState),
    ]);
    ctx.kopilka = staffContext(
      { deps, till: opts.till, businessId: conn.businessId, business, botUsername: conn.username, cashierUrl, cashierWebBase },
      from?.language_code,
      from?.id,
      staff,
      state,
    );
    await next();
  });
  const chat = bot.chatType('private');
  chat.use(explainDomainErrors, access, chatReplies, admin, operations, member, find);
  chat.on('message', (ctx) => ctx.reply(`${ctx.kopilka.t('unknown')}\n\n${helpText(ctx)}`, { reply_markup: mainMenu(ctx) }));
  chat.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.kopilka.t('opStale') }));
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery());
  bot.catch(async (err) => {
    opts.log.error(`staff bot @${conn.username}: ${err.error instanceof Error ? (err.error.stack ?? err.error.message) : String(err.error)}`);
    const ctx = err.ctx;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    const text = ctx.kopilka?.t('failed') ?? staffText(langOf(ctx.from?.language_code), 'failed');
    await ctx.reply(text).catch(() => undefined);
  });
  return bot;
}
