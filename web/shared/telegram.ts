// Talking to Telegram when an app (the card, the cashier screen) runs as a Mini App, without Telegram's
// telegram-web-app.js (no internet, and size): events go out through TelegramWebviewProxy (mobile and desktop apps)
// or postMessage to the parent frame (Telegram Web); events come back through window.Telegram.WebView.receiveEvent or
// a message from the parent. Used for the theme and for Telegram's own QR scanner. Every call is guarded: outside
// Telegram nothing happens and nothing throws.
import { isDark } from './color.js';
import { isColor, parseThemeParams, themeVariable } from './telegramLaunch.js';

type Listener = (eventData: unknown) => void;

interface TelegramWindow {
  TelegramWebviewProxy?: { postEvent(eventType: string, eventData: string): void };
  Telegram?: {
    WebApp?: { initData?: string };
    WebView?: { receiveEvent?: (eventType: string, eventData: unknown) => void };
  };
}

const tgWindow = () => window as unknown as TelegramWindow;
const listeners = new Map<string, Set<Listener>>();
let listening = false;

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

/** Sends an event to Telegram; false when there is no Telegram to send it to. */
export function postEvent(eventType: string, eventData?: Record<string, unknown>): boolean {
  try {
    const proxy = tgWindow().TelegramWebviewProxy;
    if (proxy && typeof proxy.postEvent === 'function') {
      proxy.postEvent(eventType, eventData === undefined ? '' : JSON.stringify(eventData));
      return true;
    }
    if (isFramed()) {
      window.parent.postMessage(JSON.stringify({ eventType, eventData: eventData ?? {} }), '*');
      return true;
    }
  } catch {
    // not inside Telegram after all
  }
  return false;
}

function dispatch(eventType: unknown, eventData: unknown): void {
  if (typeof eventType !== 'string') return;
  for (const l of [...(listeners.get(eventType) ?? [])]) {
    try {
      l(eventData);
    } catch (e) {
      console.error(e);
    }
  }
}

/** Installs window.Telegram.WebView.receiveEvent (as telegram-web-app.js does) and the parent frame's messages. */
function listen(): void {
  if (listening) return;
  listening = true;
  try {
    const w = tgWindow();
    w.Telegram = w.Telegram ?? {};
    const previous = w.Telegram.WebView?.receiveEvent;
    w.Telegram.WebView = {
      ...(w.Telegram.WebView ?? {}),
      receiveEvent: (eventType: string, eventData: unknown) => {
        dispatch(eventType, eventData);
        if (typeof previous === 'function') previous(eventType, eventData);
      },
    };
    window.addEventListener('message', (e: MessageEvent) => {
      if (e.source !== window.parent || typeof e.data !== 'string') return;
      try {
        const m = JSON.parse(e.data) as { eventType?: unknown; eventData?: unknown };
        dispatch(m.eventType, m.eventData);
      } catch {
        // not a Telegram message
      }
    });
  } catch {
    // ignore
  }
}

/** Calls `listener` for every `eventType` event from Telegram until the returned function is called. */
export function onTelegramEvent(eventType: string, listener: Listener): () => void {
  listen();
  let set = listeners.get(eventType);
  if (!set) listeners.set(eventType, (set = new Set()));
  set.add(listener);
  return () => void set.delete(listener);
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
export function startTelegram(initialTheme: Record<string, string>, onTheme?: (params: Record<string, string>) => void): void {
  applyTelegramTheme(initialTheme);
  onTelegramEvent('theme_changed', (data) => {
    if (!data || typeof data !== 'object') return;
    const params = parseThemeParams(JSON.stringify((data as { theme_params?: unknown }).theme_params ?? null));
    applyTelegramTheme(params);
    onTheme?.(params);
  });
  postEvent('web_app_ready');
  postEvent('web_app_expand');
}

/**
 * Telegram's own QR scanner (web_app_open_scan_qr_popup): resolves with the first text read (qr_text_received), the
 * popup closed by us then; null when the cashier closes it (scan_qr_popup_closed).
 */
export function scanWithTelegram(text: string): Promise<string | null> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: string | null) => {
      if (done) return;
      done = true;
      offText();
      offClosed();
      resolve(value);
    };
    const offText = onTelegramEvent('qr_text_received', (data) => {
      const value = data && typeof data === 'object' ? (data as { data?: unknown }).data : null;
      if (typeof value !== 'string' || !value) return; // keep scanning
      postEvent('web_app_close_scan_qr_popup');
      finish(value);
    });
    const offClosed = onTelegramEvent('scan_qr_popup_closed', () => finish(null));
    if (!postEvent('web_app_open_scan_qr_popup', { text })) finish(null);
  });
}
