// The job scheduler: first run at once, no overlap, failures logged, and one runner per job across processes.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Logger } from '../src/config/logger.js';
import { startScheduler } from '../src/jobs/scheduler.js';
import { createDb } from '../src/store/database.js';
import { testDatabaseUrl } from './support/testDatabase.js';

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (m) => void errors.push(m) };
}

describe('startScheduler', () => {
  it('runs at start and then every interval, never two runs at once', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const s = startScheduler({
      every: 0.02,
      job: 'overlap',
      log: recordingLogger(),
      run: async () => {
        runs++;
        maxActive = Math.max(maxActive, ++active);
        await sleep(60); // longer than the interval
        active--;
      },
    });
    expect(runs).toBe(1); // the first run starts at once
    await sleep(400);
    await s.stop();
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(maxActive).toBe(1);
    const after = runs;
    await sleep(100);
    expect(runs).toBe(after); // stopped means stopped
  });

  it('logs a failing run and keeps going', async () => {
    const log = recordingLogger();
    let runs = 0;
    const s = startScheduler({
      every: 0.02,
      job: 'flaky',
      log,
      run: async () => {
        if (++runs === 1) throw new Error('boom');
      },
    });
    await expect.poll(() => runs, { timeout: 2_000 }).toBeGreaterThanOrEqual(2);
    await s.stop();
    expect(log.errors).toEqual(['job flaky failed: boom']);
  });

  it('stop() waits for the run in progress', async () => {
    let finished = false;
    const s = startScheduler({ every: 60, job: 'slow', log: recordingLogger(), run: () => sleep(150).then(() => (finished = true)) });
    await s.stop();
    expect(finished).toBe(true);
  });
});

describe('startScheduler across processes (advisory lock)', () => {
  let a: Kysely<any>;
  let b: Kysely<any>;
  beforeAll(() => {
    a = createDb(testDatabaseUrl(), { max: 2 });
    b = createDb(testDatabaseUrl(), { max: 2 });
  });
  afterAll(async () => {
    await a?.destroy();
    await b?.destroy();
  });

  it('runs a job in only one instance at a time; the other skips', async () => {
    const job = `lock-test-${process.pid}-${Date.now()}`;
    let active = 0;
    let maxActive = 0;
    const ran = { a: 0, b: 0 };
    const body = (who: 'a' | 'b') => async () => {
      ran[who]++;
      maxActive = Math.max(maxActive, ++active);
      await sleep(300);
      active--;
    };
    const sa = startScheduler({ every: 60, job, log: recordingLogger(), db: a, run: body('a') });
    await expect.poll(() => ran.a).toBe(1);
    const sb = startScheduler({ every: 60, job, log: recordingLogger(), db: b, run: body('b') });
    await sb.runNow(); // while a holds the lock, b's run is skipped
    await sa.stop();
    expect(ran.b).toBe(0);
    await sb.runNow(); // a released the lock: now b runs
    await sb.stop();
    expect(ran).toEqual({ a: 1, b: 1 });
    expect(maxActive).toBe(1);
  });
});
