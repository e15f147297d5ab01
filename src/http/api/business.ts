// /business: the business's name and profile (address, map link, phone, social links, opening hours) and the Info
// page as rich text, cleaned on the server. Reading needs member.lookup (like /program); changing, settings.change.
import { z } from 'zod';
import { getBusinessProfile, updateBusinessProfile, type BusinessProfileView } from '../../app/updateBusinessProfile.js';
import { SOCIAL_KINDS, WEEKDAYS } from '../../core/businessProfile.js';
import { route, type ApiRouter } from '../route.js';
import { requestSchemas, responseSchemas } from '../schemas.js';
import { requireBusinessKey } from './common.js';

const Kind = z.enum(SOCIAL_KINDS);
const dayShape = <T extends z.ZodType>(day: T) => z.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, day])) as Record<(typeof WEEKDAYS)[number], T>);

const DayInput = z
  .strictObject({
    open: z.string().max(10).describe('HH:MM, local time'),
    close: z.string().max(10).describe('HH:MM (24:00 for midnight); after open unless overnight'),
    overnight: z.boolean().optional().describe('Closes after midnight: close is before open (18:00–02:00). Default false'),
  })
  .nullable()
  .optional();

export const BusinessProfileUpdate = z
  .strictObject({
    name: z.string().max(200).optional(),
    address: z.string().max(1000).optional(),
    mapUrl: z.string().max(2000).nullable().optional().describe('https:// only (Yandex Maps, 2GIS, Google Maps…); null or "" removes it'),
    phone: z.string().max(100).nullable().optional().describe('Any common format; stored in E.164'),
    socialLinks: z.array(z.strictObject({ kind: Kind, url: z.string().max(2000).describe('https://; for telegram also tg:// and t.me/…') })).max(50).optional().describe('Replaces the list; at most 10'),
    hours: z
      .strictObject({
        days: dayShape(DayInput).describe('mon…sun; null or left out: closed'),
        note: z.string().max(1000).optional().describe('A free note: "санитарный день — последний четверг"'),
      })
      .nullable()
      .optional()
      .describe('Replaces the hours as a whole; null: none shown'),
    infoHtml: z.string().max(200_000).optional().describe('The Info page. Cleaned before it is stored: p, br, b/strong, i/em, u, s, ul, ol, li, h2, h3 and links (https, http, mailto, tel) stay; everything else (scripts, styles, event handlers, images) goes. Its plain-text form becomes the program\'s infoText'),
  })
  .register(requestSchemas, { id: 'BusinessProfileUpdate' });

const DayOut = z.object({ open: z.string(), close: z.string(), overnight: z.boolean() }).nullable();

export const BusinessProfileOut = z
  .object({
    id: z.string(),
    name: z.string(),
    address: z.string(),
    mapUrl: z.string().nullable(),
    phone: z.string().nullable().describe('E.164'),
    socialLinks: z.array(z.object({ kind: Kind, url: z.string() })),
    hours: z.object({ days: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, DayOut])) as Record<(typeof WEEKDAYS)[number], typeof DayOut>), note: z.string() }).nullable(),
    infoHtml: z.string().describe('The Info page as customers see it: sanitised HTML'),
    infoText: z.string().describe('Its plain-text form (the bot shows this)'),
  })
  .register(responseSchemas, { id: 'BusinessProfile' });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proof: Same<z.output<typeof BusinessProfileOut>, BusinessProfileView> = true;
void proof;

export function businessRoutes(r: ApiRouter): void {
  route(r, {
    method: 'get', path: '/business', operationId: 'getBusiness', tag: 'Program', summary: 'The business\'s name, profile and Info page',
    permission: 'member.lookup',
    responses: { 200: { description: 'The business profile', schema: BusinessProfileOut } },
  }, async ({ c }) => ({ status: 200, body: await getBusinessProfile(c.var.deps, c.var.caller.businessId) }));

  route(r, {
    method: 'patch', path: '/business', operationId: 'updateBusiness', tag: 'Program', summary: 'Change the name, address, map link, phone, social links, opening hours or Info page',
    description: 'Only the fields given change; the result is checked as a whole and every problem is reported (invalid_business_profile), nothing changed. The same change again changes nothing and is not audited twice.',
    permission: 'settings.change',
    body: BusinessProfileUpdate,
    responses: { 200: { description: 'The profile after the change', schema: BusinessProfileOut } },
    errors: ['invalid_business_profile', 'forbidden'],
  }, async ({ body, c }) => {
    const caller = c.var.caller;
    requireBusinessKey(caller);
    const who = caller.kind === 'staff' ? { staff: caller.staff, channel: 'admin' } : { apiKeyId: caller.keyId };
    return { status: 200, body: await updateBusinessProfile(c.var.deps, who, { businessId: caller.businessId, change: body }) };
  });
}
