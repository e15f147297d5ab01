// The daily notification jobs per business — expiry reminder planning (at local midnight), the birthday and win-back
// campaigns (at the business's send time) — as test clock steps, and as one sweep for production that runs each job
// for every business whose time has come (the scheduler calls it every minute; a job runs once per local day).
import { runBirthdayCampaign } from '../app/birthdayCampaign.js';
import { dueLocalDate, nextDailyRun } from '../app/dailyRuns.js';
import type { AppDeps } from '../app/deps.js';
import { planAllExpiryReminders } from '../app/expiryReminders.js';
import { UUID_RE } from '../app/ids.js';
import { runWinbackCampaign } from '../app/winbackCampaign.js';
import type { Logger } from '../config/logger.js';
import { DAILY_JOBS, type DailyJob } from '../core/index.js';
import type { SteppedJob } from './testClock.js';

async function runJob(deps: AppDeps, job: DailyJob, businessId: string): Promise<Record<string, number>> {
  if (job === 'plan-reminders') {
    const r = await planAllExpiryReminders(deps, { businessId });
    return { days: r.days, messages: r.messages };
  }
  const r = await (job === 'birthday' ? runBirthdayCampaign : runWinbackCampaign)(deps, businessId);
  return { ran: r.ran ? 1 : 0, treated: r.treated, control: r.control, points: r.points };
}

function steppedJob(job: DailyJob): SteppedJob {
  return {
    name: job,
    async nextDueAt(deps, businessId) {
      if (!UUID_RE.test(businessId)) return null;
      const [s] = await deps.uow.run((repos) => repos.campaignJobs.runStates(job, businessId));
      return s ? nextDailyRun(s.business, job, s.lastLocalDate, deps.clock.now()) : null;
    },
    run: (deps, businessId) => runJob(deps, job, businessId),
  };
}

export const planRemindersJob = steppedJob('plan-reminders');
export const birthdayJob = steppedJob('birthday');
export const winbackJob = steppedJob('winback');
/** The test clock's steps for the daily jobs. */
export const campaignSteppedJobs: SteppedJob[] = [planRemindersJob, birthdayJob, winbackJob];

export interface DailySweep {
  /** Job runs started, and how many of them failed (each failure is logged; the others go on). */
  runs: number;
  failed: number;
}

/**
 * Runs every daily job for every business whose local time for it has come and that has not run it today.
 * `depsFor` gives a business its own dependencies (its own clock, with the test clock on).
 */
export async function runDailyCampaigns(deps: AppDeps, o: { log: Logger; depsFor?: (businessId: string) => AppDeps }): Promise<DailySweep> {
  const sweep: DailySweep = { runs: 0, failed: 0 };
  for (const job of DAILY_JOBS) {
    const states = await deps.uow.run((repos) => repos.campaignJobs.runStates(job));
    for (const { business, lastLocalDate } of states) {
      const own = o.depsFor ? o.depsFor(business.id) : deps;
      if (dueLocalDate(business, job, lastLocalDate, own.clock.now()) === null) continue;
      sweep.runs += 1;
      try {
        const r = await runJob(own, job, business.id);
        o.log.debug(`${job} for business ${business.id}: ${JSON.stringify(r)}`);
      } catch (e) {
        sweep.failed += 1;
        o.log.error(`${job} for business ${business.id} failed: ${(e as Error)?.message ?? String(e)}`);
      }
    }
  }
  return sweep;
}
