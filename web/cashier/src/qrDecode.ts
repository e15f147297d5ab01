// Reading a QR code from pixels: the browser's BarcodeDetector where it has one (Android Chrome, Safari 17+), else
// jsQR, fetched only when first needed (a dynamic import, its own chunk: the first screen stays small).
import type jsQRType from 'jsqr';

type JsQr = typeof jsQRType;

let jsQrLoad: Promise<JsQr> | null = null;

/** jsQR, loaded once. It is CommonJS with an ES-style default export: the function is one or two `default`s deep. */
export function loadJsQr(): Promise<JsQr> {
  jsQrLoad ??= import('jsqr').then(
    (m) => {
      let f: unknown = m;
      for (let i = 0; i < 2 && typeof f !== 'function'; i++) f = (f as { default?: unknown } | null)?.default;
      if (typeof f !== 'function') throw new Error('jsQR did not load');
      return f as JsQr;
    },
    (e: unknown) => {
      jsQrLoad = null; // a lost connection: try again next time
      throw e;
    },
  );
  return jsQrLoad;
}

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource | ImageBitmap): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?(): Promise<string[]>;
}

let detectorLoad: Promise<BarcodeDetectorLike | null> | null = null;

/** The browser's QR detector, or null when it has none that reads QR codes. */
export function barcodeDetector(): Promise<BarcodeDetectorLike | null> {
  detectorLoad ??= (async () => {
    const Ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
    if (typeof Ctor !== 'function') return null;
    try {
      const formats = (await Ctor.getSupportedFormats?.()) ?? ['qr_code'];
      return formats.includes('qr_code') ? new Ctor({ formats: ['qr_code'] }) : null;
    } catch {
      return null;
    }
  })();
  return detectorLoad;
}

/** Draws `source` into `canvas` at most `maxSide` pixels on its longer side and reads a QR code there with jsQR. */
export function decodeWithJsQr(jsQR: JsQr, canvas: HTMLCanvasElement, source: CanvasImageSource, width: number, height: number, maxSide: number, attempts: 'dontInvert' | 'attemptBoth' = 'dontInvert'): string | null {
  if (!width || !height) return null;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(source, 0, 0, w, h);
  const image = ctx.getImageData(0, 0, w, h);
  return jsQR(image.data, w, h, { inversionAttempts: attempts })?.data || null;
}

/** The text of the QR code in a photo or screenshot the cashier picked; null when none could be read. */
export async function decodeImageFile(file: Blob): Promise<string | null> {
  const [jsQR, image] = await Promise.all([loadJsQr(), loadImage(file)]);
  try {
    const canvas = document.createElement('canvas');
    // A phone photo is large: a reduced copy reads faster and usually as well; the full size is tried after.
    for (const side of [1024, 2048]) {
      const text = decodeWithJsQr(jsQR, canvas, image.source, image.width, image.height, side, 'attemptBoth');
      if (text) return text;
      if (Math.max(image.width, image.height) <= side) break;
    }
    return null;
  } finally {
    image.close();
  }
}

async function loadImage(file: Blob): Promise<{ source: CanvasImageSource; width: number; height: number; close(): void }> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bitmap = await createImageBitmap(file);
      return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
    } catch {
      // not an image createImageBitmap knows (HEIC on some phones): let an <img> try
    }
  }
  const url = URL.createObjectURL(file);
  const img = new Image();
  img.decoding = 'async';
  img.src = url;
  try {
    await img.decode();
  } catch {
    URL.revokeObjectURL(url);
    throw new Error('not an image');
  }
  return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) };
}
