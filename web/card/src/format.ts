// The card app's own formatting; the common part is web/shared/format.ts (pure: format.test.ts).
import { dateFormat, numberFormat } from '../../shared/format.js';

export * from '../../shared/format.js';

/** 30 → "30 %" (ru) / "30%" (en). */
export function formatPercent(percent: number, locale: string): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(percent / 100);
}

/** A moment as a date in the given time zone. */
export function formatDate(iso: string, timeZone: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return dateFormat(locale, { timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

/**
 * Points expire at the end of their last day, i.e. at 00:00 of the next day in the business's zone: the last day
 * they can be used is the one just before that moment.
 */
export function formatLastDay(expiresAtIso: string, timeZone: string, locale: string): string {
  const t = Date.parse(expiresAtIso);
  if (Number.isNaN(t)) return '';
  return formatDate(new Date(t - 1).toISOString(), timeZone, locale);
}

/** A calendar date (YYYY-MM-DD, e.g. a birthday) without any time-zone shift. */
export function formatCalendarDate(ymd: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return dateFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

/** Share of the way from one tier to the next, 0…1, from what was spent and what is still missing. */
export function tierProgress(totalSpent: number, missing: number): number {
  const total = totalSpent + missing;
  if (total <= 0 || missing <= 0) return 1;
  return Math.min(1, Math.max(0, totalSpent / total));
}
