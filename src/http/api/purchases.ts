// /purchases: quote, record, read and refund.
import { z } from 'zod';
import { getPurchase } from '../../app/getPurchase.js';
import { wasReplayed } from '../../app/idempotency.js';
import { quotePurchase } from '../../app/quotePurchase.js';
import { recordPurchase } from '../../app/recordPurchase.js';
import { refundPurchase } from '../../app/refundPurchase.js';
import type { AppDeps } from '../../app/deps.js';
import { reportBreach, staffGuard } from '../../app/till.js';
import { isDomainError, type LimitBreach, type MemberRef } from '../../core/index.js';
import { ADMIN_CHANNEL } from '../adminSession.js';
import type { StaffCaller } from '../env.js';
import { HttpError } from '../errors.js';
import { route, type ApiRouter } from '../route.js';
import * as S from '../schemas.js';
import { actorOf } from './common.js';

const PurchasePath = z.object({ purchaseId: z.string().max(100).describe('Purchase id') });

/**
 * A signed-in staff member's purchase: at their own location, within their limits (checked and audited in the
 * purchase's transaction, like the till's), and never paid with points — that needs the customer's QR code or a
 * code sent to them, which only the cashier screen asks for.
 */
async function staffPurchase(r: ApiRouter, caller: StaffCaller, deps: AppDeps, body: z.output<typeof S.PurchaseCreate>, idempotencyKey: string) {
  const { staff } = caller;
  if (body.redeemPoints !== undefined && body.redeemPoints !== 0) throw new HttpError(403, 'forbidden', 'Staff pay with points at the cashier screen, where the customer confirms it', { action: 'till.redeem', role: staff.role });
  if (body.locationId !== undefined && staff.locationIds.length > 0 && !staff.locationIds.includes(body.locationId)) throw new HttpError(403, 'forbidden', 'You record purchases only at your own locations');
  const who = { staff, channel: ADMIN_CHANNEL };
  const breaches: LimitBreach[] = [];
  const limits = staffGuard(null, who, 'till.earn', breaches);
  let memberId: string | null = null;
  try {
    return await recordPurchase(deps, {
      businessId: caller.businessId,
      member: body.member as MemberRef,
      amount: body.amount,
      externalId: body.externalId,
      locationId: body.locationId ?? staff.locationIds[0] ?? null,
      occurredAt: body.occurredAt,
      items: body.items?.map((i) => ({ ...i, category: i.category ?? null })),
      actor: actorOf(caller),
      idempotencyKey,
      guard: async (repos, p) => {
        memberId = p.memberId;
        await limits(repos, p);
      },
    });
  } catch (e) {
    const breach = breaches[0];
    if (isDomainError(e) && e.code === 'staff_limit_exceeded' && breach && memberId) await reportBreach({ alerts: r.staffAlerts, app: deps }, who, 'till.earn', breach, memberId);
    throw e;
  }
}

export function purchaseRoutes(r: ApiRouter): void {
  route(r, {
    method: 'post', path: '/purchases/quote', operationId: 'quotePurchase', tag: 'Purchases', summary: 'What a purchase would do, changing nothing',
    permission: 'till.earn',
    body: S.PurchaseQuoteRequest,
    responses: { 200: { description: 'The quote', schema: S.PurchaseQuote } },
    errors: ['member_not_found', 'member_blocked', 'insufficient_points', 'redeem_limit_exceeded', 'invalid_qr_token', 'invalid_phone', 'invalid_card_number'],
  }, async ({ body, c }) => ({
    status: 200,
    body: await quotePurchase(c.var.deps, { businessId: c.var.caller.businessId, member: body.member as MemberRef, amount: body.amount, redeemPoints: body.redeemPoints }),
  }));

  route(r, {
    method: 'post', path: '/purchases', operationId: 'recordPurchase', tag: 'Purchases', summary: 'Record a purchase: redeem points, then earn on the money part',
    permission: 'till.earn',
    description: 'A key tied to a location records purchases at that location. externalId is unique per business: the same receipt twice is refused with purchase_exists and the first purchase\'s id.',
    body: S.PurchaseCreate, idempotent: true,
    responses: { 201: { description: 'The purchase and the member after it', schema: S.PurchaseRecorded } },
    errors: ['member_not_found', 'member_blocked', 'insufficient_points', 'redeem_limit_exceeded', 'occurred_at_out_of_window', 'purchase_exists', 'invalid_qr_token', 'invalid_phone', 'invalid_card_number', 'forbidden', 'staff_limit_exceeded'],
  }, async ({ body, c, idempotencyKey }) => {
    const { caller, deps } = c.var;
    if (caller.locationId && body.locationId !== undefined && body.locationId !== caller.locationId) {
      throw new HttpError(403, 'forbidden', 'This API key records purchases only at its own location');
    }
    if (caller.kind === 'staff') {
      const recorded = await staffPurchase(r, caller, deps, body, idempotencyKey ?? '');
      return { status: 201, body: recorded, replayed: wasReplayed(recorded) };
    }
    const result = await recordPurchase(deps, {
      businessId: caller.businessId,
      member: body.member as MemberRef,
      amount: body.amount,
      redeemPoints: body.redeemPoints,
      externalId: body.externalId,
      locationId: body.locationId ?? caller.locationId,
      occurredAt: body.occurredAt,
      items: body.items?.map((i) => ({ ...i, category: i.category ?? null })),
      actor: actorOf(caller),
      idempotencyKey,
    });
    return { status: 201, body: result, replayed: wasReplayed(result) };
  });

  route(r, {
    method: 'get', path: '/purchases/:purchaseId', operationId: 'getPurchase', tag: 'Purchases', summary: 'A purchase with its items and refunds',
    permission: 'member.history',
    params: PurchasePath,
    responses: { 200: { description: 'The purchase', schema: S.Purchase } },
    errors: ['purchase_not_found'],
  }, async ({ params, c }) => ({ status: 200, body: await getPurchase(c.var.deps, { businessId: c.var.caller.businessId, purchaseId: params.purchaseId }) }));

  route(r, {
    method: 'post', path: '/purchases/:purchaseId/refunds', operationId: 'refundPurchase', tag: 'Purchases', summary: 'Refund all or part of a purchase',
    permission: 'points.adjust',
    description: 'Earned points are taken back in proportion (rounded down), redeemed points given back (rounded up). Without amount, everything left is refunded.',
    params: PurchasePath, body: S.RefundCreate, idempotent: true,
    responses: { 201: { description: 'The refund', schema: S.Refund } },
    errors: ['purchase_not_found', 'purchase_fully_refunded', 'refund_exceeds_purchase'],
  }, async ({ params, body, c, idempotencyKey }) => {
    const { caller, deps } = c.var;
    const result = await refundPurchase(deps, { businessId: caller.businessId, purchaseId: params.purchaseId, amount: body.amount, actor: actorOf(caller), idempotencyKey });
    return { status: 201, body: result, replayed: wasReplayed(result) };
  });
}
