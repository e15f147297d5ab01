// The notifications engine in a running process: the relay (outbox events → messages), the releaser (due messages →
// the pg-boss queue, in one transaction), and the workers that deliver them. Producers never talk to the queue.
import type { Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import type { AppDeps } from '../app/deps.js';
import { cachedBusinesses, deliverMessage, type ChannelDirectory, type DeliveryResult } from '../app/deliverMessage.js';
import { dispatchNotifications, type BroadcastRequestHook, type LotsChangedHook } from '../app/dispatchNotifications.js';
import type { Logger } from '../config/logger.js';
import type { Clock } from '../core/index.js';
import { MESSAGE_QUEUE, type JobQueue } from './queue.js';
import { startScheduler, type Scheduler } from './scheduler.js';
import type { SteppedJob } from './testClock.js';

export interface NotificationEngineOptions {
  queue: JobQueue;
  channels: ChannelDirectory;
  log: Logger;
  cardUrl: (businessId: string) => string;
  /** The business's clock (the test clock); default deps.clock. */
  clockFor?: ((businessId: string) => Clock) | undefined;
  /** For the relay's and releaser's cross-process lock. */
  db?: Kysely<any> | undefined;
  /** Workers polling the queue (each takes a batch and sends it concurrently). Default 2. */
  workers?: number;
  batchSize?: number;
  /** Seconds between relay + release runs (default 1). */
  intervalSeconds?: number;
  onLotsChanged?: LotsChangedHook | undefined;
  onBroadcastRequested?: BroadcastRequestHook | undefined;
  /** More periodic work run after each relay + release (campaign planning), e.g. every minute. */
  periodic?: { every: number; job: string; run: () => Promise<unknown> }[];
}

export interface NotificationEngine {
  /** Runs the relay and the releaser now (and wakes the workers). */
  tick(): Promise<void>;
  /** Jobs the test clock steps through: the relay, and sending what fell due at its own instant. */
  steppedJobs: SteppedJob[];
  stop(): Promise<void>;
}

const RELEASE_BATCH = 1000;

/** Moves due messages into the queue, batch after batch; returns how many and their ids (only when `collect`). */
export async function releaseDueMessages(deps: AppDeps, queue: JobQueue, o: { businessId?: string | null; collect?: boolean } = {}): Promise<{ released: number; ids: string[] }> {
  const out = { released: 0, ids: [] as string[] };
  let from: Date | null = null;
  for (let i = 0; i < 10_000; i++) {
    const now = deps.clock.now();
    const due = await deps.uow.run(async (repos) => {
      const rows = await repos.messages.releaseDue(now, RELEASE_BATCH, o.businessId ?? null, from);
      await queue.enqueueMessages(repos.messages.sql(), rows);
      return rows;
    });
    out.released += due.length;
    if (o.collect) out.ids.push(...due.map((d) => d.id));
    if (due.length < RELEASE_BATCH) break;
    // The batch came in send-time order: the next starts at its last send time (rows skipped as locked by another
    // releaser are theirs to release).
    from = due.reduce((max, d) => (d.sendAfter > max ? d.sendAfter : max), due[0]!.sendAfter);
  }
  return out;
}

export async function startNotificationEngine(deps: AppDeps, o: NotificationEngineOptions): Promise<NotificationEngine> {
  const { boss } = o.queue;
  const clockFor = o.clockFor ?? (() => deps.clock);
  const delivery = { channels: o.channels, cardUrl: o.cardUrl, clockFor, business: cachedBusinesses() };
  const workerIds: string[] = [];
  const wake = () => {
    for (const id of workerIds) boss.notifyWorker(id);
  };

  const handle = async (job: PgBoss.JobWithMetadata<{ businessId: string }>): Promise<void> => {
    let r: DeliveryResult;
    try {
      r = await deliverMessage(deps, delivery, { businessId: job.data.businessId, messageId: job.id, finalAttempt: job.retryCount >= job.retryLimit });
    } catch (e) {
      // The database failed mid-way: the job is retried; the message's status tells the next try where it stands.
      o.log.warn(`message ${job.id}: ${(e as Error).message}`);
      await boss.fail(MESSAGE_QUEUE, job.id, { error: (e as Error).message });
      return;
    }
    if (r.status === 'retry') await boss.fail(MESSAGE_QUEUE, job.id, { error: r.error });
    else if (r.status === 'failed') o.log.info(`message ${job.id} not delivered: ${r.reason}`);
  };

  const workers = o.workers ?? 2;
  for (let i = 0; i < workers; i++) {
    workerIds.push(
      await boss.work<{ businessId: string }>(MESSAGE_QUEUE, { batchSize: o.batchSize ?? 25, pollingIntervalSeconds: 0.5, includeMetadata: true }, async (jobs) => {
        await Promise.all(jobs.map(handle));
        // A full batch means more are waiting: fetch again at once instead of sleeping the polling interval.
        if (jobs.length === (o.batchSize ?? 25)) wake();
      }),
    );
  }

  const tick = async () => {
    await dispatchNotifications(deps, { onLotsChanged: o.onLotsChanged, onBroadcastRequested: o.onBroadcastRequested });
    const r = await releaseDueMessages(deps, o.queue);
    if (r.released > 0) wake();
  };
  const schedulers: Scheduler[] = [startScheduler({ every: o.intervalSeconds ?? 1, job: 'notify-relay', log: o.log, db: o.db, run: tick })];
  for (const p of o.periodic ?? []) schedulers.push(startScheduler({ every: p.every, job: p.job, log: o.log, db: o.db, run: p.run }));

  const steppedJobs: SteppedJob[] = [
    {
      name: 'notify-relay',
      nextDueAt: async (d, businessId) => ((await d.uow.run((repos) => repos.messages.hasPendingEvents(businessId))) ? d.clock.now() : null),
      run: async (d, businessId) => dispatchNotifications(d, { businessId, onLotsChanged: o.onLotsChanged, onBroadcastRequested: o.onBroadcastRequested }),
    },
    {
      name: 'send-messages',
      nextDueAt: (d, businessId) => d.uow.run((repos) => repos.messages.nextScheduledAt(businessId)),
      // Released at the instant they fell due, and delivered (by the workers, on this business's clock) before the
      // clock moves on, so each says what was true at its own time.
      run: async (d, businessId) => {
        const r = await releaseDueMessages(d, o.queue, { businessId, collect: true });
        wake();
        const deadline = Date.now() + 30_000;
        let left = r.ids.length;
        while (left > 0 && Date.now() < deadline) {
          await new Promise((res) => setTimeout(res, 50));
          left = await d.uow.run((repos) => repos.messages.unfinished(businessId, r.ids));
        }
        return { released: r.released, unfinished: left };
      },
    },
  ];

  return {
    tick,
    steppedJobs,
    async stop() {
      await Promise.all(schedulers.map((s) => s.stop()));
      for (const id of workerIds) await boss.offWork({ id }).catch(() => undefined);
    },
  };
}
