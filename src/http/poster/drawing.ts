// A poster as a list of shapes in PDF points on an A4 page (y down), drawn either into pixels (PNG) or into a PDF's
// content stream. Text is drawn from the glyph outlines of a TrueType font (DejaVu Sans Bold: it has Cyrillic), so
// neither output needs a font of its own: the PDF embeds none, and the PNG needs no text renderer.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import opentype, { type Font, type PathCommand } from 'opentype.js';

export const A4 = { width: 595.28, height: 841.89 };

export type Rgb = [number, number, number];

export type Shape =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; color: Rgb }
  /** Closed outlines filled with the non-zero rule (how TrueType glyphs are meant to be filled). */
  | { kind: 'path'; commands: PathCommand[]; color: Rgb };

export function hexColor(hex: string, fallback: Rgb): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : fallback;
}

/** Relative luminance 0 (black) – 1 (white). */
export const luminance = ([r, g, b]: Rgb) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;

let configuredFont: string | null = null;
/** The font file set in the configuration (KOPILKA_POSTER_FONT), tried first; the composition root sets it. */
export function usePosterFont(file: string | null): void {
  configuredFont = file;
  loaded = undefined;
}

function fontCandidates(): string[] {
  const list: string[] = [];
  if (configuredFont) list.push(configuredFont);
  try {
    const pkg = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
    list.push(path.join(path.dirname(pkg), 'ttf', 'DejaVuSans-Bold.ttf'));
  } catch {
    // not installed: the system's copy below
  }
  list.push('/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf');
  return list;
}

let loaded: Font | null | undefined;
/** The poster's font, loaded once; null when none is found (the poster is then drawn without its text lines). */
export function posterFont(): Font | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  for (const file of fontCandidates()) {
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    loaded = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    break;
  }
  return loaded;
}

/** Glyph by glyph (no shaping: DejaVu's contextual tables are beyond opentype.js, and titles need none). */
function layout(font: Font, text: string, size: number): { width: number; draw: (x: number, baseline: number) => PathCommand[] } {
  const glyphs = [...text].map((ch) => font.charToGlyph(ch));
  const advance = (g: (typeof glyphs)[number]) => ((g.advanceWidth ?? 0) * size) / font.unitsPerEm;
  const width = glyphs.reduce((w, g) => w + advance(g), 0);
  return {
    width,
    draw(x, baseline) {
      const out: PathCommand[] = [];
      let at = x;
      for (const g of glyphs) {
        out.push(...g.getPath(at, baseline, size).commands);
        at += advance(g);
      }
      return out;
    },
  };
}

/** A centred line of text, shrunk (down to `minSize`, then cut with …) to fit `maxWidth`. */
export function centredText(font: Font | null, text: string, o: { centreX: number; baseline: number; size: number; minSize?: number; maxWidth: number; color: Rgb }): Shape[] {
  if (!font || text.trim() === '') return [];
  let size = o.size;
  let line = text.trim();
  let l = layout(font, line, size);
  while (l.width > o.maxWidth && size > (o.minSize ?? o.size * 0.6)) {
    size = Math.max(o.minSize ?? o.size * 0.6, size * (o.maxWidth / l.width) * 0.99);
    l = layout(font, line, size);
  }
  while (l.width > o.maxWidth && line.length > 1) {
    line = line.slice(0, -1);
    l = layout(font, `${line.trimEnd()}…`, size);
  }
  return [{ kind: 'path', commands: l.draw(o.centreX - l.width / 2, o.baseline), color: o.color }];
}
