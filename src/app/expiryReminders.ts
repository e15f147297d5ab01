// Expiry reminders: planned per member whenever their lots change (the notifications relay calls
// planMemberReminders), and set-based once a day for every member whose points expire soon (planAllExpiryReminders).
// Both plan only expiry days within the longest reminder lead plus a day, so a change of the settings applies to
// everything not yet planned. A reminder about the member's own points is a service message, not advertising: it
// needs no marketing consent (it still never goes out in quiet hours). The engine recomputes the points left in the
// group when it sends, and skips the message when none are.
import {
  addDays,
  endOfLocalDay,
  localDateOf,
  nextSendTime,
  planExpiryReminders,
  startOfLocalDay,
  type Business,
  type Lot,
  type NewMessage,
  type ReminderDayPlan,
  type ReminderSettings,
  type Repositories,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE, uuidv7 } from './ids.js';
import { scheduleMessages } from './messages.js';

export function reminderSettings(business: Business): ReminderSettings {
  const n = business.program.notifications;
  return { daysBefore: n.expiryReminderDays, sendAt: n.sendAt, quietHours: n.quietHours };
}

/** The last local expiry date planned now (null: the business sends no reminders). */
function horizonDay(business: Business, now: Date): string | null {
  const days = business.program.notifications.expiryReminderDays;
  if (days.length === 0) return null;
  return addDays(localDateOf(now, business.timezone), Math.max(...days) + 1);
}

// A reminder planned after its time (a lot earned, or a run made, late) goes now, but never in quiet hours.
const sendAfterOf = (business: Business, dueAt: Date, now: Date): Date =>
  nextSendTime(new Date(Math.max(dueAt.getTime(), now.getTime())), business.timezone, business.program.notifications.quietHours);

/** Plans a member's reminders from their open lots (in the caller's transaction); returns how many messages were new. */
export async function planMemberReminders(repos: Repositories, business: Business, memberId: string, lots: readonly Lot[], now: Date, newId: () => string = uuidv7): Promise<number> {
  const last = horizonDay(business, now);
  if (last === null) return 0;
  const soon = lots.filter((l) => l.expiresAt !== null && localDateOf(l.expiresAt, business.timezone) <= last);
  const planned = planExpiryReminders(memberId, soon, reminderSettings(business), business.timezone, now);
  if (planned.length === 0) return 0;
  const messages: NewMessage[] = planned.map((r) => ({
    businessId: business.id,
    id: newId(),
    key: r.key,
    memberId,
    kind: 'expiry_reminder',
    purpose: 'service',
    campaignId: null,
    vars: { expiresOn: r.expiresOn, days: r.daysBefore },
    text: null,
    sendAfter: sendAfterOf(business, r.dueAt, now),
    createdAt: now,
  }));
  return scheduleMessages(repos, messages);
}

/** The relay's hook (src/app/dispatchNotifications.ts, onLotsChanged): reads the member's open lots and plans. */
export async function planRemindersOnLotsChanged(repos: Repositories, business: Business, memberId: string, now: Date): Promise<void> {
  await planMemberReminders(repos, business, memberId, await repos.lots.open(business.id, memberId), now);
}

/**
 * The business's reminders per local expiry day from today to the horizon: the lots expiring that day (and after
 * now), and each reminder's send time — the same rule as per member, worked out once per day, not per lot.
 */
export function reminderDayPlans(business: Business, now: Date): ReminderDayPlan[] {
  const last = horizonDay(business, now);
  if (last === null) return [];
  const tz = business.timezone;
  const settings = reminderSettings(business);
  const plans: ReminderDayPlan[] = [];
  for (let day = localDateOf(now, tz); day <= last; day = addDays(day, 1)) {
    const from = new Date(Math.max(startOfLocalDay(day, tz).getTime(), now.getTime() + 1));
    const to = endOfLocalDay(day, tz);
    if (from.getTime() >= to.getTime()) continue;
    // One lot stands for the day's whole group: the plan depends only on the local expiry date.
    const group: Lot = { id: '', amount: 1, remaining: 1, activatesAt: now, expiresAt: from, createdAt: now };
    const reminders = planExpiryReminders('', [group], settings, tz, now).map((r) => ({ daysBefore: r.daysBefore, sendAfter: sendAfterOf(business, r.dueAt, now) }));
    if (reminders.length > 0) plans.push({ expiresOn: day, from, to, reminders });
  }
  return plans;
}

export interface ReminderPlanningRun {
  businesses: number;
  days: number;
  messages: number;
}

/**
 * Plans the reminders of every member with points expiring soon, for one business or all, one statement (and
 * transaction) per business and expiry day; marks each business's 'plan-reminders' run with its local date.
 */
export async function planAllExpiryReminders(deps: AppDeps, opts: { businessId?: string | undefined; now?: Date | undefined } = {}): Promise<ReminderPlanningRun> {
  const total: ReminderPlanningRun = { businesses: 0, days: 0, messages: 0 };
  if (opts.businessId !== undefined && !UUID_RE.test(opts.businessId)) return total;
  const now = opts.now ?? deps.clock.now();
  const states = await deps.uow.run((repos) => repos.campaignJobs.runStates('plan-reminders', opts.businessId));
  for (const { business } of states) {
    const plans = reminderDayPlans(business, now);
    for (const plan of plans) {
      total.messages += await deps.uow.run((repos) => repos.campaignJobs.planReminderDay(business.id, plan, now));
    }
    await deps.uow.run((repos) => repos.campaignJobs.markRun(business.id, 'plan-reminders', localDateOf(now, business.timezone), now));
    total.businesses += 1;
    total.days += plans.length;
  }
  return total;
}
