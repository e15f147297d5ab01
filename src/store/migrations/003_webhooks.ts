// Webhooks: the endpoints a business subscribes, and the durable delivery queue the outbox is fanned out into.
// A delivery row is the queue entry and its record at once: it stays pending until a 2xx answer or its 24 hours run out.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table webhooks (
      business_id uuid not null references businesses (id),
      id uuid not null,
      url text not null check (length(url) between 1 and 2000),
      events text[] not null check (cardinality(events) > 0),
      secret text not null,
      created_at timestamptz not null,
      deleted_at timestamptz,
      primary key (business_id, id)
    );
    create index webhooks_live on webhooks (business_id) where deleted_at is null;

    create table webhook_deliveries (
      business_id uuid not null,
      id uuid not null,
      webhook_id uuid not null,
      event_id bigint not null,
      event_type text not null,
      payload jsonb not null,
      -- When the event happened (the body's createdAt); created_at is when it was queued and starts the 24 hours.
      event_created_at timestamptz not null,
      attempts integer not null default 0,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
      next_attempt_at timestamptz not null,
      last_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      created_at timestamptz not null,
      delivered_at timestamptz,
      primary key (business_id, id),
      -- One delivery per webhook and event; also serves "the webhook's latest delivery" (highest event id).
      unique (business_id, webhook_id, event_id),
      foreign key (business_id, webhook_id) references webhooks (business_id, id)
    );
    -- The worker's scan across all businesses, and the test clock's per-business "next due" question.
    create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
    create index webhook_deliveries_business_due on webhook_deliveries (business_id, next_attempt_at) where status = 'pending';

    -- The dispatcher reads unpublished outbox events in id order; published ones are never scanned again.
    create index outbox_events_unpublished on outbox_events (id) where published_at is null;
  `.execute(db);
}
