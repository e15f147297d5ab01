// Segments of members a broadcast goes to: every filter is optional and they all must hold (empty = everyone).
// Checked with every problem listed; turned into a filter the store can run (dates as instants, tiers as spend ranges).
import { CHANNELS, type Channel } from './channels.js';
import { DomainError } from './errors.js';
import { isIsoDate, startOfLocalDay } from './localDate.js';
import { MAX_AMOUNT, isWhole, type Minor } from './money.js';
import type { Program } from './program.js';
import { tierWindowStart } from './tiers.js';

export interface Segment {
  /** Members in any of these tiers (a member's tier: the highest whose minTotalSpent their spend in the tier window reaches). */
  tierIds?: string[];
  /** Last purchase before this date (YYYY-MM-DD, the business's day) or instant (ISO with offset); never bought = not included. */
  lastPurchaseBefore?: string;
  /** Last purchase on or after this date or instant. */
  lastPurchaseAfter?: string;
  /** Total spent (purchases less refunds, all time), minor units, inclusive. */
  totalSpentMin?: Minor;
  totalSpentMax?: Minor;
  /** Birthday in this month, 1–12. */
  birthdayMonth?: number;
  /** Members reachable on this channel (have an address there that has not failed for good). */
  channel?: Channel;
  /** Members who bought at this location. */
  locationId?: string;
  /** One or a few members by id. */
  memberIds?: string[];
}

export const SEGMENT_FIELDS = ['tierIds', 'lastPurchaseBefore', 'lastPurchaseAfter', 'totalSpentMin', 'totalSpentMax', 'birthdayMonth', 'channel', 'locationId', 'memberIds'] as const;
export const MAX_SEGMENT_MEMBERS = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

const isDateOrInstant = (v: unknown): v is string => typeof v === 'string' && (isIsoDate(v) || (INSTANT.test(v) && Number.isFinite(Date.parse(v))));

/** A segment date as an instant: a plain date is the start of that day in the business's time zone. */
export function segmentInstant(value: string, timeZone: string): Date {
  return isIsoDate(value) ? startOfLocalDay(value, timeZone) : new Date(value);
}

