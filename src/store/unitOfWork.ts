// The UnitOfWork port on PostgreSQL: one READ COMMITTED transaction; row locks taken inside serialise writers.
import type { Kysely } from 'kysely';
import type { Repositories, UnitOfWork } from '../core/index.js';
import type { Database } from './schema.js';
import { apiKeyRepository, businessRepository } from './repositories/businesses.js';
import { botRepository, botSessionRepository } from './repositories/bots.js';
import { cardSessionRepository } from './repositories/cardSessions.js';
import { staffRepository } from './repositories/staff.js';
import { expiryRepository } from './repositories/expiry.js';
import { idempotencyRepository, outboxRepository } from './repositories/idempotency.js';
import { ledgerRepository, lotRepository } from './repositories/ledger.js';
import { memberRepository } from './repositories/members.js';
import { purchaseRepository } from './repositories/purchases.js';
import { webhookRepository } from './repositories/webhooks.js';
import { campaignRepository } from './repositories/campaigns.js';
import { chatRepository } from './repositories/chat.js';
import { notificationChannelRepository } from './repositories/notificationChannels.js';
import { messageRepository } from './repositories/messages.js';
import { campaignJobRepository } from './repositories/campaignJobs.js';
import { reportRepository } from './repositories/reports.js';
import { exportRepository, importRepository, workProgressRepository } from './repositories/dataExchange.js';
import { operatorRepository, setupRepository } from './repositories/setup.js';

export function repositories(db: Kysely<Database>): Repositories {
  return {
    businesses: businessRepository(db),
    apiKeys: apiKeyRepository(db),
    bots: botRepository(db),
    botSessions: botSessionRepository(db),
    cardSessions: cardSessionRepository(db),
    staff: staffRepository(db),
    members: memberRepository(db),
    lots: lotRepository(db),
    purchases: purchaseRepository(db),
    ledger: ledgerRepository(db),
    idempotency: idempotencyRepository(db),
    outbox: outboxRepository(db),
    expiry: expiryRepository(db),
    webhooks: webhookRepository(db),
    campaigns: campaignRepository(db),
    chat: chatRepository(db),
    notificationChannels: notificationChannelRepository(db),
    messages: messageRepository(db),
    campaignJobs: campaignJobRepository(db),
    reports: reportRepository(db),
    exports: exportRepository(db),
    imports: importRepository(db),
    progress: workProgressRepository(db),
    setup: setupRepository(db),
    operators: operatorRepository(db),
  };
}

/**
 * An idempotency claim reads the key in its statement's snapshot, which is taken just before the claim's advisory
 * lock: a duplicate request that committed in that instant is not seen, and the key's insert at the end fails
 * instead. The transaction has rolled back whole, so it runs again, and the claim then finds the stored result.
 */
const isKeyRace = (e: unknown) => (e as { code?: string; constraint?: string })?.code === '23505' && (e as { constraint?: string }).constraint === 'idempotency_keys_pkey';

export function postgresUnitOfWork(db: Kysely<Database>): UnitOfWork {
  return {
    async run(work) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute((trx) => work(repositories(trx)));
        } catch (e) {
          if (attempt < 3 && isKeyRace(e)) continue;
          throw e;
        }
      }
    },
  };
}
