// The notifications engine alone in its own process, as `kopilka start` runs it (startNotifications: pg-boss in
// `<schema>_boss`, the relay, the releaser, the workers, broadcast planning), on a test file's schema, for the crash
// test to SIGKILL mid-broadcast and start again. Run: node bin/run-ts.js test/support/notifyWorkerProcess.ts
// with the NOTIFY_WORKER_* variables below; prints `notify-worker ready` on stdout once its workers poll, then runs
// until killed (SIGTERM stops it gracefully).
import { startNotifications } from '../../src/cli/notifications.js';
import { makeDeps } from '../../src/cli/makeDeps.js';
import { createLogger } from '../../src/config/logger.js';
import type { Clock } from '../../src/core/index.js';
import { createDb } from '../../src/store/database.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`notifyWorkerProcess: ${name} is not set`);
  return v;
};

const url = env('NOTIFY_WORKER_DATABASE_URL');
const schema = env('NOTIFY_WORKER_SCHEMA');
const telegramApiRoot = env('NOTIFY_WORKER_TELEGRAM_API_ROOT');
const perBotPerSecond = Number(process.env.NOTIFY_WORKER_TELEGRAM_PER_SECOND ?? 30);
// The business clock runs from the test database's instant (its ManualClock, in daytime), not the machine's: real
// time of day could fall in quiet hours and hold the broadcast for the morning.
const clockFrom = new Date(env('NOTIFY_WORKER_CLOCK_FROM')).getTime();
const startedAt = Date.now();
const clock: Clock = { now: () => new Date(clockFrom + (Date.now() - startedAt)) };

const log = createLogger((process.env.NOTIFY_WORKER_LOG_LEVEL as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'warn');
const db = createDb(url, { schema, max: 10 });
const notifications = await startNotifications(makeDeps(db, clock), {
  db,
  url: url.includes('?') ? `${url}&options=-c%20search_path%3D${schema}` : url, // as the harness does; pg-boss names its schema itself
  log,
  telegramApiRoot,
  baseUrl: 'https://shop.test',
  telegramRates: { perBotPerSecond },
  // A dead worker's jobs come back after ~3–4 s (expiry checked every second) instead of a minute.
  queue: { expireInSeconds: 3, maintenanceIntervalSeconds: 1, retryDelaySeconds: 1 },
  intervalSeconds: 0.2,
  campaignsEverySeconds: 1,
});
process.stdout.write('notify-worker ready\n');

process.once('SIGTERM', () => {
  void (async () => {
    await notifications.stop();
    await db.destroy();
    process.exit(0);
  })();
});
// Runs until killed; and never outlives the test that started it (a crashed test runner orphans it: ppid changes).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 500);
