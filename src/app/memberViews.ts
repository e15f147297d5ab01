// The admin panel's customer screens: the members list (sorts, filters, keyset pages), and a member's lots with
// their expiry, messages sent and purchases with items. Lookups by phone, card, last 4 or text stay in findMembers.
import {
  DomainError, MEMBER_SORTS, invalid, isExpired, isIsoDate, isPending, startOfLocalDay,
  type Business, type MemberListQuery, type MemberSort, type Repositories,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { detailsOf } from './findMembers.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import type { MemberDetails } from './views.js';

export const LIST_DEFAULT_LIMIT = 50;
export const LIST_MAX_LIMIT = 100;
export const CHANNEL_FILTERS = ['telegram', 'vk', 'sms', 'email'] as const;

export interface MemberListInput {
  sort?: MemberSort | undefined;
  order?: 'asc' | 'desc' | undefined;
  /** A tier id, or 'none' for members below every tier. */
  tier?: string | undefined;
  /** Local dates: last purchase before that day / on or after that day. */
  lastPurchaseBefore?: string | undefined;
  lastPurchaseAfter?: string | undefined;
  balanceMin?: number | undefined;
  balanceMax?: number | undefined;
  birthdayMonth?: number | undefined;
  marketing?: boolean | undefined;
  channel?: (typeof CHANNEL_FILTERS)[number] | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface MemberListItem extends MemberDetails {
  lastPurchaseAt: string | null;
  /** The member's latest answer to marketing messages. */
  marketingConsent: boolean;
}

const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function decode(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
const badCursor = () => invalid('cursor is not one this list gave (pass nextCursor as it is, with the same sort and order)', { field: 'cursor' });

function tierRange(business: Business, tier: string, now: Date): MemberListQuery['tierSpend'] {
  const tiers = [...business.program.tiers].sort((a, b) => a.minTotalSpent - b.minTotalSpent);
  const since = business.program.tierWindowDays === null ? null : new Date(now.getTime() - business.program.tierWindowDays * 86_400_000);
  if (tier === 'none') return { min: Number.MIN_SAFE_INTEGER, max: tiers[0]?.minTotalSpent ?? null, since };
  const i = tiers.findIndex((t) => t.id === tier);
  if (i < 0) throw invalid(`No tier ${tier.slice(0, 40)} in the program (give a tier id, or none)`, { field: 'tier' });
  return { min: tiers[i]?.minTotalSpent ?? 0, max: tiers[i + 1]?.minTotalSpent ?? null, since };
}

const intIn = (v: number | undefined, field: string, min: number, max: number) => {
  if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max)) throw invalid(`${field} must be a whole number ${min}–${max}`, { field });
  return v;
};

export async function listMembers(deps: AppDeps, businessId: string, input: MemberListInput): Promise<{ items: MemberListItem[]; nextCursor: string | null }> {
  const now = deps.clock.now();
  const sort = input.sort ?? 'created';
  if (!MEMBER_SORTS.includes(sort)) throw invalid(`sort must be one of ${MEMBER_SORTS.join(', ')}`, { field: 'sort' });
  const order = input.order ?? (sort === 'name' ? 'asc' : 'desc');
  const limit = intIn(input.limit, 'limit', 1, LIST_MAX_LIMIT) ?? LIST_DEFAULT_LIMIT;
  intIn(input.balanceMin, 'balanceMin', 0, Number.MAX_SAFE_INTEGER);
  intIn(input.balanceMax, 'balanceMax', 0, Number.MAX_SAFE_INTEGER);
  intIn(input.birthdayMonth, 'birthdayMonth', 1, 12);
  if (input.channel !== undefined && !CHANNEL_FILTERS.includes(input.channel)) throw invalid(`channel must be one of ${CHANNEL_FILTERS.join(', ')}`, { field: 'channel' });
  for (const field of ['lastPurchaseBefore', 'lastPurchaseAfter'] as const) {
    const v = input[field];
    if (v !== undefined && !isIsoDate(v)) throw invalid(`${field} must be a date YYYY-MM-DD`, { field });
  }
  let after: MemberListQuery['after'];
  if (input.cursor !== undefined) {
    const c = decode(input.cursor);
    if (!Array.isArray(c) || c.length !== 4 || c[0] !== sort || c[1] !== order || typeof c[2] !== 'string' || typeof c[3] !== 'string' || !UUID_RE.test(c[3]) || c[2].length > 500) throw badCursor();
    if (SORT_IS_NUMERIC[sort] && !/^-?\d{1,19}$/.test(c[2])) throw badCursor();
    after = { key: c[2], id: c[3] };
  }
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    const tz = business.timezone;
    const rows = await repos.reports.listMembers({
      businessId: business.id,
      now,
      sort,
      order,
      tierSpend: input.tier === undefined ? undefined : tierRange(business, input.tier, now),
      lastPurchaseBefore: input.lastPurchaseBefore === undefined ? undefined : startOfLocalDay(input.lastPurchaseBefore, tz),
      lastPurchaseFrom: input.lastPurchaseAfter === undefined ? undefined : startOfLocalDay(input.lastPurchaseAfter, tz),
      balanceMin: input.balanceMin,
      balanceMax: input.balanceMax,
      birthdayMonth: input.birthdayMonth,
      marketing: input.marketing,
      channel: input.channel,
      limit: limit + 1,
      after,
    });
    const page = rows.slice(0, limit);
    const details = await detailsOf(repos, business, page.map((r) => r.member), now);
    const last = page[page.length - 1];
    return {
      items: details.map((d, i) => ({ ...d, lastPurchaseAt: page[i]?.lastPurchaseAt?.toISOString() ?? null, marketingConsent: page[i]?.marketing ?? false })),
      nextCursor: rows.length > limit && last ? encode([sort, order, last.key, last.member.id]) : null,
    };
  });
}

