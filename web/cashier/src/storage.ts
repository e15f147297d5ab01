// What the till remembers: the staff session per business (so the till opens at once next shift), Telegram's launch
// parameters and a half-used invitation for this tab (sessionStorage, so a reload still has them).
import { appStorage, readStored, writeStored } from '../../shared/storage.js';

export type { StoredSession } from '../../shared/storage.js';
export const { loadSession, saveSession, clearSession, loadTelegramLaunch, saveTelegramLaunch } = appStorage('cashier');

const INVITE_KEY = 'kopilka.cashier.invite';

/** The invitation token leaves the address bar at once; it stays in this tab until it is used. */
export function loadInvite(): string | null {
  const v = readStored(() => sessionStorage, INVITE_KEY);
  return typeof v === 'string' && v ? v : null;
}

export function saveInvite(token: string | null): void {
  writeStored(() => sessionStorage, INVITE_KEY, token);
}
