// `kopilka start`: the server — migrations, the scheduled jobs and HTTP — until Ctrl-C or SIGTERM.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expirePoints } from '../../app/expirePoints.js';
import { IDEMPOTENCY_RETENTION_DAYS, purgeIdempotencyKeys } from '../../app/purgeIdempotencyKeys.js';
import { purgeWorkProgress } from '../../app/workProgress.js';
import { baseUrlOf, type Config } from '../../config/config.js';
import { signInCodeSender } from '../../notify/signInCodeSender.js';
import { redeemCodeSender, staffAlerts } from '../../notify/staffChannels.js';
import type { Logger } from '../../config/logger.js';
import { createHttpApp, startHttpServer } from '../../http/server.js';
import { startBotRunner } from '../../bots/runner.js';
import { vkCommunity } from '../../bots/vkCommunity.js';
import { startScheduler } from '../../jobs/scheduler.js';
import { createTestClocks, expiryJob } from '../../jobs/testClock.js';
import { startWebhookWorker } from '../../jobs/webhooks.js';
import { testClockStore } from '../../store/testClocks.js';
import { openApp } from '../compose.js';
import { usePosterFont } from '../../http/poster/drawing.js';
import { startNotifications, type Notifications } from '../notifications.js';
import { configuredSenders } from '../../notify/channels/configured.js';
import { DEFAULT_PROVIDER_ENDPOINTS } from '../../notify/channels/endpoints.js';
import type { OutgoingMessage, StoredChannel } from '../../core/index.js';
import type { TestClocks } from '../../app/testClocks.js';
import { telegramGateway } from '../../bots/telegramGateway.js';
import { connectPendingBots, isFreshInstall } from '../../app/setup.js';
import { newSetupLink } from './setup.js';
import { startServerBackups } from '../backupSchedule.js';

/** The built card app, in the package (npm start builds it when its sources changed). */
const CARD_APP_DIST = path.resolve(import.meta.dirname, '../../../web/card/dist');
const CASHIER_APP_DIST = path.resolve(import.meta.dirname, '../../../web/cashier/dist');
const ADMIN_APP_DIST = path.resolve(import.meta.dirname, '../../../web/admin/dist');

