// The business's branding as CSS variables: the card keeps its brand colours in Telegram too; the page around it
// follows prefers-color-scheme, or Telegram's theme inside Telegram (telegram.ts). Whatever the brand's colours and
// the page's theme, text stays readable (≥ 4.5:1, WCAG AA): links and the active tab on the page, the buttons' text,
// the card's text on the card. The colours the stylesheet arrives at are read back and nudged (color.ts readableOn)
// — again when the system's dark mode or Telegram's theme changes.
import type { CardBranding } from '../../../src/client/card.js';
import { cssColorToHex, textColorOn } from '../../shared/color.js';
import { isColor } from './launch.js';
import { readableColors, type PageColors } from './readable.js';

const COMPUTED = ['--link', '--btn-text', '--card-text', '--card-hint', '--danger', '--danger-text'] as const;
let current: CardBranding | null = null;
let watching = false;

/** The colour a CSS variable comes to on this page (var() chains, color-mix() and all), as #rrggbb. */
function resolve(probe: HTMLElement, variable: string, fallback: string): string {
  probe.style.setProperty('color', `var(${variable})`);
  return cssColorToHex(getComputedStyle(probe).color) ?? fallback;
}

/** Reads the page's colours as the stylesheet makes them now and sets the readable ones. */
export function refreshColors(): void {
  const root = document.documentElement;
  const style = root.style;
  for (const v of COMPUTED) style.removeProperty(v);
  if (current) {
    if (isColor(current.accentColor)) style.setProperty('--accent-text', textColorOn(current.accentColor));
    if (isColor(current.cardTextColor)) style.setProperty('--card-text', current.cardTextColor);
    else if (isColor(current.cardColor)) style.setProperty('--card-text', textColorOn(current.cardColor));
  }
  const probe = document.createElement('span');
  probe.hidden = true;
  root.appendChild(probe);
  try {
    const page: PageColors = {
      bg: resolve(probe, '--bg', '#ffffff'),
      surface: resolve(probe, '--surface', '#ffffff'),
      link: resolve(probe, '--link', '#2b66f5'),
      btn: resolve(probe, '--btn', '#2b66f5'),
      btnText: resolve(probe, '--btn-text', '#ffffff'),
      cardBg: resolve(probe, '--card-bg', '#1f2a44'),
      cardText: resolve(probe, '--card-text', '#ffffff'),
      danger: resolve(probe, '--danger', '#d12b2b'),
    };
    const out = readableColors(page);
    style.setProperty('--link', out.link);
    style.setProperty('--btn-text', out.btnText);
    style.setProperty('--card-text', out.cardText);
    style.setProperty('--card-hint', out.cardHint);
    style.setProperty('--danger', out.danger);
    style.setProperty('--danger-text', out.dangerText);
  } finally {
    probe.remove();
  }
}

export function applyBranding(branding: CardBranding | null | undefined, businessName: string): void {
  const style = document.documentElement.style;
  const set = (name: string, value: string | null | undefined) => {
    if (isColor(value)) style.setProperty(name, value);
  };
  current = branding ?? null;
  if (branding) {
    set('--accent', branding.accentColor);
    set('--card-bg', branding.cardColor);
  }
  refreshColors();
  if (!watching) {
    watching = true;
    window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => refreshColors());
  }
  if (businessName) document.title = businessName;
}

/** https: or data:image/ only: a logo may never be script or a local address trick. */
export function safeLogoUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  return /^https:\/\/[^\s"'<>]+$/i.test(url) || /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/i.test(url) ? url : null;
}
