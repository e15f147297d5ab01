import { sql, type Kysely } from 'kysely';
import { DomainError, type IdempotencyRepository, type OutboxRepository } from '../../core/index.js';
import type { Database } from '../schema.js';

export function idempotencyRepository(db: Kysely<Database>): IdempotencyRepository {
  return {
    // The first claimant holds a transaction-level advisory lock on the key until it commits or rolls back, so a
    // concurrent duplicate is told at once that the first is still running instead of waiting on the unique index.
    async claim<T>(businessId: string, key: string, requestHash: string, at: Date) {
      const r = await sql<{ got: boolean; inserted: number }>`
        with lock as materialized (
          select pg_try_advisory_xact_lock(hashtextextended(${businessId}::text || '/' || ${key}::text, 7)) as got
        ), ins as (
          insert into idempotency_keys (business_id, key, request_hash, result, created_at)
          select ${businessId}::uuid, ${key}::text, ${requestHash}::text, null::jsonb, ${at}::timestamptz from lock where got
          on conflict do nothing
          returning 1
        )
        select (select got from lock) as got, (select count(*) from ins)::int as inserted
      `.execute(db);
      const row0 = r.rows[0];
      if (!row0?.got) throw new DomainError('idempotency_in_flight', `A request with the idempotency key "${key}" is still being processed; retry in a moment`, { key });
      if (row0.inserted === 1) return { status: 'new' } as const;
      const row = await db
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'result'])
        .where('business_id', '=', businessId)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      if (row.request_hash !== requestHash || row.result === null) {
        throw new DomainError('idempotency_conflict', `The idempotency key "${key}" was already used with different input`, { key });
      }
      return { status: 'replay', result: row.result as T } as const;
    },
    async purge(before, limit) {
      const r = await sql<{ n: number }>`
        with gone as (
          delete from idempotency_keys where ctid = any (array(
            select ctid from idempotency_keys where created_at < ${before} limit ${limit}))
          returning 1)
        select count(*)::int as n from gone`.execute(db);
      return r.rows[0]?.n ?? 0;
    },
    async complete(businessId, key, result) {
      await db
        .updateTable('idempotency_keys')
        .set({ result: JSON.stringify(result) })
        .where('business_id', '=', businessId)
        .where('key', '=', key)
        .execute();
    },
  };
}

export function outboxRepository(db: Kysely<Database>): OutboxRepository {
  return {
    async add(event, at) {
      await db
        .insertInto('outbox_events')
        .values({ business_id: event.businessId, type: event.type, payload: JSON.stringify(event.payload), created_at: at })
        .execute();
    },
  };
}
