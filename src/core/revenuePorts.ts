// The business's total takings per local day and location (issue 7, R31): every customer's purchases, members or
// not, as the till's end-of-day report says. With members' purchases (which Kopilka records itself) they give the
// share of revenue from members. Pure types and rules; the store keeps one row per business, location and day.
import { daysBetween, isIsoDate } from './localDate.js';
import type { Minor } from './money.js';

export const TAKINGS_SOURCES = ['api', 'panel', 'import'] as const;
export type TakingsSource = (typeof TAKINGS_SOURCES)[number];

/** How far back takings may be entered or changed (days before the business's today). */
export const TAKINGS_MAX_AGE_DAYS = 400;
/** The most days one bulk request may set. */
export const TAKINGS_MAX_BULK = 400;
/** The largest takings of one day and location: 10 billion in major units, far above any small business. */
export const TAKINGS_MAX_AMOUNT = 1_000_000_000_000;

export interface TakingsDay {
  /** Local date (the business's time zone), YYYY-MM-DD. */
  day: string;
  /** null: the whole business (a business without locations, or a till that reports for all of them). */
  locationId: string | null;
  amount: Minor;
  source: TakingsSource;
  /** 'staff:<id>', 'api_key:<id>' or 'cli'. */
  updatedBy: string;
  updatedAt: Date;
}

/** Members' share of the takings over the days of a period that have takings (see the dashboard). */
export interface MemberShare {
  /** Local days in the period. */
  days: number;
  /** Of them, days with takings entered (for the location asked, or for any when none). */
  daysWithTakings: number;
  /** The takings of those days (minor units). */
  takings: Minor;
  /** Members' purchases less refunds on those days, at the locations whose takings were entered (minor units). */
  memberRevenue: Minor;
  /** memberRevenue / takings; null without takings (none entered, or all zero). */
  share: number | null;
}

export interface RevenueDayRepository {
  /** The takings of the days in [from, to] (local dates), of one location (or all when undefined), by day then location. */
  listTakings(businessId: string, q: { from: string; to: string; locationId?: string | null | undefined }): Promise<TakingsDay[]>;
  /** Holds the days of the business until the transaction ends (concurrent entries of a day are checked one by one). */
  lockTakingsDays(businessId: string, days: string[]): Promise<void>;
  /** Sets the takings of a day and location (insert or replace); answers the row as it was before, or null. */
  setTakings(businessId: string, row: TakingsDay): Promise<TakingsDay | null>;
}

/** Why a day's takings may not be set, or null: a local date, not after today, at most TAKINGS_MAX_AGE_DAYS back. */
export function takingsDayProblem(day: string, today: string): string | null {
  if (!isIsoDate(day)) return 'day must be a date YYYY-MM-DD';
  const age = daysBetween(day, today);
  if (age < 0) return `day ${day} is in the future (today is ${today})`;
  if (age > TAKINGS_MAX_AGE_DAYS) return `day ${day} is more than ${TAKINGS_MAX_AGE_DAYS} days ago`;
  return null;
}

/** Why an amount may not be takings, or null: a whole number of minor units, 0 or more. */
export function takingsAmountProblem(amount: unknown): string | null {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) return 'amount must be a whole number of minor units (kopecks, cents)';
  if (amount < 0) return 'amount must not be negative';
  if (amount > TAKINGS_MAX_AMOUNT) return `amount must be at most ${TAKINGS_MAX_AMOUNT}`;
  return null;
}
