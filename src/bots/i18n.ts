// Bot texts from the locale files: Russian by default, English for Telegram users whose app is in English.
import { en } from './locales/en.js';
import { ru, type Messages } from './locales/ru.js';

export type Lang = 'ru' | 'en';
export type MessageKey = keyof Messages;
const LOCALES: Record<Lang, Messages> = { ru, en };

export const langOf = (languageCode: string | undefined): Lang => (languageCode?.toLowerCase().startsWith('en') ? 'en' : 'ru');

export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return LOCALES[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}
