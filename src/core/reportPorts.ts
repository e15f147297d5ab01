// What the admin panel reads: the dashboard's figures (computed by the store in SQL from the ledger's postings,
// purchases and refunds), the members list with sorts and filters, a member's lots, messages and purchases, the
// audit log, and card opens (written by the card app's API).
import type { Minor, Points } from './money.js';
import type { AuditEntry, Member, MemberLot, Purchase, PurchaseItem, Refund } from './records.js';
import type { MemberShare, RevenueDayRepository } from './revenuePorts.js';

export * from './revenuePorts.js';

export type DashboardBucket = 'day' | 'week';

export interface DashboardQuery {
  businessId: string;
  timezone: string;
  /** The period: [from, to) as instants (local midnights in the business's time zone). */
  from: Date;
  to: Date;
  /** The first and last local dates of the period (series buckets are labelled by their first local date). */
  fromDate: string;
  toDate: string;
  bucket: DashboardBucket;
  /** Only purchases (and the points of purchases) at this location. */
  locationId: string | null;
  now: Date;
  /** Minor units one point is worth (the liability's money value). */
  pointValue: Minor;
}

/**
 * Points by what moved them, from the postings: earned = issued to members other than by adjustment (purchases,
 * welcome, referral, birthday, win-back bonuses); adjusted = manual accruals less manual write-offs; returned =
 * redeemed points given back by a refund; clawedBack = earned points taken back by a refund.
 */
export interface PointFlows {
  earned: Points;
  /** Of `earned`: for purchases only. */
  earnedOnPurchases: Points;
  redeemed: Points;
  expired: Points;
  adjusted: Points;
  returned: Points;
  clawedBack: Points;
  /** Net change of members' points: earned + adjusted + returned − redeemed − expired − clawedBack. */
  net: Points;
}

export interface DashboardSeriesPoint extends PointFlows {
  /** The bucket's first local date (a Monday for weeks). */
  bucket: string;
  newMembers: number;
  /** Members enrolled by the end of the bucket. */
  members: number;
  purchases: number;
  /** Members' purchases less refunds made in the bucket (minor units). */
  revenue: Minor;
}

export interface DashboardData {
  series: DashboardSeriesPoint[];
  totals: PointFlows & { newMembers: number; purchases: number; purchaseAmount: Minor; refunds: Minor; revenue: Minor };
  figures: {
    membersTotal: number;
    active30: number;
    active90: number;
    outstanding: { points: Points; available: Points; pending: Points; money: Minor };
    expiringIn30Days: Points;
    repeatPurchase: { purchasers: number; repeaters: number; rate: number | null };
  };
  /** [weekday 0 = Monday … 6 = Sunday][hour 0–23], local time. */
  cardOpens: { total: number; byWeekdayHour: number[][] };
  perLocation: { locationId: string | null; name: string | null; purchases: number; revenue: Minor; pointsEarned: Points }[];
  perStaff: { staffId: string; name: string; role: string; membersRegistered: number; pointsIssued: Points }[];
  /** Members' share of the business's total takings, over the period's days that have takings (revenue_days). */
  memberShare: MemberShare;
}

export const MEMBER_SORTS = ['created', 'lastPurchase', 'balance', 'totalSpent', 'name'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

export interface MemberListQuery {
  businessId: string;
  now: Date;
  sort: MemberSort;
  order: 'asc' | 'desc';
  /** Spend (in the program's tier window) in [min, max): a tier's range. */
  tierSpend?: { min: Minor; max: Minor | null; since: Date | null } | undefined;
  lastPurchaseBefore?: Date | undefined;
  lastPurchaseFrom?: Date | undefined;
  balanceMin?: Points | undefined;
  balanceMax?: Points | undefined;
  birthdayMonth?: number | undefined;
  marketing?: boolean | undefined;
  channel?: 'telegram' | 'vk' | 'sms' | 'email' | undefined;
  limit: number;
  /** The last row of the previous page: its sort key (as text) and id. */
  after?: { key: string; id: string } | undefined;
}

export interface MemberListRow {
  member: Member;
  lastPurchaseAt: Date | null;
  marketing: boolean;
  /** The sort key, for the next page's cursor. */
  key: string;
}

export interface MemberMessageRecord {
  id: string;
  kind: string;
  purpose: string;
  channel: string | null;
  status: string;
  deliveryStatus: string | null;
  text: string | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface MemberPurchaseRecord {
  purchase: Purchase;
  items: PurchaseItem[];
  refunds: Refund[];
}

export interface AuditQuery {
  limit: number;
  beforeId?: number | undefined;
  staffId?: string | undefined;
  memberId?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export interface ReportRepository extends RevenueDayRepository {
  /** Reads the rest of the transaction from one snapshot (figures from several queries agree). Call first. */
  snapshot(): Promise<void>;
  dashboard(q: DashboardQuery): Promise<DashboardData>;
  addCardOpen(o: { businessId: string; memberId: string; at: Date; source: 'telegram' | 'web' }): Promise<void>;
  /** Remembers which staff member enrolled the member (per-staff figures). */
  noteRegisteredBy(businessId: string, memberId: string, staffId: string): Promise<void>;
  listMembers(q: MemberListQuery): Promise<MemberListRow[]>;
  /** Every lot of the member, open and past, newest first. */
  lots(businessId: string, memberId: string): Promise<MemberLot[]>;
  /** Messages to the member, newest first, older than `before` (created at, id). */
  messages(businessId: string, memberId: string, limit: number, before: { at: Date; id: string } | null): Promise<MemberMessageRecord[]>;
  purchases(businessId: string, memberId: string, limit: number, before: { at: Date; id: string } | null): Promise<MemberPurchaseRecord[]>;
  audit(businessId: string, q: AuditQuery): Promise<(AuditEntry & { id: number })[]>;
  /** How the member can be reached (the admin panel's profile): channels failed for good, and their language. */
  memberReach(businessId: string, memberId: string): Promise<{ deadChannels: string[]; language: string | null } | null>;
}
