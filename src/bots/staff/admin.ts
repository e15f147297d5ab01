// Commands by role: /start, /help (only what the role may do), /cancel, /today (managers and up), /invite (admins and
// up: role, then name, then the links), /bonus <points> <reason> (admins and up, confirmed first) and
// /broadcast <text> (admins and up). The use cases check the role table; the bot asks first only to refuse before
// asking questions.
import { Composer, InlineKeyboard } from 'grammy';
import { accrueToAll, requestBroadcast, todayTotals } from '../../app/adminOps.js';
import { INVITE_HOURS, inviteStaff } from '../../app/staff.js';
import { DomainError, STAFF_ROLES, can, canAssignRole, isStaffRole, requirePermission, type StaffRole } from '../../core/index.js';
import { callerOf, idempotencyKeyOf, newOperationId, type StaffContext } from '../staffContext.js';
import { cancelKeyboard, confirmKeyboard, labels, mainMenu, scanKeyboard } from './keyboards.js';

export const admin = new Composer<StaffContext>();

/** What this staff member may do, and nothing else. */
export function helpText(ctx: StaffContext): string {
  const { t, staff, roleName } = ctx.kopilka;
  if (!staff) return t('unknown');
  const role = staff.role;
  const lines = [t('helpTitle', { role: roleName(role) }), t(can(role, 'member.search') ? 'helpFindName' : 'helpFind')];
  if (can(role, 'till.earn') || can(role, 'till.redeem')) lines.push(t('helpTill'));
  if (can(role, 'points.adjust')) lines.push(t('helpAdjust'));
  if (can(role, 'report.today')) lines.push(t('helpToday'));
  if (can(role, 'staff.manage')) lines.push(t('helpInvite'));
  if (can(role, 'points.bulk')) lines.push(t('helpBonus'));
  if (can(role, 'broadcast.send')) lines.push(t('helpBroadcast'));
  if (can(role, 'chat.reply')) lines.push(t('helpChat'));
  lines.push(t('helpCancel'));
  return lines.join('\n');
}

admin.command('start', async (ctx) => {
  const { t, roleName } = ctx.kopilka;
  const { staff } = callerOf(ctx);
  await ctx.reply(t('welcomeBack', { name: staff.name, role: roleName(staff.role) }), { reply_markup: mainMenu(ctx) });
  await ctx.reply(helpText(ctx));
});

const showHelp = (ctx: StaffContext) => ctx.reply(helpText(ctx), { reply_markup: mainMenu(ctx) });
admin.command('help', showHelp);
admin.hears(labels('menuHelp'), showHelp);

/** "Scan QR": the cashier screen as a Mini App, or why it cannot open here. */
const scan = async (ctx: StaffContext) => {
  const keyboard = scanKeyboard(ctx);
  if (keyboard) await ctx.reply(ctx.kopilka.t('scanOpen'), { reply_markup: keyboard });
  else await ctx.reply(ctx.kopilka.t('scanNeedsHttps'), { reply_markup: mainMenu(ctx) });
};
admin.command('scan', scan);
admin.hears(labels('menuScan'), scan);

admin.command('cancel', async (ctx) => {
  const k = ctx.kopilka;
  if (!k.state.flow) return void (await ctx.reply(k.t('nothingToCancel'), { reply_markup: mainMenu(ctx) }));
  await k.save({ ...k.state, flow: undefined });
  await ctx.reply(k.t('cancelled'), { reply_markup: mainMenu(ctx) });
});

admin.command('today', async (ctx) => {
  const k = ctx.kopilka;
  const r = await todayTotals(k.deps, callerOf(ctx));
  await ctx.reply(
    k.t('today', { date: new Date(`${r.date}T12:00:00Z`).toLocaleDateString(k.lang === 'en' ? 'en-GB' : 'ru-RU', { timeZone: 'UTC' }), purchases: r.purchases, amount: k.money(r.amount), earned: r.earned, redeemed: r.redeemed, newMembers: r.newMembers }),
  );
});

// --- Invitations ---------------------------------------------------------------------------------------------

