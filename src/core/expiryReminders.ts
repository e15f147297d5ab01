// Expiry reminders: for each group of a member's points that expire together (the same local day), one message
// N days before (default 4 and 1), at the business's send time, never in quiet hours. Each reminder has a stable key
// (member, expiry day, N), so it is sent once however often the plan is made.
import type { Lot } from './lots.js';
import { addDays, atLocalTime, localDateOf } from './localDate.js';
import { nextSendTime, parseClock, type QuietHours } from './sendWindow.js';

export interface ReminderSettings {
  /** Days before expiry, e.g. [4, 1]. */
  daysBefore: number[];
  /** Local time of day reminders go out, 'HH:MM'. */
  sendAt: string;
  quietHours: QuietHours | null;
}

export const DEFAULT_REMINDERS: ReminderSettings = { daysBefore: [4, 1], sendAt: '12:00', quietHours: { start: '21:00', end: '09:00' } };

export interface PlannedReminder {
  key: string;
  dueAt: Date;
  daysBefore: number;
  /** The local date the points are gone (they are valid until the end of the day before). */
  expiresOn: string;
  /** The last local date they can be spent. */
  lastDay: string;
  points: number;
}

/**
 * The reminders still to send for a member's lots: groups by the local expiry date; a reminder whose time has
 * passed by more than a day is dropped (a late "4 days left" when 1 is left would mislead).
 */
export function planExpiryReminders(memberId: string, lots: readonly Lot[], settings: ReminderSettings, timeZone: string, now: Date): PlannedReminder[] {
  const sendMinutes = parseClock(settings.sendAt) ?? 12 * 60;
  const groups = new Map<string, number>();
  for (const lot of lots) {
    if (!lot.expiresAt || lot.remaining <= 0 || lot.expiresAt <= now) continue;
    const day = localDateOf(lot.expiresAt, timeZone);
    groups.set(day, (groups.get(day) ?? 0) + lot.remaining);
  }
  const out: PlannedReminder[] = [];
  for (const [expiresOn, points] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const n of [...new Set(settings.daysBefore)].sort((a, b) => b - a)) {
      const day = addDays(expiresOn, -n);
      let dueAt = nextSendTime(atLocalTime(day, sendMinutes, timeZone), timeZone, settings.quietHours);
      // Quiet hours must not push a reminder past the expiry itself: then it goes an hour before the quiet starts.
      const quietStart = settings.quietHours ? parseClock(settings.quietHours.start) : null;
      if (quietStart !== null && dueAt.getTime() >= atLocalTime(expiresOn, 0, timeZone).getTime()) dueAt = atLocalTime(day, Math.max(0, quietStart - 60), timeZone);
      if (now.getTime() - dueAt.getTime() > 86_400_000) continue;
      out.push({ key: `expiry:${memberId}:${expiresOn}:${n}`, dueAt, daysBefore: n, expiresOn, lastDay: addDays(expiresOn, -1), points });
    }
  }
  return out;
}
