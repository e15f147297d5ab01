// Lots: each accrual is a lot with its own activation and expiry; spending takes the soonest-expiring first.
import { DomainError } from './errors.js';
import { addDays, endOfLocalDay, localDateOf, startOfLocalDay } from './localDate.js';
import type { Points } from './money.js';
import type { Program } from './program.js';

export interface Lot {
  id: string;
  amount: Points;
  remaining: Points;
  activatesAt: Date;
  expiresAt: Date | null;
  createdAt: Date;
}

export interface LotTake {
  lotId: string;
  points: Points;
}

/**
 * When a lot earned at `earnedAt` becomes usable and when it expires: valid for `pointsLifetimeDays` full days
 * after the day it was earned, expiring at the end of that last day in the business's time zone.
 */
export function lotSchedule(program: Program, timeZone: string, earnedAt: Date): { activatesAt: Date; expiresAt: Date | null } {
  const day = localDateOf(earnedAt, timeZone);
  const activatesAt = program.activationDelayDays > 0 ? startOfLocalDay(addDays(day, program.activationDelayDays), timeZone) : earnedAt;
  const expiresAt = program.pointsLifetimeDays === null ? null : endOfLocalDay(addDays(day, program.pointsLifetimeDays), timeZone);
  return { activatesAt, expiresAt };
}

export const isExpired = (lot: Lot, now: Date) => lot.expiresAt !== null && lot.expiresAt.getTime() <= now.getTime();
export const isActive = (lot: Lot, now: Date) =>
  lot.remaining > 0 && lot.activatesAt.getTime() <= now.getTime() && !isExpired(lot, now);
export const isPending = (lot: Lot, now: Date) => lot.remaining > 0 && lot.activatesAt.getTime() > now.getTime() && !isExpired(lot, now);

/** Soonest expiry first; lots that never expire last; then oldest first. */
export function bySpendOrder(a: Lot, b: Lot): number {
  const ea = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (ea !== eb) return ea < eb ? -1 : 1;
  const ca = a.createdAt.getTime();
  const cb = b.createdAt.getTime();
  if (ca !== cb) return ca - cb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function availablePoints(lots: readonly Lot[], now: Date): Points {
  return lots.reduce((s, l) => (isActive(l, now) ? s + l.remaining : s), 0);
}

export function pendingPoints(lots: readonly Lot[], now: Date): Points {
  return lots.reduce((s, l) => (isPending(l, now) ? s + l.remaining : s), 0);
}

/** Which lots pay for `points`: active lots, soonest-expiring first. Throws if the balance is short. */
export function planSpend(lots: readonly Lot[], points: Points, now: Date): LotTake[] {
  const active = lots.filter((l) => isActive(l, now)).sort(bySpendOrder);
  const takes: LotTake[] = [];
  let left = points;
  for (const lot of active) {
    if (left === 0) break;
    const take = Math.min(left, lot.remaining);
    takes.push({ lotId: lot.id, points: take });
    left -= take;
  }
  if (left > 0) {
    const available = points - left;
    throw new DomainError('insufficient_points', `Only ${available} points are available`, { available, requested: points });
  }
  return takes;
}

/** Points that expire within `days` days, grouped by expiry instant, soonest first. */
export function expiringSoon(lots: readonly Lot[], now: Date, days: number): { points: Points; expiresAt: Date }[] {
  const until = now.getTime() + days * 86_400_000;
  const groups = new Map<number, Points>();
  for (const l of lots) {
    if (!isActive(l, now) && !isPending(l, now)) continue;
    const e = l.expiresAt?.getTime();
    if (e === undefined || e > until) continue;
    groups.set(e, (groups.get(e) ?? 0) + l.remaining);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([e, points]) => ({ points, expiresAt: new Date(e) }));
}

/** Lots after takes are applied (pure; the input is not changed). */
export function applyTakes<L extends Lot>(lots: readonly L[], takes: readonly LotTake[]): L[] {
  const byId = new Map(takes.map((t) => [t.lotId, t.points]));
  return lots.map((l) => {
    const take = byId.get(l.id);
    return take ? { ...l, remaining: l.remaining - take } : l;
  });
}