export async function startCommand(config: Config, log: Logger): Promise<void> {
  usePosterFont(config.posterFont);
  const app = await openApp(config, log, 'server');
  for (const name of app.applied) log.info(`applied migration ${name}`);
  const expiry = startScheduler({
    every: config.expiryIntervalSeconds,
    job: 'expire-points',
    log,
    db: app.db,
    run: async () => {
      const r = await expirePoints(app.deps);
      if (r.lots > 0) log.info(`expired ${r.points} points in ${r.lots} lots of ${r.members} members`);
    },
  });
  const webhooks = startWebhookWorker(app.deps, log, { db: app.db });
  // A backup a day under <data dir>/backups (KOPILKA_BACKUP_DIR), and the deps of the API's /backups.
  const backups = startServerBackups(app, log);
  const purge = startScheduler({
    every: 3600,
    job: 'purge-idempotency-keys',
    log,
    db: app.db,
    run: async () => {
      const n = await purgeIdempotencyKeys(app.deps);
      if (n > 0) log.info(`forgot ${n} idempotency keys older than ${IDEMPOTENCY_RETENTION_DAYS} days`);
      // Progress of imports and exports (GET /progress/{id}) is kept a day.
      await purgeWorkProgress(app.deps);
    },
  });
  // The business's VK, SMS and e-mail senders for what does not go through the outbox: one-time codes to members
  // Telegram cannot reach, and the owner's test messages (POST /notification-channels/:channel/test).
  const providerEndpoints = { publicUrl: config.publicUrl, vkApiRoot: config.vkApiRoot, smsRuApiRoot: config.smsRuApiRoot, smscApiRoot: config.smscApiRoot };
  const directSenders = configuredSenders({ ...DEFAULT_PROVIDER_ENDPOINTS, ...providerEndpoints });
  const fallback = { senders: directSenders, log };
  // Redemption codes to members and limit alerts to owners: the same for the staff API and the staff bots.
  const channels = { log, telegramApiRoot: config.telegramApiRoot, production: config.nodeEnv === 'production', fallback };
  const till = { codes: redeemCodeSender(app.deps, channels), alerts: staffAlerts(app.deps, channels) };
  const bots = startBotRunner(app.deps, log, { apiRoot: config.telegramApiRoot, publicUrl: config.publicUrl, till, cashierBaseUrl: baseUrlOf(config) });
  // Bot tokens pasted in the set-up wizard while Telegram was out of reach: tried again every 5 minutes.
  const telegram = telegramGateway(config.telegramApiRoot);
  const pendingBots = startScheduler({
    every: 300,
    job: 'connect-pending-bots',
    log,
    db: app.db,
    run: async () => {
      const r = await connectPendingBots(app.deps, telegram);
      if (r.connected > 0) await bots.refresh();
      if (r.connected + r.refused > 0) log.info(`pending bot tokens: ${r.connected} connected, ${r.refused} refused by Telegram, ${r.waiting} waiting`);
    },
  });
  let notifications: Notifications | undefined;
  const stopJobs = async () => {
    await Promise.all([bots.stop(), webhooks.stop(), expiry.stop(), purge.stop(), pendingBots.stop(), backups.stop(), notifications?.stop()]);
    directSenders.close();
  };
  let http;
  try {
    // Messages to members: the outbox relay, the pg-boss queue and its workers, daily campaigns and broadcasts.
    let clocks: TestClocks | null = null;
    notifications = await startNotifications(app.deps, {
      db: app.db,
      url: app.database.url,
      log,
      telegramApiRoot: config.telegramApiRoot,
      baseUrl: baseUrlOf(config),
      endpoints: providerEndpoints,
      clockFor: config.testClock ? (businessId) => (clocks ? clocks.clockFor(businessId) : app.deps.clock) : undefined,
    });
    const testClocks = config.testClock ? await createTestClocks(app.deps, testClockStore(app.db), { jobs: [expiryJob, ...notifications.steppedJobs] }) : null;
    clocks = testClocks;
    if (testClocks) log.warn('the test clock is on: API clients can move their business\'s time (never use this in production)');
    const api = { rateLimit: config.apiRateLimit, testClocks, backups: backups.deps, channelTest: (c: StoredChannel, m: OutgoingMessage) => directSenders.senderFor(c).send(m) };
    const card = {
      codes: signInCodeSender(app.deps, { log, telegramApiRoot: config.telegramApiRoot, production: config.nodeEnv === 'production', fallback }),
      linkBase: `${baseUrlOf(config)}/card/`,
    };
    const staff = { cashierBase: `${baseUrlOf(config)}/cashier/`, till };
    const cardApp = { distDir: CARD_APP_DIST };
    // Members' messages to the businesses' VK communities (Callback API): the communities' answers and staff notices.
    const vk = { community: vkCommunity(app.deps, { log, vkApiRoot: config.vkApiRoot, telegramApiRoot: config.telegramApiRoot }) };
    if (!existsSync(path.join(CARD_APP_DIST, 'index.html'))) log.warn('the card app is not built: /card/ answers 503 until `npm run build:web` (npm start builds it)');
    http = await startHttpServer(createHttpApp({ app: app.deps, db: app.db, log, api, telegram: bots, card, cardApp, cashierApp: { distDir: CASHIER_APP_DIST }, adminApp: { distDir: ADMIN_APP_DIST }, staff, vk, setup: { telegram, publicUrl: config.publicUrl } }), config);
  } catch (e) {
    await stopJobs();
    await app.close();
    throw e;
  }
  console.log(`Kopilka is running at ${http.url}${config.publicUrl ? ` (public address ${config.publicUrl})` : ''}`);
  console.log(`Data: ${app.database.location}`);
  console.log(`API reference: ${http.url}/api/docs`);
  console.log(`Card app: ${http.url}/card/?b=<business id> (kopilka member link prints a sign-in link)`);
  console.log(`Cashier screen: ${http.url}/cashier/?b=<business id> (kopilka staff invite makes the first owner)`);
  // A fresh install: a one-time link to the set-up wizard, new at each start until a business exists.
  if (await isFreshInstall(app.deps)) console.log(`Set up your program: ${(await newSetupLink(app.deps, config)).url}`);
  console.log('Press Ctrl-C to stop.');

  const signal = await nextSignal();
  log.info(`${signal}: stopping`);
  // A second Ctrl-C means "now": PostgreSQL may be left running, and the next start cleans it up.
  // A repeated SIGTERM (some supervisors send two) must not cut the clean stop short.
  process.once('SIGINT', () => process.exit(130));
  process.on('SIGTERM', () => log.info('already stopping'));
  await http.close();
  await stopJobs();
  await app.close();
  log.info('stopped');
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
