// ISO 8601 durations (P1Y2M10DT2H30M, P2W): parsed and added on the calendar in UTC.
import { invalid } from './errors.js';

export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const RE = /^P(?:(\d{1,4})Y)?(?:(\d{1,5})M)?(?:(\d{1,5})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,7})H)?(?:(\d{1,9})M)?(?:(\d{1,10}(?:\.\d{1,3})?)S)?)?$/;

export function parseDuration(text: string): Duration {
  const m = typeof text === 'string' ? RE.exec(text.trim().toUpperCase()) : null;
  if (!m || text.trim().toUpperCase() === 'P' || /T$/.test(text.trim().toUpperCase())) {
    throw invalid(`"${String(text).slice(0, 40)}" is not an ISO 8601 duration such as P30D, PT12H or P1M`, { field: 'advance' });
  }
  const n = (i: number) => Number(m[i] ?? 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

export function addDuration(at: Date, d: Duration): Date {
  const x = new Date(at.getTime());
  if (d.years || d.months) {
    const day = x.getUTCDate();
    x.setUTCDate(1);
    x.setUTCMonth(x.getUTCMonth() + d.years * 12 + d.months);
    // The 31st plus a month is the last day of the next month, not the 1st after it.
    const last = new Date(Date.UTC(x.getUTCFullYear(), x.getUTCMonth() + 1, 0)).getUTCDate();
    x.setUTCDate(Math.min(day, last));
  }
  const ms = (((d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60_000 + Math.round(d.seconds * 1000);
  return new Date(x.getTime() + ms);
}
