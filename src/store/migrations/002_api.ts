// The integration API: member counters kept by every ledger write, purchase line items, the secret QR tokens are
// signed with, and the test clock's per-business offsets.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table members add column total_spent bigint not null default 0,
                        add column purchases_count integer not null default 0;
    update members m set total_spent = coalesce(p.spent, 0) - coalesce(r.refunded, 0), purchases_count = coalesce(p.n, 0)
      from members m2
      left join (select business_id, member_id, sum(amount) as spent, count(*) as n from purchases group by 1, 2) p
        on p.business_id = m2.business_id and p.member_id = m2.id
      left join (select business_id, member_id, sum(amount) as refunded from purchase_refunds group by 1, 2) r
        on r.business_id = m2.business_id and r.member_id = m2.id
     where m.business_id = m2.business_id and m.id = m2.id;

    alter table businesses add column qr_secret text not null default replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');

    create table purchase_items (
      business_id uuid not null,
      purchase_id uuid not null,
      line integer not null,
      sku text not null,
      name text not null,
      category text,
      quantity numeric(12, 3) not null,
      price bigint not null,
      primary key (business_id, purchase_id, line),
      foreign key (business_id, purchase_id) references purchases (business_id, id)
    );

    create index idempotency_keys_created on idempotency_keys (created_at);

    -- Stored once, read back whole, never queried into: json keeps the text as given, cheaper to write than jsonb.
    alter table idempotency_keys alter column result type json using result::json;

    create table test_clocks (
      business_id uuid primary key references businesses (id),
      offset_ms bigint not null
    );
  `.execute(db);
}
