// Shared by quoting and recording a purchase: the member's tier and what the purchase would do.
import { availablePoints, quotePurchase, tierFor, tierWindowStart, type PurchaseQuote, type RedeemRequest, type Repositories, type Tier } from '../core/index.js';
import type { LockedMember } from './members.js';

export async function priceForMember(
  repos: Repositories,
  locked: LockedMember,
  amount: number,
  redeem: RedeemRequest | undefined,
  now: Date,
): Promise<{ quote: PurchaseQuote; tier: Tier | null; totalSpent: number; available: number }> {
  const { business, member, lots } = locked;
  const totalSpent = await repos.purchases.totalSpent(business.id, member.id, tierWindowStart(business.program, now));
  const tier = tierFor(business.program, totalSpent);
  const available = availablePoints(lots, now);
  return { quote: quotePurchase(business.program, tier, { amount, redeem, available }), tier, totalSpent, available };
}
