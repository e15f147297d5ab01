// A purchase at the till or in a shop: redeem points (optional), then earn on the part paid with money.
import {
  DomainError,
  SYSTEM,
  applyTakes,
  assertAmount,
  availablePoints,
  credits,
  debits,
  invalid,
  lotSchedule,
  planSpend,
  type Actor,
  type MemberLot,
  type NewLedgerTransaction,
  type OutboxEvent,
  type MemberRef,
  type RedeemRequest,
  type PurchaseItem,
  type ClaimRequest,
  type LockedMemberRecord,
  type Repositories,
  isWhole,
  MAX_AMOUNT,
} from '../core/index.js';
import { memberDetails, type MemberDetails } from './views.js';
import type { AppDeps } from './deps.js';
import { checkIdempotencyKey, once } from './idempotency.js';
import { UUID_RE } from './ids.js';
import { balanceOf, iso, lockMember } from './members.js';
import { priceForMember } from './purchaseRules.js';
import { rewardReferral } from './referrals.js';

export interface RecordPurchaseInput {
  businessId: string;
  member: MemberRef;
  amount: number;
  redeemPoints?: RedeemRequest | undefined;
  externalId?: string | null | undefined;
  locationId?: string | null | undefined;
  occurredAt?: Date | string | null | undefined;
  items?: PurchaseItem[] | null | undefined;
  actor?: Actor;
  idempotencyKey?: string | null | undefined;
  /**
   * Runs inside the purchase's transaction, with the member locked, once the points are known and before anything is
   * written: staff limits are checked (and may refuse) and the audit entry is written here. Not run on a replay.
   */
  guard?: PurchaseGuard | undefined;
}

export type PurchaseGuard = (repos: Repositories, p: { memberId: string; purchaseId: string; amount: number; earnedPoints: number; redeemedPoints: number; at: Date }) => Promise<void>;

export interface PurchaseResult {
  purchaseId: string;
  memberId: string;
  amount: number;
  redeemedPoints: number;
  redeemValue: number;
  earnedPoints: number;
  payableAmount: number;
  tier: { id: string; name: string } | null;
  earnActivatesAt: string | null;
  earnExpiresAt: string | null;
  occurredAt: string;
  balance: { available: number; pending: number };
  member: MemberDetails;
}

export const MAX_ITEMS = 500;

function checkItems(items: RecordPurchaseInput['items']): PurchaseItem[] {
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items) || items.length > MAX_ITEMS) throw invalid(`items must be a list of at most ${MAX_ITEMS}`, { field: 'items' });
  return items.map((it, i) => {
    const text = (v: unknown, max: number) => typeof v === 'string' && v.trim().length >= 1 && v.length <= max;
    if (!text(it.sku, 100)) throw invalid(`items[${i}].sku must be 1–100 characters`, { field: `items.${i}.sku` });
    if (!text(it.name, 200)) throw invalid(`items[${i}].name must be 1–200 characters`, { field: `items.${i}.name` });
    if (it.category != null && !text(it.category, 100)) throw invalid(`items[${i}].category must be 1–100 characters`, { field: `items.${i}.category` });
    if (typeof it.quantity !== 'number' || !(it.quantity > 0) || it.quantity > 1_000_000 || Math.round(it.quantity * 1000) !== it.quantity * 1000) {
      throw invalid(`items[${i}].quantity must be positive with at most 3 decimals`, { field: `items.${i}.quantity` });
    }
    if (!isWhole(it.price) || it.price < 0 || it.price > MAX_AMOUNT) throw invalid(`items[${i}].price must be a whole number of minor units`, { field: `items.${i}.price` });
    return { sku: it.sku, name: it.name, category: it.category ?? null, quantity: it.quantity, price: it.price };
  });
}

const CLOCK_SKEW_MS = 5 * 60_000;

function checkOccurredAt(value: RecordPurchaseInput['occurredAt'], now: Date, windowDays: number): Date {
  if (value === undefined || value === null) return now;
  const at = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(at.getTime())) throw invalid('occurredAt must be an ISO 8601 date-time', { field: 'occurredAt' });
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS || at.getTime() < now.getTime() - windowDays * 86_400_000) {
    throw new DomainError('occurred_at_out_of_window', `occurredAt must not be in the future or more than ${windowDays} days ago`);
  }
  return at;
}

