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

/** The WCAG 2 contrast ratio of two colours, 1 … 21 (non-colours count as white). */
export function contrastRatio(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

const hex2 = (v: number) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0');

/** `color` moved `amount` (0…1) of the way towards `to`, as #rrggbb. */
export function mix(color: string, to: string, amount: number): string {
  const a = rgb(color) ?? [0, 0, 0];
  const b = rgb(to) ?? [0, 0, 0];
  return `#${a.map((v, i) => hex2(v + (b[i]! - v) * amount)).join('')}`;
}

/**
 * `color`, darkened (on a light background) or lightened (on a dark one) just enough to reach `min`:1 against
 * `background`; unchanged (as #rrggbb) when it already does. Black or white when even they cannot reach it.
 */
export function readableOn(background: string, color: string, min = 4.5): string {
  const base = isColor(color) ? mix(color, color, 0) : '#000000';
  if (contrastRatio(background, base) >= min) return base;
  const target = textColorOn(background);
  if (contrastRatio(background, target) < min) return target;
  // Contrast grows steadily on the way to black (or white): the least step that reads, to 1/1024.
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 10; i++) {
    const mid = (lo + hi) / 2;
    if (contrastRatio(background, mix(base, target, mid)) >= min) hi = mid;
    else lo = mid;
  }
  // Rounding to whole channels can cost a hair: step on until it really reads.
  let out = mix(base, target, hi);
  for (let step = hi; contrastRatio(background, out) < min && step < 1; ) out = mix(base, target, (step = Math.min(1, step + 1 / 256)));
  return out;
}

/** `color` made readable on every one of `backgrounds` (all light or all dark, as a page's are). */
export function readableOnAll(backgrounds: string[], color: string, min = 4.5): string {
  let out = color;
  for (let pass = 0; pass < 2; pass++) for (const bg of backgrounds) out = readableOn(bg, out, min);
  return out;
}

/** A computed CSS colour ("rgb(r, g, b)", "rgba(…)", "color(srgb r g b)") or a hex colour as #rrggbb; null otherwise. */
export function cssColorToHex(value: string | null | undefined): string | null {
  const v = (value ?? '').trim();
  if (isColor(v)) return mix(v, v, 0);
  let m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*(?:[,/]\s*([\d.]+%?)\s*)?\)$/i.exec(v);
  if (m) {
    if (m[4] !== undefined && parseFloat(m[4]) === 0) return null;
    return `#${hex2(+m[1]!)}${hex2(+m[2]!)}${hex2(+m[3]!)}`;
  }
  m = /^color\(srgb\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/i.exec(v);
  return m ? `#${hex2(+m[1]! * 255)}${hex2(+m[2]! * 255)}${hex2(+m[3]! * 255)}` : null;
}
