// The admin panel's reads under /api/v1: the dashboard, a member's lots, messages and purchases, the audit log, and
// the members list (list mode of GET /members, declared in members.ts).
import type { Context } from 'hono';
import { auditLog } from '../../app/auditLog.js';
import { dashboard } from '../../app/dashboard.js';
import { listMembers, memberLots, memberMessages, memberPurchases, type MemberListItem } from '../../app/memberViews.js';
import type { ApiEnv } from '../env.js';
import { route, type ApiRouter } from '../route.js';
import { z } from 'zod';
import * as A from './adminSchemas.js';

const MemberPath = z.object({ memberId: z.string().max(100).describe('Member id') });
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** Whether a GET /members query asks for the list (sort, filters, pages) rather than a lookup. */
export const asksForList = (query: Record<string, unknown>): boolean => A.MEMBER_LIST_PARAMS.some((k) => query[k] !== undefined);

/** GET /members without phone, card, last4 or q: the members list. */
export async function memberListPage(c: Context<ApiEnv>, q: z.output<typeof A.MemberFindQuery>): Promise<{ items: MemberListItem[]; nextCursor: string | null }> {
  return listMembers(c.var.deps, c.var.caller.businessId, {
    sort: q.sort,
    order: q.order,
    tier: q.tier,
    lastPurchaseBefore: q.lastPurchaseBefore,
    lastPurchaseAfter: q.lastPurchaseAfter,
    balanceMin: num(q.balanceMin),
    balanceMax: num(q.balanceMax),
    birthdayMonth: num(q.birthdayMonth),
    marketing: q.marketing === undefined ? undefined : q.marketing === 'true',
    channel: q.channel,
    limit: num(q.limit),
    cursor: q.cursor,
  });
}

export function adminReadRoutes(r: ApiRouter): void {
  route(r, {
    method: 'get', path: '/stats/dashboard', operationId: 'getDashboard', tag: 'Reports', summary: 'The dashboard: series per day or week and the program\'s figures',
    permission: 'report.today',
    description: 'Staff: report.today. Computed in SQL from the ledger\'s postings, purchases and refunds, read from one snapshot: the totals equal the sums of the ledger. '
      + 'Dates are local days in the business\'s time zone (a week runs Monday to Sunday, whatever the clocks do). With locationId, purchases, revenue and the points of '
      + 'those purchases are of that location only; new members, bonuses, adjustments and expiry belong to no location and are left out of the points. '
      + 'Outstanding points, expiring points and members are as of now, not of the period. '
      + 'Revenue here is members\' revenue (Kopilka sees only members\' purchases). memberShare divides it by the business\'s total takings entered per day '
      + '(PUT /revenue/{day}), over the days that have takings only (and, per day, the locations that entered theirs): say "based on daysWithTakings of days days".',
    query: A.DashboardQuery,
    responses: { 200: { description: 'The dashboard', schema: A.Dashboard } },
    errors: ['location_not_found'],
  }, async ({ query, c }) => ({ status: 200, body: await dashboard(c.var.deps, { businessId: c.var.caller.businessId, ...query, locationId: query.locationId ?? null }) }));

  route(r, {
    method: 'get', path: '/members/:memberId/lots', operationId: 'listMemberLots', tag: 'Members', summary: 'The member\'s lots: what is left of each and when it expires',
    permission: 'member.history',
    description: 'Staff: member.history. Every lot, open and past, newest first (at most 1,000).',
    params: MemberPath,
    responses: { 200: { description: 'The lots', schema: A.LotList } },
    errors: ['member_not_found'],
  }, async ({ params, c }) => ({ status: 200, body: await memberLots(c.var.deps, { businessId: c.var.caller.businessId, memberId: params.memberId }) }));

  route(r, {
    method: 'get', path: '/members/:memberId/messages', operationId: 'listMemberMessages', tag: 'Members', summary: 'Messages sent to the member, newest first',
    permission: 'member.history',
    description: 'Staff: member.history. Kind, channel, status and the text as sent.',
    params: MemberPath, query: A.PageOnlyQuery,
    responses: { 200: { description: 'One page of messages', schema: A.MessagePage } },
    errors: ['member_not_found'],
  }, async ({ params, query, c }) => ({ status: 200, body: await memberMessages(c.var.deps, { businessId: c.var.caller.businessId, memberId: params.memberId, limit: num(query.limit), cursor: query.cursor }) }));

  route(r, {
    method: 'get', path: '/members/:memberId/purchases', operationId: 'listMemberPurchases', tag: 'Members', summary: 'The member\'s purchases with items and refunds, newest first',
    permission: 'member.history',
    description: 'Staff: member.history.',
    params: MemberPath, query: A.PageOnlyQuery,
    responses: { 200: { description: 'One page of purchases', schema: A.MemberPurchasePage } },
    errors: ['member_not_found'],
  }, async ({ params, query, c }) => ({ status: 200, body: await memberPurchases(c.var.deps, { businessId: c.var.caller.businessId, memberId: params.memberId, limit: num(query.limit), cursor: query.cursor }) }));

  route(r, {
    method: 'get', path: '/audit', operationId: 'listAudit', tag: 'Audit', summary: 'The audit log of staff actions, newest first',
    permission: 'audit.read',
    description: 'Staff: audit.read. Append-only: who (staff member and role) did what, to which member, how many points, from where. Filters combine; from and to are local days.',
    query: A.AuditQuery,
    responses: { 200: { description: 'One page of entries', schema: A.AuditPage } },
  }, async ({ query, c }) => ({
    status: 200,
    body: await auditLog(c.var.deps, c.var.caller.businessId, { ...query, limit: num(query.limit) }),
  }));
}
