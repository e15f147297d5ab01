// Calendar dates in a business's time zone, computed with Intl (no tz library needed), DST-safe.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function wallClock(t: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(t))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    y: parts.year ?? 0,
    m: parts.month ?? 0,
    d: parts.day ?? 0,
    h: parts.hour ?? 0,
    mi: parts.minute ?? 0,
    s: parts.second ?? 0,
  };
}

/** Offset of the zone from UTC at instant t, in ms (Moscow: +3h). */
function offsetAt(t: number, timeZone: string): number {
  const w = wallClock(t, timeZone);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s);
  return asUtc - (t - (((t % 1000) + 1000) % 1000));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

// Every zone's offset is a whole number of minutes, so the date cannot change within a UTC minute: the last
// answer per zone is reused for instants in the same minute (Intl's formatToParts is the costly part).
const lastDate = new Map<string, { minute: number; date: string }>();

/** The calendar date (YYYY-MM-DD) of an instant in the zone. */
export function localDateOf(at: Date, timeZone: string): string {
  const minute = Math.floor(at.getTime() / 60_000);
  const hit = lastDate.get(timeZone);
  if (hit && hit.minute === minute) return hit.date;
  const w = wallClock(at.getTime(), timeZone);
  const date = `${pad(w.y, 4)}-${pad(w.m)}-${pad(w.d)}`;
  if (lastDate.size > 1000) lastDate.clear();
  lastDate.set(timeZone, { minute, date });
  return date;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Adds whole calendar days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * The first instant of a calendar date in the zone. Where midnight does not exist (a DST jump at
 * midnight, e.g. America/Santiago), it is the first instant that does: 01:00.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  // Every accrual asks for the same few day boundaries; they never change, so they are remembered.
  const key = `${timeZone} ${date}`;
  const known = dayStarts.get(key);
  if (known !== undefined) return new Date(known);
  const t = computeStartOfLocalDay(date, timeZone);
  if (dayStarts.size >= 10_000) dayStarts.clear();
  dayStarts.set(key, t);
  return new Date(t);
}

const dayStarts = new Map<string, number>();

function computeStartOfLocalDay(date: string, timeZone: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const naive = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  let t = naive - offsetAt(naive, timeZone);
  t = naive - offsetAt(t, timeZone);
  // In a gap the guess lands on the previous day's last hour (or later); walk to the first instant of `date`.
  // Where midnight happens twice (a fall-back to 00:00 east of UTC, e.g. Asia/Amman until 2022) the guess is the
  // second midnight; walk back to the first.
  const before = (x: number) => localDateOf(new Date(x), timeZone) < date;
  let lo = t;
  let hi = t;
  if (before(t)) hi = t + 3 * 3_600_000;
  else if (!before(t - 1000)) lo = t - 86_400_000;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (before(mid)) lo = mid;
    else hi = mid;
  }
  t = hi;
  return t;
}

/** The instant a day ends in the zone: the start of the next day. */
export function endOfLocalDay(date: string, timeZone: string): Date {
  return startOfLocalDay(addDays(date, 1), timeZone);
}

/** Whole days from date a to date b (b - a). */
export function daysBetween(a: string, b: string): number {
  const pa = DATE_RE.exec(a);
  const pb = DATE_RE.exec(b);
  if (!pa || !pb) throw new RangeError('not a date');
  return Math.round(
    (Date.UTC(Number(pb[1]), Number(pb[2]) - 1, Number(pb[3])) - Date.UTC(Number(pa[1]), Number(pa[2]) - 1, Number(pa[3]))) /
      86_400_000,
  );
}

/** Minutes since local midnight of an instant in the zone (0–1439). */
export function localMinutesOf(at: Date, timeZone: string): number {
  const w = wallClock(at.getTime(), timeZone);
  return w.h * 60 + w.mi;
}

/**
 * The instant a local wall-clock time (minutes after midnight) happens on a date in the zone. In a DST gap the
 * time does not exist: the instant the same number of minutes after the day's start is used instead.
 */
export function atLocalTime(date: string, minutes: number, timeZone: string): Date {
  const start = startOfLocalDay(date, timeZone).getTime();
  const guess = start + minutes * 60_000;
  const shifted = guess + (offsetAt(start, timeZone) - offsetAt(guess, timeZone));
  return new Date(localDateOf(new Date(shifted), timeZone) === date && localMinutesOf(new Date(shifted), timeZone) === minutes ? shifted : guess);
}
