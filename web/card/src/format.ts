// Numbers, money and dates for people, through Intl (pure: unit-tested in format.test.ts).

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, options);
    } catch {
      // An unknown time zone: the phone's own zone rather than nothing.
      const { timeZone: _ignored, ...rest } = options;
      f = new Intl.DateTimeFormat(locale, rest);
    }
    cache.set(key, f);
  }
  return f;
}

/** 12500 → "12 500" (ru) / "12,500" (en). */
export function formatNumber(n: number, locale: string, maxFractionDigits = 0): string {
  return numberFormat(locale, { maximumFractionDigits: maxFractionDigits }).format(n);
}

/** Points with an explicit sign: +120, −50 (a real minus sign). */
export function formatSignedPoints(points: number, locale: string): string {
  const abs = formatNumber(Math.abs(points), locale);
  return points > 0 ? `+${abs}` : points < 0 ? `\u2212${abs}` : abs;
}

/** How many minor units the currency has (RUB 2, JPY 0); 2 for an unknown code. */
export function currencyDigits(currency: string): number {
  try {
    return numberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Integer minor units → "1 250 ₽" / "1 250,50 ₽" (kopecks only when there are some). */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  const value = minor / 10 ** digits;
  const whole = Number.isInteger(value);
  try {
    return numberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: whole ? 0 : digits,
      maximumFractionDigits: whole ? 0 : digits,
    }).format(value);
  } catch {
    return `${formatNumber(value, locale, digits)} ${currency}`;
  }
}

/** 30 → "30 %" (ru) / "30%" (en). */
export function formatPercent(percent: number, locale: string): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(percent / 100);
}

/** A moment as date and time in the business's time zone. */
export function formatDateTime(iso: string, timeZone: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return dateFormat(locale, { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
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

/** Fills {name} placeholders; unknown ones are left as they are. */
export function fill(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** "баллы" → "Баллы", for a caption that starts a line. */
export function capitalize(s: string): string {
  return s ? s.charAt(0).toLocaleUpperCase() + s.slice(1) : s;
}
