// The job queue: pg-boss 10 (the newest major that runs on Node 20) in its own schema of our database, embedded or
// external. Its jobs are inserted in our transactions (a rollback leaves no job), so the outbox and the queue agree.
import PgBoss from 'pg-boss';
import type { Logger } from '../config/logger.js';
import type { TransactionSql } from '../core/index.js';

export const MESSAGE_QUEUE = 'messages';

export interface QueueOptions {
  url: string;
  /** pg-boss's schema: `<our schema>_boss` (tests use one schema per file; production `kopilka_boss`). */
  schema: string;
  log: Logger;
  /** A job whose worker died is taken again after this long (default 60 s). */
  expireInSeconds?: number;
  /** How often pg-boss looks for such jobs (default 30 s). */
  maintenanceIntervalSeconds?: number;
  /** Retries of a message's job before it is given up (default 13; pg-boss doubles the pause each time from 10 s, about a day in all). */
  retryLimit?: number;
  retryDelaySeconds?: number;
}

export interface JobQueue {
  boss: PgBoss;
  /** Inserts the message jobs in the caller's transaction. */
  enqueueMessages(sql: TransactionSql, jobs: readonly { businessId: string; id: string }[]): Promise<void>;
  stop(): Promise<void>;
}

/** pg-boss's schema for a database whose tables live in `schema`. */
export const bossSchemaFor = (schema: string): string => `${schema === 'public' ? 'kopilka' : schema}_boss`;

export async function startQueue(o: QueueOptions): Promise<JobQueue> {
  const boss = new PgBoss({
    connectionString: o.url,
    schema: o.schema,
    max: 4,
    application_name: 'kopilka-queue',
    schedule: false, // we schedule our own jobs; no cron polling
    supervise: true,
    maintenanceIntervalSeconds: o.maintenanceIntervalSeconds ?? 30,
  });
  boss.on('error', (e: Error) => o.log.warn(`queue: ${e.message}`));
  await boss.start();
  const expireInSeconds = o.expireInSeconds ?? 60;
  const retryLimit = o.retryLimit ?? 13; // 10 s, 20 s, 40 s … doubling: about a day of retries in all
  const retryDelay = o.retryDelaySeconds ?? 5;
  await boss.createQueue(MESSAGE_QUEUE, { name: MESSAGE_QUEUE, policy: 'standard', retryLimit, retryDelay, retryBackoff: true, expireInSeconds });
  return {
    boss,
    async enqueueMessages(sql, jobs) {
      if (jobs.length === 0) return;
      // The job's id is the message's: a message is in the queue at most once.
      await boss.insert(
        jobs.map((j) => ({ id: j.id, name: MESSAGE_QUEUE, data: { businessId: j.businessId }, retryLimit, retryDelay, retryBackoff: true, expireInSeconds })),
        { db: sql as PgBoss.Db },
      );
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