const SORT_IS_NUMERIC: Record<MemberSort, boolean> = { created: true, lastPurchase: true, balance: true, totalSpent: true, name: false };

async function memberOf(repos: Repositories, businessId: string, memberId: string): Promise<Business> {
  const business = await loadBusiness(repos, businessId);
  const m = UUID_RE.test(memberId) ? await repos.members.get(business.id, memberId) : null;
  if (!m) throw new DomainError('member_not_found');
  return business;
}

export type LotState = 'active' | 'pending' | 'expired' | 'spent';

export interface LotView {
  id: string;
  amount: number;
  remaining: number;
  spent: number;
  expired: number;
  state: LotState;
  activatesAt: string;
  expiresAt: string | null;
  createdAt: string;
  purchaseId: string | null;
}

/** Every lot of the member, newest first: what is left of each and when it expires (or expired). */
export async function memberLots(deps: AppDeps, input: { businessId: string; memberId: string }): Promise<{ items: LotView[] }> {
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await memberOf(repos, input.businessId, input.memberId);
    const lots = await repos.reports.lots(business.id, input.memberId);
    return {
      items: lots.map((l) => {
        // Points past their expiry that the expiry job has not yet moved count as expired here too.
        const due = l.remaining > 0 && isExpired(l, now) ? l.remaining : 0;
        const state: LotState = l.remaining === 0 ? (l.expiredPoints > 0 ? 'expired' : 'spent') : due > 0 ? 'expired' : isPending(l, now) ? 'pending' : 'active';
        return {
          id: l.id,
          amount: l.amount,
          remaining: l.remaining - due,
          spent: l.amount - l.remaining - l.expiredPoints,
          expired: l.expiredPoints + due,
          state,
          activatesAt: l.activatesAt.toISOString(),
          expiresAt: l.expiresAt?.toISOString() ?? null,
          createdAt: l.createdAt.toISOString(),
          purchaseId: l.purchaseId,
        };
      }),
    };
  });
}

