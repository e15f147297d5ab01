// What a browser app remembers: the session per business (localStorage, so it opens at once next time) and
// Telegram's launch parameters for this tab (sessionStorage, so a reload inside Telegram still knows them).
// Storage can be switched off (private modes, some webviews): then nothing is remembered and nothing breaks.
import type { TelegramLaunch } from './telegramLaunch.js';

export interface StoredSession {
  token: string;
  /** The Telegram user the session was made for, so another Telegram account on the phone signs in afresh. */
  telegramUserId: number | null;
}

export function readStored(storage: () => Storage, key: string): unknown {
  try {
    const raw = storage().getItem(key);
    return raw ? (JSON.parse(raw) as unknown) : null;
  } catch {
    return null;
  }
}

/** null removes the key. */
export function writeStored(storage: () => Storage, key: string, value: unknown): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, JSON.stringify(value));
  } catch {
    // not remembered
  }
}

/** The session and Telegram-launch store of one app, its keys under `kopilka.<app>.`. */
export function appStorage(app: string) {
  const sessionKey = (businessId: string) => `kopilka.${app}.session.${businessId}`;
  const telegramKey = `kopilka.${app}.telegram`;
  return {
    loadSession(businessId: string): StoredSession | null {
      const v = readStored(() => localStorage, sessionKey(businessId)) as Partial<StoredSession> | null;
      return v && typeof v.token === 'string' && v.token ? { token: v.token, telegramUserId: typeof v.telegramUserId === 'number' ? v.telegramUserId : null } : null;
    },
    saveSession(businessId: string, session: StoredSession): void {
      writeStored(() => localStorage, sessionKey(businessId), session);
    },
    clearSession(businessId: string): void {
      writeStored(() => localStorage, sessionKey(businessId), null);
    },
    loadTelegramLaunch(): TelegramLaunch | null {
      const v = readStored(() => sessionStorage, telegramKey) as TelegramLaunch | null;
      return v && typeof v.initData === 'string' && v.initData ? v : null;
    },
    saveTelegramLaunch(launch: TelegramLaunch): void {
      writeStored(() => sessionStorage, telegramKey, launch);
    },
  };
}
