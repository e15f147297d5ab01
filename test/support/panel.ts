// Calls to /api/v1 as the admin panel makes them: a staff member signed in with e-mail and password (the session and
// CSRF cookies), the CSRF header and our own Origin on every call — or with an API key, for comparison.
import type { ApiHarness } from './apiServer.js';
import { STAFF_PASSWORD } from './staff.js';

export type Json = Record<string, any>;
export interface PanelSession {
  cookie: string;
  csrf: string;
}

/** Signs the staff member in to the panel (POST /api/admin/session); fails the test unless it answers 204. */
export async function panelSession(h: ApiHarness, businessId: string, email: string): Promise<PanelSession> {
  const res = await fetch(`${h.url}/api/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ businessId, email, password: STAFF_PASSWORD }) });
  if (res.status !== 204) throw new Error(`panel sign-in of ${email} answered ${res.status}: ${await res.text()}`);
  const jar: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const i = pair.indexOf('=');
    jar[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return { cookie: `kopilka_session=${jar.kopilka_session}; kopilka_csrf=${jar.kopilka_csrf}`, csrf: jar.kopilka_csrf ?? '' };
}

/** A call as a signed-in staff member (PanelSession) or with an API key (string). */
export async function panelCall(
  h: ApiHarness,
  who: PanelSession | string,
  method: string,
  path: string,
  body?: unknown,
  o: { idempotencyKey?: string } = {},
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (typeof who === 'string') headers.authorization = `Bearer ${who}`;
  else Object.assign(headers, { cookie: who.cookie, 'x-csrf-token': who.csrf, origin: h.url });
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey;
  const res = await h.fetch(`${h.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}
