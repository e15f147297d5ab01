import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { isLast4, isSupportedRegion, normalizePhone, phoneLast4 } from './phone.js';

function phoneError(input: string, region?: string): DomainError {
  try {
    normalizePhone(input, region);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error(`expected "${input}" to be refused`);
}

describe('normalizePhone', () => {
  it.each(['8 (912) 345-67-89', '+7 912 345 67 89', '89123456789', '9123456789', '+79123456789', '8-912-345-67-89', '8.912.345.67.89', '  +7 (912) 345-67-89  '])(
    'Russian "%s" → +79123456789',
    (input) => {
      expect(normalizePhone(input, 'RU')).toBe('+79123456789');
    },
  );

  it('Russia is the default region', () => {
    expect(normalizePhone('8 (912) 345-67-89')).toBe('+79123456789');
  });

  it.each(['8 701 234 5678', '87012345678', '+7 701 234 56 78', '7012345678'])('Kazakh "%s" with region KZ → +77012345678', (input) => {
    expect(normalizePhone(input, 'KZ')).toBe('+77012345678');
  });

  it('an international number is kept whatever the region', () => {
    expect(normalizePhone('+49 30 901820', 'RU')).toBe('+4930901820');
    expect(normalizePhone('+7 912 345 67 89', 'KZ')).toBe('+79123456789');
  });

  it('the same national digits mean different numbers in different regions', () => {
    expect(normalizePhone('030 901820', 'DE')).toBe('+4930901820');
    expect(() => normalizePhone('030 901820', 'RU')).toThrow(DomainError);
  });

  it.each([
    ['letters', '8 912 ABC 67 89'],
    ['an extension', '+7 912 345 67 89 ext 12'],
    ['too short', '12345'],
    ['empty', ''],
    ['only spaces', '   '],
    ['punctuation only', '+()-'],
    ['a number that does not exist', '+7 000 000 00 00'],
    ['one digit too many', '8 912 345 67 890'],
    ['an emoji', '☎ 89123456789'],
  ])('refuses %s with invalid_phone', (_, input) => {
    expect(phoneError(input, 'RU').code).toBe('invalid_phone');
  });

  it('refuses very long input without echoing it back', () => {
    const padded = '+7' + ' '.repeat(40) + '9123456789'; // valid digits, but 52 characters
    expect(phoneError(padded).code).toBe('invalid_phone');
    const huge = '1'.repeat(100_000);
    const e = phoneError(huge);
    expect(e.code).toBe('invalid_phone');
    expect(e.message.length).toBeLessThan(100);
  });

  it('refuses non-string input instead of crashing', () => {
    expect(phoneError(undefined as unknown as string).code).toBe('invalid_phone');
    expect(phoneError(null as unknown as string).code).toBe('invalid_phone');
  });
});

describe('phoneLast4 / isLast4', () => {
  it('the last four digits, as a cashier asks for them', () => {
    expect(phoneLast4('+79123456789')).toBe('6789');
    expect(phoneLast4(normalizePhone('8 (912) 345-00-01'))).toBe('0001');
  });

  it('isLast4 accepts exactly four digits', () => {
    expect(isLast4('6789')).toBe(true);
    expect(isLast4('0001')).toBe(true);
    expect(isLast4('678')).toBe(false);
    expect(isLast4('67890')).toBe(false);
    expect(isLast4('67a9')).toBe(false);
    expect(isLast4(' 6789')).toBe(false);
  });
});

describe('isSupportedRegion', () => {
  it('knows ISO country codes', () => {
    expect(isSupportedRegion('RU')).toBe(true);
    expect(isSupportedRegion('KZ')).toBe(true);
    expect(isSupportedRegion('ru')).toBe(false);
    expect(isSupportedRegion('XX')).toBe(false);
  });
});
