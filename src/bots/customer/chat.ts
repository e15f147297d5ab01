// Writing to the business: a member's free text (not a command, a menu button or an answer in the join
// conversation — those are handled before this) is stored for the staff inbox, the member is told it went to the
// shop, and the staff who answer customers (chat.reply) get it in the staff bot with a Reply button. Strangers pass
// on (the bot's "press /start" answer); a blocked member is told so and nothing is stored.
import { Composer } from 'grammy';
import { memberByTelegram } from '../../app/botSessions.js';
import { chatRecipients, receiveMemberMessage } from '../../app/chat.js';
import type { AppDeps } from '../../app/deps.js';
import type { Logger } from '../../config/logger.js';
import { MAX_CHAT_TEXT } from '../../core/index.js';
import { sendViaBot } from '../../notify/telegramSend.js';
import type { CustomerContext } from '../context.js';
import { memberLabel, replyKeyboard } from '../staff/chat.js';
import { mainMenu } from './keyboards.js';

/** Telegram's longest message. */
const TELEGRAM_MAX = 4096;

export function memberChat(o: { log: Logger; telegramApiRoot: string }): Composer<CustomerContext> {
  const chat = new Composer<CustomerContext>();
  chat.on('message', async (ctx, next) => {
    const { deps, businessId, t } = ctx.kopilka;
    const text = ctx.message.text;
    if (!ctx.from || text?.startsWith('/')) return next(); // an unknown command
    const member = await memberByTelegram(deps, businessId, ctx.from.id);
    if (!member) return next();
    if (member.blocked) return void (await ctx.reply(t('blocked')));
    if (text === undefined) return void (await ctx.reply(t('chatTextOnly'), { reply_markup: mainMenu(ctx) }));
    if (text.trim().length > MAX_CHAT_TEXT) return void (await ctx.reply(t('chatTooLong', { max: MAX_CHAT_TEXT }), { reply_markup: mainMenu(ctx) }));
    const saved = await receiveMemberMessage(deps, { businessId, memberId: member.id, text, channel: 'telegram' });
    await ctx.reply(t('chatSent'), { reply_markup: mainMenu(ctx) });
    await forwardToStaff(deps, o, { businessId, member, text: saved.text });
  });
  return chat;
}

/** "💬 <who>: <text>" with a Reply button, to every active staff member who answers customers and has Telegram. */
export async function forwardToStaff(
  deps: AppDeps,
  o: { log: Logger; telegramApiRoot: string },
  m: { businessId: string; member: { id: string; name: string | null; cardNumber: string }; text: string },
): Promise<number> {
  const lang = 'ru'; // the staff member's language is known only while they write to the staff bot
  const head = `💬 ${memberLabel(lang, m.member)}: `;
  const body = head.length + m.text.length > TELEGRAM_MAX ? `${head}${m.text.slice(0, TELEGRAM_MAX - head.length - 1)}…` : `${head}${m.text}`;
  let told = 0;
  for (const s of await chatRecipients(deps, m.businessId)) {
    if (s.telegramUserId === null) continue;
    if (await sendViaBot(deps, o, { businessId: m.businessId, role: 'staff', chatId: s.telegramUserId }, body, { reply_markup: replyKeyboard(lang, m.member.id) })) told += 1;
  }
  if (told === 0) o.log.info(`chat: a message from member ${m.member.id} waits in the inbox (no staff reachable in Telegram)`);
  return told;
}
