// The "scan to join" poster: the business's name on its card colour, the call to scan, the QR code of the join
// link, the points' name and the link written out for those without a camera.
import { generate } from 'lean-qr';
import { A4, centredText, hexColor, luminance, posterFont, type Rgb, type Shape } from './drawing.js';

export interface PosterContent {
  businessName: string;
  pointsName: string;
  /** What the QR code opens: the customer bot's t.me link, or the card app's sign-up link. */
  link: string;
  branding: { accentColor: string; cardColor: string; cardTextColor: string };
}

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

export function posterShapes(p: PosterContent): { shapes: Shape[]; width: number; height: number } {
  const font = posterFont();
  const card = hexColor(p.branding.cardColor, [31, 42, 68]);
  const cardText = hexColor(p.branding.cardTextColor, WHITE);
  const accent = hexColor(p.branding.accentColor, [47, 111, 237]);
  // A QR code scans best dark on light: the card colour when it is dark enough, else black.
  const ink: Rgb = luminance(card) < 0.4 ? card : BLACK;
  const cx = A4.width / 2;
  const shapes: Shape[] = [
    { kind: 'rect', x: 0, y: 0, w: A4.width, h: A4.height, color: WHITE },
    { kind: 'rect', x: 0, y: 0, w: A4.width, h: 170, color: card },
    ...centredText(font, p.businessName, { centreX: cx, baseline: 105, size: 44, minSize: 22, maxWidth: A4.width - 70, color: cardText }),
    ...centredText(font, 'Сканируйте, чтобы присоединиться', { centreX: cx, baseline: 232, size: 27, maxWidth: A4.width - 60, color: BLACK }),
  ];
  const code = generate(p.link);
  const side = 340;
  const module = side / code.size;
  const left = cx - side / 2;
  const top = 262;
  for (let y = 0; y < code.size; y++) {
    // Runs of dark modules in a row become one rectangle: a smaller PDF, the same picture.
    for (let x = 0; x < code.size; x++) {
      if (!code.get(x, y)) continue;
      let end = x;
      while (end + 1 < code.size && code.get(end + 1, y)) end++;
      shapes.push({ kind: 'rect', x: left + x * module, y: top + y * module, w: (end - x + 1) * module, h: module, color: ink });
      x = end;
    }
  }
  shapes.push(
    ...centredText(font, `Копите ${p.pointsName} с каждой покупкой`, { centreX: cx, baseline: top + side + 62, size: 24, maxWidth: A4.width - 60, color: accent }),
    ...centredText(font, p.link, { centreX: cx, baseline: top + side + 100, size: 12, minSize: 8, maxWidth: A4.width - 60, color: [90, 90, 90] }),
    { kind: 'rect', x: 0, y: A4.height - 24, w: A4.width, h: 24, color: accent },
  );
  return { shapes, width: A4.width, height: A4.height };
}
