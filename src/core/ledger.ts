// The points ledger: append-only transactions made of postings between accounts; balances are derived from them.
import type { LotTake } from './lots.js';
import type { Points } from './money.js';

export const TRANSACTION_TYPES = ['earn', 'redeem', 'welcome', 'referral', 'adjust', 'expire', 'refund', 'birthday', 'winback'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/** `member` holds a member's points (per lot); the others are the program's side of each movement. */
export type Account = 'member' | 'issued' | 'redeemed' | 'expired' | 'written_off' | 'clawed_back';

export interface Posting {
  source: Account;
  destination: Account;
  amount: Points;
  lotId: string;
}

export type ActorType = 'system' | 'api_key' | 'staff' | 'cli' | 'member';
export interface Actor {
  type: ActorType;
  id: string | null;
}
export const SYSTEM: Actor = { type: 'system', id: null };

export interface NewLot {
  id: string;
  amount: Points;
  activatesAt: Date;
  expiresAt: Date | null;
  purchaseId: string | null;
}

export interface NewLedgerTransaction {
  id: string;
  businessId: string;
  memberId: string;
  type: TransactionType;
  /** Net change of the member's points: credits minus debits. */
  points: Points;
  /** The member's available points right after this transaction. */
  balanceAfter: Points;
  reason: string | null;
  actor: Actor;
  purchaseId: string | null;
  createdAt: Date;
  newLots: NewLot[];
  debits: LotTake[];
  postings: Posting[];
  meta: Record<string, unknown>;
}

/** Postings crediting new lots to the member from `source`. */
export function credits(lots: readonly NewLot[], source: Account): Posting[] {
  return lots.filter((l) => l.amount > 0).map((l) => ({ source, destination: 'member', amount: l.amount, lotId: l.id }));
}

/** Postings debiting the member's lots to `destination`. */
export function debits(takes: readonly LotTake[], destination: Account): Posting[] {
  return takes.filter((t) => t.points > 0).map((t) => ({ source: 'member', destination, amount: t.points, lotId: t.lotId }));
}

/** Net effect of postings on the member's account. */
export function memberDelta(postings: readonly Posting[]): Points {
  let d = 0;
  for (const p of postings) {
    if (p.destination === 'member') d += p.amount;
    if (p.source === 'member') d -= p.amount;
  }
  return d;
}
