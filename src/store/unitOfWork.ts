// The UnitOfWork port on PostgreSQL: one READ COMMITTED transaction; row locks taken inside serialise writers.
import type { Kysely } from 'kysely';
import type { Repositories, UnitOfWork } from '../core/index.js';
import type { Database } from './schema.js';
import { apiKeyRepository, businessRepository } from './repositories/businesses.js';
import { botRepository } from './repositories/bots.js';
import { expiryRepository } from './repositories/expiry.js';
import { idempotencyRepository, outboxRepository } from './repositories/idempotency.js';
import { ledgerRepository, lotRepository } from './repositories/ledger.js';
import { memberRepository } from './repositories/members.js';
import { purchaseRepository } from './repositories/purchases.js';
import { webhookRepository } from './repositories/webhooks.js';

export function repositories(db: Kysely<Database>): Repositories {
  return {
    businesses: businessRepository(db),
    apiKeys: apiKeyRepository(db),
    bots: botRepository(db),
    members: memberRepository(db),
    lots: lotRepository(db),
    purchases: purchaseRepository(db),
    ledger: ledgerRepository(db),
    idempotency: idempotencyRepository(db),
    outbox: outboxRepository(db),
    expiry: expiryRepository(db),
    webhooks: webhookRepository(db),
  };
}

export function postgresUnitOfWork(db: Kysely<Database>): UnitOfWork {
  return {
    run: (work) => db.transaction().execute((trx) => work(repositories(trx))),
  };
}
