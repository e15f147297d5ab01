// Tiers by total spent: the highest tier whose threshold the member's total reaches.
import type { Program, Tier } from './program.js';
import type { Minor } from './money.js';

export function tierFor(program: Program, totalSpent: Minor): Tier | null {
  let found: Tier | null = null;
  for (const t of program.tiers) {
    if (totalSpent >= t.minTotalSpent) found = t;
  }
  return found;
}

/** The next tier up and how much more must be spent to reach it. */
export function nextTier(program: Program, totalSpent: Minor): { tier: Tier; missing: Minor } | null {
  const t = program.tiers.find((x) => x.minTotalSpent > totalSpent);
  return t ? { tier: t, missing: t.minTotalSpent - totalSpent } : null;
}

/** Start of the tier window (null: all time). */
export function tierWindowStart(program: Program, now: Date): Date | null {
  return program.tierWindowDays === null ? null : new Date(now.getTime() - program.tierWindowDays * 86_400_000);
}

export function ratesFor(program: Program, tier: Tier | null): { earnRateBp: number; maxRedeemBp: number } {
  return tier ? { earnRateBp: tier.earnRateBp, maxRedeemBp: tier.maxRedeemBp } : { earnRateBp: program.earnRateBp, maxRedeemBp: program.maxRedeemBp };
}
