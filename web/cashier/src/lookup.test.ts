import { describe, expect, it } from 'vitest';
import { detectLookup, isCardNumber } from './lookup.js';

// 123456789 + its Luhn check digit (src/core/cardNumber.ts): 1234567897.
const CARD = '1234567897';
const TOKEN = 'k1' + 'A'.repeat(20) + '-_' + 'z9'.repeat(13);

describe('detectLookup', () => {
  it('a QR token (k1 + base64url) → qrToken, typed, pasted or scanned', () => {
    expect(detectLookup(TOKEN, false)).toEqual({ ok: true, query: { qrToken: TOKEN }, fallback: null });
    expect(detectLookup(`  ${TOKEN}\n`, false)).toEqual({ ok: true, query: { qrToken: TOKEN }, fallback: null });
    expect(detectLookup(TOKEN, false, true)).toEqual({ ok: true, query: { qrToken: TOKEN }, fallback: null });
  });

  it('4 digits → last4', () => {
    expect(detectLookup('4567', false)).toEqual({ ok: true, query: { last4: '4567' }, fallback: null });
    expect(detectLookup(' 45 67 ', false)).toMatchObject({ query: { last4: '4567' } });
  });

  it('10 digits → card number when its check digit fits (else, or when none is found, a phone)', () => {
    expect(isCardNumber(CARD)).toBe(true);
    expect(detectLookup(CARD, false)).toEqual({ ok: true, query: { card: CARD }, fallback: { phone: CARD } });
    expect(detectLookup('1234 5678-97', false)).toMatchObject({ query: { card: CARD } });
    expect(isCardNumber('9161234567')).toBe(false);
    expect(detectLookup('9161234567', false)).toEqual({ ok: true, query: { phone: '9161234567' }, fallback: null });
  });

  it('7 digits and more in any phone notation → phone, as typed', () => {
    expect(detectLookup('+7 (916) 123-45-67', false)).toEqual({ ok: true, query: { phone: '+7 (916) 123-45-67' }, fallback: null });
    expect(detectLookup('89161234567', false)).toMatchObject({ query: { phone: '89161234567' } });
    expect(detectLookup('1234567', false)).toMatchObject({ query: { phone: '1234567' } });
    expect(detectLookup('+1234567890', false)).toMatchObject({ query: { phone: '+1234567890' } });
    expect(detectLookup('+4567', false)).toEqual({ ok: false, problem: 'digits' });
  });

  it('too few digits is a problem, not a search', () => {
    expect(detectLookup('123', true)).toEqual({ ok: false, problem: 'digits' });
    expect(detectLookup('12345', true)).toEqual({ ok: false, problem: 'digits' });
    expect(detectLookup('', true)).toEqual({ ok: false, problem: 'empty' });
    expect(detectLookup('   ', true)).toEqual({ ok: false, problem: 'empty' });
  });

  it('anything else is a name, only for roles with member.search', () => {
    expect(detectLookup('Марина', true)).toEqual({ ok: true, query: { q: 'Марина' }, fallback: null });
    expect(detectLookup('Марина', false)).toEqual({ ok: false, problem: 'name_not_allowed' });
    expect(detectLookup('k1 bad token', true)).toMatchObject({ query: { q: 'k1 bad token' } });
  });

  it('a scanned code is a card only when it holds a token or a card number', () => {
    expect(detectLookup(CARD, false, true)).toEqual({ ok: true, query: { card: CARD }, fallback: null });
    expect(detectLookup('https://example.com/promo', true, true)).toEqual({ ok: false, problem: 'not_card_qr' });
    expect(detectLookup('9161234567', true, true)).toEqual({ ok: false, problem: 'not_card_qr' });
  });
});
