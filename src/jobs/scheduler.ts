// Runs a background job now and then every interval; a run never overlaps the previous one, and a
// PostgreSQL advisory lock keeps two Kopilka processes on one database from running the same job at once.
import { sql, type Kysely } from 'kysely';
import type { Logger } from '../config/logger.js';

export interface ScheduleOptions {
  /** Seconds between the starts of two runs (a run longer than this delays the next). */
  every: number;
  /** The job's name, for logs and for the advisory lock key. */
  job: string;
  run: () => Promise<unknown>;
  log: Logger;
  /** The database to take the advisory lock in; without it there is no cross-process guard. */
  db?: Kysely<any>;
}

export interface Scheduler {
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>;
  /** Runs the job now unless it is already running (tests, manual triggers). */
  runNow(): Promise<void>;
}

// The first key of the two-int advisory lock: our namespace, so other applications' locks never collide.
const LOCK_NAMESPACE = 0x4b6f70; // "Kop"

export function startScheduler(o: ScheduleOptions): Scheduler {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const tick = async (): Promise<void> => {
    const started = Date.now();
    try {
      const ran = await (o.db ? withAdvisoryLock(o.db, o.job, o.run) : o.run().then(() => true));
      if (ran) o.log.debug(`job ${o.job} finished in ${Date.now() - started} ms`);
      else o.log.debug(`job ${o.job} skipped: another process is running it`);
    } catch (e) {
      o.log.error(`job ${o.job} failed: ${(e as Error)?.message ?? String(e)}`);
    }
  };

  const runNow = (): Promise<void> => {
    running ??= tick().finally(() => {
      running = undefined;
    });
    return running;
  };

  const loop = async (): Promise<void> => {
    const started = Date.now();
    await runNow();
    if (stopped) return;
    timer = setTimeout(() => void loop(), Math.max(0, o.every * 1000 - (Date.now() - started)));
    timer.unref(); // the scheduler alone never keeps the process alive
  };

  void loop();
  return {
    runNow,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Runs fn while holding a session advisory lock on one reserved connection; false if another holder has it. */
async function withAdvisoryLock(db: Kysely<any>, job: string, fn: () => Promise<unknown>): Promise<boolean> {
  return db.connection().execute(async (conn) => {
    const got = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${LOCK_NAMESPACE}, hashtext(${job})) as locked`.execute(conn);
    if (!got.rows[0]?.locked) return false;
    try {
      await fn();
      return true;
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_NAMESPACE}, hashtext(${job}))`.execute(conn);
    }
  });
}