export async function recordPurchase(deps: AppDeps, input: RecordPurchaseInput): Promise<PurchaseResult> {
  assertAmount(input.amount);
  const externalId = input.externalId ?? null;
  if (externalId !== null && (typeof externalId !== 'string' || externalId.length < 1 || externalId.length > 200)) {
    throw invalid('externalId must be 1–200 characters', { field: 'externalId' });
  }
  const locationId = input.locationId ?? null;
  if (locationId !== null && !UUID_RE.test(locationId)) throw invalid('locationId is not a valid id', { field: 'locationId' });
  // A till resending the same receipt is a replay even without an explicit key.
  const key = checkIdempotencyKey(input.idempotencyKey) ?? (externalId ? `purchase:${externalId}` : null);
  const items = checkItems(input.items);
  const actor = input.actor ?? SYSTEM;
  const now = deps.clock.now();
  const fingerprint = { member: input.member, amount: input.amount, redeemPoints: input.redeemPoints ?? 0, externalId, locationId, occurredAt: input.occurredAt ?? null, items };

  const byId = 'id' in input.member && UUID_RE.test(input.member.id) && UUID_RE.test(input.businessId) ? input.member.id : null;
  return deps.uow.run((repos) => {
    // The common path (a key, the member by id): the claim and the member lock are one statement.
    let prelocked: LockedMemberRecord | null | undefined;
    const claimWith = byId
      ? async (claim: ClaimRequest) => {
          const r = await repos.members.lockWithClaim(input.businessId, byId, claim);
          prelocked = r.locked;
          return r.claim;
        }
      : undefined;
    return once(repos, input.businessId, key, 'purchase', fingerprint, now, async (ticket) => {
      const locked = await lockMember(repos, input.businessId, input.member, now, { tierAt: now, ...(prelocked !== undefined ? { prelocked } : {}) });
      const { business, member, lots } = locked;
      const occurredAt = checkOccurredAt(input.occurredAt, now, business.program.lateReceiptWindowDays);
      if (locationId !== null && !(await repos.businesses.locationExists(business.id, locationId))) {
        throw invalid('locationId is not a location of this business', { field: 'locationId' });
      }
      const existing = externalId !== null ? await repos.purchases.findByExternalId(business.id, externalId) : null;
      if (existing) throw new DomainError('purchase_exists', `A purchase with externalId "${externalId}" already exists`, { purchaseId: existing.id });
      const { quote, tier } = priceForMember(locked, input.amount, input.redeemPoints, now);
      const purchaseId = deps.newId();
      const takes = quote.redeemPoints > 0 ? planSpend(lots, quote.redeemPoints, now) : [];
      let state: MemberLot[] = applyTakes(lots, takes);
      const afterRedeem = availablePoints(state, now);
      const earnLot = quote.earnPoints > 0 ? { id: deps.newId(), amount: quote.earnPoints, purchaseId, ...lotSchedule(business.program, business.timezone, now) } : null;
      if (earnLot) state = [...state, { ...earnLot, remaining: earnLot.amount, createdAt: now, memberId: member.id, expiredPoints: 0 }];

      const common = { businessId: business.id, memberId: member.id, actor, purchaseId, createdAt: now, meta: {} };
      const transactions: NewLedgerTransaction[] = [];
      const events: OutboxEvent[] = [];
      if (takes.length > 0) {
        const id = deps.newId();
        transactions.push({ ...common, id, type: 'redeem', points: -quote.redeemPoints, balanceAfter: afterRedeem, reason: 'Paid with points', newLots: [], debits: takes, postings: debits(takes, 'redeemed') });
        events.push({ businessId: business.id, type: 'points.redeemed', payload: { memberId: member.id, purchaseId, transactionId: id, points: quote.redeemPoints, balance: afterRedeem } });
      }
      if (earnLot) {
        const id = deps.newId();
        const balance = availablePoints(state, now);
        transactions.push({ ...common, id, type: 'earn', points: earnLot.amount, balanceAfter: balance, reason: 'Purchase', newLots: [earnLot], debits: [], postings: credits([earnLot], 'issued') });
        events.push({ businessId: business.id, type: 'points.earned', payload: { memberId: member.id, purchaseId, transactionId: id, points: earnLot.amount, balance } });
      }
      if (input.guard) await input.guard(repos, { memberId: member.id, purchaseId, amount: quote.amount, earnedPoints: quote.earnPoints, redeemedPoints: quote.redeemPoints, at: now });
      // The friend's first purchase rewards a referral (the inviter is credited here, the friend with this write).
      const referral = await rewardReferral(repos, deps, business, member, state, now, purchaseId);
      if (referral.friendTransaction) {
        transactions.push(referral.friendTransaction);
        state = [...state, ...referral.friendLots];
      }
      events.push(...referral.events);
      const purchase = {
        id: purchaseId,
        businessId: business.id,
        memberId: member.id,
        amount: quote.amount,
        redeemedPoints: quote.redeemPoints,
        redeemValue: quote.redeemValue,
        earnedPoints: quote.earnPoints,
        payableAmount: quote.payableAmount,
        earnLotId: earnLot?.id ?? null,
        tierId: tier?.id ?? null,
        externalId,
        locationId,
        occurredAt,
        createdAt: now,
      };
      const after = { ...member, totalSpent: member.totalSpent + quote.amount, purchasesCount: member.purchasesCount + 1 };
      const result: PurchaseResult = {
        purchaseId,
        memberId: member.id,
        amount: quote.amount,
        redeemedPoints: quote.redeemPoints,
        redeemValue: quote.redeemValue,
        earnedPoints: quote.earnPoints,
        payableAmount: quote.payableAmount,
        tier: tier ? { id: tier.id, name: tier.name } : null,
        earnActivatesAt: earnLot ? iso(earnLot.activatesAt) : null,
        earnExpiresAt: earnLot ? iso(earnLot.expiresAt) : null,
        occurredAt: occurredAt.toISOString(),
        balance: balanceOf(state, now),
        member: memberDetails(after, business.program, state, now, locked.totalSpent + quote.amount),
      };
      // The result is stored with its key in the same statement, and the transaction commits with it: nothing may
      // touch the database or throw after this line.
      await repos.ledger.write({ purchase, items, transactions, events, at: now, idempotency: ticket ? { key: ticket.key, requestHash: ticket.requestHash, result } : undefined, last: true });
      if (ticket) ticket.done = true;
      return result;
    }, claimWith);
  });
}
