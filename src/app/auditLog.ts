// The audit log for the admin panel: newest first, filtered by staff member, member, action and local dates.
import { invalid, isIsoDate, startOfLocalDay, addDays } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import type { AuditView } from './till.js';

export interface AuditInput {
  staffId?: string | undefined;
  memberId?: string | undefined;
  action?: string | undefined;
  /** Local dates (the business's time zone), both included. */
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export async function auditLog(deps: AppDeps, businessId: string, q: AuditInput): Promise<{ items: AuditView[]; nextCursor: string | null }> {
  const limit = q.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw invalid('limit must be 1–200', { field: 'limit' });
  for (const field of ['staffId', 'memberId'] as const) {
    const v = q[field];
    if (v !== undefined && !UUID_RE.test(v)) throw invalid(`${field} must be an id`, { field });
  }
  for (const field of ['from', 'to'] as const) {
    const v = q[field];
    if (v !== undefined && !isIsoDate(v)) throw invalid(`${field} must be a date YYYY-MM-DD`, { field });
  }
  if (q.action !== undefined && !/^[a-z_.]{1,50}$/.test(q.action)) throw invalid('action is like points.adjust', { field: 'action' });
  if (q.cursor !== undefined && !/^\d{1,15}$/.test(q.cursor)) throw invalid('cursor is the nextCursor of the previous page', { field: 'cursor' });
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    const tz = business.timezone;
    const rows = await repos.reports.audit(business.id, {
      limit: limit + 1,
      beforeId: q.cursor === undefined ? undefined : Number(q.cursor),
      staffId: q.staffId,
      memberId: q.memberId,
      action: q.action,
      from: q.from === undefined ? undefined : startOfLocalDay(q.from, tz),
      to: q.to === undefined ? undefined : startOfLocalDay(addDays(q.to, 1), tz),
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({ id: r.id, at: r.at.toISOString(), staffId: r.staffId, staffRole: r.staffRole, action: r.action, memberId: r.memberId, points: r.points, amount: r.amount, channel: r.channel, details: r.details })),
      nextCursor: rows.length > limit ? String(page[page.length - 1]?.id ?? '') : null,
    };
  });
}
