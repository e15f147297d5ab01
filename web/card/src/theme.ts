// The business's branding as CSS variables: the card keeps its brand colours in Telegram too; the page around it
// follows prefers-color-scheme, or Telegram's theme inside Telegram (telegram.ts).
import type { CardBranding } from '../../../src/client/card.js';
import { textColorOn } from '../../shared/color.js';
import { isColor } from './launch.js';

export function applyBranding(branding: CardBranding | null | undefined, businessName: string): void {
  const style = document.documentElement.style;
  const set = (name: string, value: string | null | undefined) => {
    if (isColor(value)) style.setProperty(name, value);
  };
  if (branding) {
    set('--accent', branding.accentColor);
    if (isColor(branding.accentColor)) set('--accent-text', textColorOn(branding.accentColor));
    set('--card-bg', branding.cardColor);
    set('--card-text', isColor(branding.cardTextColor) ? branding.cardTextColor : isColor(branding.cardColor) ? textColorOn(branding.cardColor) : null);
  }
  if (businessName) document.title = businessName;
}

/** https: or data:image/ only: a logo may never be script or a local address trick. */
export function safeLogoUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  return /^https:\/\/[^\s"'<>]+$/i.test(url) || /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/i.test(url) ? url : null;
}
