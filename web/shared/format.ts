// Numbers, money and dates for people, through Intl, shared by the front ends (pure: format.test.ts in each app).

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
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

/** A moment as date and time in the business's time zone. */
export function formatDateTime(iso: string, timeZone: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return dateFormat(locale, { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** Fills {name} placeholders; unknown ones are left as they are. */
export function fill(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** "баллы" → "Баллы", for a caption that starts a line. */
export function capitalize(s: string): string {
  return s ? s.charAt(0).toLocaleUpperCase() + s.slice(1) : s;
}
