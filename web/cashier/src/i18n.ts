// The texts in use: Russian by default, English for English-speaking phones and Telegram users.
import { capitalize, fill } from './format.js';
import { en } from './locales/en.js';
import { ru, type Messages } from './locales/ru.js';

export type MessageKey = keyof Messages;

let messages: Messages = ru;
let lang: 'ru' | 'en' = 'ru';
let pointsName = 'баллы';

export function setLanguage(next: 'ru' | 'en'): void {
  lang = next;
  messages = next === 'en' ? en : ru;
  pointsName = next === 'en' ? 'points' : 'баллы';
  document.documentElement.lang = next;
}

/** The business's own word for points, used in every text that names them. */
export function setPointsName(name: string | null | undefined): void {
  if (name && name.trim()) pointsName = name.trim();
}

/** BCP 47 tag for Intl. */
export function locale(): string {
  return lang;
}

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return fill(messages[key], { pointsName, PointsName: capitalize(pointsName), ...vars });
}
