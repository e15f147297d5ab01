// SMS through the business's provider: SMS.ru (sms/send), SMSC.ru (sys/send.php) or any gateway speaking Kopilka's
// generic JSON protocol. Each keeps to the account's messages-per-second; a refused number is "dead" (the next
// channel is tried and SMS is skipped for that member from then on); everything else is retried later.
import type { ChannelSender, HttpSmsSettings, OutgoingMessage, SendOutcome, SmsRuSettings, SmscSettings, SmsSettings } from '../../core/index.js';
import { createRateLimiter } from '../rateLimiter.js';
import { describeError, type ProviderEndpoints } from './endpoints.js';

const MAX_TEXT = 1000;
const LIMIT_WAIT_MS = 60_000;

export interface SmsSenderOptions {
  settings: SmsSettings;
  endpoints: ProviderEndpoints;
  /** Where the provider reports delivery (generic gateways get it with each message); null when not reachable. */
  callbackUrl: string | null;
}

const digits = (phone: string) => phone.replace(/\D/g, '');
const isPhone = (phone: string) => /^\+?\d{7,15}$/.test(phone.replace(/[\s()-]/g, ''));

async function post(url: string, body: URLSearchParams | string, headers: Record<string, string>, timeoutMs: number) {
  const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

// https://sms.ru/api/send — per-number errors: 202 wrong number, 207 cannot send to it, 209 it is on the stop list.
const SMS_RU_DEAD = new Set([202, 207, 209]);
const SMS_RU_LIMITS = new Set([220, 230, 231, 232, 233]);

async function sendSmsRu(s: SmsRuSettings, root: string, m: OutgoingMessage, timeoutMs: number): Promise<SendOutcome> {
  const to = digits(m.address);
  const form = new URLSearchParams({ api_id: s.apiId, to, msg: m.text.slice(0, MAX_TEXT), json: '1' });
  if (s.sender) form.set('from', s.sender);
  if (s.test) form.set('test', '1');
  const r = await post(`${root}/sms/send`, form, {}, timeoutMs);
  const body = r.json as { status?: string; status_code?: number; status_text?: string; sms?: Record<string, { status?: string; status_code?: number; sms_id?: string; status_text?: string }> } | null;
  if (r.status !== 200 || !body) return { status: 'retry', error: `sms.ru: HTTP ${r.status}` };
  if (body.status !== 'OK') return { status: 'retry', error: `sms.ru: ${body.status_code ?? '?'} ${body.status_text ?? 'refused'}`.slice(0, 300) };
  const one = body.sms?.[to];
  if (!one) return { status: 'retry', error: 'sms.ru: no result for the number' };
  if (one.status === 'OK' && one.sms_id) return { status: 'sent', providerMessageId: String(one.sms_id) };
  const code = Number(one.status_code);
  const error = `sms.ru: ${code} ${one.status_text ?? ''}`.trim().slice(0, 300);
  if (SMS_RU_DEAD.has(code)) return { status: 'dead', error };
  return SMS_RU_LIMITS.has(code) ? { status: 'retry', error, retryAfterMs: LIMIT_WAIT_MS } : { status: 'retry', error };
}

// https://smsc.ru/api/http/send/sms/ — errors: 7 the number's format, 8 cannot be delivered to it; 4 and 9 are limits.
const SMSC_DEAD = new Set([7, 8]);
const SMSC_LIMITS = new Set([4, 9]);

async function sendSmsc(s: SmscSettings, root: string, m: OutgoingMessage, timeoutMs: number): Promise<SendOutcome> {
  const form = new URLSearchParams({ login: s.login, psw: s.password, phones: digits(m.address), mes: m.text.slice(0, MAX_TEXT), fmt: '3', charset: 'utf-8' });
  if (s.sender) form.set('sender', s.sender);
  const r = await post(`${root}/sys/send.php`, form, {}, timeoutMs);
  const body = r.json as { id?: number | string; cnt?: number; error?: string; error_code?: number } | null;
  if (r.status !== 200 || !body) return { status: 'retry', error: `smsc.ru: HTTP ${r.status}` };
  if (body.error_code === undefined && body.id !== undefined) return { status: 'sent', providerMessageId: String(body.id) };
  const code = Number(body.error_code);
  const error = `smsc.ru: ${code} ${body.error ?? ''}`.trim().slice(0, 300);
  if (SMSC_DEAD.has(code)) return { status: 'dead', error };
  return SMSC_LIMITS.has(code) ? { status: 'retry', error, retryAfterMs: LIMIT_WAIT_MS } : { status: 'retry', error };
}

/** Seconds or an HTTP date, as in Retry-After; undefined when absent or unreadable. */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

// The generic protocol (docs/CHANNELS.md): 2xx accepted ({id} optional), 422 this number cannot be reached,
// 429 / 5xx later; any other answer is the gateway's or the settings' problem, also retried (and shown in the error).
async function sendGeneric(s: HttpSmsSettings, m: OutgoingMessage, callbackUrl: string | null, timeoutMs: number): Promise<SendOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': m.messageId };
  if (s.token) headers.authorization = `Bearer ${s.token}`;
  const payload = { id: m.messageId, to: `+${digits(m.address)}`, text: m.text.slice(0, MAX_TEXT), sender: s.sender, callbackUrl };
  const r = await post(s.url, JSON.stringify(payload), headers, timeoutMs);
  const body = (r.json ?? {}) as { id?: unknown; error?: unknown };
  const said = typeof body.error === 'string' ? `: ${body.error}` : '';
  if (r.status >= 200 && r.status < 300) return { status: 'sent', providerMessageId: typeof body.id === 'string' || typeof body.id === 'number' ? String(body.id) : m.messageId };
  const error = `sms gateway: HTTP ${r.status}${said}`.slice(0, 300);
  if (r.status === 422) return { status: 'dead', error };
  const wait = r.status === 429 ? retryAfterMs(r.headers.get('retry-after')) ?? LIMIT_WAIT_MS : undefined;
  return wait !== undefined ? { status: 'retry', error, retryAfterMs: wait } : { status: 'retry', error };
}

export function smsSender(o: SmsSenderOptions): ChannelSender {
  const s = o.settings;
  const limiter = createRateLimiter({ perSecond: s.ratePerSecond });
  const timeoutMs = o.endpoints.timeoutMs;
  return {
    channel: 'sms',
    async send(m) {
      if (!isPhone(m.address)) return { status: 'dead', error: `sms: ${m.address.slice(0, 30)} is not a phone number` };
      await limiter.take();
      try {
        if (s.provider === 'smsru') return await sendSmsRu(s, o.endpoints.smsRuApiRoot.replace(/\/+$/, ''), m, timeoutMs);
        if (s.provider === 'smsc') return await sendSmsc(s, o.endpoints.smscApiRoot.replace(/\/+$/, ''), m, timeoutMs);
        return await sendGeneric(s, m, o.callbackUrl, timeoutMs);
      } catch (e) {
        return { status: 'retry', error: `${s.provider === 'http' ? 'sms gateway' : s.provider === 'smsru' ? 'sms.ru' : 'smsc.ru'}: ${describeError(e)}` };
      }
    },
  };
}
