// How the card app was opened, read from the address alone (pure: no DOM, unit-tested in launch.test.ts).
//   /card/?b=<business>#signin=<token>                       a one-time sign-in link
//   /card/?b=<business>&bot=<bot>#tgWebAppData=…&tgWebAppThemeParams=…&tgWebAppVersion=…&tgWebAppPlatform=…
//                                                            a Telegram Mini App launch
//   /card/?b=<business>#/history                             an ordinary visit, on a page
import { isColor } from '../../shared/color.js';

export type Route = 'card' | 'history' | 'info' | 'rewards' | 'profile';
export const ROUTES: readonly Route[] = ['card', 'history', 'rewards', 'info', 'profile'];

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

export interface Launch {
  businessId: string | null;
  botId: string | null;
  signInToken: string | null;
  /** The page asked for in the hash, when it names one. */
  route: Route | null;
  telegram: TelegramLaunch | null;
}

const ID = /^[A-Za-z0-9_-]{1,100}$/;


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

export function routeOf(path: string): Route | null {
  const name = path.replace(/^\/+/, '').split(/[/?]/)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : null;
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

/**
 * Reads the launch from location.search and location.hash. `webAppInitData` is window.Telegram.WebApp.initData when
 * Telegram's own script happens to be on the page; it wins over the hash.
 */
export function parseLaunch(search: string, hash: string, webAppInitData?: string | null): Launch {
  const query = new URLSearchParams(search);
  const { path, params } = parseHash(hash);
  const initData = webAppInitData || params.get('tgWebAppData') || '';
  const telegram: TelegramLaunch | null = initData
    ? {
        initData,
        themeParams: parseThemeParams(params.get('tgWebAppThemeParams')),
        version: params.get('tgWebAppVersion'),
        platform: params.get('tgWebAppPlatform'),
        user: parseInitDataUser(initData),
      }
    : null;
  const id = (v: string | null) => (v && ID.test(v) ? v : null);
  return {
    businessId: id(query.get('b')),
    botId: id(query.get('bot')),
    signInToken: params.get('signin') || null,
    route: routeOf(path),
    telegram,
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
