// Webhooks and their delivery queue. The queue is a table: the dispatcher fans outbox events out into pending rows,
// workers claim due rows with SKIP LOCKED and a lease (next_attempt_at pushed forward), then record each attempt.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Webhook, WebhookDeliveryStatus, WebhookRepository } from '../../core/index.js';
import type { Database, WebhooksTable } from '../schema.js';

// The first key of the two-int advisory lock taken while a webhook is created (the second is the business).
const CREATE_LOCK = 0x4b6f77; // "Kow"

const toWebhook = (r: Selectable<WebhooksTable>): Webhook => ({
  id: r.id,
  businessId: r.business_id,
  url: r.url,
  events: r.events,
  secret: r.secret,
  createdAt: r.created_at,
  deletedAt: r.deleted_at,
});

export function webhookRepository(db: Kysely<Database>): WebhookRepository {
  return {
    async insert(w, maxLive) {
      // Concurrent creates for one business queue here until the first commits, so the count below is exact.
      await sql`select pg_advisory_xact_lock(${CREATE_LOCK}, hashtext(${w.businessId}))`.execute(db);
      const live = await db
        .selectFrom('webhooks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('business_id', '=', w.businessId)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(live.n) >= maxLive) return 'limit_reached';
      await db
        .insertInto('webhooks')
        .values({ business_id: w.businessId, id: w.id, url: w.url, events: w.events, secret: w.secret, created_at: w.createdAt })
        .execute();
      return 'ok';
    },

    async listLive(businessId) {
      const rows = await sql<
        Selectable<WebhooksTable> & {
          d_event_type: string | null;
          d_status: WebhookDeliveryStatus | null;
          d_attempts: number | null;
          d_status_code: number | null;
          d_error: string | null;
          d_at: Date | null;
        }
      >`
        select w.*, d.event_type as d_event_type, d.status as d_status, d.attempts as d_attempts,
               d.last_status_code as d_status_code, d.last_error as d_error, d.last_attempt_at as d_at
          from webhooks w
          left join lateral (
            select * from webhook_deliveries d
             where d.business_id = w.business_id and d.webhook_id = w.id
             order by d.event_id desc limit 1
          ) d on true
         where w.business_id = ${businessId} and w.deleted_at is null
         order by w.created_at, w.id
      `.execute(db);
      return rows.rows.map((r) => ({
        webhook: toWebhook(r),
        lastDelivery:
          r.d_status === null
            ? null
            : {
                eventType: r.d_event_type ?? '',
                status: r.d_status,
                attempts: r.d_attempts ?? 0,
                statusCode: r.d_status_code,
                error: r.d_error,
                at: r.d_at,
              },
      }));
    },

    async delete(businessId, id, at) {
      const r = await sql<{ deleted: number }>`
        with del as (
          update webhooks set deleted_at = ${at}
           where business_id = ${businessId} and id = ${id} and deleted_at is null
          returning business_id, id
        ), stopped as (
          update webhook_deliveries d set status = 'failed', last_error = 'webhook deleted'
            from del where d.business_id = del.business_id and d.webhook_id = del.id and d.status = 'pending'
          returning 1
        )
        select (select count(*) from del)::int as deleted, (select count(*) from stopped)::int as stopped
      `.execute(db);
      return (r.rows[0]?.deleted ?? 0) === 1;
    },

    async dispatch(now, opts) {
      const r = await sql<{ events: number; deliveries: number }>`
        with ev as materialized (
          select id, business_id, type, payload, created_at from outbox_events
           where published_at is null ${opts.businessId === null ? sql`` : sql`and business_id = ${opts.businessId}`}
           order by id
           limit ${opts.limit}
           for update skip locked
        ), ins as (
          insert into webhook_deliveries (business_id, id, webhook_id, event_id, event_type, payload, event_created_at,
                                          attempts, status, next_attempt_at, created_at)
          select e.business_id, gen_random_uuid(), w.id, e.id, e.type, e.payload, e.created_at, 0, 'pending', ${now}, ${now}
            from ev e
            join webhooks w on w.business_id = e.business_id and w.deleted_at is null and e.type = any (w.events)
           order by e.id, w.created_at
          on conflict (business_id, webhook_id, event_id) do nothing
          returning 1
        ), pub as (
          update outbox_events o set published_at = ${now} from ev where o.id = ev.id
          returning 1
        )
        select (select count(*) from pub)::int as events, (select count(*) from ins)::int as deliveries
      `.execute(db);
      return { events: r.rows[0]?.events ?? 0, deliveries: r.rows[0]?.deliveries ?? 0 };
    },

    async claimDue(now, leaseUntil, opts) {
      // The inner select locks due rows others have not locked; a row another worker claimed and committed meanwhile is
      // re-checked against the WHERE after the lock, and its pushed-forward next_attempt_at no longer matches.
      const r = await sql<{
        business_id: string;
        id: string;
        webhook_id: string;
        event_type: string;
        payload: unknown;
        event_created_at: Date;
        attempts: number;
        created_at: Date;
        url: string;
        secret: string;
        deleted_at: Date | null;
      }>`
        with due as (
          select business_id, id from webhook_deliveries
           where status = 'pending' and next_attempt_at <= ${now}
                 ${opts.businessId === null ? sql`` : sql`and business_id = ${opts.businessId}`}
           order by next_attempt_at
           limit ${opts.limit}
           for update skip locked
        )
        update webhook_deliveries d set next_attempt_at = ${leaseUntil}
          from due, webhooks w
         where d.business_id = due.business_id and d.id = due.id and w.business_id = d.business_id and w.id = d.webhook_id
        returning d.business_id, d.id, d.webhook_id, d.event_type, d.payload, d.event_created_at, d.attempts, d.created_at,
                  w.url, w.secret, w.deleted_at
      `.execute(db);
      return r.rows.map((x) => ({
        id: x.id,
        businessId: x.business_id,
        webhookId: x.webhook_id,
        url: x.url,
        secret: x.secret,
        webhookDeleted: x.deleted_at !== null,
        eventType: x.event_type,
        payload: x.payload,
        eventCreatedAt: x.event_created_at,
        attempts: x.attempts,
        createdAt: x.created_at,
      }));
    },

    async recordAttempt(o) {
      const r = await db
        .updateTable('webhook_deliveries')
        .set({
          attempts: o.claimedAttempts + 1,
          status: o.status,
          last_attempt_at: o.at,
          last_status_code: o.statusCode,
          last_error: o.error,
          next_attempt_at: o.nextAttemptAt,
          delivered_at: o.status === 'delivered' ? o.at : null,
        })
        .where('business_id', '=', o.businessId)
        .where('id', '=', o.id)
        .where('status', '=', 'pending')
        .where('attempts', '=', o.claimedAttempts)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async nextDueAt(businessId) {
      const row = await db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.min('next_attempt_at').as('at'))
        .where('business_id', '=', businessId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      const at = row?.at as Date | string | null | undefined;
      return at ? new Date(at) : null;
    },
  };
}
