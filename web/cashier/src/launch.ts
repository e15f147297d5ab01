// How the cashier screen was opened, read from the address alone (pure: no DOM, unit-tested in launch.test.ts).
//   /cashier/?b=<business>                                     the web: e-mail and password
//   /cashier/?b=<business>#invite=<token>                      accepting an invitation (name, e-mail, password)
//   /cashier/?b=<business>&bot=<bot>#tgWebAppData=…&tgWebAppThemeParams=…&tgWebAppVersion=…&tgWebAppPlatform=…
//                                                              the staff bot's Telegram Mini App
import { idParam, parseHash, telegramLaunchOf, type TelegramLaunch } from '../../shared/telegramLaunch.js';

export { isColor, parseHash, parseInitDataUser, parseThemeParams, pickLanguage, themeVariable, type TelegramLaunch, type TelegramUser } from '../../shared/telegramLaunch.js';

export interface Launch {
  businessId: string | null;
  botId: string | null;
  inviteToken: string | null;
  telegram: TelegramLaunch | null;
}

const TOKEN = /^[A-Za-z0-9_.~-]{1,500}$/;

/**
 * Reads the launch from location.search and location.hash. `webAppInitData` is window.Telegram.WebApp.initData when
 * Telegram's own script happens to be on the page; it wins over the hash.
 */
export function parseLaunch(search: string, hash: string, webAppInitData?: string | null): Launch {
  const query = new URLSearchParams(search);
  const { params } = parseHash(hash);
  const invite = params.get('invite');
  return {
    businessId: idParam(query.get('b')),
    botId: idParam(query.get('bot')),
    inviteToken: invite && TOKEN.test(invite) ? invite : null,
    telegram: telegramLaunchOf(params, webAppInitData),
  };
}

/** "6.10" ≥ "6.4": Telegram's versions compare part by part, as numbers. */
export function versionAtLeast(version: string | null | undefined, min: string): boolean {
  if (!version) return false;
  const a = version.split('.').map((p) => parseInt(p, 10) || 0);
  const b = min.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** Telegram's own QR scanner (web_app_open_scan_qr_popup, Bot API 6.4) exists in its phone apps only. */
export function telegramCanScan(tg: Pick<TelegramLaunch, 'version' | 'platform'> | null): boolean {
  if (!tg || !versionAtLeast(tg.version, '6.4')) return false;
  return /^(android|android_x|ios)$/.test(tg.platform ?? '');
}
