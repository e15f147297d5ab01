// A member at the till: name, card number, masked phone, balance, tier, the last movements, and the operations the
// staff member's role allows as buttons.
import { Composer, InlineKeyboard } from 'grammy';
import { tillMember } from '../../app/till.js';
import { can, formatCardNumber } from '../../core/index.js';
import { callerOf, type StaffContext, type StaffKey } from '../staffContext.js';

export const member = new Composer<StaffContext>();

const TX_KEYS: Record<string, StaffKey> = { earn: 'tx_earn', redeem: 'tx_redeem', welcome: 'tx_welcome', adjust: 'tx_adjust', expire: 'tx_expire', refund: 'tx_refund', referral: 'tx_referral' };

/** The operation buttons for a member, by permission. */
export function memberKeyboard(ctx: StaffContext, memberId: string): InlineKeyboard | undefined {
  const { t } = ctx.kopilka;
  const role = callerOf(ctx).staff.role;
  const kb = new InlineKeyboard();
  if (can(role, 'till.earn')) kb.text(t('btnEarn'), `op:earn:${memberId}`).row();
  if (can(role, 'till.redeem')) kb.text(t('btnRedeem'), `op:redeem:${memberId}`).row();
  if (can(role, 'points.adjust')) kb.text(t('btnAdjust'), `op:adjust:${memberId}`).row();
  return kb.inline_keyboard.some((row) => row.length > 0) ? kb : undefined;
}

export async function showMember(ctx: StaffContext, memberId: string): Promise<void> {
  const k = ctx.kopilka;
  const m = await tillMember(k.deps, callerOf(ctx), memberId);
  const lines = [k.t('member', { name: m.name ?? k.t('noName'), card: formatCardNumber(m.cardNumber), phone: m.phoneMasked, available: m.balance.available })];
  if (m.balance.pending > 0) lines.push(k.t('memberPending', { pending: m.balance.pending }));
  if (m.tier) lines.push(k.t('memberTier', { tier: m.tier.name }));
  if (m.blocked) lines.push('', k.t('memberBlocked'));
  lines.push('', m.recent.length > 0 ? k.t('recentTitle') : k.t('recentEmpty'));
  for (const x of m.recent) {
    const type = TX_KEYS[x.type];
    lines.push(`${k.date(x.when)}  ${x.points > 0 ? '+' : ''}${x.points}  ${type ? k.t(type) : x.type}${x.type === 'adjust' && x.reason ? ` (${x.reason})` : ''}`);
  }
  const keyboard = m.blocked ? undefined : memberKeyboard(ctx, m.id);
  await ctx.reply(lines.join('\n'), keyboard ? { reply_markup: keyboard } : {});
}

member.callbackQuery(/^m:([0-9a-f-]{36})$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showMember(ctx, ctx.match[1] as string);
});
