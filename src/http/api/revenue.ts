// /revenue: the business's total takings per local day and location (every customer, members or not), so the
// dashboard can show the share of revenue from members. A till's end-of-day (Z) report can PUT its day; a key tied
// to one location sets that location's only. Staff: report.today, to read and to enter (managers and up: the day's
// totals are their report; cashiers may not).
import { z } from 'zod';
import { listDailyTakings, type TakingsList } from '../../app/listDailyTakings.js';
import { recordDailyTakings, recordTakingsBulk, type TakingsView } from '../../app/recordDailyTakings.js';
import { TAKINGS_MAX_AGE_DAYS, TAKINGS_MAX_AMOUNT, TAKINGS_MAX_BULK, type TakingsSource } from '../../core/index.js';
import type { Caller } from '../env.js';
import { route, type ApiRouter } from '../route.js';
import { requestSchemas, responseSchemas } from '../schemas.js';

const date = (d: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').describe(`${d} (YYYY-MM-DD, the business's time zone)`);
const amount = z.number().int('must be a whole number of minor units').min(0, 'must not be negative').max(TAKINGS_MAX_AMOUNT).describe('The day\'s total takings from every customer, minor units (kopecks, cents), after the day\'s refunds');
const locationId = z.string().min(1).max(100).nullable().optional().describe('The location; absent or null: the whole business (a business without locations). A key tied to a location: that one, the default');

export const TakingsSet = z.strictObject({ locationId, amount }).register(requestSchemas, { id: 'TakingsSet' });

export const TakingsBulk = z
  .strictObject({
    days: z.array(z.strictObject({ day: date('The day'), locationId, amount })).min(1).max(TAKINGS_MAX_BULK).describe(`1–${TAKINGS_MAX_BULK} days; all are set or none`),
  })
  .register(requestSchemas, { id: 'TakingsBulk' });

const DayPath = z.strictObject({ day: date('The day') });

const TakingsQuery = z.strictObject({
  from: date('First day; default 29 days before to').optional(),
  to: date('Last day, included; default today').optional(),
  locationId: z.string().min(1).max(100).optional().describe('Only this location'),
});

const TakingsOut = z.object({
  day: z.string().describe('YYYY-MM-DD, the business\'s time zone'),
  locationId: z.string().nullable().describe('null: the whole business'),
  locationName: z.string().nullable(),
  amount: z.number().int().describe('Minor units'),
  source: z.enum(['api', 'panel', 'import']).describe('Where it was entered last'),
  updatedBy: z.string().describe('staff:<id>, api_key:<id> or cli'),
  updatedAt: z.iso.datetime({ offset: true }),
});

export const Takings = TakingsOut.extend({ changed: z.boolean().describe('false: the same amount was already stored; nothing changed, nothing audited') }).register(responseSchemas, { id: 'Takings' });
export const TakingsBulkResult = z.object({ items: z.array(Takings), changed: z.number().int().describe('Rows that changed') }).register(responseSchemas, { id: 'TakingsBulkResult' });
export const TakingsPage = z
  .object({ from: z.string(), to: z.string(), today: z.string().describe('The business\'s today: the last day takings may be entered for'), items: z.array(TakingsOut) })
  .register(responseSchemas, { id: 'TakingsList' });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proofs: [Same<z.output<typeof Takings>, TakingsView & { changed: boolean }>, Same<z.output<typeof TakingsPage>, TakingsList>] = [true, true];
void proofs;

const who = (caller: Caller) => (caller.kind === 'staff' ? { staff: caller.staff, channel: 'admin' } : { apiKeyId: caller.keyId });
const sourceOf = (caller: Caller): TakingsSource => (caller.kind === 'staff' ? 'panel' : 'api');

export function revenueRoutes(r: ApiRouter): void {
  const rules = `A day is a local date of the business, not in the future and at most ${TAKINGS_MAX_AGE_DAYS} days back. A day's takings are the whole business's (no location) or per location, never both.`;

  route(r, {
    method: 'put', path: '/revenue/:day', operationId: 'setTakings', tag: 'Reports', summary: 'Set a day\'s total takings (all customers) for a location or the whole business',
    description: `Staff: report.today. For the till's end-of-day (Z) report. Setting is idempotent by nature: the same amount again changes nothing (changed: false); a change is audited with the amount before. ${rules} A key tied to one location sets that location's only (forbidden otherwise).`,
    permission: 'report.today',
    params: DayPath,
    body: TakingsSet,
    responses: { 200: { description: 'The day\'s takings as stored', schema: Takings } },
    errors: ['location_not_found', 'forbidden'],
  }, async ({ params, body, c }) => {
    const caller = c.var.caller;
    return { status: 200, body: await recordDailyTakings(c.var.deps, who(caller), { businessId: caller.businessId, source: sourceOf(caller), boundLocationId: caller.locationId, day: params.day, locationId: body.locationId, amount: body.amount }) };
  });

  route(r, {
    method: 'post', path: '/revenue', operationId: 'setTakingsBulk', tag: 'Reports', summary: 'Set the total takings of many days at once (all or nothing)',
    description: `Staff: report.today. Every row is checked first; with any bad row nothing is saved and the problem's rows list each one (index, day, locationId, message). ${rules}`,
    permission: 'report.today',
    body: TakingsBulk,
    responses: { 200: { description: 'Each day as stored', schema: TakingsBulkResult } },
    errors: ['forbidden'],
  }, async ({ body, c }) => {
    const caller = c.var.caller;
    return { status: 200, body: await recordTakingsBulk(c.var.deps, who(caller), { businessId: caller.businessId, source: sourceOf(caller), boundLocationId: caller.locationId, days: body.days }) };
  });

  route(r, {
    method: 'get', path: '/revenue', operationId: 'listTakings', tag: 'Reports', summary: 'The total takings entered per day and location',
    description: 'Staff: report.today. Days without takings are simply absent. A key tied to one location sees that location\'s.',
    permission: 'report.today',
    query: TakingsQuery,
    responses: { 200: { description: 'The takings, by day then location', schema: TakingsPage } },
    errors: ['location_not_found'],
  }, async ({ query, c }) => {
    const caller = c.var.caller;
    return { status: 200, body: await listDailyTakings(c.var.deps, { businessId: caller.businessId, from: query.from, to: query.to, locationId: caller.locationId ?? query.locationId }) };
  });
}
