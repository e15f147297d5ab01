// What a Telegram Mini App launch carries in the address (pure: no DOM), shared by the card app and the cashier
// screen; each app's launch.ts adds its own parameters (a sign-in link, an invitation, a page).
import { isColor } from './color.js';

export interface TelegramUser {
  id: number | null;
  languageCode: string | null;
}

export interface TelegramLaunch {
  /** The signed initData string exactly as Telegram gave it (the server checks its hash). */
  initData: string;
  /** Only colour values (#rgb / #rrggbb / #rrggbbaa), keyed as Telegram names them: bg_color, text_color, … */
  themeParams: Record<string, string>;
  version: string | null;
  platform: string | null;
  user: TelegramUser | null;
}

/** Business and bot ids in the query string: anything else is ignored. */
export const idParam = (v: string | null): string | null => (v && /^[A-Za-z0-9_-]{1,100}$/.test(v) ? v : null);

/** Splits a location hash into its page path and parameters, the way Telegram's own web-app script does. */
export function parseHash(hash: string): { path: string; params: URLSearchParams } {
  let h = hash.replace(/^#/, '');
  let path = '';
  const q = h.indexOf('?');
  if (q >= 0) {
    path = h.slice(0, q);
    h = h.slice(q + 1);
  } else if (!h.includes('=')) {
    path = h;
    h = '';
  }
  return { path: safeDecode(path), params: new URLSearchParams(h) };
}

/** Telegram's tgWebAppThemeParams: a JSON object of colours; anything else in it is dropped. */
export function parseThemeParams(json: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!json) return out;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return out;
  }
  if (!value || typeof value !== 'object') return out;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (/^[a-z_]{1,40}$/.test(key) && isColor(v)) out[key] = v;
  }
  return out;
}

/** The `user` field of initData (a JSON object): who is signing in and in which language. */
export function parseInitDataUser(initData: string): TelegramUser | null {
  const raw = new URLSearchParams(initData).get('user');
  if (!raw) return null;
  try {
    const u = JSON.parse(raw) as { id?: unknown; language_code?: unknown };
    return {
      id: typeof u.id === 'number' ? u.id : null,
      languageCode: typeof u.language_code === 'string' ? u.language_code : null,
    };
  } catch {
    return null;
  }
}

/** The Telegram part of a launch, from the hash's parameters; `webAppInitData` (Telegram's own script) wins. */
export function telegramLaunchOf(params: URLSearchParams, webAppInitData?: string | null): TelegramLaunch | null {
  const initData = webAppInitData || params.get('tgWebAppData') || '';
  if (!initData) return null;
  return {
    initData,
    themeParams: parseThemeParams(params.get('tgWebAppThemeParams')),
    version: params.get('tgWebAppVersion'),
    platform: params.get('tgWebAppPlatform'),
    user: parseInitDataUser(initData),
  };
}

/** Which texts to show: Telegram's language for its user when known, else the browser's. Russian by default. */
export function pickLanguage(telegramLanguage: string | null | undefined, navigatorLanguage: string | null | undefined): 'ru' | 'en' {
  const lang = (telegramLanguage || navigatorLanguage || '').toLowerCase();
  return lang.startsWith('en') ? 'en' : 'ru';
}

/** Telegram's theme key → the CSS custom property Telegram's own script would set (bg_color → --tg-theme-bg-color). */
export function themeVariable(key: string): string {
  return `--tg-theme-${key.replace(/_/g, '-')}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return s;
  }
}

export { isColor };
