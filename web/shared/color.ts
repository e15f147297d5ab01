// Colour arithmetic for branding and themes, shared by the front ends (pure: color.test.ts).

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** A CSS hex colour (#rgb, #rrggbb, #rrggbbaa). */
export function isColor(value: unknown): value is string {
  return typeof value === 'string' && COLOR.test(value);
}

/** #rgb, #rrggbb or #rrggbbaa → [r, g, b] 0…255; null for anything else. */
export function rgb(hex: string): [number, number, number] | null {
  if (!isColor(hex)) return null;
  const h = hex.length === 4 ? hex.slice(1).replace(/./g, '$&$&') : hex.slice(1, 7);
  const n = parseInt(h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** WCAG relative luminance, 0 (black) … 1 (white). */
export function luminance(hex: string): number {
  const c = rgb(hex);
  if (!c) return 1;
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function isDark(hex: string): boolean {
  return luminance(hex) < 0.18;
}

/** Black or white, whichever reads better on `background`. */
export function textColorOn(background: string): '#000000' | '#ffffff' {
  const l = luminance(background);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}
