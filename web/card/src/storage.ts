// What the phone remembers: the card's session per business and Telegram's launch parameters for this tab.
import { appStorage } from '../../shared/storage.js';

export type { StoredSession } from '../../shared/storage.js';
export const { loadSession, saveSession, clearSession, loadTelegramLaunch, saveTelegramLaunch } = appStorage('card');
