// The business's total takings per local day and location (revenue_days), and members' share of them for the
// dashboard: members' purchases less refunds on the days that have takings, at the locations those takings are of.
import { sql, type Kysely } from 'kysely';
import type { MemberShare, RevenueDayRepository, TakingsDay, TakingsSource } from '../../core/index.js';
import type { Database } from '../schema.js';

type Row = { day: string; location_id: string | null; amount: string | number; source: TakingsSource; updated_by: string; updated_at: Date };

const toDay = (r: Row): TakingsDay => ({ day: r.day, locationId: r.location_id, amount: Number(r.amount), source: r.source, updatedBy: r.updated_by, updatedAt: r.updated_at });

const NO_LOCATION = sql`'00000000-0000-0000-0000-000000000000'::uuid`;

export function revenueDayRepository(db: Kysely<Database>): RevenueDayRepository {
  return {
    async listTakings(businessId, q) {
      const loc = q.locationId === undefined ? sql`` : q.locationId === null ? sql`and location_id is null` : sql`and location_id = ${q.locationId}::uuid`;
      const rows = await sql<Row>`
        select to_char(day, 'YYYY-MM-DD') as day, location_id, amount, source, updated_by, updated_at
          from revenue_days
         where business_id = ${businessId} and day >= ${q.from}::date and day <= ${q.to}::date ${loc}
         order by day, location_id nulls first`.execute(db);
      return rows.rows.map(toDay);
    },

    async lockTakingsDays(businessId, days) {
      for (const day of [...new Set(days)].sort()) await sql`select pg_advisory_xact_lock(hashtextextended(${`revenue_days:${businessId}:${day}`}, 0))`.execute(db);
    },

    async setTakings(businessId, r) {
      // The row as it was (locked), then the new one: the same business, location and day is one row.
      const before = await sql<Row>`
        select to_char(day, 'YYYY-MM-DD') as day, location_id, amount, source, updated_by, updated_at
          from revenue_days
         where business_id = ${businessId} and day = ${r.day}::date and coalesce(location_id, ${NO_LOCATION}) = coalesce(${r.locationId}::uuid, ${NO_LOCATION})
         for update`.execute(db);
      await sql`
        insert into revenue_days (business_id, location_id, day, amount, source, updated_by, updated_at)
        values (${businessId}, ${r.locationId}::uuid, ${r.day}::date, ${r.amount}, ${r.source}, ${r.updatedBy}, ${r.updatedAt})
        on conflict (business_id, day, (coalesce(location_id, ${NO_LOCATION})))
        do update set amount = excluded.amount, source = excluded.source, updated_by = excluded.updated_by, updated_at = excluded.updated_at`.execute(db);
      const b = before.rows[0];
      return b ? toDay(b) : null;
    },
  };
}

/**
 * Members' share over [fromDate, toDate] (local dates in `tz`): a takings row covers its day at its location (a row
 * without a location covers the whole day). Members' revenue is counted on the dashboard's basis — purchases by the
 * local day they happened, less refunds by the local day they were made, located by the purchase — and only where
 * covered, so a day whose takings one location entered and the other did not compares like with like.
 */
export async function memberShareOf(db: Kysely<Database>, q: { businessId: string; timezone: string; from: Date; to: Date; fromDate: string; toDate: string; locationId: string | null }): Promise<MemberShare> {
  const b = q.businessId;
  const tz = q.timezone;
  const rowLoc = q.locationId ? sql`and rd.location_id = ${q.locationId}::uuid` : sql``;
  const r = await sql<{ days_with: number; takings: string | number; purchases: string | number; refunds: string | number; days: number }>`
    with covered as (
      select rd.day, rd.location_id, rd.amount from revenue_days rd
       where rd.business_id = ${b} and rd.day >= ${q.fromDate}::date and rd.day <= ${q.toDate}::date ${rowLoc}
    )
    select (select count(distinct day) from covered)::int as days_with,
           (select coalesce(sum(amount), 0) from covered)::bigint as takings,
           (select coalesce(sum(pu.amount), 0) from purchases pu
             where pu.business_id = ${b} and pu.occurred_at >= ${q.from} and pu.occurred_at < ${q.to}
               and exists (select 1 from covered c where c.day = (pu.occurred_at at time zone ${tz})::date
                                                    and (c.location_id is null or c.location_id = pu.location_id)))::bigint as purchases,
           (select coalesce(sum(rf.amount), 0) from purchase_refunds rf
              join purchases pu on pu.business_id = rf.business_id and pu.id = rf.purchase_id
             where rf.business_id = ${b} and rf.created_at >= ${q.from} and rf.created_at < ${q.to}
               and exists (select 1 from covered c where c.day = (rf.created_at at time zone ${tz})::date
                                                    and (c.location_id is null or c.location_id = pu.location_id)))::bigint as refunds,
           (${q.toDate}::date - ${q.fromDate}::date + 1)::int as days`.execute(db);
  const x = r.rows[0];
  if (!x) throw new Error('member share: no row');
  const takings = Number(x.takings);
  const memberRevenue = Number(x.purchases) - Number(x.refunds);
  return { days: x.days, daysWithTakings: x.days_with, takings, memberRevenue, share: takings > 0 ? memberRevenue / takings : null };
}
