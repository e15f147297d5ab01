import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARD_NUMBER_LENGTH, cardNumberFromRandom, formatCardNumber, isValidCardNumber, luhnCheckDigit, parseCardNumber } from './cardNumber.js';
import { DomainError } from './errors.js';
import { seededRandom } from './seededRandom.js';

/** A `random` that returns the given values in turn. */
const sequence = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

const sample = (() => {
  const random = seededRandom(2026);
  return Array.from({ length: 300 }, () => cardNumberFromRandom(random));
})();

const withDigit = (s: string, i: number, d: number) => s.slice(0, i) + String(d) + s.slice(i + 1);
const swapped = (s: string, i: number) => s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);

describe('luhnCheckDigit', () => {
  it('matches the textbook example 7992739871 → 3', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
  });

  it('matches known 10-digit results', () => {
    expect(luhnCheckDigit('100000000')).toBe(8);
    expect(luhnCheckDigit('999999999')).toBe(9);
    expect(luhnCheckDigit('000000000')).toBe(0);
  });
});

describe('cardNumberFromRandom', () => {
  it('the smallest and largest numbers it can make', () => {
    expect(cardNumberFromRandom(() => 0)).toBe('1000000008');
    expect(cardNumberFromRandom(() => 0.999_999)).toBe('9999999999');
  });

  it('uses the random digits in order, the first never 0', () => {
    // first digit 1 + floor(r × 9), then floor(r × 10)
    expect(cardNumberFromRandom(sequence([0.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]))).toBe(`512345678${luhnCheckDigit('512345678')}`);
  });

  it('always gives 10 digits that pass the check', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 9, maxLength: 9 }), (values) => {
        const n = cardNumberFromRandom(sequence(values));
        expect(n).toMatch(/^[1-9]\d{9}$/);
        expect(n).toHaveLength(CARD_NUMBER_LENGTH);
        expect(isValidCardNumber(n)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('isValidCardNumber: what a Luhn check catches', () => {
  it('the sample numbers are all valid', () => {
    expect(sample.every(isValidCardNumber)).toBe(true);
  });

  it('every single mistyped digit is caught', () => {
    for (const n of sample) {
      for (let i = 0; i < n.length; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === n[i]) continue;
          expect(isValidCardNumber(withDigit(n, i, d)), `${n} with position ${i} → ${d}`).toBe(false);
        }
      }
    }
  });

  it('every swap of two different neighbouring digits is caught, except 0 and 9', () => {
    let checked = 0;
    for (const n of sample) {
      for (let i = 0; i < n.length - 1; i++) {
        const a = n[i]!;
        const b = n[i + 1]!;
        if (a === b) continue;
        const zeroNine = (a === '0' && b === '9') || (a === '9' && b === '0');
        expect(isValidCardNumber(swapped(n, i)), `${n} swapping positions ${i} and ${i + 1}`).toBe(zeroNine);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2_000);
  });

  it('a 09 ↔ 90 swap is the one Luhn blind spot', () => {
    const body = '12345609' + '7';
    const n = body + String(luhnCheckDigit(body));
    expect(isValidCardNumber(n)).toBe(true);
    const swappedN = swapped(n, 6); // …09… → …90…
    expect(swappedN).toContain('90');
    expect(isValidCardNumber(swappedN)).toBe(true);
  });

  it('refuses the wrong length and non-digits', () => {
    expect(isValidCardNumber('100000000')).toBe(false);
    expect(isValidCardNumber('10000000008')).toBe(false);
    expect(isValidCardNumber('')).toBe(false);
    expect(isValidCardNumber('10000000O8')).toBe(false);
    expect(isValidCardNumber('1000 0000 08')).toBe(false);
    expect(isValidCardNumber('-100000008')).toBe(false);
  });
});

describe('parseCardNumber', () => {
  it.each(['1000000008', '1000 0000 08', '1000-0000-08', ' 1000 0000-08 ', '1 0 0 0 0 0 0 0 0 8'])('accepts "%s"', (input) => {
    expect(parseCardNumber(input)).toBe('1000000008');
  });

  it.each(['1000000009', '100000000', '1000.0000.08', 'ABCD000008', '', '1000/0000/08'])('refuses "%s" with invalid_card_number', (input) => {
    let error: unknown;
    try {
      parseCardNumber(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('invalid_card_number');
  });
});

describe('formatCardNumber', () => {
  it('groups as 4 4 2 for the receipt', () => {
    expect(formatCardNumber('1000000008')).toBe('1000 0000 08');
  });

  it('round-trips through parseCardNumber', () => {
    for (const n of sample.slice(0, 50)) expect(parseCardNumber(formatCardNumber(n))).toBe(n);
  });
});
