// The till in the bot: earn for a purchase (amount → receipt), pay with points (amount → the most it allows →
// a code sent to the member, since a member found by phone or card proved nothing → the code the customer reads
// out → receipt), and a fixed accrual or write-off with a reason (confirmed). Each operation's id is made once and
// kept in the state as its idempotency key, so a repeated or duplicated confirmation does it once.
import { Composer, InlineKeyboard } from 'grammy';
import { REDEEM_CODE_MINUTES, requestRedeemCode, tillAdjust, tillEarn, tillMember, tillQuote, tillRedeem } from '../../app/till.js';
import { DomainError, formatCardNumber, requirePermission } from '../../core/index.js';
import { callerOf, idempotencyKeyOf, newOperationId, parseAmount, type StaffContext, type StaffFlow } from '../staffContext.js';
import { looksLikeLookup } from './find.js';
import { cancelKeyboard, confirmKeyboard } from './keyboards.js';
import { memberKeyboard } from './member.js';

export const operations = new Composer<StaffContext>();

type Flow<S extends StaffFlow['step']> = Extract<StaffFlow, { step: S }>;

/** Forgets the operation in progress. */
const finish = (ctx: StaffContext) => ctx.kopilka.save({ ...ctx.kopilka.state, flow: undefined });

/** Runs the final step of an operation: whatever happens, the operation is over afterwards. */
async function finally_<T>(ctx: StaffContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } finally {
    await finish(ctx);
  }
}

// --- Starting an operation from the member's card --------------------------------------------------------------

operations.callbackQuery(/^op:(earn|redeem|adjust):([0-9a-f-]{36})$/, async (ctx) => {
  const k = ctx.kopilka;
  const { staff } = callerOf(ctx);
  await ctx.answerCallbackQuery();
  const [, op, memberId] = ctx.match as unknown as [string, 'earn' | 'redeem' | 'adjust', string];
  requirePermission(staff.role, op === 'earn' ? 'till.earn' : op === 'redeem' ? 'till.redeem' : 'points.adjust');
  const id = newOperationId();
  const flow: StaffFlow = op === 'earn' ? { step: 'earn_amount', id, memberId } : op === 'redeem' ? { step: 'redeem_amount', id, memberId } : { step: 'adjust_points', id, memberId };
  await k.save({ ...k.state, flow });
  const ask = op === 'earn' ? 'askEarnAmount' : op === 'redeem' ? 'askRedeemAmount' : 'askAdjustPoints';
  await ctx.reply(k.t(ask), { reply_markup: cancelKeyboard(ctx, id) });
});

