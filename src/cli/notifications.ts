// Wires the notifications engine: the pg-boss queue in its own schema, the channel senders, the engine (relay,
// releaser, workers) and the periodic campaign work (daily campaigns, due broadcasts). The server and the end-to-end
// tests start it the same way.
import { sql, type Kysely } from 'kysely';
import type { AppDeps } from '../app/deps.js';
import { finishBroadcasts, nextBroadcastDueAt, planDueBroadcasts } from '../app/broadcasts.js';
import { planRemindersOnLotsChanged } from '../app/expiryReminders.js';
import { broadcastFromStaffRequest } from '../app/staffBroadcast.js';
import type { Logger } from '../config/logger.js';
import type { Clock } from '../core/index.js';
import { campaignSteppedJobs, runDailyCampaigns } from '../jobs/campaignJobs.js';
import { startNotificationEngine, type NotificationEngine } from '../jobs/notifications.js';
import { bossSchemaFor, startQueue, type JobQueue, type QueueOptions } from '../jobs/queue.js';
import type { SteppedJob } from '../jobs/testClock.js';
import { channelDirectory, type ChannelDirectoryOptions } from '../notify/channelDirectory.js';
import { DEFAULT_PROVIDER_ENDPOINTS, type ProviderEndpoints } from '../notify/channels/endpoints.js';

export interface NotificationsOptions {
  db: Kysely<any>;
  /** The database URL (pg-boss keeps its own few connections). */
  url: string;
  log: Logger;
  telegramApiRoot: string;
  /** The card's address for {cardUrl}: `<base>/card/?b=<business>`. */
  baseUrl: string;
  endpoints?: Partial<ProviderEndpoints>;
  telegramRates?: ChannelDirectoryOptions['telegramRates'];
  /** The test clock's per-business clocks, when it is on (bound late: the clocks are made after the engine). */
  clockFor?: (businessId: string) => Clock;
  queue?: Partial<Omit<QueueOptions, 'url' | 'schema' | 'log'>>;
  workers?: number;
  batchSize?: number;
  intervalSeconds?: number;
  /** Seconds between the daily-campaign sweeps and broadcast planning (default 30). */
  campaignsEverySeconds?: number;
}

export interface Notifications {
  engine: NotificationEngine;
  queue: JobQueue;
  /** What the test clock steps through. */
  steppedJobs: SteppedJob[];
  stop(): Promise<void>;
}

export async function startNotifications(deps: AppDeps, o: NotificationsOptions): Promise<Notifications> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(o.db);
  const queue = await startQueue({ url: o.url, schema: bossSchemaFor(rows[0]?.schema ?? 'public'), log: o.log, ...o.queue });
  const depsFor = (businessId: string): AppDeps => (o.clockFor ? { ...deps, clock: o.clockFor(businessId) } : deps);
  const endpoints: ProviderEndpoints = { ...DEFAULT_PROVIDER_ENDPOINTS, ...o.endpoints };
  const base = o.baseUrl.replace(/\/+$/, '');
  const cardUrl = (businessId: string) => `${base}/card/?b=${businessId}`;
  const directory = channelDirectory(deps, {
    telegramApiRoot: o.telegramApiRoot,
    endpoints,
    ...(o.telegramRates ? { telegramRates: o.telegramRates } : {}),
    // Telegram accepts only https addresses in buttons; without one the link stays in the text.
    cardButton: base.startsWith('https://') ? (businessId) => ({ text: '💳', url: cardUrl(businessId) }) : undefined,
  });
  const planBroadcasts = async () => {
    await planDueBroadcasts(deps, { maxPages: 100 });
    await finishBroadcasts(deps);
  };
  let engine: NotificationEngine;
  try {
    engine = await startNotificationEngine(deps, {
      queue,
      channels: directory,
      log: o.log,
      cardUrl,
      clockFor: o.clockFor,
      db: o.db,
      ...(o.workers !== undefined ? { workers: o.workers } : {}),
      ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
      ...(o.intervalSeconds !== undefined ? { intervalSeconds: o.intervalSeconds } : {}),
      onLotsChanged: planRemindersOnLotsChanged,
      onBroadcastRequested: broadcastFromStaffRequest,
      periodic: [
        { every: o.campaignsEverySeconds ?? 30, job: 'daily-campaigns', run: () => runDailyCampaigns(deps, { log: o.log, ...(o.clockFor ? { depsFor } : {}) }) },
        { every: o.campaignsEverySeconds ?? 30, job: 'plan-broadcasts', run: planBroadcasts },
      ],
    });
  } catch (e) {
    await queue.stop();
    throw e;
  }
  const broadcastJob: SteppedJob = {
    name: 'plan-broadcasts',
    nextDueAt: (d, businessId) => nextBroadcastDueAt(d, businessId),
    run: async (d, businessId) => {
      const r = await planDueBroadcasts(d, { businessId });
      return { broadcasts: r.broadcasts, recipients: r.recipients, control: r.control, messages: r.messages };
    },
  };
  return {
    engine,
    queue,
    // Order matters at one instant: events become messages, campaigns and broadcasts plan theirs, then sending.
    steppedJobs: [engine.steppedJobs[0]!, ...campaignSteppedJobs, broadcastJob, engine.steppedJobs[1]!],
    async stop() {
      await engine.stop();
      await queue.stop();
      directory.close();
    },
  };
}