function pageCursor(cursor: string | undefined): { at: Date; id: string } | null {
  if (cursor === undefined) return null;
  const c = decode(cursor);
  if (!Array.isArray(c) || c.length !== 2 || typeof c[0] !== 'string' || typeof c[1] !== 'string' || !UUID_RE.test(c[1])) throw badCursor();
  const at = new Date(c[0]);
  if (Number.isNaN(at.getTime())) throw badCursor();
  return { at, id: c[1] };
}

const pageLimit = (limit: number | undefined) => intIn(limit, 'limit', 1, LIST_MAX_LIMIT) ?? 20;

export interface MessageView {
  id: string;
  kind: string;
  purpose: string;
  channel: string | null;
  status: string;
  deliveryStatus: string | null;
  text: string | null;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** A sign-in link's one-time token is the member's alone: staff see that a link went, never the link itself. */
const withoutSecrets = (text: string | null): string | null => (text === null ? null : text.replace(/#signin=[A-Za-z0-9_-]+/g, '#signin=…'));

/** Messages to the member, newest first: what kind, by which channel, whether it went, and the text as sent. */
export async function memberMessages(deps: AppDeps, input: { businessId: string; memberId: string; limit?: number | undefined; cursor?: string | undefined }): Promise<{ items: MessageView[]; nextCursor: string | null }> {
  const limit = pageLimit(input.limit);
  const before = pageCursor(input.cursor);
  return deps.uow.run(async (repos) => {
    const business = await memberOf(repos, input.businessId, input.memberId);
    const rows = await repos.reports.messages(business.id, input.memberId, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((m) => ({ id: m.id, kind: m.kind, purpose: m.purpose, channel: m.channel, status: m.status, deliveryStatus: m.deliveryStatus, text: withoutSecrets(m.text), error: m.lastError, createdAt: m.createdAt.toISOString(), sentAt: m.sentAt?.toISOString() ?? null })),
      nextCursor: rows.length > limit && last ? encode([last.createdAt.toISOString(), last.id]) : null,
    };
  });
}

export interface MemberPurchaseView {
  id: string;
  occurredAt: string;
  amount: number;
  payableAmount: number;
  redeemedPoints: number;
  redeemValue: number;
  earnedPoints: number;
  externalId: string | null;
  locationId: string | null;
  tierId: string | null;
  items: { sku: string; name: string; category: string | null; quantity: number; price: number }[];
  refunds: { id: string; amount: number; clawedBackPoints: number; returnedPoints: number; createdAt: string }[];
  refundedAmount: number;
}

/** The member's purchases, newest first, with their line items and refunds. */
export async function memberPurchases(deps: AppDeps, input: { businessId: string; memberId: string; limit?: number | undefined; cursor?: string | undefined }): Promise<{ items: MemberPurchaseView[]; nextCursor: string | null }> {
  const limit = pageLimit(input.limit);
  const before = pageCursor(input.cursor);
  return deps.uow.run(async (repos) => {
    const business = await memberOf(repos, input.businessId, input.memberId);
    const rows = await repos.reports.purchases(business.id, input.memberId, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ purchase: p, items, refunds }) => ({
        id: p.id,
        occurredAt: p.occurredAt.toISOString(),
        amount: p.amount,
        payableAmount: p.payableAmount,
        redeemedPoints: p.redeemedPoints,
        redeemValue: p.redeemValue,
        earnedPoints: p.earnedPoints,
        externalId: p.externalId,
        locationId: p.locationId,
        tierId: p.tierId,
        items: items.map((i) => ({ ...i })),
        refunds: refunds.map((r) => ({ id: r.id, amount: r.amount, clawedBackPoints: r.clawedBackPoints, returnedPoints: r.returnedPoints, createdAt: r.createdAt.toISOString() })),
        refundedAmount: refunds.reduce((s, r) => s + r.amount, 0),
      })),
      nextCursor: rows.length > limit && last ? encode([last.purchase.occurredAt.toISOString(), last.purchase.id]) : null,
    };
  });
}
