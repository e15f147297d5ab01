// The dashboard's SVG charts, drawn here (no chart library): line and bar series and a 7×24 heat map. Each chart has
// a title and a text summary for screen readers (role="img" + aria-label); the geometry is in chartMath.ts.
import { barBoxes, heatColor, labelEvery, linePath, maxOf, niceTicks, xOf, yOf, type Frame } from './chartMath.js';

const NS = 'http://www.w3.org/2000/svg';
type Attrs = Record<string, string | number>;

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface Series {
  name: string;
  values: number[];
  /** A CSS class giving the colour: s1 … s4. */
  tone: 's1' | 's2' | 's3' | 's4';
}

export interface ChartOptions {
  title: string;
  labels: string[];
  series: Series[];
  format: (n: number) => string;
  kind: 'line' | 'bar';
}

function svgRoot(title: string, summary: string, w: number, h: number): SVGSVGElement {
  const svg = el('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-label': `${title}. ${summary}`, class: 'chart', preserveAspectRatio: 'xMidYMid meet' });
  svg.append(el('title', {}, title));
  return svg;
}

/** Line or bar chart of one or more series over the same buckets, with a y axis, bucket labels and a legend. */
export function seriesChart(o: ChartOptions): SVGSVGElement {
  const f: Frame = { width: 640, height: 240, left: 84, right: 12, top: 12, bottom: 44 };
  const ticks = niceTicks(maxOf(...o.series.map((s) => s.values)), 4, 1);
  const top = ticks[ticks.length - 1] ?? 1;
  const summary = o.series.map((s) => `${s.name}: ${o.format(s.values.reduce((a, b) => a + b, 0))}`).join('; ');
  const svg = svgRoot(o.title, summary, f.width, f.height);
  for (const t of ticks) {
    const y = yOf(t, top, f);
    svg.append(el('line', { x1: f.left, x2: f.width - f.right, y1: y, y2: y, class: 'grid' }));
    svg.append(el('text', { x: f.left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, o.format(t)));
  }
  const n = o.labels.length;
  const show = labelEvery(n, 6);
  o.labels.forEach((label, i) => {
    if (!show(i)) return;
    const x = o.kind === 'bar' ? f.left + ((f.width - f.left - f.right) / Math.max(1, n)) * (i + 0.5) : xOf(i, n, f);
    // The first and last labels are anchored at their ends so they stay inside the picture.
    const anchor = n > 1 && i === 0 ? 'start' : n > 1 && i === n - 1 ? 'end' : 'middle';
    svg.append(el('text', { x, y: f.height - f.bottom + 16, 'text-anchor': anchor, class: 'tick' }, label));
  });
  o.series.forEach((s, si) => {
    if (o.kind === 'line') {
      svg.append(el('path', { d: linePath(s.values, top, f), class: `line ${s.tone}` }));
      if (s.values.length === 1) svg.append(el('circle', { cx: xOf(0, 1, f), cy: yOf(s.values[0] ?? 0, top, f), r: 3, class: `dot ${s.tone}` }));
    } else {
      // Several series side by side within each bucket.
      const k = o.series.length;
      for (const [i, b] of barBoxes(s.values, top, f, 0.25).entries()) {
        const w = b.w / k;
        const rect = el('rect', { x: b.x + w * si, y: b.y, width: Math.max(0.5, w - 0.5), height: b.h, class: `bar ${s.tone}` });
        // Each bar says what it is (a tooltip, and text for screen readers).
        rect.append(el('title', {}, `${o.labels[i] ?? ''}: ${s.name} ${o.format(s.values[i] ?? 0)}`));
        svg.append(rect);
      }
    }
    const lx = f.left + si * 150;
    svg.append(el('rect', { x: lx, y: f.height - 14, width: 10, height: 10, class: `key ${s.tone}` }));
    svg.append(el('text', { x: lx + 14, y: f.height - 5, class: 'legend' }, s.name));
  });
  return svg;
}

/** Card opens by weekday (rows, Monday first) × hour (columns); darker = more. */
export function heatMap(o: { title: string; grid: number[][]; weekdays: string[]; format: (n: number) => string }): SVGSVGElement {
  const cell = 22;
  const left = 34;
  const topPad = 18;
  const w = left + 24 * cell + 4;
  const h = topPad + 7 * cell + 4;
  const max = maxOf(...o.grid);
  const total = o.grid.flat().reduce((a, b) => a + b, 0);
  let peak = { d: 0, hr: 0, v: -1 };
  o.grid.forEach((row, d) => row.forEach((v, hr) => (v > peak.v ? (peak = { d, hr, v }) : null)));
  const summary = total ? `${o.format(total)}; max ${o.weekdays[peak.d] ?? ''} ${peak.hr}:00 (${o.format(peak.v)})` : o.format(0);
  const svg = svgRoot(o.title, summary, w, h);
  for (let hr = 0; hr < 24; hr += 3) svg.append(el('text', { x: left + hr * cell + cell / 2, y: 12, 'text-anchor': 'middle', class: 'tick' }, String(hr)));
  for (let d = 0; d < 7; d++) {
    svg.append(el('text', { x: left - 6, y: topPad + d * cell + cell / 2 + 4, 'text-anchor': 'end', class: 'tick' }, o.weekdays[d] ?? ''));
    for (let hr = 0; hr < 24; hr++) {
      const v = o.grid[d]?.[hr] ?? 0;
      const r = el('rect', { x: left + hr * cell + 1, y: topPad + d * cell + 1, width: cell - 2, height: cell - 2, rx: 3, fill: heatColor(v, max), class: 'cell' });
      r.append(el('title', {}, `${o.weekdays[d] ?? ''} ${hr}:00–${hr + 1}:00: ${o.format(v)}`));
      svg.append(r);
    }
  }
  return svg;
}
