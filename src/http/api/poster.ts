// GET /poster.png and /poster.pdf: the printable A4 "scan to join" poster (see src/http/poster/).
import type { Context } from 'hono';
import { posterData } from '../../app/poster.js';
import { can } from '../../core/index.js';
import { ownOrigin } from '../adminSession.js';
import type { ApiEnv } from '../env.js';
import { HttpError } from '../errors.js';
import { posterShapes } from '../poster/layout.js';
import { encodePdf } from '../poster/pdf.js';
import { Raster, encodePng } from '../poster/png.js';
import type { AnyRoute, ApiRouter } from '../route.js';

const PERMISSION = 'settings.change';
const PNG_DPI = 150;

export function posterRoutes(r: ApiRouter, cardLinkBase: string | null): void {
  const serve = (format: 'png' | 'pdf') => {
    const mediaType = format === 'png' ? 'image/png' : 'application/pdf';
    r.specs.push({
      method: 'get', path: `/poster.${format}`, operationId: format === 'png' ? 'posterPng' : 'posterPdf', tag: 'Program', permission: PERMISSION,
      summary: `The "scan to join" poster as ${format.toUpperCase()} (A4)`,
      description: `An A4 poster to print: the business's name on its card colour, "Сканируйте, чтобы присоединиться", a QR code of the customer bot's t.me link (or the card app's sign-up link when no customer bot is connected), the points' name and the link written out. ${format === 'png' ? `${PNG_DPI} dpi.` : 'Vector: text is drawn as outlines, so no font is needed to print it.'}`,
      responses: { 200: { description: `The poster (${mediaType})`, mediaType } },
      errors: [],
    } as AnyRoute);
    r.hono.get(`/poster.${format}`, async (c: Context<ApiEnv>) => {
      await r.guard(c);
      const caller = c.var.caller;
      if (caller.kind === 'staff' && !can(caller.staff.role, PERMISSION)) throw new HttpError(403, 'forbidden', `A ${caller.staff.role} may not do ${PERMISSION}`, { action: PERMISSION, role: caller.staff.role });
      const data = await posterData(c.var.deps, { businessId: caller.businessId, cardBase: cardLinkBase ?? `${ownOrigin(c)}/card/` });
      const { shapes, width, height } = posterShapes(data);
      let body: Buffer;
      if (format === 'png') {
        const scale = PNG_DPI / 72;
        const raster = new Raster(Math.round(width * scale), Math.round(height * scale));
        raster.draw(shapes, scale);
        body = encodePng(raster, PNG_DPI);
      } else body = encodePdf(shapes, { width, height }, data.businessName);
      return new Response(new Uint8Array(body), {
        status: 200,
        headers: { 'Content-Type': mediaType, 'Content-Disposition': `inline; filename="poster.${format}"`, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'X-Poster-Link': encodeURI(data.link) },
      });
    });
  };
  serve('png');
  serve('pdf');
}
