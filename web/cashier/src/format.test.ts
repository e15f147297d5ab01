import { describe, expect, it } from 'vitest';
import { currencyDigits, decimalSeparator, formatDateTime, formatMoney, formatSignedPoints } from './format.js';

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('format', () => {
  it('money from integer minor units in the business currency', () => {
    expect(plain(formatMoney(125050, 'RUB', 'ru'))).toBe('1 250,50 ₽');
    expect(plain(formatMoney(125000, 'RUB', 'ru'))).toBe('1 250 ₽');
    expect(formatMoney(35050, 'RUB', 'en')).toBe('₽350.50');
    expect(currencyDigits('RUB')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('nope')).toBe(2);
  });

  it('the keypad separator follows the language', () => {
    expect(decimalSeparator('ru')).toBe(',');
    expect(decimalSeparator('en')).toBe('.');
  });

  it('signed points and dates in the business time zone', () => {
    expect(formatSignedPoints(62, 'ru')).toBe('+62');
    expect(formatSignedPoints(-300, 'ru')).toBe('\u2212300');
    expect(formatDateTime('2025-01-10T21:30:00Z', 'Europe/Moscow', 'en')).toMatch(/Jan 11, 2025.*12:30/);
  });
});
