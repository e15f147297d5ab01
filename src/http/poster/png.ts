// Shapes into pixels (non-zero fill with 4×4 supersampling for smooth glyph edges), and pixels into a PNG file
// (zlib from Node; the chunk CRCs computed here).
import { deflateSync } from 'node:zlib';
import type { PathCommand } from 'opentype.js';
import type { Rgb, Shape } from './drawing.js';

const SS = 4;

type Edge = { x0: number; y0: number; x1: number; y1: number; dir: 1 | -1 };

/** Curves flattened into straight edges (in pixels). */
function edgesOf(commands: PathCommand[], scale: number): Edge[] {
  const edges: Edge[] = [];
  let sx = 0;
  let sy = 0;
  let cx = 0;
  let cy = 0;
  const line = (x: number, y: number) => {
    if (y !== cy) edges.push(cy < y ? { x0: cx, y0: cy, x1: x, y1: y, dir: 1 } : { x0: x, y0: y, x1: cx, y1: cy, dir: -1 });
    cx = x;
    cy = y;
  };
  for (const c of commands) {
    if (c.type === 'M') {
      if (cx !== sx || cy !== sy) line(sx, sy);
      sx = cx = c.x * scale;
      sy = cy = c.y * scale;
    } else if (c.type === 'L') line(c.x * scale, c.y * scale);
    else if (c.type === 'Q' || c.type === 'C') {
      const [x0, y0] = [cx, cy];
      const n = 12;
      for (let i = 1; i <= n; i++) {
        const t = i / n;
        const u = 1 - t;
        if (c.type === 'Q') line(u * u * x0 + 2 * u * t * c.x1 * scale + t * t * c.x * scale, u * u * y0 + 2 * u * t * c.y1 * scale + t * t * c.y * scale);
        else line(u * u * u * x0 + 3 * u * u * t * c.x1 * scale + 3 * u * t * t * c.x2 * scale + t * t * t * c.x * scale, u * u * u * y0 + 3 * u * u * t * c.y1 * scale + 3 * u * t * t * c.y2 * scale + t * t * t * c.y * scale);
      }
    } else line(sx, sy);
  }
  if (cx !== sx || cy !== sy) line(sx, sy);
  return edges;
}

export class Raster {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 3).fill(255);
  }

  private blend(x: number, y: number, color: Rgb, alpha: number): void {
    const i = (y * this.width + x) * 3;
    for (let k = 0; k < 3; k++) this.data[i + k] = Math.round(this.data[i + k]! * (1 - alpha) + color[k]! * alpha);
  }

  rect(x: number, y: number, w: number, h: number, color: Rgb): void {
    // Edges snapped to whole pixels: QR modules stay crisp.
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let py = y0; py < y1; py++) for (let px = x0; px < x1; px++) this.blend(px, py, color, 1);
  }

  path(commands: PathCommand[], scale: number, color: Rgb): void {
    const edges = edgesOf(commands, scale);
    if (edges.length === 0) return;
    const top = Math.max(0, Math.floor(Math.min(...edges.map((e) => e.y0))));
    const bottom = Math.min(this.height, Math.ceil(Math.max(...edges.map((e) => e.y1))));
    const coverage = new Float32Array(this.width);
    for (let py = top; py < bottom; py++) {
      coverage.fill(0);
      let minX = this.width;
      let maxX = -1;
      for (let s = 0; s < SS; s++) {
        const y = py + (s + 0.5) / SS;
        const hits: { x: number; dir: number }[] = [];
        for (const e of edges) if (y >= e.y0 && y < e.y1) hits.push({ x: e.x0 + ((y - e.y0) / (e.y1 - e.y0)) * (e.x1 - e.x0), dir: e.dir });
        hits.sort((a, b) => a.x - b.x);
        let winding = 0;
        for (let i = 0; i < hits.length - 1; i++) {
          winding += hits[i]!.dir;
          if (winding === 0) continue;
          // Horizontal coverage of [a, b) in SS sub-columns per pixel.
          const a = Math.max(0, hits[i]!.x * SS);
          const b = Math.min(this.width * SS, hits[i + 1]!.x * SS);
          for (let sub = Math.ceil(a - 0.5); sub + 0.5 < b; sub++) {
            const px = Math.floor(sub / SS);
            coverage[px]! += 1 / (SS * SS);
            if (px < minX) minX = px;
            if (px > maxX) maxX = px;
          }
        }
      }
      for (let px = minX; px <= maxX; px++) if (coverage[px]! > 0) this.blend(px, py, color, Math.min(1, coverage[px]!));
    }
  }

  draw(shapes: Shape[], scale: number): void {
    for (const s of shapes) {
      if (s.kind === 'rect') this.rect(s.x * scale, s.y * scale, s.w * scale, s.h * scale, s.color);
      else this.path(s.commands, scale, s.color);
    }
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGB PNG with a physical size (pHYs), so it prints at `dpi`. */
export function encodePng(r: Raster, dpi: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(r.width, 0);
  ihdr.writeUInt32BE(r.height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method variants, no interlace
  const stride = r.width * 3;
  const raw = Buffer.alloc((stride + 1) * r.height);
  for (let y = 0; y < r.height; y++) raw.set(r.data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1); // filter 0 per row
  const phys = Buffer.alloc(9);
  const perMetre = Math.round(dpi / 0.0254);
  phys.writeUInt32BE(perMetre, 0);
  phys.writeUInt32BE(perMetre, 4);
  phys[8] = 1;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('pHYs', phys), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', Buffer.alloc(0))]);
}
