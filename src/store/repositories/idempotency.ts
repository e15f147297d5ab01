import { sql, type Kysely } from 'kysely';
import { DomainError, type IdempotencyClaim, type IdempotencyRepository, type OutboxRepository } from '../../core/index.js';
import type { Database } from '../schema.js';

export function idempotencyRepository(db: Kysely<Database>): IdempotencyRepository {
  return {
    // The claimant holds a transaction-level advisory lock on the key until it commits or rolls back, so a concurrent
    // duplicate is told at once that the first is still running. The key's row is written with the result, at the end.
    async claim<T>(businessId: string, key: string, requestHash: string) {
      const r = await sql<{ got: boolean; request_hash: string | null; result: unknown }>`
        with k as materialized (
          select pg_try_advisory_xact_lock(hashtextextended(${businessId}::text || '/' || ${key}::text, 7)) as got
        )
        select k.got, i.request_hash, i.result from k
          left join idempotency_keys i on k.got and i.business_id = ${businessId} and i.key = ${key}
      `.execute(db);
      return claimOutcome<T>(key, requestHash, r.rows[0]);
    },
    async complete(businessId, key, requestHash, result, at) {
      await db
        .insertInto('idempotency_keys')
        .values({ business_id: businessId, key, request_hash: requestHash, result: JSON.stringify(result), created_at: at })
        .execute();
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
  };
}

/** What a claim found: in flight (no lock), new (no row), a replay (same hash) or a conflict. */
export function claimOutcome<T>(key: string, requestHash: string, row: { got: boolean | null; request_hash: string | null; result: unknown } | undefined): IdempotencyClaim<T> {
  if (!row?.got) throw new DomainError('idempotency_in_flight', `A request with the idempotency key "${key}" is still being processed; retry in a moment`, { key });
  if (row.request_hash === null) return { status: 'new' };
  if (row.request_hash !== requestHash) throw new DomainError('idempotency_conflict', `The idempotency key "${key}" was already used with different input`, { key });
  return { status: 'replay', result: row.result as T };
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
