// Phones are stored in E.164 and unique per business; "8 (912) 345-67-89" and "+7 912 345 67 89" are one member.
import { getCountries, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { DomainError } from './errors.js';

export type Region = CountryCode;

export function normalizePhone(input: string, region: string = 'RU'): string {
  const text = String(input ?? '').trim();
  if (!text || text.length > 40 || !/^[\d\s()+\-.]+$/.test(text)) {
    throw new DomainError('invalid_phone', `"${text.slice(0, 40)}" is not a phone number`);
  }
  const parsed = parsePhoneNumberFromString(text, region as CountryCode);
  if (!parsed || !parsed.isValid()) {
    throw new DomainError('invalid_phone', `"${text}" is not a valid phone number`);
  }
  return parsed.number;
}

/** Last four digits, as a cashier asks for them. */
export function phoneLast4(e164: string): string {
  return e164.replace(/\D/g, '').slice(-4);
}

export function isLast4(s: string): boolean {
  return /^\d{4}$/.test(s);
}

const regions = new Set<string>(getCountries());
export function isSupportedRegion(region: string): boolean {
  return regions.has(region);
}