admin.command('invite', async (ctx) => {
  const k = ctx.kopilka;
  const { staff } = callerOf(ctx);
  requirePermission(staff.role, 'staff.manage');
  const kb = new InlineKeyboard();
  for (const role of STAFF_ROLES) if (canAssignRole(staff.role, role)) kb.text(k.roleName(role), `inv:${role}`);
  await ctx.reply(k.t('inviteAskRole'), { reply_markup: kb });
});

admin.callbackQuery(/^inv:(\w+)$/, async (ctx) => {
  const k = ctx.kopilka;
  const { staff } = callerOf(ctx);
  await ctx.answerCallbackQuery();
  const role = ctx.match[1];
  requirePermission(staff.role, 'staff.manage');
  if (!isStaffRole(role) || !canAssignRole(staff.role, role)) throw new DomainError('forbidden');
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  const flow = { step: 'invite_name' as const, id: newOperationId(), role };
  await k.save({ ...k.state, flow });
  await ctx.reply(k.t('inviteAskName', { role: k.roleName(role) }), { reply_markup: cancelKeyboard(ctx, flow.id) });
});

admin.on('message:text', async (ctx, next) => {
  const k = ctx.kopilka;
  const flow = k.state.flow;
  if (flow?.step !== 'invite_name' || ctx.message.text.startsWith('/')) return next();
  const name = ctx.message.text.trim();
  if (name.length < 1 || name.length > 100) return void (await ctx.reply(k.t('badName')));
  await k.save({ ...k.state, flow: undefined });
  await sendInvite(ctx, flow.role, name);
});

async function sendInvite(ctx: StaffContext, role: StaffRole, name: string): Promise<void> {
  const k = ctx.kopilka;
  const invite = await inviteStaff(k.deps, callerOf(ctx), { businessId: k.businessId, role, name });
  const lines = [k.t('invited', { name, role: k.roleName(role), hours: INVITE_HOURS, telegram: `https://t.me/${k.botUsername}?start=${invite.token}` })];
  if (k.cashierWebBase) lines.push(k.t('invitedWeb', { web: `${k.cashierWebBase}?b=${k.businessId}#invite=${invite.token}` }));
  await ctx.reply(lines.join('\n'), { link_preview_options: { is_disabled: true }, reply_markup: mainMenu(ctx) });
}

// --- A bonus to every member ---------------------------------------------------------------------------------

admin.command('bonus', async (ctx) => {
  const k = ctx.kopilka;
  requirePermission(callerOf(ctx).staff.role, 'points.bulk');
  const m = /^\s*(\d{1,7})\s+(\S[\s\S]*)$/.exec(ctx.match);
  const points = m ? Number(m[1]) : 0;
  const reason = m?.[2]?.trim() ?? '';
  if (!m || points < 1 || points > 1_000_000 || reason.length > 500) return void (await ctx.reply(k.t('bonusUsage')));
  const flow = { step: 'bonus_confirm' as const, id: newOperationId(), points, reason };
  await k.save({ ...k.state, flow });
  await ctx.reply(k.t('bonusConfirm', { n: points, reason }), { reply_markup: confirmKeyboard(ctx, `okb:${flow.id}`, flow.id) });
});

admin.callbackQuery(/^okb:([\w-]+)$/, async (ctx) => {
  const k = ctx.kopilka;
  const flow = k.state.flow;
  if (flow?.step !== 'bonus_confirm' || flow.id !== ctx.match[1]) return void (await ctx.answerCallbackQuery({ text: k.t('opStale') }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  try {
    const r = await accrueToAll(k.deps, callerOf(ctx), { points: flow.points, reason: flow.reason, idempotencyKey: idempotencyKeyOf(flow) });
    await k.save({ ...k.state, flow: undefined });
    await ctx.reply(k.t('bonusDone', { n: r.points, members: r.members }));
  } catch (e) {
    await k.save({ ...k.state, flow: undefined });
    throw e;
  }
});

// --- Broadcast -----------------------------------------------------------------------------------------------

admin.command('broadcast', async (ctx) => {
  const k = ctx.kopilka;
  requirePermission(callerOf(ctx).staff.role, 'broadcast.send');
  const text = ctx.match.trim();
  if (!text) return void (await ctx.reply(k.t('broadcastUsage')));
  await requestBroadcast(k.deps, callerOf(ctx), { text });
  await ctx.reply(k.t('broadcastDone'));
});
