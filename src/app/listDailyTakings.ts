// The business's total takings per day and location over a period (the panel's list, an integrator's check): the
// last 30 local days up to today unless asked otherwise.
import { DomainError, TAKINGS_MAX_AGE_DAYS, addDays, daysBetween, invalid, isIsoDate, localDateOf } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import { takingsView, type TakingsView } from './recordDailyTakings.js';

export interface TakingsList {
  from: string;
  to: string;
  /** The business's today (its time zone): the last day takings may be entered for. */
  today: string;
  items: TakingsView[];
}

export async function listDailyTakings(deps: AppDeps, input: { businessId: string; from?: string | undefined; to?: string | undefined; locationId?: string | null | undefined }): Promise<TakingsList> {
  for (const field of ['from', 'to'] as const) {
    const v = input[field];
    if (v !== undefined && !isIsoDate(v)) throw invalid(`${field} must be a date YYYY-MM-DD`, { field });
  }
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const today = localDateOf(deps.clock.now(), business.timezone);
    const to = input.to ?? today;
    const from = input.from ?? addDays(to, -29);
    if (daysBetween(from, to) < 0) throw invalid('from must not be after to', { field: 'from' });
    if (daysBetween(from, to) > TAKINGS_MAX_AGE_DAYS + 366) throw invalid(`At most ${TAKINGS_MAX_AGE_DAYS + 366} days at once`, { field: 'from' });
    const locations = await repos.businesses.locations(business.id);
    const names = new Map(locations.map((l) => [l.id, l.name]));
    if (input.locationId && !(UUID_RE.test(input.locationId) && names.has(input.locationId))) throw new DomainError('location_not_found', 'No such location in this business');
    const rows = await repos.reports.listTakings(business.id, { from, to, ...(input.locationId ? { locationId: input.locationId } : {}) });
    return { from, to, today, items: rows.map((r) => takingsView(r, names)) };
  });
}
