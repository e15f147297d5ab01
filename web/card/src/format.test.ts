import { describe, expect, it } from 'vitest';
import { currencyDigits, fill, formatDateTime, formatLastDay, formatMoney, formatPercent, formatSignedPoints, tierProgress } from './format.js';

const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('format', () => {
  it('money from minor units, kopecks only when there are some', () => {
    expect(norm(formatMoney(125000, 'RUB', 'ru'))).toBe('1 250 ₽');
    expect(norm(formatMoney(125050, 'RUB', 'ru'))).toBe('1 250,50 ₽');
    expect(formatMoney(125050, 'USD', 'en')).toBe('$1,250.50');
    expect(norm(formatMoney(1250, 'JPY', 'en'))).toBe('¥1,250');
    expect(currencyDigits('JPY')).toBe(0);
    expect(formatMoney(100, 'XXXX', 'en')).toBe('1 XXXX');
  });

  it('points with a sign and percentages per language', () => {
    expect(formatSignedPoints(120, 'en')).toBe('+120');
    expect(formatSignedPoints(-1500, 'en')).toBe('\u22121,500');
    expect(formatSignedPoints(0, 'en')).toBe('0');
    expect(formatPercent(30, 'en')).toBe('30%');
    expect(norm(formatPercent(2.5, 'ru'))).toBe('2,5 %');
  });

  it('dates in the business time zone', () => {
    // 21:30 UTC is already the next day in Moscow.
    expect(formatDateTime('2026-03-09T21:30:00Z', 'Europe/Moscow', 'en')).toMatch(/Mar 10, 2026.*12:30/);
    expect(formatDateTime('nonsense', 'Europe/Moscow', 'en')).toBe('');
    expect(formatDateTime('2026-03-09T21:30:00Z', 'No/Such_Zone', 'en')).not.toBe('');
  });

  it('the last day of points is the day before their expiry moment (end of day = next midnight)', () => {
    expect(formatLastDay('2026-04-09T21:00:00Z', 'Europe/Moscow', 'en')).toBe('April 9, 2026');
    expect(formatLastDay('2026-04-10T14:00:00Z', 'Asia/Vladivostok', 'ru')).toMatch(/^10 апреля 2026/);
  });

  it('tier progress and placeholders', () => {
    expect(tierProgress(3000, 1000)).toBe(0.75);
    expect(tierProgress(0, 0)).toBe(1);
    expect(tierProgress(0, 500)).toBe(0);
    expect(fill('{a} and {b} {c}', { a: 1, b: 'x' })).toBe('1 and x {c}');
  });
});
