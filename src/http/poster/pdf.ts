// A one-page PDF written by hand: the shapes as filled rectangles and outlines in the page's content stream (text
// included, as glyph outlines: no font is embedded, and Cyrillic prints the same everywhere).
import { deflateSync } from 'node:zlib';
import type { PathCommand } from 'opentype.js';
import type { Rgb, Shape } from './drawing.js';

const n = (v: number) => (Math.round(v * 100) / 100).toString();
const rgb = (c: Rgb) => `${n(c[0] / 255)} ${n(c[1] / 255)} ${n(c[2] / 255)} rg`;

function pathOps(commands: PathCommand[], height: number): string {
  const y = (v: number) => n(height - v); // PDF's y grows upwards
  const out: string[] = [];
  let cx = 0;
  let cy = 0;
  for (const c of commands) {
    if (c.type === 'M') out.push(`${n(c.x)} ${y(c.y)} m`);
    else if (c.type === 'L') out.push(`${n(c.x)} ${y(c.y)} l`);
    else if (c.type === 'C') out.push(`${n(c.x1)} ${y(c.y1)} ${n(c.x2)} ${y(c.y2)} ${n(c.x)} ${y(c.y)} c`);
    else if (c.type === 'Q') {
      // A quadratic curve is the cubic with control points 2/3 of the way to the quadratic's one.
      const x1 = cx + (2 / 3) * (c.x1 - cx);
      const y1 = cy + (2 / 3) * (c.y1 - cy);
      const x2 = c.x + (2 / 3) * (c.x1 - c.x);
      const y2 = c.y + (2 / 3) * (c.y1 - c.y);
      out.push(`${n(x1)} ${y(y1)} ${n(x2)} ${y(y2)} ${n(c.x)} ${y(c.y)} c`);
    } else out.push('h');
    if (c.type !== 'Z') {
      cx = c.x;
      cy = c.y;
    }
  }
  return out.join('\n');
}

export function encodePdf(shapes: Shape[], page: { width: number; height: number }, title: string): Buffer {
  const ops: string[] = [];
  for (const s of shapes) {
    if (s.kind === 'rect') ops.push(`${rgb(s.color)} ${n(s.x)} ${n(page.height - s.y - s.h)} ${n(s.w)} ${n(s.h)} re f`);
    else ops.push(`${rgb(s.color)}\n${pathOps(s.commands, page.height)}\nf`);
  }
  const content = deflateSync(Buffer.from(ops.join('\n'), 'latin1'));
  // The title in the document information, as UTF-16BE (the PDF text string form that holds any script).
  const utf16 = Buffer.from(`\ufeff${title}`, 'utf16le').swap16().toString('hex');
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${n(page.width)} ${n(page.height)}] /Resources << >> /Contents 4 0 R >>`),
    Buffer.concat([Buffer.from(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`), content, Buffer.from('\nendstream')]),
    Buffer.from(`<< /Title <${utf16}> /Producer (Kopilka) >>`),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((body, i) => {
    offsets.push(length);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    parts.push(obj);
    length += obj.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}
