// Who may talk to the staff bot: its business's active staff. `/start ksi_…` (an invitation) turns the Telegram
// account into the invited staff member; a blocked staff member is told so; anyone else gets one polite refusal
// and then silence (remembered in the bot session).
import { Composer } from 'grammy';
import { acceptInviteFromTelegram } from '../../app/staffSessions.js';
import { approveTelegramLogin } from '../../app/staffTelegramLogin.js';
import { DomainError } from '../../core/index.js';
import type { StaffContext } from '../staffContext.js';
import { helpText } from './admin.js';
import { mainMenu } from './keyboards.js';

export const access = new Composer<StaffContext>();

const INVITE_RE = /^\/start(?:@\w+)?\s+(ksi_\S+)\s*$/;
const LOGIN_RE = /^\/start(?:@\w+)?\s+login_(\S+)\s*$/;
const telegramName = (ctx: StaffContext) => [ctx.from?.first_name, ctx.from?.last_name].filter(Boolean).join(' ').trim().slice(0, 100);

access.use(async (ctx, next) => {
  const from = ctx.from;
  if (!from) return;
  const k = ctx.kopilka;
  const invite = INVITE_RE.exec(ctx.message?.text ?? '')?.[1];
  if (invite) return join(ctx, invite);
  const login = LOGIN_RE.exec(ctx.message?.text ?? '')?.[1];
  if (login && k.staff?.status === 'active') return approveLogin(ctx, login);
  if (k.staff?.status === 'blocked') {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    return void (await ctx.reply(k.t('blocked'), { reply_markup: { remove_keyboard: true } }));
  }
  if (!k.staff) {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    if (k.state.told) return; // told once: no more answers
    await ctx.reply(k.t('refusal'), { reply_markup: { remove_keyboard: true } });
    await k.save({ ...k.state, told: true, flow: undefined });
    return;
  }
  await next();
});

async function join(ctx: StaffContext, inviteToken: string): Promise<void> {
  const k = ctx.kopilka;
  const from = ctx.from;
  if (!from) return;
  if (k.staff) {
    if (k.staff.status === 'blocked') return void (await ctx.reply(k.t('blocked'), { reply_markup: { remove_keyboard: true } }));
    return void (await ctx.reply(k.t('alreadyStaff', { role: k.roleName(k.staff.role) }), { reply_markup: mainMenu(ctx) }));
  }
  try {
    k.staff = await acceptInviteFromTelegram(k.deps, { businessId: k.businessId, inviteToken, telegramUserId: from.id, username: from.username ?? null, name: telegramName(ctx) });
  } catch (e) {
    // Whoever brings an invitation is told what is wrong with it (strangers included: they asked).
    if (e instanceof DomainError && (e.code === 'invalid_invite' || e.code === 'staff_exists')) return void (await ctx.reply(k.errorText(e)));
    throw e;
  }
  await k.save({});
  await ctx.reply(k.t('joined', { name: k.staff.name, role: k.roleName(k.staff.role) }), { reply_markup: mainMenu(ctx) });
  await ctx.reply(helpText(ctx));
}

/** "Log in with Telegram" on the cashier screen: the page signs in once its code is approved here. */
async function approveLogin(ctx: StaffContext, code: string): Promise<void> {
  const k = ctx.kopilka;
  const from = ctx.from;
  if (!from) return;
  try {
    await approveTelegramLogin(k.deps, { businessId: k.businessId, code, telegramUserId: from.id });
  } catch (e) {
    if (e instanceof DomainError) return void (await ctx.reply(k.errorText(e)));
    throw e;
  }
  await ctx.reply(k.t('loginApproved'), { reply_markup: mainMenu(ctx) });
}
