// Talking to Telegram when the card runs as a Mini App, without Telegram's telegram-web-app.js (no internet, and
// size): events go out through TelegramWebviewProxy (mobile and desktop apps) or postMessage to the parent frame
// (Telegram Web); theme changes come back through window.Telegram.WebView.receiveEvent or a message. Every call is
// guarded: outside Telegram nothing happens and nothing throws.
import { isDark } from '../../shared/color.js';
import { isColor, parseThemeParams, themeVariable } from './launch.js';

interface TelegramWindow {
  TelegramWebviewProxy?: { postEvent(eventType: string, eventData: string): void };
  Telegram?: {
    WebApp?: { initData?: string; themeParams?: Record<string, unknown> };
    WebView?: { receiveEvent?: (eventType: string, eventData: unknown) => void };
  };
}

const tgWindow = () => window as unknown as TelegramWindow;

/** window.Telegram.WebApp.initData, when Telegram's own script is on the page. */
export function webAppInitData(): string | null {
  try {
    const d = tgWindow().Telegram?.WebApp?.initData;
    return typeof d === 'string' && d ? d : null;
  } catch {
    return null;
  }
}

function isFramed(): boolean {
  try {
    return window.parent != null && window.parent !== window;
  } catch {
    return true;
  }
}

export function postEvent(eventType: string): void {
  try {
    const proxy = tgWindow().TelegramWebviewProxy;
    if (proxy && typeof proxy.postEvent === 'function') {
      proxy.postEvent(eventType, '');
    } else if (isFramed()) {
      window.parent.postMessage(JSON.stringify({ eventType, eventData: {} }), '*');
    }
  } catch {
    // not inside Telegram after all
  }
}

/** Sets Telegram's colours as CSS variables (--tg-theme-bg-color, …); styles.css maps them onto the page. */
export function applyTelegramTheme(params: Record<string, string>): void {
  const root = document.documentElement;
  root.classList.add('tg');
  for (const [key, value] of Object.entries(params)) {
    if (isColor(value)) root.style.setProperty(themeVariable(key), value);
  }
  const bg = params.bg_color;
  if (bg) root.style.colorScheme = isDark(bg) ? 'dark' : 'light';
}

/** Tells Telegram the page is ready, asks for the full height, and follows later theme changes. */
export function startTelegram(initialTheme: Record<string, string>, onTheme: (params: Record<string, string>) => void): void {
  applyTelegramTheme(initialTheme);
  const handle = (eventType: unknown, eventData: unknown) => {
    if (eventType !== 'theme_changed' || !eventData || typeof eventData !== 'object') return;
    const params = parseThemeParams(JSON.stringify((eventData as { theme_params?: unknown }).theme_params ?? null));
    applyTelegramTheme(params);
    onTheme(params);
  };
  try {
    const w = tgWindow();
    w.Telegram = w.Telegram ?? {};
    if (!w.Telegram.WebView) w.Telegram.WebView = { receiveEvent: handle };
    window.addEventListener('message', (e: MessageEvent) => {
      if (e.source !== window.parent || typeof e.data !== 'string') return;
      try {
        const m = JSON.parse(e.data) as { eventType?: unknown; eventData?: unknown };
        handle(m.eventType, m.eventData);
      } catch {
        // not a Telegram message
      }
    });
  } catch {
    // ignore
  }
  postEvent('web_app_ready');
  postEvent('web_app_expand');
}
