// Dashboard inputs: each time a member's card app shows its first screen (card opens by weekday × hour), and which
// staff member enrolled a member (per-staff "members registered"; null for enrolments by bots, API keys, imports).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table card_opens (
      business_id uuid not null references businesses (id),
      id bigint generated always as identity,
      member_id uuid not null,
      at timestamptz not null,
      source text not null check (source in ('telegram', 'web')),
      primary key (business_id, id),
      foreign key (business_id, member_id) references members (business_id, id)
    );
    create index card_opens_at on card_opens (business_id, at);

    alter table members add column registered_by_staff uuid;
  `.execute(db);
}
