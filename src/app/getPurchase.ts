// One purchase as recorded: amounts, points, line items and its refunds so far.
import { DomainError, type PurchaseItem } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';

export interface PurchaseView {
  purchaseId: string;
  memberId: string;
  amount: number;
  redeemedPoints: number;
  redeemValue: number;
  earnedPoints: number;
  payableAmount: number;
  tierId: string | null;
  externalId: string | null;
  locationId: string | null;
  occurredAt: string;
  createdAt: string;
  items: PurchaseItem[];
  refundedAmount: number;
  refunds: { refundId: string; amount: number; clawedBackPoints: number; returnedPoints: number; createdAt: string }[];
}

export async function getPurchase(deps: AppDeps, input: { businessId: string; purchaseId: string }): Promise<PurchaseView> {
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const p = UUID_RE.test(input.purchaseId) ? await repos.purchases.get(business.id, input.purchaseId) : null;
    if (!p) throw new DomainError('purchase_not_found');
    const [items, refunds] = [await repos.purchases.items(business.id, p.id), await repos.purchases.refunds(business.id, p.id)];
    return {
      purchaseId: p.id,
      memberId: p.memberId,
      amount: p.amount,
      redeemedPoints: p.redeemedPoints,
      redeemValue: p.redeemValue,
      earnedPoints: p.earnedPoints,
      payableAmount: p.payableAmount,
      tierId: p.tierId,
      externalId: p.externalId,
      locationId: p.locationId,
      occurredAt: p.occurredAt.toISOString(),
      createdAt: p.createdAt.toISOString(),
      items,
      refundedAmount: refunds.reduce((s, r) => s + r.amount, 0),
      refunds: refunds.map((r) => ({ refundId: r.id, amount: r.amount, clawedBackPoints: r.clawedBackPoints, returnedPoints: r.returnedPoints, createdAt: r.createdAt.toISOString() })),
    };
  });
}
