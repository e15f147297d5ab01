// Producing messages: every producer (the event relay, reminders, campaigns, broadcasts, chat replies) adds rows to
// the outbox in its own transaction; the key makes a message once however often it is produced.
import { atLocalTime, nextSendTime, parseClock, type Business, type NewMessage, type Repositories } from '../core/index.js';

/** Adds the messages whose keys are new; returns how many were. */
export async function scheduleMessages(repos: Repositories, messages: readonly NewMessage[]): Promise<number> {
  return repos.messages.add(messages);
}

/** The first moment at or after `at` outside the business's quiet hours (marketing and scheduled messages). */
export function marketingSendAt(business: Business, at: Date): Date {
  return nextSendTime(at, business.timezone, business.program.notifications.quietHours);
}

/** The business's daily send time (`notifications.sendAt`) on a local date, moved out of quiet hours if it falls in them. */
export function dailySendAt(business: Business, localDate: string): Date {
  const minutes = parseClock(business.program.notifications.sendAt) ?? 12 * 60;
  return marketingSendAt(business, atLocalTime(localDate, minutes, business.timezone));
}
