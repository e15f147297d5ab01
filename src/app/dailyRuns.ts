// When a business's daily notification job (expiry reminder planning, birthday, win-back) is due: once per local
// date, at the business's time of day for it; notification_runs remembers the local date it last ran.
import { addDays, atLocalTime, localDateOf, parseClock, startOfLocalDay, type Business, type DailyJob } from '../core/index.js';
import { marketingSendAt } from './messages.js';

/** The instant a job runs on a local date: reminders are planned at local midnight, campaigns at `sendAt`. */
export function dailyRunTime(business: Business, job: DailyJob, localDate: string): Date {
  if (job === 'plan-reminders') return startOfLocalDay(localDate, business.timezone);
  const minutes = parseClock(business.program.notifications.sendAt) ?? 12 * 60;
  return atLocalTime(localDate, minutes, business.timezone);
}

/** Whether the job has anything to do for the business at all (a disabled campaign, no reminder days: no). */
export function dailyJobEnabled(business: Business, job: DailyJob): boolean {
  const n = business.program.notifications;
  if (job === 'plan-reminders') return n.expiryReminderDays.length > 0;
  return n[job].enabled;
}

/**
 * The next time the job is due: today's run time when it has not run today (possibly already past: due now), else
 * tomorrow's. Null when the job is off for the business.
 */
export function nextDailyRun(business: Business, job: DailyJob, lastLocalDate: string | null, now: Date): Date | null {
  if (!dailyJobEnabled(business, job)) return null;
  const today = localDateOf(now, business.timezone);
  const day = lastLocalDate !== null && lastLocalDate >= today ? addDays(lastLocalDate, 1) : today;
  return dailyRunTime(business, job, day);
}

/** The local date to run the job for now, or null when it is not due (ran today already, or its time has not come). */
export function dueLocalDate(business: Business, job: DailyJob, lastLocalDate: string | null, now: Date): string | null {
  if (!dailyJobEnabled(business, job)) return null;
  const today = localDateOf(now, business.timezone);
  if (lastLocalDate !== null && lastLocalDate >= today) return null;
  return now.getTime() >= dailyRunTime(business, job, today).getTime() ? today : null;
}

/**
 * When a campaign message made now for `localDate` goes out: the day's send time, or now when that has passed,
 * moved out of the quiet hours either way (a run that comes late, at night, waits for the morning).
 */
export function campaignSendAt(business: Business, localDate: string, now: Date): Date {
  return marketingSendAt(business, new Date(Math.max(now.getTime(), dailyRunTime(business, 'birthday', localDate).getTime())));
}
