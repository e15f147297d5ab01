// The test clock (only with `kopilka start --test-clock`): each business gets its own offset from real time, and
// moving it runs every scheduled job that fell due, in order, at the time it fell due.
import { expirePoints, nextExpiryAt } from '../app/expirePoints.js';
import type { AppDeps } from '../app/deps.js';
import type { JobRun, TestClocks } from '../app/testClocks.js';
import { invalid, type Clock } from '../core/index.js';
import { deliverDueWebhooks, dispatchWebhookEvents } from './webhooks.js';

/** Where offsets are kept, so a restart keeps each business's time. */
export interface TestClockStore {
  load(): Promise<Map<string, number>>;
  save(businessId: string, offsetMs: number): Promise<void>;
}

/** A job the clock steps through: when it is next due for a business, and running it. */
export interface SteppedJob {
  name: string;
  nextDueAt(deps: AppDeps, businessId: string): Promise<Date | null>;
  run(deps: AppDeps, businessId: string): Promise<Record<string, number>>;
}

export const expiryJob: SteppedJob = {
  name: 'expire-points',
  nextDueAt: (deps, businessId) => nextExpiryAt(deps, businessId),
  run: async (deps, businessId) => {
    const r = await expirePoints(deps, { businessId });
    return { members: r.members, lots: r.lots, points: r.points };
  },
};

const MAX_STEPS = 10_000;

export async function createTestClocks(
  base: AppDeps,
  store: TestClockStore,
  opts: { jobs?: SteppedJob[]; webhooks?: boolean; fetch?: typeof fetch } = {},
): Promise<TestClocks> {
  const offsets = await store.load();
  const jobs = opts.jobs ?? [expiryJob];
  const queues = new Map<string, Promise<unknown>>();
  const clockFor = (businessId: string): Clock => ({ now: () => new Date(base.clock.now().getTime() + (offsets.get(businessId) ?? 0)) });
  const depsFor = (businessId: string): AppDeps => ({ ...base, clock: clockFor(businessId) });
  const setNow = async (businessId: string, at: Date) => {
    const offset = at.getTime() - base.clock.now().getTime();
    offsets.set(businessId, offset);
    await store.save(businessId, offset);
  };

  const move = async (businessId: string, to: Date): Promise<{ now: Date; ranJobs: JobRun[] }> => {
    const deps = depsFor(businessId);
    if (to.getTime() < deps.clock.now().getTime() - 1000) throw invalid('The test clock only moves forward', { field: 'to' });
    const ranJobs: JobRun[] = [];
    for (let step = 0; step < MAX_STEPS; step++) {
      let next: { job: SteppedJob; at: Date } | null = null;
      for (const job of jobs) {
        const at = await job.nextDueAt(deps, businessId);
        if (at && at.getTime() <= to.getTime() && (!next || at.getTime() < next.at.getTime())) next = { job, at };
      }
      if (!next) break;
      if (next.at.getTime() > deps.clock.now().getTime()) await setNow(businessId, next.at);
      ranJobs.push({ job: next.job.name, at: deps.clock.now().toISOString(), result: await next.job.run(deps, businessId) });
    }
    if (to.getTime() > deps.clock.now().getTime()) await setNow(businessId, to);
    if (opts.webhooks !== false) {
      // Webhooks go out once, at the end: stepping through a day of retries would send each one dozens of times.
      const queued = await dispatchWebhookEvents(deps, { businessId });
      const sent = await deliverDueWebhooks(deps, { businessId, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
      if (queued > 0 || sent.delivered + sent.failed + sent.retried > 0) ranJobs.push({ job: 'deliver-webhooks', at: deps.clock.now().toISOString(), result: { queued, ...sent } });
    }
    return { now: deps.clock.now(), ranJobs };
  };

  return {
    clockFor,
    // One move at a time per business: two concurrent moves would step the same jobs twice.
    moveTo(businessId, to) {
      const prev = queues.get(businessId) ?? Promise.resolve();
      const run = prev.catch(() => undefined).then(() => move(businessId, to));
      queues.set(businessId, run);
      return run;
    },
  };
}
