// The contract of the admin panel's reads: the dashboard, the members list, a member's lots, messages and purchases,
// and the audit log. Registered as OpenAPI components; each is checked against its use case's result type.
import { z } from 'zod';
import type { AuditView } from '../../app/till.js';
import type { DashboardView } from '../../app/dashboard.js';
import type { LotView, MemberPurchaseView, MessageView } from '../../app/memberViews.js';
import { Member, MemberSearchQuery, responseSchemas } from '../schemas.js';

const timestamp = (d: string) => z.iso.datetime({ offset: true }).describe(d);
const date = (d: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').describe(`${d} (YYYY-MM-DD, the business's time zone)`);
const whole = (d: string) => z.string().regex(/^\d{1,15}$/, 'must be a whole number').describe(d);
const int = (d: string) => z.number().int().describe(d);
const cursor = z.string().min(1).max(500).optional().describe('nextCursor of the previous page');
const limit = z.string().regex(/^\d{1,3}$/, 'limit must be a whole number').optional().describe('1–100');
const nextCursor = z.string().nullable().describe('Pass as cursor for the next page; null on the last');

// ── requests ─────────────────────────────────────────────────────────────────────────────────────────────────────

export const MEMBER_LIST_PARAMS = ['sort', 'order', 'tier', 'lastPurchaseBefore', 'lastPurchaseAfter', 'balanceMin', 'balanceMax', 'birthdayMonth', 'marketing', 'channel', 'limit', 'cursor'] as const;

export const MemberFindQuery = z.strictObject({
  ...MemberSearchQuery.shape,
  sort: z.enum(['created', 'lastPurchase', 'balance', 'totalSpent', 'name']).optional().describe('List mode: the order (default created)'),
  order: z.enum(['asc', 'desc']).optional().describe('List mode: default desc (asc for name)'),
  tier: z.string().min(1).max(40).optional().describe('List mode: members in this tier (its id), or none: below every tier'),
  lastPurchaseBefore: date('List mode: last purchase before this day').optional(),
  lastPurchaseAfter: date('List mode: last purchase on this day or later').optional(),
  balanceMin: whole('List mode: available points at least this').optional(),
  balanceMax: whole('List mode: available points at most this').optional(),
  birthdayMonth: z.string().regex(/^(1[0-2]|0?[1-9])$/, 'must be a month 1–12').optional().describe('List mode: birthday in this month (1–12)'),
  marketing: z.enum(['true', 'false']).optional().describe('List mode: the member agreed (true) or did not (false) to marketing messages'),
  channel: z.enum(['telegram', 'vk', 'sms', 'email']).optional().describe('List mode: members reachable on this channel (an address, and the channel not failed for good)'),
  limit: limit.describe('List mode: 1–100, default 50'),
  cursor,
});

export const DashboardQuery = z.strictObject({
  from: date('First day, default 29 days before to').optional(),
  to: date('Last day, included; default today').optional(),
  locationId: z.string().min(1).max(100).optional().describe('Only purchases at this location and their points'),
  bucket: z.enum(['day', 'week']).optional().describe('Series per day (default) or per week (Monday to Sunday)'),
});

export const PageOnlyQuery = z.strictObject({ limit: limit.describe('1–100, default 20'), cursor });

export const AuditQuery = z.strictObject({
  staffId: z.string().min(1).max(100).optional().describe('Done by this staff member'),
  memberId: z.string().min(1).max(100).optional().describe('Done to this member'),
  action: z.string().min(1).max(50).optional().describe('e.g. points.adjust, broadcast.send, staff.changed'),
  from: date('From this day').optional(),
  to: date('To this day, included').optional(),
  limit: z.string().regex(/^\d{1,3}$/, 'limit must be a whole number').optional().describe('1–200, default 50'),
  cursor: z.string().min(1).max(20).optional().describe('nextCursor of the previous page'),
});

// ── responses ────────────────────────────────────────────────────────────────────────────────────────────────────

export const MemberListItem = Member.extend({
  lastPurchaseAt: timestamp('When the member last bought').nullable().optional().describe('List mode only: the last purchase, or null'),
  marketingConsent: z.boolean().optional().describe('List mode only: the member\'s latest answer to marketing messages'),
}).register(responseSchemas, { id: 'MemberListItem' });

export const MemberFindResult = z
  .object({ items: z.array(MemberListItem), nextCursor: nextCursor.optional().describe('List mode only: the next page\'s cursor, or null on the last') })
  .register(responseSchemas, { id: 'MemberFindResult' });

const Flows = {
  earned: int('Points given to members other than by adjustment: purchases and bonuses (welcome, referral, birthday, win-back)'),
  earnedOnPurchases: int('Of earned: for purchases'),
  redeemed: int('Points paid with'),
  expired: int('Points that expired'),
  adjusted: int('Manual accruals less manual write-offs'),
  returned: int('Paid points given back by refunds'),
  clawedBack: int('Earned points taken back by refunds'),
  net: int('Change of members\' points: earned + adjusted + returned − redeemed − expired − clawedBack'),
};

export const Dashboard = z
  .object({
    period: z.object({ from: z.string(), to: z.string(), bucket: z.enum(['day', 'week']), timezone: z.string(), locationId: z.string().nullable() }),
    asOf: timestamp('The figures are as of this moment'),
    currency: z.string(),
    pointValue: int('Minor units one point is worth'),
    series: z.array(z.object({
      bucket: z.string().describe('The bucket\'s first day (a Monday for weeks)'),
      newMembers: int('Members who joined in the bucket'),
      members: int('Members enrolled by the end of the bucket'),
      purchases: int('Members\' purchases'),
      revenue: int('Members\' purchases less refunds made in the bucket, minor units'),
      ...Flows,
    })),
    totals: z.object({ newMembers: int('Joined in the period'), purchases: int('Purchases'), purchaseAmount: int('Purchases, minor units'), refunds: int('Refunds, minor units'), revenue: int('purchaseAmount − refunds'), ...Flows }),
    figures: z.object({
      membersTotal: int('Every member enrolled (blocked and erased included)'),
      active30: int('Members who bought in the last 30 days'),
      active90: int('Members who bought in the last 90 days'),
      outstanding: z.object({ points: int('Points members hold (available + pending, not expired): the program\'s liability'), available: int('Spendable now'), pending: int('Not yet active'), money: int('The liability in minor units (points × pointValue)') }),
      expiringIn30Days: int('Points that expire within 30 days unless spent'),
      repeatPurchase: z.object({ purchasers: int('Members with a purchase in the period'), repeaters: int('Of them, with two or more'), rate: z.number().nullable().describe('repeaters / purchasers; null without purchasers') }),
    }),
    cardOpens: z.object({ total: int('Card app opens in the period'), byWeekdayHour: z.array(z.array(z.number().int())).describe('7 rows (Monday first) of 24 hours, local time') }),
    perLocation: z.array(z.object({ locationId: z.string().nullable().describe('null: purchases recorded without a location'), name: z.string().nullable(), purchases: int('Purchases'), revenue: int('Less refunds, minor units'), pointsEarned: int('Points earned on them') })),
    perStaff: z.array(z.object({ staffId: z.string(), name: z.string(), role: z.string(), membersRegistered: int('Members they enrolled'), pointsIssued: int('Points they gave (purchases at the till, manual and bulk accruals)') })),
    memberShare: z.object({
      days: int('Days in the period'),
      daysWithTakings: int('Of them, days with the business\'s total takings entered (PUT /revenue/{day}); with locationId, that location\'s'),
      takings: int('The total takings of those days, every customer, minor units'),
      memberRevenue: int('Members\' purchases less refunds on those days, at the locations whose takings were entered, minor units'),
      share: z.number().nullable().describe('memberRevenue / takings: the share of revenue from members; null when no takings were entered (or all are 0)'),
    }).describe('The share of revenue from members, over the days that have takings only (say "based on daysWithTakings of days days")'),
  })
  .register(responseSchemas, { id: 'Dashboard' });

export const LotList = z
  .object({
    items: z.array(z.object({
      id: z.string(),
      amount: int('Points the lot started with'),
      remaining: int('Points left to spend (0 once expired)'),
      spent: int('Points spent from it (redeemed, written off, clawed back)'),
      expired: int('Points that expired'),
      state: z.enum(['active', 'pending', 'expired', 'spent']),
      activatesAt: timestamp('Spendable from'),
      expiresAt: timestamp('Expires at').nullable(),
      createdAt: timestamp('Earned at'),
      purchaseId: z.string().nullable(),
    })),
  })
  .register(responseSchemas, { id: 'LotList' });

export const MessagePage = z
  .object({
    items: z.array(z.object({
      id: z.string(),
      kind: z.string().describe('e.g. earned, expiry_reminder, broadcast, chat_reply, sign_in_code'),
      purpose: z.string().describe('service or marketing'),
      channel: z.string().nullable().describe('telegram, vk, sms or email; null until chosen'),
      status: z.string().describe('scheduled, queued, sending, sent, failed or skipped'),
      deliveryStatus: z.string().nullable().describe('The provider\'s delivery report, if any'),
      text: z.string().nullable().describe('The text as sent (null before it is rendered, or after the member\'s data was erased)'),
      error: z.string().nullable(),
      createdAt: timestamp('Created'),
      sentAt: timestamp('Sent').nullable(),
    })),
    nextCursor,
  })
  .register(responseSchemas, { id: 'MessagePage' });

export const MemberPurchasePage = z
  .object({
    items: z.array(z.object({
      id: z.string(),
      occurredAt: timestamp('When'),
      amount: int('Total, minor units'),
      payableAmount: int('Paid in money'),
      redeemedPoints: int('Points paid with'),
      redeemValue: int('Their value'),
      earnedPoints: int('Points earned'),
      externalId: z.string().nullable(),
      locationId: z.string().nullable(),
      tierId: z.string().nullable(),
      items: z.array(z.object({ sku: z.string(), name: z.string(), category: z.string().nullable(), quantity: z.number(), price: int('Unit price') })),
      refunds: z.array(z.object({ id: z.string(), amount: int('Refunded'), clawedBackPoints: int('Earned points taken back'), returnedPoints: int('Paid points given back'), createdAt: timestamp('When') })),
      refundedAmount: int('Sum of the refunds'),
    })),
    nextCursor,
  })
  .register(responseSchemas, { id: 'MemberPurchasePage' });

export const AuditPage = z
  .object({
    items: z.array(z.object({
      id: z.number().int(),
      at: timestamp('When'),
      staffId: z.string().nullable(),
      staffRole: z.string().nullable(),
      action: z.string(),
      memberId: z.string().nullable(),
      points: z.number().int().nullable(),
      amount: z.number().int().nullable(),
      channel: z.string().describe('Where: web, telegram, admin, cli…'),
      details: z.record(z.string(), z.unknown()),
    })),
    nextCursor,
  })
  .register(responseSchemas, { id: 'AuditPage' });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Item<T> = T extends { items: (infer I)[] } ? I : never;
const proofs: [
  Same<z.output<typeof Dashboard>, DashboardView>,
  Same<Item<z.output<typeof LotList>>, LotView>,
  Same<Item<z.output<typeof MessagePage>>, MessageView>,
  Same<Item<z.output<typeof MemberPurchasePage>>, MemberPurchaseView>,
  Same<Item<z.output<typeof AuditPage>>, AuditView>,
] = [true, true, true, true, true];
void proofs;
