// The customers list's and member page's texts in the panel's current language (locales/customers.ts).
import './customers.css';
import { fill } from '../../shared/format.js';
import { language } from './i18n.js';
import { customersEn, customersRu, type CustomersMessages } from './locales/customers.js';

export type CustomersKey = keyof CustomersMessages;

export const ct = (key: CustomersKey, vars: Record<string, string | number> = {}): string => fill((language() === 'en' ? customersEn : customersRu)[key], vars);

/** A key made at run time (a transaction type, a channel); the raw value when there is no text for it. */
export const ctOr = (key: string, fallback: string, vars: Record<string, string | number> = {}): string =>
  key in customersRu ? ct(key as CustomersKey, vars) : fallback;
