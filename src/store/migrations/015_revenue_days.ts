// The business's total takings per local day and location (issue 7, R31): what the till took from every customer,
// members or not, so the dashboard can show the share of revenue from members. A business without locations (or a
// till that reports for the whole business) enters its days with no location; one row per business, location and day.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table revenue_days (
      business_id uuid not null references businesses (id),
      id bigint generated always as identity,
      location_id uuid,
      day date not null,
      amount bigint not null check (amount >= 0),
      source text not null check (source in ('api', 'panel', 'import')),
      updated_by text not null,
      updated_at timestamptz not null,
      primary key (business_id, id),
      foreign key (business_id, location_id) references locations (business_id, id)
    );
    create unique index revenue_days_one_per_day on revenue_days (business_id, day, coalesce(location_id, '00000000-0000-0000-0000-000000000000'::uuid));
  `.execute(db);
}
