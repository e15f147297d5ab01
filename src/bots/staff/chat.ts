// Answering customers from the staff bot. A member's message arrives as "💬 <who>: <text>" with a Reply button
// (callback `chat:<member id>`); pressing it asks for the answer (a flow in the state), or the staff member replies
// to (swipes) the forwarded message itself: its button still says whose it is. The answer goes out through
// replyToMember (stored, marked read, delivered by the notifications engine).
import { Composer, InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import { chatThread, replyToMember } from '../../app/chat.js';
import { callerOf, idempotencyKeyOf, newOperationId, staffText, type StaffContext } from '../staffContext.js';
import type { Lang } from '../i18n.js';
import { cancelKeyboard } from './keyboards.js';

export const chat = new Composer<StaffContext>();

const REPLY_RE = /^chat:([0-9a-f-]{36})$/;

export const replyButtonData = (memberId: string) => `chat:${memberId}`;

/** The Reply button under a forwarded message (staff bot texts: the staff member's language is not known then). */
export const replyKeyboard = (lang: Lang, memberId: string) => new InlineKeyboard().text(staffText(lang, 'btnChatReply'), replyButtonData(memberId));

/** "Анна (…1234)" or "карта …1234": enough to know who it is without the phone. */
export function memberLabel(lang: Lang, m: { name: string | null; cardNumber: string }): string {
  const last4 = m.cardNumber.replace(/\D/g, '').slice(-4);
  return m.name ? `${m.name} (…${last4})` : staffText(lang, 'chatWho', { last4 });
}

/** The member a forwarded message is about: its Reply button carries their id. */
function memberOfForward(m: Message | undefined): string | null {
  const rows = m?.reply_markup?.inline_keyboard ?? [];
  for (const b of rows.flat()) {
    const id = 'callback_data' in b ? REPLY_RE.exec(b.callback_data)?.[1] : undefined;
    if (id) return id;
  }
  return null;
}

/** Who the answer is for (opening the thread marks the member's messages read: the staff member is on it). */
async function who(ctx: StaffContext, memberId: string): Promise<string> {
  const k = ctx.kopilka;
  const { staff } = callerOf(ctx);
  const thread = await chatThread(k.deps, { businessId: k.businessId, staff, memberId, limit: 1 });
  return memberLabel(k.lang, { name: thread.member.name, cardNumber: thread.member.cardNumber });
}

async function send(ctx: StaffContext, memberId: string, text: string, idempotencyKey: string, label: string): Promise<void> {
  const k = ctx.kopilka;
  const { staff } = callerOf(ctx);
  await replyToMember(k.deps, { businessId: k.businessId, staff, channel: 'telegram', memberId, text, idempotencyKey });
  await ctx.reply(k.t('chatSent', { who: label }));
}

chat.callbackQuery(REPLY_RE, async (ctx) => {
  const k = ctx.kopilka;
  await ctx.answerCallbackQuery();
  const memberId = ctx.match[1] as string;
  const label = await who(ctx, memberId);
  const flow = { step: 'chat_reply' as const, id: newOperationId(), memberId, who: label };
  await k.save({ ...k.state, flow });
  await ctx.reply(k.t('chatAskReply', { who: label }), { reply_markup: cancelKeyboard(ctx, flow.id) });
});

chat.on('message:text', async (ctx, next) => {
  const k = ctx.kopilka;
  const text = ctx.message.text;
  if (text.startsWith('/')) return next();
  const replied = memberOfForward(ctx.message.reply_to_message);
  // A swipe-reply to a forwarded message answers that member, whatever else is in progress; its key is the message.
  if (replied) return send(ctx, replied, text, `tg:reply:${ctx.chat.id}:${ctx.message.message_id}`, await who(ctx, replied));
  const flow = k.state.flow;
  if (flow?.step !== 'chat_reply') return next();
  try {
    await send(ctx, flow.memberId, text, idempotencyKeyOf(flow), flow.who);
  } finally {
    await k.save({ ...k.state, flow: undefined });
  }
});
