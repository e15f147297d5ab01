// A fixed accrual (positive) or write-off (negative) with a reason: staff bonuses, corrections, gifts.
import {
  MAX_POINTS,
  SYSTEM,
  applyTakes,
  availablePoints,
  credits,
  debits,
  invalid,
  isWhole,
  lotSchedule,
  planSpend,
  type Actor,
  type MemberLot,
  type MemberRef,
  type NewLedgerTransaction,
  type NewLot,
  type Repositories,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { checkIdempotencyKey, once } from './idempotency.js';
import { balanceOf, iso, lockMember } from './members.js';
import { memberDetails, type MemberDetails } from './views.js';

export interface AdjustPointsInput {
  businessId: string;
  member: MemberRef;
  points: number;
  reason: string;
  actor?: Actor;
  idempotencyKey?: string | null | undefined;
  /** Runs in the adjustment's transaction with the member locked, before the write (staff limits, audit). */
  guard?: ((repos: Repositories, a: { memberId: string; points: number; at: Date }) => Promise<void>) | undefined;
}

export interface AdjustmentResult {
  transactionId: string;
  memberId: string;
  points: number;
  activatesAt: string | null;
  expiresAt: string | null;
  reason: string;
  balance: { available: number; pending: number };
  member: MemberDetails;
}

export async function adjustPoints(deps: AppDeps, input: AdjustPointsInput): Promise<AdjustmentResult> {
  if (!isWhole(input.points) || input.points === 0 || Math.abs(input.points) > MAX_POINTS) {
    throw invalid(`points must be a non-zero whole number between -${MAX_POINTS} and ${MAX_POINTS}`, { field: 'points' });
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length < 1 || reason.length > 500) throw invalid('reason must be 1–500 characters', { field: 'reason' });
  const key = checkIdempotencyKey(input.idempotencyKey);
  const now = deps.clock.now();
  const actor = input.actor ?? SYSTEM;
  return deps.uow.run((repos) =>
    once(repos, input.businessId, key, 'adjust', { member: input.member, points: input.points, reason }, now, async () => {
      // A write-off may also hit a blocked member (e.g. to correct an abuse); an accrual may not.
      const { business, member, lots, totalSpent } = await lockMember(repos, input.businessId, input.member, now, { allowBlocked: input.points < 0, tierAt: now });
      if (input.guard) await input.guard(repos, { memberId: member.id, points: input.points, at: now });
      const id = deps.newId();
      const base = { id, businessId: business.id, memberId: member.id, type: 'adjust' as const, points: input.points, reason, actor, purchaseId: null, createdAt: now, meta: {} };
      let tx: NewLedgerTransaction;
      let state: MemberLot[];
      let lot: NewLot | null = null;
      if (input.points > 0) {
        lot = { id: deps.newId(), amount: input.points, purchaseId: null, ...lotSchedule(business.program, business.timezone, now) };
        state = [...lots, { ...lot, remaining: lot.amount, createdAt: now, memberId: member.id, expiredPoints: 0 }];
        tx = { ...base, balanceAfter: availablePoints(state, now), newLots: [lot], debits: [], postings: credits([lot], 'issued') };
      } else {
        const takes = planSpend(lots, -input.points, now);
        state = applyTakes(lots, takes);
        tx = { ...base, balanceAfter: availablePoints(state, now), newLots: [], debits: takes, postings: debits(takes, 'written_off') };
      }
      const event = { businessId: business.id, type: 'points.adjusted', payload: { memberId: member.id, transactionId: id, points: input.points, reason, balance: tx.balanceAfter } };
      await repos.ledger.write({ transactions: [tx], events: [event], at: now });
      return {
        transactionId: id,
        memberId: member.id,
        points: input.points,
        reason,
        activatesAt: lot ? iso(lot.activatesAt) : null,
        expiresAt: lot ? iso(lot.expiresAt) : null,
        balance: balanceOf(state, now),
        member: memberDetails(member, business.program, state, now, totalSpent),
      };
    }),
  );
}

