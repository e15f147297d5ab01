// Shared by quoting and recording a purchase: the member's tier and what the purchase would do.
import { availablePoints, quotePurchase, tierFor, type PurchaseQuote, type RedeemRequest, type Tier } from '../core/index.js';
import type { LockedMember } from './members.js';

/** Needs a LockedMember read with `tierAt`, so its totalSpent covers the tier window. */
export function priceForMember(
  locked: LockedMember,
  amount: number,
  redeem: RedeemRequest | undefined,
  now: Date,
): { quote: PurchaseQuote; tier: Tier | null; available: number } {
  const { business, lots, totalSpent } = locked;
  const tier = tierFor(business.program, totalSpent);
  const available = availablePoints(lots, now);
  return { quote: quotePurchase(business.program, tier, { amount, redeem, available }), tier, available };
}
