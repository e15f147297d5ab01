// A QR code as a PNG file, as a phone camera would photograph a customer's card (for the cashier's file input).
import { writeFileSync } from 'node:fs';
import { generate } from 'lean-qr';
import { PNG } from 'pngjs';

export function writeQrPng(text: string, file: string, scale = 8): void {
  const code = generate(text);
  const quiet = 4;
  const side = (code.size + quiet * 2) * scale;
  const png = new PNG({ width: side, height: side });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const dark = code.get(Math.floor(x / scale) - quiet, Math.floor(y / scale) - quiet);
      const i = (y * side + x) * 4;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = dark ? 0 : 255;
      png.data[i + 3] = 255;
    }
  }
  writeFileSync(file, PNG.sync.write(png));
}
