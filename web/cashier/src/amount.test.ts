import { describe, expect, it } from 'vitest';
import { amountText, parseAmount, pressKey, type KeypadKey } from './amount.js';

const rub = (s: string) => parseAmount(s, 2);

describe('parseAmount', () => {
  it('reads what a cashier types into integer minor units, without floats', () => {
    expect(rub('1 250,50')).toEqual({ ok: true, minor: 125050 });
    expect(rub('1250.5')).toEqual({ ok: true, minor: 125050 });
    expect(rub('1250')).toEqual({ ok: true, minor: 125000 });
    expect(rub('0,01')).toEqual({ ok: true, minor: 1 });
    expect(rub(',5')).toEqual({ ok: true, minor: 50 });
    expect(rub('12,')).toEqual({ ok: true, minor: 1200 });
    expect(rub('007')).toEqual({ ok: true, minor: 700 });
    // 0.1 + 0.2 style traps: 1.15 * 100 is 114.99999999999999 in floating point.
    expect(rub('1,15')).toEqual({ ok: true, minor: 115 });
    expect(rub('4.35')).toEqual({ ok: true, minor: 435 });
    expect(rub('99999999,99')).toEqual({ ok: true, minor: 9999999999 });
  });

  it('takes the spaces Intl writes (no-break, narrow) and a pasted currency sign', () => {
    expect(rub('1\u00a0250,50')).toEqual({ ok: true, minor: 125050 });
    expect(rub('1\u202f250,50 ₽')).toEqual({ ok: true, minor: 125050 });
    expect(rub('₽ 300')).toEqual({ ok: true, minor: 30000 });
    expect(rub(' 1 000 000 ')).toEqual({ ok: true, minor: 100000000 });
  });

  it('tells thousands from decimals: three digits after one separator group, the last of two kinds is decimal', () => {
    expect(rub('1,250')).toEqual({ ok: true, minor: 125000 });
    expect(rub('1.250')).toEqual({ ok: true, minor: 125000 });
    expect(rub('1,250,000')).toEqual({ ok: true, minor: 125000000 });
    expect(rub('1,250.50')).toEqual({ ok: true, minor: 125050 });
    expect(rub('1.250,50')).toEqual({ ok: true, minor: 125050 });
    expect(rub('0,250')).toEqual({ ok: false, error: 'decimals' });
    expect(rub('1234,567')).toEqual({ ok: false, error: 'decimals' });
  });

  it('refuses what is not an amount', () => {
    expect(rub('')).toEqual({ ok: false, error: 'empty' });
    expect(rub('   ')).toEqual({ ok: false, error: 'empty' });
    expect(rub('12,5,0')).toEqual({ ok: false, error: 'invalid' });
    expect(rub('1,2.3,4')).toEqual({ ok: false, error: 'invalid' });
    expect(rub('-100')).toEqual({ ok: false, error: 'invalid' });
    expect(rub('1e5')).toEqual({ ok: false, error: 'invalid' });
    expect(rub('сто')).toEqual({ ok: false, error: 'invalid' });
    expect(rub(',')).toEqual({ ok: false, error: 'invalid' });
    expect(rub('10,505')).toEqual({ ok: true, minor: 1050500 }); // groups thousands
    expect(rub('1,505,5')).toEqual({ ok: false, error: 'invalid' });
    expect(rub('12,345')).toEqual({ ok: true, minor: 1234500 });
    expect(rub('1,999')).toEqual({ ok: true, minor: 199900 });
    expect(rub('12.555')).toEqual({ ok: true, minor: 1255500 });
    expect(rub('1,5678')).toEqual({ ok: false, error: 'decimals' });
    expect(rub('1234567890123')).toEqual({ ok: false, error: 'too_large' });
  });

  it('follows the currency: no minor units for JPY, three for KWD', () => {
    expect(parseAmount('1 250', 0)).toEqual({ ok: true, minor: 1250 });
    expect(parseAmount('1,250', 0)).toEqual({ ok: true, minor: 1250 });
    expect(parseAmount('12,5', 0)).toEqual({ ok: false, error: 'decimals' });
    expect(parseAmount('1,250', 3)).toEqual({ ok: true, minor: 1250 });
    expect(parseAmount('1.5', 3)).toEqual({ ok: true, minor: 1500 });
  });
});

describe('amountText', () => {
  it('writes minor units back for the field', () => {
    expect(amountText(125050, 2, ',')).toBe('1250,50');
    expect(amountText(125000, 2, ',')).toBe('1250');
    expect(amountText(5, 2, '.')).toBe('0.05');
    expect(amountText(1250, 0, ',')).toBe('1250');
  });
});

describe('pressKey', () => {
  const type = (keys: KeypadKey[], digits = 2, sep = ',') => keys.reduce((s, k) => pressKey(s, k, digits, sep), '');

  it('builds an amount from keys: digits, separator, backspace, clear', () => {
    expect(type(['1', '2', '5', '0', 'sep', '5', '0'])).toBe('1250,50');
    expect(type(['sep', '5'])).toBe('0,5');
    expect(type(['0', '0', '7'])).toBe('7');
    expect(type(['1', '2', 'back'])).toBe('1');
    expect(type(['1', '2', 'clear', '3'])).toBe('3');
    expect(type(['1', 'sep', 'sep', '2'], 2, '.')).toBe('1.2');
  });

  it('stops at the currency minor digits and at 12 whole digits', () => {
    expect(type(['1', 'sep', '2', '3', '4'])).toBe('1,23');
    expect(type(['5', 'sep', '1'], 0)).toBe('51');
    expect(type(Array.from({ length: 14 }, () => '9' as const))).toBe('999999999999');
  });

  it('what it builds parses', () => {
    expect(parseAmount(type(['1', '2', '5', '0', 'sep', '5']), 2)).toEqual({ ok: true, minor: 125050 });
  });
});
