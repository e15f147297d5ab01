// What the cashier typed, pasted or scanned → the lookup to make, decided by its shape (pure: lookup.test.ts).
//   k1…             a QR token from the card app            → { qrToken }
//   4 digits        the last digits of the phone             → { last4 }
//   10 digits       a card number (Luhn-checked)             → { card }, or else a phone without its country code
//   ≥ 7 digits      a phone in any notation                  → { phone }
//   anything else   a name                                   → { q }, only for roles with member.search
import type { LookupQuery } from '../../../src/client/staff.js';

export const QR_TOKEN = /^k1[A-Za-z0-9_-]+$/;

export type LookupProblem = 'empty' | 'digits' | 'name_not_allowed' | 'not_card_qr';

export type Detected =
  | {
      ok: true;
      query: LookupQuery;
      /** Asked when the first lookup finds nobody: ten digits that pass the card check may still be a phone. */
      fallback: LookupQuery | null;
    }
  | { ok: false; problem: LookupProblem };

/** The Luhn check of Kopilka's card numbers (src/core/cardNumber.ts): ten digits, the last one a check digit. */
export function isCardNumber(digits: string): boolean {
  if (!/^[0-9]{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(digits[8 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(digits[9]);
}

/**
 * `canSearchByName`: the role has member.search. `scanned`: the text came from a QR code, which is a Kopilka card
 * only when it holds a token (or a card number, as a printed card might).
 */
export function detectLookup(input: string, canSearchByName: boolean, scanned = false): Detected {
  const text = input.trim();
  if (!text) return { ok: false, problem: 'empty' };
  if (QR_TOKEN.test(text)) return { ok: true, query: { qrToken: text }, fallback: null };

  // Only digits and the punctuation of card and phone numbers: "+7 (916) 123-45-67", "1234 5678-90".
  const numeric = /^[0-9\s\u00a0()+.-]+$/.test(text);
  const digits = text.replace(/[^0-9]/g, '');
  if (scanned) {
    return numeric && isCardNumber(digits) ? { ok: true, query: { card: digits }, fallback: null } : { ok: false, problem: 'not_card_qr' };
  }
  if (numeric) {
    const international = text.startsWith('+');
    if (digits.length === 4 && !international) return { ok: true, query: { last4: digits }, fallback: null };
    if (digits.length === 10 && !international) {
      // A card number must pass its check digit; ten digits that do not are a phone without +7 / 8.
      return isCardNumber(digits) ? { ok: true, query: { card: digits }, fallback: { phone: digits } } : { ok: true, query: { phone: digits }, fallback: null };
    }
    if (digits.length >= 7) return { ok: true, query: { phone: text }, fallback: null };
    return { ok: false, problem: 'digits' };
  }
  if (!canSearchByName) return { ok: false, problem: 'name_not_allowed' };
  return { ok: true, query: { q: text }, fallback: null };
}

