// The panel's texts: Russian by default, English when chosen (remembered) or when the browser prefers it.
import { capitalize, fill } from '../../shared/format.js';
import { en } from './locales/en.js';
import { ru, type Messages } from './locales/ru.js';

export type MessageKey = keyof Messages;
export type Lang = 'ru' | 'en';

let messages: Messages = ru;
let lang: Lang = 'ru';
let pointsName = 'баллы';
let customPointsName: string | null = null;

export function setLanguage(next: Lang): void {
  lang = next;
  messages = next === 'en' ? en : ru;
  pointsName = customPointsName ?? (next === 'en' ? 'points' : 'баллы');
  document.documentElement.lang = next;
}

export const language = (): Lang => lang;

/** The business's own word for points, used in every text that names them. */
export function setPointsName(name: string | null | undefined): void {
  customPointsName = name && name.trim() ? name.trim() : null;
  if (customPointsName) pointsName = customPointsName;
}

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return fill(messages[key], { pointsName, PointsName: capitalize(pointsName), ...vars });
}

/** A key built at run time (a status or a role from the server); the raw value when there is no text for it. */
export function tOr(key: string, fallback: string, vars: Record<string, string | number> = {}): string {
  return key in messages ? t(key as MessageKey, vars) : fallback;
}
