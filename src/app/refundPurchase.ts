// Refund a purchase in full or in part: claw back earned points in proportion, return redeemed ones.
import {
  DomainError,
  SYSTEM,
  applyTakes,
  availablePoints,
  credits,
  debits,
  lotSchedule,
  planClawback,
  planRefund,
  type Actor,
  type MemberLot,
  type NewLedgerTransaction,
  type NewLot,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { checkIdempotencyKey, once } from './idempotency.js';
import { UUID_RE } from './ids.js';
import { balanceOf, loadBusiness, lockMember } from './members.js';
import { memberDetails, type MemberDetails } from './views.js';

export interface RefundPurchaseInput {
  businessId: string;
  purchaseId: string;
  /** Minor units to refund; default: all that is left. */
  amount?: number | undefined;
  actor?: Actor;
  idempotencyKey?: string | null | undefined;
}

export interface RefundResult {
  refundId: string;
  purchaseId: string;
  memberId: string;
  amount: number;
  refundedTotal: number;
  clawedBackPoints: number;
  returnedPoints: number;
  absorbedByExpiry: number;
  shortfall: number;
  transactionId: string | null;
  balance: { available: number; pending: number };
  member: MemberDetails;
}

export async function refundPurchase(deps: AppDeps, input: RefundPurchaseInput): Promise<RefundResult> {
  const key = checkIdempotencyKey(input.idempotencyKey);
  const now = deps.clock.now();
  const actor = input.actor ?? SYSTEM;
  return deps.uow.run((repos) =>
    once(repos, input.businessId, key, 'refund', { purchaseId: input.purchaseId, amount: input.amount ?? null }, now, async () => {
      const business = await loadBusiness(repos, input.businessId);
      const purchase = UUID_RE.test(input.purchaseId) ? await repos.purchases.get(business.id, input.purchaseId) : null;
      if (!purchase) throw new DomainError('purchase_not_found');
      // Refunds of one purchase are serialised by its member's lock; read earlier refunds only after taking it.
      const { member, lots, totalSpent } = await lockMember(repos, business.id, { id: purchase.memberId }, now, { allowBlocked: true, tierAt: now });
      const earlier = await repos.purchases.refunds(business.id, purchase.id);
      const refundedAmount = earlier.reduce((s, r) => s + r.amount, 0);
      const plan = planRefund({ amount: purchase.amount, refundedAmount, earnedPoints: purchase.earnedPoints, redeemedPoints: purchase.redeemedPoints }, input.amount);
      const purchaseLot = purchase.earnLotId ? (lots.find((l) => l.id === purchase.earnLotId) ?? (await repos.lots.get(business.id, purchase.earnLotId))) : null;
      const absorbedBefore = earlier.reduce((s, r) => s + r.absorbedByExpiry, 0);
      const source = planClawback(plan.clawbackPoints, purchaseLot, absorbedBefore, lots, now);

      let state: MemberLot[] = applyTakes(lots, source.takes);
      const returned: NewLot[] = [];
      if (plan.returnPoints > 0) {
        // Returned points start a fresh lifetime, as if earned today.
        const lot = { id: deps.newId(), amount: plan.returnPoints, purchaseId: purchase.id, ...lotSchedule(business.program, business.timezone, now) };
        returned.push(lot);
        state = [...state, { ...lot, remaining: lot.amount, createdAt: now, memberId: member.id, expiredPoints: 0 }];
      }
      const postings = [...debits(source.takes, 'clawed_back'), ...credits(returned, 'redeemed')];
      const taken = source.takes.reduce((s, t) => s + t.points, 0);
      const transactionId = postings.length > 0 ? deps.newId() : null;
      const transactions: NewLedgerTransaction[] = [];
      if (transactionId) {
        transactions.push({
          id: transactionId,
          businessId: business.id,
          memberId: member.id,
          type: 'refund',
          points: plan.returnPoints - taken,
          balanceAfter: availablePoints(state, now),
          reason: plan.fullyRefunded ? 'Purchase refunded' : 'Purchase partly refunded',
          actor,
          purchaseId: purchase.id,
          createdAt: now,
          newLots: returned,
          debits: source.takes,
          postings,
          meta: { refundAmount: plan.amount, clawedBack: taken, returned: plan.returnPoints, absorbedByExpiry: source.absorbedByExpiry, shortfall: source.shortfall },
        });
      }
      const refundId = deps.newId();
      const refund = {
        id: refundId,
        businessId: business.id,
        purchaseId: purchase.id,
        memberId: member.id,
        amount: plan.amount,
        clawedBackPoints: taken,
        returnedPoints: plan.returnPoints,
        absorbedByExpiry: source.absorbedByExpiry,
        shortfall: source.shortfall,
        transactionId,
        createdAt: now,
      };
      const result: Omit<RefundResult, 'member'> = {
        refundId,
        purchaseId: purchase.id,
        memberId: member.id,
        amount: plan.amount,
        refundedTotal: refundedAmount + plan.amount,
        clawedBackPoints: taken,
        returnedPoints: plan.returnPoints,
        absorbedByExpiry: source.absorbedByExpiry,
        shortfall: source.shortfall,
        transactionId,
        balance: balanceOf(state, now),
      };
      const event = { businessId: business.id, type: 'purchase.refunded', payload: { ...result } };
      const after = { ...member, totalSpent: member.totalSpent - plan.amount };
      await repos.ledger.write({ transactions, refund, events: [event], at: now });
      return { ...result, member: memberDetails(after, business.program, state, now, Math.max(0, totalSpent - plan.amount)) };
    }),
  );
}
