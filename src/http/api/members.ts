// /members: enrol, look up, read, change, history, manual adjustments and QR tokens.
import { z } from 'zod';
import { adjustPoints } from '../../app/adjustPoints.js';
import { createMember } from '../../app/createMember.js';
import { findMembers, type MemberQuery } from '../../app/findMembers.js';
import { getMember } from '../../app/getMember.js';
import { wasReplayed } from '../../app/idempotency.js';
import { listTransactions } from '../../app/listTransactions.js';
import { issueQrToken } from '../../app/qrTokens.js';
import { updateMember } from '../../app/updateMember.js';
import { adjustGuard, reportBreach } from '../../app/till.js';
import { isDomainError, type LimitBreach } from '../../core/index.js';
import { ADMIN_CHANNEL } from '../adminSession.js';
import { HttpError } from '../errors.js';
import * as A from './adminSchemas.js';
import { asksForList, memberListPage } from './adminReads.js';
import { route, type ApiRouter } from '../route.js';
import * as S from '../schemas.js';
import { actorOf } from './common.js';

const MemberPath = z.object({ memberId: z.string().max(100).describe('Member id') });

export function memberRoutes(r: ApiRouter): void {
  route(r, {
    method: 'post', path: '/members', operationId: 'createMember', tag: 'Members', summary: 'Enrol a member',
    permission: 'till.earn',
    description: 'The phone is normalised to E.164 and must be new in this business; the welcome bonus, if any, is granted once.',
    body: S.MemberCreate, idempotent: true,
    responses: { 201: { description: 'The new member', schema: S.Member } },
    errors: ['member_exists', 'invalid_phone'],
  }, async ({ body, c, idempotencyKey }) => {
    const { caller, deps } = c.var;
    const result = await createMember(deps, { businessId: caller.businessId, ...body, actor: actorOf(caller), idempotencyKey });
    return { status: 201, body: result.member, replayed: wasReplayed(result) };
  });

  route(r, {
    method: 'get', path: '/members', operationId: 'findMembers', tag: 'Members', summary: 'Find members by phone, card, last 4 phone digits or text; or list them with sorts and filters',
    permission: 'member.search',
    description: 'Lookup: give exactly one of phone, card, last4 or q. last4 and q may match several members (at most 50, newest first for q). '
      + 'List: give none of them — sort, order and the filters (tier, last purchase, balance, birthday month, marketing consent, channel) apply, '
      + 'a page at a time (limit, cursor = nextCursor; pages never repeat or skip a member). Erased members are not listed.',
    query: A.MemberFindQuery,
    responses: { 200: { description: 'Matching members (maybe none); in list mode one page and nextCursor', schema: A.MemberFindResult } },
    errors: ['invalid_phone', 'invalid_card_number'],
  }, async ({ query, c }) => {
    const given = (['phone', 'card', 'last4', 'q'] as const).filter((k) => query[k] !== undefined);
    if (given.length === 0) return { status: 200, body: await memberListPage(c, query) };
    if (given.length !== 1 || asksForList(query)) {
      throw new HttpError(400, 'validation_failed', 'Give exactly one of phone, card, last4 or q — or none, with sort and filters, for the list', { errors: [{ path: 'query', message: 'exactly one of phone, card, last4 or q, and no list parameters, for a lookup' }] });
    }
    const k = given[0] as 'phone' | 'card' | 'last4' | 'q';
    const items = await findMembers(c.var.deps, c.var.caller.businessId, { [k]: query[k] } as MemberQuery);
    return { status: 200, body: { items } };
  });

  route(r, {
    method: 'get', path: '/members/:memberId', operationId: 'getMember', tag: 'Members', summary: 'A member with balance, tier and totals',
    permission: 'member.search',
    params: MemberPath,
    responses: { 200: { description: 'The member', schema: S.Member } },
    errors: ['member_not_found'],
  }, async ({ params, c }) => ({ status: 200, body: await getMember(c.var.deps, { businessId: c.var.caller.businessId, memberId: params.memberId }) }));

  route(r, {
    method: 'patch', path: '/members/:memberId', operationId: 'updateMember', tag: 'Members', summary: 'Change name, birthday, e-mail, VK account, or block/unblock',
    permission: 'points.adjust',
    description: 'Only the fields given change; null clears a field. A blocked member can neither earn nor redeem. A VK account belongs to one member of the business (vk_user_taken otherwise).',
    params: MemberPath, body: S.MemberUpdate,
    responses: { 200: { description: 'The member after the change', schema: S.Member } },
    errors: ['member_not_found', 'vk_user_taken'],
  }, async ({ params, body, c }) => ({
    status: 200,
    body: await updateMember(c.var.deps, { businessId: c.var.caller.businessId, memberId: params.memberId, ...body, actor: actorOf(c.var.caller) }),
  }));

  route(r, {
    method: 'get', path: '/members/:memberId/transactions', operationId: 'listTransactions', tag: 'Members', summary: 'Points history, newest first',
    permission: 'member.history',
    params: MemberPath, query: S.PageQuery,
    responses: { 200: { description: 'One page of transactions', schema: S.TransactionPageSchema } },
    errors: ['member_not_found'],
  }, async ({ params, query, c }) => ({
    status: 200,
    body: await listTransactions(c.var.deps, {
      businessId: c.var.caller.businessId,
      memberId: params.memberId,
      limit: query.limit === undefined ? undefined : Number(query.limit),
      cursor: query.cursor,
    }),
  }));

  route(r, {
    method: 'post', path: '/members/:memberId/adjustments', operationId: 'adjustPoints', tag: 'Members', summary: 'Manual accrual or write-off',
    permission: 'points.adjust',
    description: 'Positive points are a new lot with the program\'s activation and lifetime; negative points are written off soonest-expiring first.',
    params: MemberPath, body: S.AdjustmentCreate, idempotent: true,
    responses: { 201: { description: 'The adjustment', schema: S.Adjustment } },
    errors: ['member_not_found', 'member_blocked', 'insufficient_points', 'staff_limit_exceeded'],
  }, async ({ params, body, c, idempotencyKey }) => {
    const { caller, deps } = c.var;
    if (caller.kind === 'staff') {
      // Within the staff member's limits, audited in the same transaction (as at the till).
      const who = { staff: caller.staff, channel: ADMIN_CHANNEL };
      const breaches: LimitBreach[] = [];
      try {
        const result = await adjustPoints(deps, { businessId: caller.businessId, member: { id: params.memberId }, points: body.points, reason: body.reason, actor: actorOf(caller), idempotencyKey, guard: adjustGuard(who, body.reason, breaches) });
        return { status: 201, body: result, replayed: wasReplayed(result) };
      } catch (e) {
        const breach = breaches[0];
        if (isDomainError(e) && e.code === 'staff_limit_exceeded' && breach) await reportBreach({ alerts: r.staffAlerts, app: deps }, who, 'points.adjust', breach, params.memberId);
        throw e;
      }
    }
    const result = await adjustPoints(deps, { businessId: caller.businessId, member: { id: params.memberId }, points: body.points, reason: body.reason, actor: actorOf(caller), idempotencyKey });
    return { status: 201, body: result, replayed: wasReplayed(result) };
  });

  route(r, {
    method: 'post', path: '/members/:memberId/qr-token', operationId: 'issueQrToken', tag: 'Members', summary: 'A short-lived token for the member\'s QR code',
    permission: null,
    description: 'Shown as a QR code by the card app; the till sends it as member.qrToken. Changes nothing, so no Idempotency-Key is needed.',
    params: MemberPath, body: S.QrTokenCreate,
    responses: { 200: { description: 'The token', schema: S.QrToken } },
    errors: ['member_not_found', 'member_blocked'],
  }, async ({ params, body, c }) => ({
    status: 200,
    body: await issueQrToken(c.var.deps, { businessId: c.var.caller.businessId, memberId: params.memberId, ttlSeconds: body.ttlSeconds }),
  }));
}
