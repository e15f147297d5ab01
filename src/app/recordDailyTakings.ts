// The business's total takings of a day (issue 7, R31): what the till took from every customer, members or not, per
// local day and location — entered by a manager in the panel, sent by a till's end-of-day (Z) report over the API,
// or loaded in bulk. Setting is idempotent by nature (the same amount again changes nothing and is not audited
// again); a change is audited with the amount before. A day's takings are either the whole business's (no location)
// or per location, never both (they would count twice). The bulk form checks every row first and writes all of them
// or none, listing each bad row with its reason.
import {
  DomainError,
  TAKINGS_MAX_BULK,
  localDateOf,
  takingsAmountProblem,
  takingsDayProblem,
  type Repositories,
  type TakingsDay,
  type TakingsSource,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import { actorOf, type StaffCaller } from './staff.js';

export interface TakingsView {
  day: string;
  locationId: string | null;
  locationName: string | null;
  amount: number;
  source: TakingsSource;
  updatedBy: string;
  updatedAt: string;
}

export interface TakingsInput {
  day: string;
  /** Absent or null: the whole business. */
  locationId?: string | null | undefined;
  amount: number;
}

export interface TakingsCommand {
  businessId: string;
  source: TakingsSource;
  /** A till's API key tied to one location: its own location only (the default when a row names none). */
  boundLocationId?: string | null | undefined;
}

export const takingsView = (t: TakingsDay, names: Map<string, string>): TakingsView => ({
  day: t.day,
  locationId: t.locationId,
  locationName: t.locationId ? (names.get(t.locationId) ?? null) : null,
  amount: t.amount,
  source: t.source,
  updatedBy: t.updatedBy,
  updatedAt: t.updatedAt.toISOString(),
});

const updatedByOf = (c: StaffCaller): string => ('cli' in c ? 'cli' : 'apiKeyId' in c ? `api_key:${c.apiKeyId}` : `staff:${c.staff.id}`);

export type BadTakingsRow = { index: number; day: string; locationId: string | null; message: string };

/** Sets one day's takings (one location, or the whole business). */
export async function recordDailyTakings(deps: AppDeps, caller: StaffCaller, cmd: TakingsCommand & TakingsInput): Promise<TakingsView & { changed: boolean }> {
  const [row] = await setMany(deps, caller, cmd, [cmd], true);
  if (!row) throw new Error('recordDailyTakings: no row');
  return row;
}

/** Sets many days' takings in one transaction: every row is checked first; one bad row and nothing is written. */
export async function recordTakingsBulk(deps: AppDeps, caller: StaffCaller, cmd: TakingsCommand & { days: TakingsInput[] }): Promise<{ items: (TakingsView & { changed: boolean })[]; changed: number }> {
  if (cmd.days.length === 0) throw new DomainError('validation_failed', 'days must list at least one day', { field: 'days' });
  if (cmd.days.length > TAKINGS_MAX_BULK) throw new DomainError('validation_failed', `At most ${TAKINGS_MAX_BULK} days at once`, { field: 'days' });
  const items = await setMany(deps, caller, cmd, cmd.days, false);
  return { items, changed: items.filter((i) => i.changed).length };
}

async function setMany(deps: AppDeps, caller: StaffCaller, cmd: TakingsCommand, rows: TakingsInput[], single: boolean): Promise<(TakingsView & { changed: boolean })[]> {
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, cmd.businessId);
    const today = localDateOf(now, business.timezone);
    const names = new Map((await repos.businesses.locations(business.id)).map((l) => [l.id, l.name]));
    const bound = cmd.boundLocationId ?? null;
    const bad: BadTakingsRow[] = [];
    const wanted: { day: string; locationId: string | null; amount: number }[] = [];
    for (const [index, r] of rows.entries()) {
      const locationId = r.locationId ?? bound;
      const problem = (message: string) => bad.push({ index, day: String(r.day).slice(0, 40), locationId, message });
      if (bound !== null && locationId !== bound) {
        if (single) throw new DomainError('forbidden', 'This API key is tied to one location: it may enter the takings of that location only', { locationId });
        problem('this API key may enter the takings of its own location only');
        continue;
      }
      if (locationId !== null && !(UUID_RE.test(locationId) && names.has(locationId))) {
        if (single) throw new DomainError('location_not_found', 'No such location in this business', { locationId });
        problem('no such location in this business');
        continue;
      }
      const dayProblem = takingsDayProblem(r.day, today);
      if (dayProblem) problem(dayProblem);
      const amountProblem = takingsAmountProblem(r.amount);
      if (amountProblem) problem(amountProblem);
      if (dayProblem || amountProblem) continue;
      if (wanted.some((w) => w.day === r.day && w.locationId === locationId)) {
        problem('the same day and location is listed twice');
        continue;
      }
      wanted.push({ day: r.day, locationId, amount: r.amount });
    }
    // Whole business or per location on a day, never both: checked against what is stored and within the request.
    if (wanted.length > 0) {
      const days = wanted.map((w) => w.day).sort();
      await repos.reports.lockTakingsDays(business.id, days);
      const stored = await repos.reports.listTakings(business.id, { from: days[0]!, to: days[days.length - 1]! });
      for (const [i, w] of wanted.entries()) {
        const others = [...stored.filter((s) => s.day === w.day && s.locationId !== w.locationId), ...wanted.filter((x, j) => j !== i && x.day === w.day)];
        const clash = others.some((o) => (o.locationId === null) !== (w.locationId === null));
        if (clash) {
          const message = w.locationId === null
            ? `${w.day} already has takings per location; enter each location's, not the whole business's`
            : `${w.day} already has the whole business's takings; change that, or enter it per location instead`;
          if (single) throw new DomainError('validation_failed', message, { field: 'locationId' });
          bad.push({ index: rows.findIndex((r) => r.day === w.day && (r.locationId ?? bound) === w.locationId), day: w.day, locationId: w.locationId, message });
        }
      }
    }
    if (bad.length > 0) {
      bad.sort((a, b) => a.index - b.index);
      const first = bad[0]!;
      if (single) throw new DomainError('validation_failed', first.message, { field: first.message.startsWith('amount') ? 'amount' : 'day' });
      const list = bad.slice(0, 20).map((b) => `row ${b.index + 1} (${b.day}): ${b.message}`).join('; ');
      throw new DomainError('validation_failed', `${bad.length} of ${rows.length} rows are wrong, nothing was saved: ${list}${bad.length > 20 ? '; …' : ''}`, { field: 'days', rows: bad });
    }
    const out: (TakingsView & { changed: boolean })[] = [];
    for (const w of wanted) out.push(await setOne(repos, caller, cmd, business.id, w, now, names));
    return out;
  });
}

async function setOne(repos: Repositories, caller: StaffCaller, cmd: TakingsCommand, businessId: string, w: { day: string; locationId: string | null; amount: number }, now: Date, names: Map<string, string>): Promise<TakingsView & { changed: boolean }> {
  const existing = (await repos.reports.listTakings(businessId, { from: w.day, to: w.day, locationId: w.locationId }))[0] ?? null;
  if (existing && existing.amount === w.amount) return { ...takingsView(existing, names), changed: false };
  const row: TakingsDay = { day: w.day, locationId: w.locationId, amount: w.amount, source: cmd.source, updatedBy: updatedByOf(caller), updatedAt: now };
  const before = await repos.reports.setTakings(businessId, row);
  await repos.staff.addAudit({
    businessId, at: now, ...actorOf(caller), action: 'revenue.takings_set', memberId: null, points: null, issuedPoints: 0, amount: w.amount,
    details: { day: w.day, locationId: w.locationId, amount: w.amount, before: before ? before.amount : null, source: cmd.source },
  });
  return { ...takingsView(row, names), changed: true };
}
