// The card's QR code: lean-qr's nano encoder (≈3 KB), drawn pixel-exact, black on white, with a 4-module quiet zone,
// so till scanners and screenshot decoders (jsQR) read it whatever the theme. The pixel maths is pure (qr.test.ts).
import { correction, generate } from 'lean-qr/nano';

export const QUIET_MODULES = 4;
export const MIN_MODULE_PX = 6;

export interface QrMatrix {
  size: number;
  get(x: number, y: number): boolean;
}

export function encodeQr(text: string): QrMatrix {
  return generate(text, { minCorrectionLevel: correction.M });
}

/** Whole device pixels per module: as large as fits the target width, never under MIN_MODULE_PX. */
export function qrScale(modules: number, targetCssPx: number, devicePixelRatio: number): number {
  const total = modules + 2 * QUIET_MODULES;
  const dpr = devicePixelRatio > 0 && Number.isFinite(devicePixelRatio) ? devicePixelRatio : 1;
  return Math.max(MIN_MODULE_PX, Math.floor((targetCssPx * dpr) / total));
}

/** RGBA pixels of the code with its quiet zone: width × width, `scale` pixels per module. */
export function qrPixels(qr: QrMatrix, scale: number): { width: number; data: Uint8ClampedArray } {
  const width = (qr.size + 2 * QUIET_MODULES) * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let my = 0; my < qr.size; my++) {
    for (let mx = 0; mx < qr.size; mx++) {
      if (!qr.get(mx, my)) continue;
      const x0 = (mx + QUIET_MODULES) * scale;
      const y0 = (my + QUIET_MODULES) * scale;
      for (let y = y0; y < y0 + scale; y++) {
        const row = y * width;
        for (let x = x0; x < x0 + scale; x++) {
          const i = (row + x) * 4;
          data[i] = 0;
          data[i + 1] = 0;
          data[i + 2] = 0;
        }
      }
    }
  }
  return { width, data };
}
