// The geometry of the dashboard's charts, pure (chartMath.test.ts): scales, round ticks, line paths, bar boxes and
// heat-map shades. charts.ts turns them into SVG.

/** About `count` round tick values from 0 up to at least `max` (1, 2, 2.5 or 5 × a power of ten apart). */
export function niceTicks(max: number, count = 4, minStep = 0): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  // minStep 1 for whole quantities (counts, points, minor units): no "0, 0.5, 1" that would print as "0, 1, 1".
  const step = Math.max(minStep, [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow);
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2 && ticks.length <= count + 1; v += step) ticks.push(Number(v.toPrecision(12)));
  if ((ticks[ticks.length - 1] ?? 0) < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const plotWidth = (f: Frame) => f.width - f.left - f.right;
export const plotHeight = (f: Frame) => f.height - f.top - f.bottom;

/** A value on the y axis [0, top] → its y coordinate (top of the plot = top). */
export const yOf = (v: number, top: number, f: Frame) => f.top + plotHeight(f) * (1 - (top > 0 ? Math.min(1, Math.max(0, v / top)) : 0));

/** The x of point i of n, spread over the plot (a single point in the middle). */
export const xOf = (i: number, n: number, f: Frame) => f.left + (n <= 1 ? plotWidth(f) / 2 : (plotWidth(f) * i) / (n - 1));

const r1 = (n: number) => Math.round(n * 10) / 10;

/** The SVG path of a line through the values ("M x y L x y …"); '' without values. */
export function linePath(values: readonly number[], top: number, f: Frame): string {
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${r1(xOf(i, values.length, f))} ${r1(yOf(v, top, f))}`).join(' ');
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One bar per value, a bucket each, with a gap; negative values count as 0. */
export function barBoxes(values: readonly number[], top: number, f: Frame, gap = 0.2): Box[] {
  const n = values.length;
  if (!n) return [];
  const slot = plotWidth(f) / n;
  const w = Math.max(1, slot * (1 - gap));
  return values.map((v, i) => {
    const y = yOf(Math.max(0, v), top, f);
    return { x: r1(f.left + slot * i + (slot - w) / 2), y: r1(y), w: r1(w), h: r1(f.top + plotHeight(f) - y) };
  });
}

/** The largest value in several series (at least 0). */
export const maxOf = (...series: (readonly number[])[]) => Math.max(0, ...series.flat());

/** A cell's shade: 0 → the lightest, max → the darkest, between the two colours (#rrggbb) by the square root. */
export function heatColor(v: number, max: number, from = '#eef4ff', to = '#1d4ed8'): string {
  const t = max > 0 ? Math.sqrt(Math.min(1, Math.max(0, v / max))) : 0;
  const c = (hex: string, i: number) => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  const mix = [0, 1, 2].map((i) => Math.round(c(from, i) + (c(to, i) - c(from, i)) * t));
  return `#${mix.map((n) => n.toString(16).padStart(2, '0')).join('')}`;
}

/** Which labels to show under n buckets so that at most `most` appear (always the first and the last). */
export function labelEvery(n: number, most = 8): (i: number) => boolean {
  const step = Math.max(1, Math.ceil(n / most));
  return (i) => i === n - 1 || (i % step === 0 && n - 1 - i >= step / 2);
}
