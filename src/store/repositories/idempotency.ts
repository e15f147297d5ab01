import type { Kysely } from 'kysely';
import { DomainError, type IdempotencyRepository, type OutboxRepository } from '../../core/index.js';
import type { Database } from '../schema.js';

export function idempotencyRepository(db: Kysely<Database>): IdempotencyRepository {
  return {
    // A concurrent claim of the same key waits on the unique index until the first transaction ends.
    async claim<T>(businessId: string, key: string, requestHash: string, at: Date) {
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({ business_id: businessId, key, request_hash: requestHash, result: null, created_at: at })
        .onConflict((oc) => oc.doNothing())
        .returning('key')
        .executeTakeFirst();
      if (inserted) return { status: 'new' } as const;
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
