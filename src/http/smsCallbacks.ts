// Delivery reports from SMS providers: /callbacks/sms/<secret>, the secret naming the business's SMS channel (shown
// as callbackPath in its settings). Each provider's own format is read (SMS.ru: data[] lines; SMSC.ru: id/status/err
// fields; the generic gateway: JSON {id, status, error}) and answered the way that provider expects.
import type { Context, Hono } from 'hono';
import { recordSmsDeliveryReports, smsCallbackTarget } from '../app/notificationChannels.js';
import type { AppDeps } from '../app/deps.js';
import type { Logger } from '../config/logger.js';
import { genericDeliveryState, smscDeliveryState, smsRuDeliveryState, type DeliveryReport, type SmsProvider } from '../core/index.js';
import { problem } from './problem.js';

const MAX_BODY = 256 * 1024;
const MAX_REPORTS = 1000;

type Fields = Record<string, string | string[]>;
const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** Form fields, JSON (an object or a list of them) or the query string, whichever the provider used. */
async function readInput(c: Context): Promise<{ fields: Fields; json: unknown }> {
  const query = Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? (v[0] as string) : v]));
  if (c.req.method !== 'POST') return { fields: query, json: null };
  const type = c.req.header('content-type') ?? '';
  if (Number(c.req.header('content-length') ?? 0) > MAX_BODY) throw new Error('body too large');
  const text = await c.req.text();
  if (text.length > MAX_BODY) throw new Error('body too large');
  if (/json/i.test(type) || /^\s*[[{]/.test(text)) return { fields: query, json: JSON.parse(text) as unknown };
  const fields: Fields = { ...query };
  for (const [k, v] of new URLSearchParams(text)) {
    const had = fields[k];
    fields[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  return { fields, json: null };
}

// SMS.ru posts data[0], data[1]…, each "sms_status\n<sms_id>\n<status code>\n<unix time>" (other kinds are ignored).
function smsRuReports(fields: Fields): DeliveryReport[] {
  const reports: DeliveryReport[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (!/^data(\[\d*\])?$/.test(k)) continue;
    for (const entry of Array.isArray(v) ? v : [v]) {
      const [kind, id, code] = entry.split(/\r?\n/).map((s) => s.trim());
      if (kind !== 'sms_status' || !id || !code || !/^-?\d+$/.test(code)) continue;
      const state = smsRuDeliveryState(Number(code));
      if (state) reports.push({ providerMessageId: id, ...state });
    }
  }
  return reports;
}

// SMSC.ru posts one message's id, phone, status and err (and more we do not need).
function smscReports(fields: Fields): DeliveryReport[] {
  const id = first(fields.id);
  const status = first(fields.status);
  if (!id || !status || !/^-?\d+$/.test(status)) return [];
  const err = first(fields.err);
  const state = smscDeliveryState(Number(status), err && /^\d+$/.test(err) ? Number(err) : null);
  return state ? [{ providerMessageId: id, ...state }] : [];
}

function genericReports(fields: Fields, json: unknown): DeliveryReport[] {
  const items: unknown[] = json === null ? [{ id: first(fields.id), status: first(fields.status), error: first(fields.error) }] : Array.isArray(json) ? json : [json];
  const reports: DeliveryReport[] = [];
  for (const item of items) {
    const o = (item ?? {}) as { id?: unknown; status?: unknown; error?: unknown };
    const id = typeof o.id === 'number' ? String(o.id) : o.id;
    if (typeof id !== 'string' || id === '' || id.length > 200 || typeof o.status !== 'string') continue;
    const state = genericDeliveryState(o.status, typeof o.error === 'string' ? o.error : null);
    if (state) reports.push({ providerMessageId: id, ...state });
  }
  return reports;
}

export function readDeliveryReports(provider: SmsProvider, fields: Fields, json: unknown): DeliveryReport[] {
  const all = provider === 'smsru' ? smsRuReports(fields) : provider === 'smsc' ? smscReports(fields) : genericReports(fields, json);
  return all.slice(0, MAX_REPORTS);
}

export function mountSmsCallbacks(http: Hono, o: { deps: AppDeps; log: Logger }): void {
  http.on(['GET', 'POST'], '/callbacks/sms/:secret', async (c) => {
    const target = await smsCallbackTarget(o.deps, c.req.param('secret'));
    if (!target) return problem(c, { title: 'Not Found', status: 404, code: 'not_found', detail: 'No SMS channel has this callback address' });
    let input: { fields: Fields; json: unknown };
    try {
      input = await readInput(c);
    } catch {
      return problem(c, { title: 'Bad Request', status: 400, code: 'validation_failed', detail: 'The delivery report could not be read' });
    }
    const reports = readDeliveryReports(target.provider, input.fields, input.json);
    const { known, changed } = await recordSmsDeliveryReports(o.deps, target.businessId, reports);
    if (reports.length > known) o.log.debug(`sms delivery reports for business ${target.businessId}: ${reports.length - known} for unknown messages`);
    if (changed > 0) o.log.debug(`sms delivery reports for business ${target.businessId}: ${changed} recorded`);
    // Each provider's "received": SMS.ru wants 100 in the body, or it sends the reports again.
    if (target.provider === 'smsru') return c.text('100');
    if (target.provider === 'smsc') return c.text('OK');
    return c.json({ ok: true, received: reports.length });
  });
}
