// Local stand-ins for SMS providers, one HTTP server speaking three protocols:
//   SMS.ru   POST /sms/send (api_id, to, msg, from, json=1)        → {status, status_code, sms: {<to>: {status, status_code, sms_id}}}
//   SMSC.ru  POST /sys/send.php (login, psw, phones, mes, fmt=3)    → {id, cnt} | {error, error_code}
//   generic  POST /gateway (JSON {id, to, text, sender, callbackUrl}) → 200 {id} | 422 {error} | 429 | 500
// Numbers can be made invalid (SMS.ru 202, SMSC.ru 7, generic 422) and the service made to fail for a while
// (SMS.ru 220, SMSC.ru HTTP 503, generic 500 or 429 with Retry-After). `report` posts a delivery report to a
// callback address in the provider's own format (SMS.ru data[] lines, SMSC.ru form fields, generic JSON).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type SmsProviderName = 'smsru' | 'smsc' | 'http';

export interface SmsSent {
  provider: SmsProviderName;
  id: string;
  to: string;
  text: string;
  sender: string | null;
  callbackUrl: string | null;
  /** The generic gateway's Idempotency-Key header. */
  idempotencyKey: string | null;
}

export interface SmsStandIn {
  url: string;
  /** Credentials the providers accept. */
  smsRuApiId: string;
  smsc: { login: string; password: string };
  gatewayToken: string;
  sent: SmsSent[];
  /** Numbers (digits) refused as invalid. */
  invalidNumbers: Set<string>;
  /** The next `count` sends fail as the provider's outage (generic: with `status`, default 500). */
  failNext(count: number, status?: number): void;
  /** Posts a delivery report for `id` to `callbackUrl` as the provider does; resolves with the answer's status and body. */
  report(provider: SmsProviderName, callbackUrl: string, r: { id: string; phone?: string; code: number | string; err?: number }): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export async function startSmsProviders(): Promise<SmsStandIn> {
  const sent: SmsSent[] = [];
  const invalidNumbers = new Set<string>();
  const failures: number[] = [];
  let seq = 1000;
  const smsRuApiId = 'A1B2C3D4-E5F6-0000-1111-222233334444';
  const smsc = { login: 'coffee', password: 'smsc-secret' };
  const gatewayToken = 'gw-token-0123456789';

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));

  const smsRu = (p: URLSearchParams, res: http.ServerResponse) => {
    if (p.get('api_id') !== smsRuApiId) return json(res, 200, { status: 'ERROR', status_code: 200, status_text: 'Неправильный api_id' });
    if (p.get('json') !== '1') return res.writeHead(200).end('100\n');
    if (failures.length > 0) {
      failures.shift();
      return json(res, 200, { status: 'ERROR', status_code: 220, status_text: 'Сервис временно недоступен, попробуйте чуть позже' });
    }
    const to = p.get('to') ?? '';
    const msg = p.get('msg') ?? '';
    if (!msg) return json(res, 200, { status: 'ERROR', status_code: 203, status_text: 'Нет текста сообщения' });
    if (!/^\d{10,15}$/.test(to) || invalidNumbers.has(to)) {
      return json(res, 200, { status: 'OK', status_code: 100, sms: { [to]: { status: 'ERROR', status_code: 202, status_text: 'Неправильно указан номер телефона получателя' } }, balance: 100 });
    }
    const id = `000000-${++seq}`;
    sent.push({ provider: 'smsru', id, to, text: msg, sender: p.get('from'), callbackUrl: null, idempotencyKey: null });
    return json(res, 200, { status: 'OK', status_code: 100, sms: { [to]: { status: 'OK', status_code: 100, sms_id: id } }, balance: 99.5 });
  };

  const smscSend = (p: URLSearchParams, res: http.ServerResponse) => {
    if (failures.length > 0) {
      failures.shift();
      return res.writeHead(503).end('Service Unavailable');
    }
    const err = (code: number, error: string) => json(res, 200, { error, error_code: code });
    if (p.get('login') !== smsc.login || p.get('psw') !== smsc.password) return err(2, 'authorise error');
    const to = p.get('phones') ?? '';
    const mes = p.get('mes') ?? '';
    if (!mes) return err(1, 'parameters error');
    if (!/^\d{10,15}$/.test(to) || invalidNumbers.has(to)) return err(7, 'invalid number');
    const id = String(++seq);
    sent.push({ provider: 'smsc', id, to, text: mes, sender: p.get('sender'), callbackUrl: null, idempotencyKey: null });
    return json(res, 200, { id: Number(id), cnt: 1 });
  };

  const gateway = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${gatewayToken}`) return json(res, 401, { error: 'bad token' });
    const status = failures.shift();
    if (status === 429) return json(res, 429, { error: 'slow down' }, { 'retry-after': '7' });
    if (status !== undefined) return json(res, status, { error: 'gateway outage' });
    let m: { id?: string; to?: string; text?: string; sender?: string | null; callbackUrl?: string | null };
    try {
      m = JSON.parse(body) as typeof m;
    } catch {
      return json(res, 400, { error: 'not json' });
    }
    const to = (m.to ?? '').replace(/^\+/, '');
    if (!/^\d{10,15}$/.test(to) || invalidNumbers.has(to)) return json(res, 422, { error: 'invalid_number' });
    const id = `gw-${++seq}`;
    sent.push({ provider: 'http', id, to, text: m.text ?? '', sender: m.sender ?? null, callbackUrl: m.callbackUrl ?? null, idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? null });
    return json(res, 200, { id });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      const form = new URLSearchParams(body);
      for (const [k, v] of url.searchParams) if (!form.has(k)) form.set(k, v);
      if (url.pathname === '/sms/send') return smsRu(form, res);
      if (url.pathname === '/sys/send.php') return smscSend(form, res);
      if (url.pathname === '/gateway' && req.method === 'POST') return gateway(req, body, res);
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    smsRuApiId,
    smsc,
    gatewayToken,
    sent,
    invalidNumbers,
    failNext(count, status = 500) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    async report(provider, callbackUrl, r) {
      let res: Response;
      if (provider === 'smsru') {
        const form = new URLSearchParams();
        form.set('data[0]', `sms_status\n${r.id}\n${r.code}\n${Math.floor(Date.now() / 1000)}`);
        res = await fetch(callbackUrl, { method: 'POST', body: form });
      } else if (provider === 'smsc') {
        const form = new URLSearchParams({ id: r.id, phone: r.phone ?? '', status: String(r.code), time: new Date().toISOString(), ts: String(Math.floor(Date.now() / 1000)), err: String(r.err ?? 0) });
        res = await fetch(callbackUrl, { method: 'POST', body: form });
      } else {
        res = await fetch(callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: r.id, status: r.code, ...(r.err ? { error: `code ${r.err}` } : {}) }) });
      }
      return { status: res.status, body: await res.text() };
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
