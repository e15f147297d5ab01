// JSON-safe results of the use cases (also what an idempotent replay returns).
import { availablePoints, expiringSoon, pendingPoints, tierFor, type Lot, type Member, type Program } from '../core/index.js';

export interface MemberView {
  id: string;
  cardNumber: string;
  phone: string;
  name: string | null;
  birthday: string | null;
  email: string | null;
  blocked: boolean;
  createdAt: string;
}

export interface BalanceView {
  available: number;
  pending: number;
}

export const memberView = (m: Member): MemberView => ({
  id: m.id,
  cardNumber: m.cardNumber,
  phone: m.phone,
  name: m.name,
  birthday: m.birthday,
  email: m.email,
  blocked: m.blocked,
  createdAt: m.createdAt.toISOString(),
});

/** Points expiring within this many days are listed in a member's balance. */
export const EXPIRING_SOON_DAYS = 30;

export interface MemberDetails extends MemberView {
  /** The VK account the business's VK community writes to; null until linked. */
  vkUserId: number | null;
  tier: { id: string; name: string } | null;
  balance: { available: number; pending: number; expiringSoon: { points: number; expiresAt: string }[] };
  totalSpent: number;
  purchasesCount: number;
}

/** The member as the API shows it; `tierSpend` is their spend within the program's tier window. */
export function memberDetails(m: Member, program: Program, lots: readonly Lot[], now: Date, tierSpend: number): MemberDetails {
  const tier = tierFor(program, tierSpend);
  return {
    ...memberView(m),
    vkUserId: m.vkUserId,
    tier: tier ? { id: tier.id, name: tier.name } : null,
    balance: {
      available: availablePoints(lots, now),
      pending: pendingPoints(lots, now),
      expiringSoon: expiringSoon(lots, now, EXPIRING_SOON_DAYS).map((e) => ({ points: e.points, expiresAt: e.expiresAt.toISOString() })),
    },
    totalSpent: m.totalSpent,
    purchasesCount: m.purchasesCount,
  };
}