operations.callbackQuery(/^no:([\w-]+)$/, async (ctx) => {
  const k = ctx.kopilka;
  if (k.state.flow?.id !== ctx.match[1]) return void (await ctx.answerCallbackQuery({ text: k.t('opStale') }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await finish(ctx);
  await ctx.reply(k.t('cancelled'));
});

// --- Typed answers -------------------------------------------------------------------------------------------

operations.on('message:text', async (ctx, next) => {
  const k = ctx.kopilka;
  const flow = k.state.flow;
  const text = ctx.message.text.trim();
  if (!flow || text.startsWith('/')) return next();
  switch (flow.step) {
    case 'earn_amount':
    case 'redeem_amount': {
      const amount = parseAmount(text, k.currency);
      if (amount === null || amount <= 0) {
        if (!looksLikeLookup(text)) return void (await ctx.reply(k.t('badAmount'), { reply_markup: cancelKeyboard(ctx, flow.id) }));
        await finish(ctx); // a card or phone number: a new customer, the operation is dropped
        return next();
      }
      return flow.step === 'earn_amount' ? earn(ctx, flow, amount) : quoteRedeem(ctx, flow, amount);
    }
    case 'redeem_points': {
      const n = /^\d{1,10}$/.test(text) ? Number(text) : 0;
      if (n < 1 || n > flow.max) return void (await ctx.reply(k.t('badPoints', { max: flow.max }), { reply_markup: redeemKeyboard(ctx, flow) }));
      return sendCode(ctx, flow, n);
    }
    case 'redeem_code': {
      if (!/^\d{4,6}$/.test(text.replace(/\s/g, ''))) {
        if (!looksLikeLookup(text)) return void (await ctx.reply(k.t('codeFormat'), { reply_markup: cancelKeyboard(ctx, flow.id) }));
        await finish(ctx);
        return next();
      }
      return redeem(ctx, flow, text.replace(/\s/g, ''));
    }
    case 'adjust_points': {
      const n = /^[+-]?\d{1,9}$/.test(text.replace(/\s/g, '')) ? Number(text.replace(/\s/g, '')) : 0;
      if (n === 0) return void (await ctx.reply(k.t('badAdjust'), { reply_markup: cancelKeyboard(ctx, flow.id) }));
      await k.save({ ...k.state, flow: { step: 'adjust_reason', id: flow.id, memberId: flow.memberId, points: n } });
      return void (await ctx.reply(k.t('askAdjustReason'), { reply_markup: cancelKeyboard(ctx, flow.id) }));
    }
    case 'adjust_reason': {
      if (text.length < 1 || text.length > 500) return void (await ctx.reply(k.t('badReason')));
      const m = await tillMember(k.deps, callerOf(ctx), flow.memberId);
      const next: Flow<'adjust_confirm'> = { step: 'adjust_confirm', id: flow.id, memberId: flow.memberId, points: flow.points, reason: text };
      await k.save({ ...k.state, flow: next });
      return void (await ctx.reply(k.t('adjustConfirm', { change: signed(flow.points), name: m.name ?? formatCardNumber(m.cardNumber), reason: text }), { reply_markup: confirmKeyboard(ctx, `oka:${flow.id}`, flow.id) }));
    }
    default:
      return next(); // a step of another feature (admin.ts)
  }
});

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

// --- Earn ----------------------------------------------------------------------------------------------------

async function earn(ctx: StaffContext, flow: Flow<'earn_amount'>, amount: number): Promise<void> {
  const k = ctx.kopilka;
  const r = await finally_(ctx, () => tillEarn(k.till, callerOf(ctx), { memberId: flow.memberId, amount, idempotencyKey: idempotencyKeyOf(flow) }));
  const kb = memberKeyboard(ctx, flow.memberId);
  await ctx.reply(k.t('earned', { amount: k.money(r.amount), earned: r.earnedPoints, balance: r.balance.available }), kb ? { reply_markup: kb } : {});
}

// --- Pay with points -----------------------------------------------------------------------------------------

const redeemKeyboard = (ctx: StaffContext, flow: Flow<'redeem_points'>) =>
  new InlineKeyboard().text(ctx.kopilka.t('btnRedeemMax', { max: flow.max, value: ctx.kopilka.money(flow.value) }), `rmax:${flow.id}`).row().text(ctx.kopilka.t('btnCancel'), `no:${flow.id}`);

async function quoteRedeem(ctx: StaffContext, flow: Flow<'redeem_amount'>, amount: number): Promise<void> {
  const k = ctx.kopilka;
  const q = await tillQuote(k.deps, callerOf(ctx), { memberId: flow.memberId, amount });
  if (q.maxRedeemPoints <= 0) {
    await finish(ctx);
    return void (await ctx.reply(k.t('redeemNothing', { balance: q.balance.available, amount: k.money(amount) })));
  }
  const next: Flow<'redeem_points'> = { step: 'redeem_points', id: flow.id, memberId: flow.memberId, amount, max: q.maxRedeemPoints, value: q.maxRedeemValue };
  await k.save({ ...k.state, flow: next });
  await ctx.reply(k.t('redeemQuote', { amount: k.money(amount), max: q.maxRedeemPoints, value: k.money(q.maxRedeemValue), balance: q.balance.available }), { reply_markup: redeemKeyboard(ctx, next) });
}

operations.callbackQuery(/^rmax:([\w-]+)$/, async (ctx) => {
  const k = ctx.kopilka;
  const flow = k.state.flow;
  if (flow?.step !== 'redeem_points' || flow.id !== ctx.match[1]) return void (await ctx.answerCallbackQuery({ text: k.t('opStale') }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await sendCode(ctx, flow, flow.max);
});

/** A new code for the same redemption (the last one expired or was burnt by wrong tries). */
operations.callbackQuery(/^code:([\w-]+)$/, async (ctx) => {
  const k = ctx.kopilka;
  const flow = k.state.flow;
  if (flow?.step !== 'redeem_code' || flow.id !== ctx.match[1]) return void (await ctx.answerCallbackQuery({ text: k.t('opStale') }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await sendCode(ctx, flow, flow.points);
});

/** The member was found by phone or card, not by their QR: a code sent to them confirms they are here. */
async function sendCode(ctx: StaffContext, flow: Flow<'redeem_points'> | Flow<'redeem_code'>, points: number): Promise<void> {
  const k = ctx.kopilka;
  const { expiresAt } = await requestRedeemCode(k.till, callerOf(ctx), { memberId: flow.memberId });
  const next: Flow<'redeem_code'> = { step: 'redeem_code', id: flow.id, memberId: flow.memberId, amount: flow.amount, points, expiresAt };
  await k.save({ ...k.state, flow: next });
  await ctx.reply(k.t('codeSent', { n: points, amount: k.money(flow.amount), minutes: REDEEM_CODE_MINUTES }), { reply_markup: cancelKeyboard(ctx, flow.id) });
}

const newCodeKeyboard = (ctx: StaffContext, flow: Flow<'redeem_code'>) =>
  new InlineKeyboard().text(ctx.kopilka.t('btnNewCode'), `code:${flow.id}`).row().text(ctx.kopilka.t('btnCancel'), `no:${flow.id}`);

async function redeem(ctx: StaffContext, flow: Flow<'redeem_code'>, code: string): Promise<void> {
  const k = ctx.kopilka;
  let r;
  try {
    r = await tillRedeem(k.till, callerOf(ctx), { memberId: flow.memberId, amount: flow.amount, points: flow.points, confirmationCode: code, idempotencyKey: idempotencyKeyOf(flow) });
  } catch (e) {
    if (e instanceof DomainError && e.code === 'invalid_confirmation_code') {
      // The use case does not say which: the bot knows when the code it asked for runs out.
      if (k.deps.clock.now().getTime() >= Date.parse(flow.expiresAt)) return void (await ctx.reply(k.t('codeExpired'), { reply_markup: newCodeKeyboard(ctx, flow) }));
      return void (await ctx.reply(k.t('codeWrong'), { reply_markup: cancelKeyboard(ctx, flow.id) }));
    }
    if (e instanceof DomainError && e.code === 'too_many_attempts') return void (await ctx.reply(k.t('codeSpent'), { reply_markup: newCodeKeyboard(ctx, flow) }));
    await finish(ctx); // anything else ends the operation (the error is explained by the caller)
    throw e;
  }
  await finish(ctx);
  const kb = memberKeyboard(ctx, flow.memberId);
  await ctx.reply(
    k.t('redeemed', { redeemed: r.redeemedPoints, value: k.money(r.redeemValue), payable: k.money(r.payableAmount), earned: r.earnedPoints, balance: r.balance.available }),
    kb ? { reply_markup: kb } : {},
  );
}

// --- Adjust --------------------------------------------------------------------------------------------------

operations.callbackQuery(/^oka:([\w-]+)$/, async (ctx) => {
  const k = ctx.kopilka;
  const flow = k.state.flow;
  if (flow?.step !== 'adjust_confirm' || flow.id !== ctx.match[1]) return void (await ctx.answerCallbackQuery({ text: k.t('opStale') }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  const r = await finally_(ctx, () => tillAdjust(k.till, callerOf(ctx), { memberId: flow.memberId, points: flow.points, reason: flow.reason, idempotencyKey: idempotencyKeyOf(flow) }));
  await ctx.reply(k.t('adjusted', { change: signed(flow.points), balance: r.balance.available }));
});
