// The admin dashboard: a period's series and the program's figures, all computed by the store in SQL from the
// ledger (postings and transactions), purchases and refunds, read from one snapshot so they agree with each other.
import { DomainError, addDays, daysBetween, invalid, isIsoDate, localDateOf, startOfLocalDay, type DashboardBucket, type DashboardData } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';

/** The longest period per bucket size (about two years of days, ten of weeks). */
export const MAX_DAYS: Record<DashboardBucket, number> = { day: 731, week: 3653 };
export const DEFAULT_DAYS = 30;

export interface DashboardInput {
  businessId: string;
  /** Local dates (the business's time zone), both included; default: the last 30 days up to today. */
  from?: string | undefined;
  to?: string | undefined;
  locationId?: string | null | undefined;
  bucket?: DashboardBucket | undefined;
}

export interface DashboardView extends DashboardData {
  period: { from: string; to: string; bucket: DashboardBucket; timezone: string; locationId: string | null };
  asOf: string;
  currency: string;
  pointValue: number;
}

export async function dashboard(deps: AppDeps, input: DashboardInput): Promise<DashboardView> {
  const now = deps.clock.now();
  const bucket = input.bucket ?? 'day';
  if (bucket !== 'day' && bucket !== 'week') throw invalid('bucket must be day or week', { field: 'bucket' });
  for (const field of ['from', 'to'] as const) {
    const v = input[field];
    if (v !== undefined && !isIsoDate(v)) throw invalid(`${field} must be a date YYYY-MM-DD`, { field });
  }
  return deps.uow.run(async (repos) => {
    await repos.reports.snapshot();
    const business = await loadBusiness(repos, input.businessId);
    const tz = business.timezone;
    const toDate = input.to ?? localDateOf(now, tz);
    const fromDate = input.from ?? addDays(toDate, -(DEFAULT_DAYS - 1));
    if (daysBetween(fromDate, toDate) < 0) throw invalid('from must not be after to', { field: 'from' });
    if (daysBetween(fromDate, toDate) + 1 > MAX_DAYS[bucket]) throw invalid(`At most ${MAX_DAYS[bucket]} days with ${bucket} buckets`, { field: 'from' });
    const locationId = input.locationId ?? null;
    if (locationId !== null && !(UUID_RE.test(locationId) && (await repos.businesses.locationExists(business.id, locationId)))) {
      throw new DomainError('location_not_found', 'No such location in this business');
    }
    const data = await repos.reports.dashboard({
      businessId: business.id,
      timezone: tz,
      from: startOfLocalDay(fromDate, tz),
      to: startOfLocalDay(addDays(toDate, 1), tz),
      fromDate,
      toDate,
      bucket,
      locationId,
      now,
      pointValue: business.program.pointValue,
    });
    return {
      period: { from: fromDate, to: toDate, bucket, timezone: tz, locationId },
      asOf: now.toISOString(),
      currency: business.currency,
      pointValue: business.program.pointValue,
      ...data,
    };
  });
}
