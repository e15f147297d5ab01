// What the phone remembers: the session per business (localStorage, so the card opens at once next time) and
// Telegram's launch parameters for this tab (sessionStorage, so a reload inside Telegram still knows them).
// Storage can be switched off (private modes, some webviews): then nothing is remembered and nothing breaks.
import type { TelegramLaunch } from './launch.js';

export interface StoredSession {
  token: string;
  /** The Telegram user the session was made for, so another Telegram account on the phone signs in afresh. */
  telegramUserId: number | null;
}

const sessionKey = (businessId: string) => `kopilka.card.session.${businessId}`;
const TELEGRAM_KEY = 'kopilka.card.telegram';

function read(storage: () => Storage, key: string): unknown {
  try {
    const raw = storage().getItem(key);
    return raw ? (JSON.parse(raw) as unknown) : null;
  } catch {
    return null;
  }
}

function write(storage: () => Storage, key: string, value: unknown): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, JSON.stringify(value));
  } catch {
    // not remembered
  }
}

export function loadSession(businessId: string): StoredSession | null {
  const v = read(() => localStorage, sessionKey(businessId)) as Partial<StoredSession> | null;
  return v && typeof v.token === 'string' && v.token ? { token: v.token, telegramUserId: typeof v.telegramUserId === 'number' ? v.telegramUserId : null } : null;
}

export function saveSession(businessId: string, session: StoredSession): void {
  write(() => localStorage, sessionKey(businessId), session);
}

export function clearSession(businessId: string): void {
  write(() => localStorage, sessionKey(businessId), null);
}

export function loadTelegramLaunch(): TelegramLaunch | null {
  const v = read(() => sessionStorage, TELEGRAM_KEY) as TelegramLaunch | null;
  return v && typeof v.initData === 'string' && v.initData ? v : null;
}

export function saveTelegramLaunch(launch: TelegramLaunch): void {
  write(() => sessionStorage, TELEGRAM_KEY, launch);
}
