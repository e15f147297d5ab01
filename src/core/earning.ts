// Earning and redeeming on a purchase as one pure rule: given the program, the tier and the balance, what happens.
import { DomainError, invalid } from './errors.js';
import { FULL_RATE_BP, MAX_AMOUNT, isWhole, mulDivFloor, type Minor, type Points } from './money.js';
import type { Program, Tier } from './program.js';
import { ratesFor } from './tiers.js';

export type RedeemRequest = Points | 'max';

export interface PurchaseQuote {
  amount: Minor;
  tierId: string | null;
  earnRateBp: number;
  maxRedeemBp: number;
  /** The most points this purchase may be paid with, given the share limit and the balance. */
  maxRedeemPoints: Points;
  redeemPoints: Points;
  redeemValue: Minor;
  payableAmount: Minor;
  earnPoints: Points;
}

export function assertAmount(amount: unknown, field = 'amount'): asserts amount is Minor {
  if (!isWhole(amount) || amount < 1 || amount > MAX_AMOUNT) {
    throw invalid(`${field} must be a whole number of minor units from 1 to ${MAX_AMOUNT}`, { field });
  }
}

/** Points that `moneyPaid` earns at a rate: rounded down to whole points. */
export function pointsEarned(moneyPaid: Minor, earnRateBp: number, pointValue: Minor): Points {
  return mulDivFloor(moneyPaid, earnRateBp, FULL_RATE_BP * pointValue);
}

/** The most points a purchase may be paid with by share alone (rounded down). */
export function redeemCap(amount: Minor, maxRedeemBp: number, pointValue: Minor): Points {
  return mulDivFloor(amount, maxRedeemBp, FULL_RATE_BP * pointValue);
}

export function quotePurchase(
  program: Program,
  tier: Tier | null,
  input: { amount: Minor; redeem?: RedeemRequest | undefined; available: Points },
): PurchaseQuote {
  assertAmount(input.amount);
  const { earnRateBp, maxRedeemBp } = ratesFor(program, tier);
  const cap = redeemCap(input.amount, maxRedeemBp, program.pointValue);
  const maxRedeemPoints = Math.min(cap, Math.max(0, input.available));
  let redeemPoints = 0;
  const req = input.redeem ?? 0;
  if (req === 'max') {
    redeemPoints = maxRedeemPoints;
  } else {
    if (!isWhole(req) || req < 0) throw invalid('redeemPoints must be a non-negative whole number or "max"', { field: 'redeemPoints' });
    if (req > cap) {
      throw new DomainError('redeem_limit_exceeded', `At most ${cap} points may be redeemed on this purchase`, { maxRedeemPoints: cap });
    }
    if (req > input.available) {
      throw new DomainError('insufficient_points', `Only ${input.available} points are available`, { available: input.available });
    }
    redeemPoints = req;
  }
  const redeemValue = redeemPoints * program.pointValue;
  const payableAmount = input.amount - redeemValue;
  const earnPoints = input.amount >= program.minPurchaseToEarn ? pointsEarned(payableAmount, earnRateBp, program.pointValue) : 0;
  return {
    amount: input.amount,
    tierId: tier?.id ?? null,
    earnRateBp,
    maxRedeemBp,
    maxRedeemPoints,
    redeemPoints,
    redeemValue,
    payableAmount,
    earnPoints,
  };
}
