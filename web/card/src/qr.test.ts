import { describe, expect, it } from 'vitest';
import { MIN_MODULE_PX, QUIET_MODULES, encodeQr, qrPixels, qrScale } from './qr.js';

const token = `k1${'AbCdEfGh_-12'.repeat(4)}`;

describe('card QR', () => {
  it('encodes a card token in a small code', () => {
    const qr = encodeQr(token);
    expect(qr.size).toBeGreaterThanOrEqual(21);
    expect(qr.size).toBeLessThanOrEqual(37);
    // Finder pattern in the top-left corner.
    expect(qr.get(0, 0)).toBe(true);
    expect(qr.get(1, 1)).toBe(false);
    expect(qr.get(3, 3)).toBe(true);
  });

  it('uses whole pixels per module, never fewer than the minimum', () => {
    expect(qrScale(33, 300, 1)).toBe(7);
    expect(qrScale(33, 300, 2)).toBe(14);
    expect(qrScale(33, 100, 1)).toBe(MIN_MODULE_PX);
    expect(qrScale(33, 300, Number.NaN)).toBe(7);
  });

  it('draws black modules on white with a 4-module quiet zone', () => {
    const qr = encodeQr(token);
    const scale = 6;
    const { width, data } = qrPixels(qr, scale);
    expect(width).toBe((qr.size + 2 * QUIET_MODULES) * scale);
    const px = (x: number, y: number) => [data[(y * width + x) * 4], data[(y * width + x) * 4 + 1], data[(y * width + x) * 4 + 2], data[(y * width + x) * 4 + 3]];
    const quiet = QUIET_MODULES * scale;
    for (let i = 0; i < width; i++) {
      expect(px(i, quiet - 1)).toEqual([255, 255, 255, 255]);
      expect(px(quiet - 1, i)).toEqual([255, 255, 255, 255]);
    }
    // Every module is a solid scale × scale square.
    for (let my = 0; my < qr.size; my++) {
      for (let mx = 0; mx < qr.size; mx++) {
        const v = qr.get(mx, my) ? 0 : 255;
        for (const [dx, dy] of [[0, 0], [scale - 1, 0], [0, scale - 1], [scale - 1, scale - 1]] as const) {
          expect(px(quiet + mx * scale + dx, quiet + my * scale + dy)).toEqual([v, v, v, 255]);
        }
      }
    }
  });
});
