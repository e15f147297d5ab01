// How the card app was opened, read from the address alone (pure: no DOM, unit-tested in launch.test.ts).
//   /card/?b=<business>#signin=<token>                       a one-time sign-in link
//   /card/?b=<business>&bot=<bot>#tgWebAppData=…&tgWebAppThemeParams=…&tgWebAppVersion=…&tgWebAppPlatform=…
//                                                            a Telegram Mini App launch
//   /card/?b=<business>#/history                             an ordinary visit, on a page
import { idParam, parseHash, telegramLaunchOf, type TelegramLaunch } from '../../shared/telegramLaunch.js';

export { isColor, parseHash, parseInitDataUser, parseThemeParams, pickLanguage, themeVariable, type TelegramLaunch, type TelegramUser } from '../../shared/telegramLaunch.js';

export type Route = 'card' | 'history' | 'info' | 'rewards' | 'profile';
export const ROUTES: readonly Route[] = ['card', 'history', 'rewards', 'info', 'profile'];

export interface Launch {
  businessId: string | null;
  botId: string | null;
  signInToken: string | null;
  /** The page asked for in the hash, when it names one. */
  route: Route | null;
  telegram: TelegramLaunch | null;
}

export function routeOf(path: string): Route | null {
  const name = path.replace(/^\/+/, '').split(/[/?]/)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : null;
}

/**
 * Reads the launch from location.search and location.hash. `webAppInitData` is window.Telegram.WebApp.initData when
 * Telegram's own script happens to be on the page; it wins over the hash.
 */
export function parseLaunch(search: string, hash: string, webAppInitData?: string | null): Launch {
  const query = new URLSearchParams(search);
  const { path, params } = parseHash(hash);
  return {
    businessId: idParam(query.get('b')),
    botId: idParam(query.get('bot')),
    signInToken: params.get('signin') || null,
    route: routeOf(path),
    telegram: telegramLaunchOf(params, webAppInitData),
  };
}
