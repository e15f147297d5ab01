// What admins and managers do beyond the till: today's totals, a bonus to every member, and a broadcast request
// (handed to the notifications engine through the outbox). Each is checked against the role table and audited.
import { randomUUID } from 'node:crypto';
import { DomainError, checkLimits, endOfLocalDay, invalid, localDateOf, requirePermission, startOfLocalDay, type DayTotals } from '../core/index.js';
import { adjustPoints } from './adjustPoints.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';
import type { TillCaller } from './till.js';

export async function todayTotals(deps: AppDeps, c: TillCaller): Promise<DayTotals & { date: string; currency: string }> {
  requirePermission(c.staff.role, 'report.today');
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, c.staff.businessId);
    const date = localDateOf(now, business.timezone);
    const totals = await repos.purchases.totals(business.id, startOfLocalDay(date, business.timezone), endOfLocalDay(date, business.timezone));
    return { date, currency: business.currency, ...totals };
  });
}

const BULK_PAGE = 500;
export const MAX_BROADCAST = 4000;

/**
 * Accrues `points` to every member who is not blocked, with a reason. One key per run: running it again with the same
 * key (a retry after a broken connection) credits nobody twice.
 */
export async function accrueToAll(deps: AppDeps, c: TillCaller, input: { points: number; reason: string; idempotencyKey: string }): Promise<{ members: number; points: number }> {
  requirePermission(c.staff.role, 'points.bulk');
  if (!Number.isSafeInteger(input.points) || input.points < 1 || input.points > 1_000_000) throw invalid('points must be a whole number from 1 to 1000000', { field: 'points' });
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length < 1 || reason.length > 500) throw invalid('reason must be 1–500 characters', { field: 'reason' });
  const businessId = c.staff.businessId;
  const now = deps.clock.now();
  // The whole run is held to the staff member's limits up front (per member for the per-operation limit).
  const count = await deps.uow.run(async (repos) => {
    const staff = await repos.staff.lock(businessId, c.staff.id);
    if (!staff || staff.status !== 'active') throw new DomainError('staff_blocked');
    let n = 0;
    for (let after: string | null = null; ; ) {
      const ids: string[] = await repos.members.activeIds(businessId, after, BULK_PAGE);
      n += ids.length;
      if (ids.length < BULK_PAGE) break;
      after = ids[ids.length - 1] ?? null;
    }
    const business = await loadBusiness(repos, businessId);
    const dayStart = startOfLocalDay(localDateOf(now, business.timezone), business.timezone);
    const issued = { today: await repos.staff.issuedSince(businessId, staff.id, dayStart), budgetPeriod: staff.limits.budget ? await repos.staff.issuedSince(businessId, staff.id, new Date(now.getTime() - staff.limits.budget.days * 86_400_000)) : 0 };
    const breach = checkLimits(staff.limits, { points: input.points, manual: true }, issued) ?? checkLimits(staff.limits, { points: input.points * n, manual: false }, issued);
    if (breach) throw new DomainError('staff_limit_exceeded', `Over your ${breach.limit.replace('_', '-')} limit: ${breach.allowed} points allowed, this would issue ${breach.wanted}`, { ...breach });
    await repos.staff.addAudit({ businessId, at: now, staffId: staff.id, staffRole: staff.role, action: 'points.bulk', memberId: null, points: input.points, issuedPoints: input.points * n, amount: null, channel: c.channel, details: { reason, members: n, key: input.idempotencyKey } });
    return n;
  });
  let done = 0;
  for (let after: string | null = null; ; ) {
    const ids: string[] = await deps.uow.run((repos) => repos.members.activeIds(businessId, after, BULK_PAGE));
    for (const id of ids) {
      await adjustPoints(deps, { businessId, member: { id }, points: input.points, reason, actor: { type: 'staff', id: c.staff.id }, idempotencyKey: `bulk:${c.staff.id}:${input.idempotencyKey}:${id}` }).catch((e: unknown) => {
        if (!(e instanceof DomainError && e.code === 'member_blocked')) throw e; // blocked meanwhile: skipped
      });
      done += 1;
    }
    if (ids.length < BULK_PAGE) break;
    after = ids[ids.length - 1] ?? null;
  }
  return { members: Math.min(done, count), points: input.points };
}

/** Asks for a message to every member who agreed to marketing; the notifications engine sends it. */
export async function requestBroadcast(deps: AppDeps, c: TillCaller, input: { text: string }): Promise<{ id: string }> {
  requirePermission(c.staff.role, 'broadcast.send');
  const text = typeof input.text === 'string' ? input.text.trim() : '';
  if (text.length < 1 || text.length > MAX_BROADCAST) throw invalid(`text must be 1–${MAX_BROADCAST} characters`, { field: 'text' });
  const id = randomUUID();
  const now = deps.clock.now();
  await deps.uow.run(async (repos) => {
    await repos.outbox.add({ businessId: c.staff.businessId, type: 'broadcast.requested', payload: { id, text, by: c.staff.id } }, now);
    await repos.staff.addAudit({ businessId: c.staff.businessId, at: now, staffId: c.staff.id, staffRole: c.staff.role, action: 'broadcast.send', memberId: null, points: null, issuedPoints: 0, amount: null, channel: c.channel, details: { id, length: text.length } });
  });
  return { id };
}
