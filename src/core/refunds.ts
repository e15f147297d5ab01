// Refunds reverse a purchase in proportion: earned points are clawed back, redeemed points returned.
import { DomainError, invalid } from './errors.js';
import { isWhole, mulDivCeil, mulDivFloor, type Minor, type Points } from './money.js';
import { bySpendOrder, isExpired, type Lot, type LotTake } from './lots.js';

export interface RefundedPurchase {
  amount: Minor;
  refundedAmount: Minor;
  earnedPoints: Points;
  redeemedPoints: Points;
}

export interface RefundPlan {
  amount: Minor;
  /** Earned points to take back for this refund (before sourcing). */
  clawbackPoints: Points;
  /** Redeemed points to give back. */
  returnPoints: Points;
  fullyRefunded: boolean;
}

/**
 * Amounts are cumulative so that partial refunds add up exactly: the earned points taken back after refunding r
 * of A are floor(E·r/A) (rounded in the customer's favour), the redeemed points returned ceil(R·r/A).
 */
export function planRefund(p: RefundedPurchase, requested: Minor | undefined): RefundPlan {
  const rest = p.amount - p.refundedAmount;
  if (rest <= 0) throw new DomainError('purchase_fully_refunded');
  const amount = requested ?? rest;
  if (!isWhole(amount) || amount < 1) throw invalid('refund amount must be a positive whole number of minor units', { field: 'amount' });
  if (amount > rest) {
    throw new DomainError('refund_exceeds_purchase', `At most ${rest} may still be refunded`, { refundable: rest });
  }
  const after = p.refundedAmount + amount;
  const clawbackPoints = mulDivFloor(p.earnedPoints, after, p.amount) - mulDivFloor(p.earnedPoints, p.refundedAmount, p.amount);
  const returnPoints = mulDivCeil(p.redeemedPoints, after, p.amount) - mulDivCeil(p.redeemedPoints, p.refundedAmount, p.amount);
  return { amount, clawbackPoints, returnPoints, fullyRefunded: after === p.amount };
}

export interface ClawbackSource {
  /** Taken from the purchase's own lot and then from the balance. */
  takes: LotTake[];
  /** Part already gone from the purchase's lot by expiry: nothing to take back. */
  absorbedByExpiry: Points;
  /** Part the member had already spent and the balance could not cover: recorded, not taken. */
  shortfall: Points;
}

/**
 * Where clawed-back points come from: the purchase's own lot first (whatever remains of it), then what of that
 * lot expired unused (already gone, so nothing more is taken), then the member's other unexpired lots in spend
 * order; the balance never goes below zero, and what cannot be taken is the shortfall.
 */
export function planClawback(
  points: Points,
  purchaseLot: (Lot & { expiredPoints: Points }) | null,
  expiryAlreadyAbsorbed: Points,
  otherLots: readonly Lot[],
  now: Date,
): ClawbackSource {
  const takes: LotTake[] = [];
  let left = points;
  if (purchaseLot && left > 0 && purchaseLot.remaining > 0) {
    const take = Math.min(left, purchaseLot.remaining);
    takes.push({ lotId: purchaseLot.id, points: take });
    left -= take;
  }
  let absorbedByExpiry = 0;
  if (purchaseLot && left > 0) {
    absorbedByExpiry = Math.min(left, Math.max(0, purchaseLot.expiredPoints - expiryAlreadyAbsorbed));
    left -= absorbedByExpiry;
  }
  const candidates = otherLots
    .filter((l) => l.id !== purchaseLot?.id && l.remaining > 0 && !isExpired(l, now))
    .sort(bySpendOrder);
  for (const lot of candidates) {
    if (left === 0) break;
    const take = Math.min(left, lot.remaining);
    takes.push({ lotId: lot.id, points: take });
    left -= take;
  }
  return { takes, absorbedByExpiry, shortfall: left };
}
