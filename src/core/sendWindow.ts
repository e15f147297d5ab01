// When a message may go out: never in the business's quiet hours (night, by default 21:00–09:00 local time); a
// message due then waits for the morning. Service messages (codes) ignore quiet hours; the caller decides.
import { addDays, atLocalTime, localDateOf, localMinutesOf } from './localDate.js';

export interface QuietHours {
  /** 'HH:MM' local time the quiet starts, and ends; a window may cross midnight (21:00 → 09:00). */
  start: string;
  end: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '09:00' };

/** 'HH:MM' → minutes after midnight; null when not a time of day. */
export function parseClock(s: unknown): number | null {
  const m = typeof s === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s) : null;
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Whether a local time of day falls in the quiet window (start inclusive, end exclusive). */
export function isQuiet(minutes: number, quiet: QuietHours): boolean {
  const start = parseClock(quiet.start);
  const end = parseClock(quiet.end);
  if (start === null || end === null || start === end) return false;
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/** The first instant at or after `at` outside the quiet hours, in the business's time zone. */
export function nextSendTime(at: Date, timeZone: string, quiet: QuietHours | null): Date {
  if (!quiet) return at;
  const minutes = localMinutesOf(at, timeZone);
  if (!isQuiet(minutes, quiet)) return at;
  const end = parseClock(quiet.end) as number;
  const today = localDateOf(at, timeZone);
  // Quiet until `end` today when it is still ahead; otherwise until `end` tomorrow (the evening part of the window).
  const date = minutes < end ? today : addDays(today, 1);
  return atLocalTime(date, end, timeZone);
}
