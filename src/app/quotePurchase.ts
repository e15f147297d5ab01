// What a purchase would do (points to redeem and earn, what is left to pay), changing nothing.
import { assertAmount, type MemberRef, type RedeemRequest } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { balanceOf, lockMember } from './members.js';
import { priceForMember } from './purchaseRules.js';

export interface QuotePurchaseInput {
  businessId: string;
  member: MemberRef;
  amount: number;
  redeemPoints?: RedeemRequest | undefined;
}

export interface PurchaseQuoteView {
  memberId: string;
  amount: number;
  tier: { id: string; name: string } | null;
  maxRedeemPoints: number;
  redeemPoints: number;
  redeemValue: number;
  payableAmount: number;
  earnPoints: number;
  balance: { available: number; pending: number };
}

export async function quotePurchase(deps: AppDeps, input: QuotePurchaseInput): Promise<PurchaseQuoteView> {
  assertAmount(input.amount);
  const now = deps.clock.now();
  // Read in a transaction that writes nothing, so the quote sees one consistent state.
  return deps.uow.run(async (repos) => {
    const locked = await lockMember(repos, input.businessId, input.member, now, { lock: false, tierAt: now });
    const { quote, tier } = priceForMember(locked, input.amount, input.redeemPoints, now);
    return {
      memberId: locked.member.id,
      amount: quote.amount,
      tier: tier ? { id: tier.id, name: tier.name } : null,
      maxRedeemPoints: quote.maxRedeemPoints,
      redeemPoints: quote.redeemPoints,
      redeemValue: quote.redeemValue,
      payableAmount: quote.payableAmount,
      earnPoints: quote.earnPoints,
      balance: balanceOf(locked.lots, now),
    };
  });
}