/** Every problem with a segment, each prefixed with its field (segment.…); empty when it is fine. */
export function segmentProblems(value: unknown, program: Program, timeZone: string): string[] {
  const p: string[] = [];
  const at = (f: string) => `segment.${f}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['segment must be an object (empty = all members)'];
  const s = value as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (!(SEGMENT_FIELDS as readonly string[]).includes(k)) p.push(`segment.${k}: not a segment filter; use ${SEGMENT_FIELDS.join(', ')}`);
  }
  if (s.tierIds !== undefined) {
    const known = program.tiers.map((t) => t.id);
    if (!Array.isArray(s.tierIds) || s.tierIds.length === 0 || s.tierIds.length > 20 || s.tierIds.some((t) => typeof t !== 'string')) {
      p.push(`${at('tierIds')}: a list of 1–20 tier ids`);
    } else if (known.length === 0) {
      p.push(`${at('tierIds')}: the program has no tiers`);
    } else {
      for (const t of s.tierIds as string[]) if (!known.includes(t)) p.push(`${at('tierIds')}: no tier "${t.slice(0, 40)}"; tiers are ${known.join(', ')}`);
    }
  }
  for (const f of ['lastPurchaseBefore', 'lastPurchaseAfter'] as const) {
    if (s[f] !== undefined && !isDateOrInstant(s[f])) p.push(`${at(f)}: a date YYYY-MM-DD or an ISO 8601 time with offset`);
  }
  if (isDateOrInstant(s.lastPurchaseBefore) && isDateOrInstant(s.lastPurchaseAfter)) {
    if (segmentInstant(s.lastPurchaseBefore, timeZone) <= segmentInstant(s.lastPurchaseAfter, timeZone)) {
      p.push(`${at('lastPurchaseBefore')}: must be later than lastPurchaseAfter (no member can match both)`);
    }
  }
  for (const f of ['totalSpentMin', 'totalSpentMax'] as const) {
    if (s[f] !== undefined && !(isWhole(s[f]) && (s[f] as number) >= 0 && (s[f] as number) <= MAX_AMOUNT * 1000)) p.push(`${at(f)}: a whole, non-negative amount in minor units`);
  }
  if (isWhole(s.totalSpentMin) && isWhole(s.totalSpentMax) && s.totalSpentMin > s.totalSpentMax) p.push(`${at('totalSpentMin')}: must not be more than totalSpentMax`);
  if (s.birthdayMonth !== undefined && !(isWhole(s.birthdayMonth) && s.birthdayMonth >= 1 && s.birthdayMonth <= 12)) p.push(`${at('birthdayMonth')}: a month 1–12`);
  if (s.channel !== undefined && !CHANNELS.includes(s.channel as Channel)) p.push(`${at('channel')}: one of ${CHANNELS.join(', ')}`);
  if (s.locationId !== undefined && !(typeof s.locationId === 'string' && UUID.test(s.locationId))) p.push(`${at('locationId')}: a location id`);
  if (s.memberIds !== undefined) {
    if (!Array.isArray(s.memberIds) || s.memberIds.length === 0 || s.memberIds.length > MAX_SEGMENT_MEMBERS) p.push(`${at('memberIds')}: a list of 1–${MAX_SEGMENT_MEMBERS} member ids`);
    else if (s.memberIds.some((m) => typeof m !== 'string' || !UUID.test(m))) p.push(`${at('memberIds')}: every entry must be a member id`);
    else if (new Set(s.memberIds).size !== s.memberIds.length) p.push(`${at('memberIds')}: a member is listed twice`);
  }
  return p;
}

/** The segment as checked (only its known fields), or `invalid_segment` with every problem. */
export function checkSegment(value: unknown, program: Program, timeZone: string): Segment {
  const problems = segmentProblems(value, program, timeZone);
  if (problems.length > 0) throw new DomainError('invalid_segment', problems.join('; '), { problems });
  const s = value as Segment;
  const out: Segment = {};
  for (const k of SEGMENT_FIELDS) if (s[k] !== undefined) (out as Record<string, unknown>)[k] = s[k];
  if (out.memberIds) out.memberIds = out.memberIds.map((m) => m.toLowerCase());
  if (out.locationId) out.locationId = out.locationId.toLowerCase();
  return out;
}

/** What the store filters on: members of the business, never blocked or erased, and with `marketingOnly` only consenting ones. */
export interface SegmentFilter {
  businessId: string;
  marketingOnly: boolean;
  /** Spend ranges (in the tier window) of the chosen tiers: min inclusive, max exclusive, null = no upper end. */
  tierSpend?: { min: Minor; max: Minor | null }[];
  /** Start of the tier window; null = all time (members.total_spent). */
  tierWindowStart?: Date | null;
  lastPurchaseBefore?: Date;
  lastPurchaseAfter?: Date;
  totalSpentMin?: Minor;
  totalSpentMax?: Minor;
  birthdayMonth?: number;
  channel?: Channel;
  locationId?: string;
  memberIds?: string[];
}

/** Tier ids as spend ranges: a tier holds spend from its threshold up to the next tier's. */
export function tierSpendRanges(program: Program, tierIds: readonly string[]): { min: Minor; max: Minor | null }[] {
  const tiers = [...program.tiers].sort((a, b) => a.minTotalSpent - b.minTotalSpent);
  const out: { min: Minor; max: Minor | null }[] = [];
  tiers.forEach((t, i) => {
    if (tierIds.includes(t.id)) out.push({ min: t.minTotalSpent, max: tiers[i + 1]?.minTotalSpent ?? null });
  });
  return out;
}

/** A checked segment as the store's filter, at `now` (the tier window ends now). */
export function segmentFilter(businessId: string, segment: Segment, program: Program, timeZone: string, now: Date, marketingOnly: boolean): SegmentFilter {
  const f: SegmentFilter = { businessId, marketingOnly };
  if (segment.tierIds) {
    f.tierSpend = tierSpendRanges(program, segment.tierIds);
    f.tierWindowStart = tierWindowStart(program, now);
  }
  if (segment.lastPurchaseBefore) f.lastPurchaseBefore = segmentInstant(segment.lastPurchaseBefore, timeZone);
  if (segment.lastPurchaseAfter) f.lastPurchaseAfter = segmentInstant(segment.lastPurchaseAfter, timeZone);
  if (segment.totalSpentMin !== undefined) f.totalSpentMin = segment.totalSpentMin;
  if (segment.totalSpentMax !== undefined) f.totalSpentMax = segment.totalSpentMax;
  if (segment.birthdayMonth !== undefined) f.birthdayMonth = segment.birthdayMonth;
  if (segment.channel) f.channel = segment.channel;
  if (segment.locationId) f.locationId = segment.locationId;
  if (segment.memberIds) f.memberIds = segment.memberIds;
  return f;
}
