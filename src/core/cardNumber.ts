// Card numbers: 10 digits, the last a Luhn check digit, so one mistyped digit or a swap is caught.
import { DomainError } from './errors.js';

export const CARD_NUMBER_LENGTH = 10;

export function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidCardNumber(digits: string): boolean {
  if (!/^\d+$/.test(digits) || digits.length !== CARD_NUMBER_LENGTH) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

/** Accepts what a cashier types ("1234 5678-90") and returns the bare digits, or throws. */
export function parseCardNumber(input: string): string {
  const digits = String(input ?? '').replace(/[\s-]/g, '');
  if (!isValidCardNumber(digits)) {
    throw new DomainError('invalid_card_number', `"${String(input).slice(0, 30)}" is not a valid card number`);
  }
  return digits;
}

/** A new card number from random digits (the caller supplies randomness and retries on collision). */
export function cardNumberFromRandom(random: () => number): string {
  let body = String(1 + Math.floor(random() * 9));
  while (body.length < CARD_NUMBER_LENGTH - 1) body += String(Math.floor(random() * 10));
  return body + String(luhnCheckDigit(body));
}

export function formatCardNumber(digits: string): string {
  return digits.replace(/(\d{4})(\d{4})(\d+)/, '$1 $2 $3');
}
