// What the till remembers: the staff session per business (localStorage, so the till opens at once next shift),
// Telegram's launch parameters and a half-used invitation for this tab (sessionStorage, so a reload still has them).
// Storage can be switched off (private modes, some webviews): then nothing is remembered and nothing breaks.
import type { TelegramLaunch } from './launch.js';

export interface StoredSession {
  token: string;
  /** The Telegram user the session was made for, so another Telegram account on the phone signs in afresh. */
  telegramUserId: number | null;
}

const sessionKey = (businessId: string) => `kopilka.cashier.session.${businessId}`;
const TELEGRAM_KEY = 'kopilka.cashier.telegram';
const INVITE_KEY = 'kopilka.cashier.invite';

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

/** The invitation token leaves the address bar at once; it stays in this tab until it is used. */
export function loadInvite(): string | null {
  const v = read(() => sessionStorage, INVITE_KEY);
  return typeof v === 'string' && v ? v : null;
}

export function saveInvite(token: string | null): void {
  write(() => sessionStorage, INVITE_KEY, token);
}
