// Puts the card's QR code on a <canvas> (the DOM half of qr.ts).
import { encodeQr, qrPixels, qrScale } from './qr.js';

/** Draws `text` on the canvas, one canvas pixel per device pixel, about `targetCssPx` CSS pixels wide. */
export function drawQr(canvas: HTMLCanvasElement, text: string, targetCssPx: number): void {
  const qr = encodeQr(text);
  const dpr = window.devicePixelRatio || 1;
  const scale = qrScale(qr.size, targetCssPx, dpr);
  const { width, data } = qrPixels(qr, scale);
  canvas.width = width;
  canvas.height = width;
  canvas.style.width = `${width / dpr}px`;
  canvas.style.height = `${width / dpr}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(width, width);
  image.data.set(data);
  ctx.putImageData(image, 0, 0);
}
