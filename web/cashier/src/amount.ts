// The purchase amount as the cashier types it ("1 250,50", "1250.5", "1,250") → integer minor units (125050), and
// the on-screen keypad's keys. Pure and float-free: the text is split on its decimal separator and each part read
// as an integer (unit-tested in amount.test.ts).

export type AmountError = 'empty' | 'invalid' | 'decimals' | 'too_large';
export type AmountResult = { ok: true; minor: number } | { ok: false; error: AmountError };

/** Whole currency units of at most this many digits (under a trillion): far above any till, safe as a number. */
export const MAX_WHOLE_DIGITS = 12;

// Spaces of every kind (what Intl puts between thousands), apostrophes (1'250) and underscores group digits.
const GROUPING_SPACE = /[\s\u00a0\u202f\u2009'’_]/g;
// A currency sign or word around the number, as when the amount is pasted from a receipt.
const CURRENCY = /^(?:[₽$€£¥]|руб\.?|р\.?|rub)|(?:[₽$€£¥]|руб\.?|р\.?|rub)$/gi;

/**
 * `digits`: how many minor digits the currency has (RUB 2, JPY 0). One separator followed by up to `digits` digits
 * is the decimal separator ("12,5", "12.50"); followed by exactly three it groups thousands ("1,250", "1.250"); with
 * both "," and "." the last one is the decimal separator ("1,250.50", "1.250,50").
 */
export function parseAmount(text: string, digits: number): AmountResult {
  const s = text.trim().replace(CURRENCY, '').replace(GROUPING_SPACE, '');
  if (!s) return { ok: false, error: 'empty' };
  if (!/^[0-9.,]+$/.test(s) || !/[0-9]/.test(s)) return { ok: false, error: 'invalid' };

  let whole = s;
  let fraction = '';
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const decimal = lastComma > lastDot ? ',' : '.';
    const at = Math.max(lastComma, lastDot);
    whole = s.slice(0, at);
    fraction = s.slice(at + 1);
    if (fraction.includes(decimal === ',' ? '.' : ',')) return { ok: false, error: 'invalid' };
    const grouped = ungroup(whole, decimal === ',' ? '.' : ',');
    if (grouped === null) return { ok: false, error: 'invalid' };
    whole = grouped;
  } else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? ',' : '.';
    const parts = s.split(sep);
    if (parts.length > 2) {
      const grouped = ungroup(s, sep);
      if (grouped === null) return { ok: false, error: 'invalid' };
      whole = grouped;
    } else {
      const [a = '', b = ''] = parts;
      if (b.length === 3 && digits < 3 && /^[0-9]{1,3}$/.test(a) && a !== '0') {
        whole = a + b; // 1,250 → 1250
      } else {
        whole = a;
        fraction = b;
      }
    }
  }
  if (fraction.length > digits) return { ok: false, error: 'decimals' };
  whole = whole.replace(/^0+(?=[0-9])/, '');
  if (whole === '') whole = '0';
  if (whole.length > MAX_WHOLE_DIGITS) return { ok: false, error: 'too_large' };
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return { ok: true, minor };
}

/** "1,250,000" with `sep` grouping thousands → "1250000"; null when the groups are not 1–3 digits then threes. */
function ungroup(s: string, sep: string): string | null {
  if (!s.includes(sep)) return /^[0-9]*$/.test(s) ? s : null;
  const groups = s.split(sep);
  const [first = '', ...rest] = groups;
  if (!/^[0-9]{1,3}$/.test(first) || rest.some((g) => !/^[0-9]{3}$/.test(g))) return null;
  return groups.join('');
}

/** Minor units → what the amount field shows for it: 125050 → "1250,50", 120000 → "1200". */
export function amountText(minor: number, digits: number, decimalSeparator: string): string {
  const scale = 10 ** digits;
  const whole = Math.floor(minor / scale);
  const fraction = minor % scale;
  return fraction === 0 || digits === 0 ? String(whole) : `${whole}${decimalSeparator}${String(fraction).padStart(digits, '0')}`;
}

export type KeypadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | 'sep' | 'back' | 'clear';

/** The amount field's text after an on-screen key: digits never go past the currency's minor digits or 12 whole. */
export function pressKey(text: string, key: KeypadKey, digits: number, decimalSeparator: string): string {
  if (key === 'clear') return '';
  if (key === 'back') return text.slice(0, -1);
  const sepAt = Math.max(text.lastIndexOf(','), text.lastIndexOf('.'));
  const hasDecimal = sepAt >= 0 && text.length - sepAt - 1 <= digits && digits > 0;
  if (key === 'sep') {
    if (digits === 0 || hasDecimal) return text;
    return (text.trim() === '' ? '0' : text) + decimalSeparator;
  }
  if (hasDecimal && text.length - sepAt - 1 >= digits) return text; // the kopecks are complete
  if (!hasDecimal && text.replace(/[^0-9]/g, '').length >= MAX_WHOLE_DIGITS) return text;
  if (text === '0') return key;
  return text + key;
}
