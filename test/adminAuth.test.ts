// The admin panel's staff callers over real HTTP: sign-in cookies and their attributes, the cookie session on
// /api/v1, CSRF (double submit + Origin), each route's staff permission by role (fail closed), limits and audit,
// sign-out and blocked staff, other businesses unseen, sign-in limits, security headers, and the typed clients.
// API-key callers are covered unchanged by test/api.*.test.ts.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { updateStaff } from '../src/app/staff.js';
import { createAdminSessionClient } from '../src/client/admin.js';
import { createClient } from '../src/client/index.js';
import { failure, useApi } from './support/apiServer.js';
import { aMember } from './support/factories.js';
import { STAFF_PASSWORD, aStaff } from './support/staff.js';

const h = useApi();

type Json = Record<string, any>;

interface Cookie {
  value: string;
  attrs: Record<string, string | true>;
}

/** The Set-Cookie headers of a response, by name. */
function cookiesOf(res: Response): Record<string, Cookie> {
  const out: Record<string, Cookie> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair = '', ...rest] = line.split(/;\s*/);
    const i = pair.indexOf('=');
    const attrs: Record<string, string | true> = {};
    for (const a of rest) {
      const j = a.indexOf('=');
      if (j < 0) attrs[a.toLowerCase()] = true;
      else attrs[a.slice(0, j).toLowerCase()] = a.slice(j + 1);
    }
    out[pair.slice(0, i)] = { value: pair.slice(i + 1), attrs };
  }
  return out;
}

interface Session {
  session: string;
  csrf: string;
  cookie: string;
}

async function signIn(businessId: string, email: string, headers: Record<string, string> = {}, password = STAFF_PASSWORD): Promise<Response> {
  return fetch(`${h.url}/api/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ businessId, email, password }) });
}

async function session(businessId: string, email: string): Promise<Session> {
  const res = await signIn(businessId, email);
  expect(res.status).toBe(204);
  const c = cookiesOf(res);
  const s = c.kopilka_session?.value ?? '';
  const csrf = c.kopilka_csrf?.value ?? '';
  return { session: s, csrf, cookie: `kopilka_session=${s}; kopilka_csrf=${csrf}` };
}

/** A call to /api/v1 as the signed-in staff member; by default with the right CSRF header and our own Origin. */
async function v1(s: Session, method: string, path: string, body?: unknown, o: { csrf?: string | null; origin?: string | null; key?: string } = {}): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { cookie: s.cookie, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = o.csrf === undefined ? s.csrf : o.csrf;
  if (csrf !== null) headers['x-csrf-token'] = csrf;
  const origin = o.origin === undefined ? h.url : o.origin;
  if (origin !== null) headers.origin = origin;
  if (method === 'POST' && (path === '/purchases' || path.endsWith('/adjustments') || path === '/members' || path === '/broadcasts')) headers['idempotency-key'] = o.key ?? randomUUID();
  const res = await h.fetch(`${h.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

async function shopWith(...roles: ('admin' | 'manager' | 'cashier')[]) {
  const biz = await h.business();
  const staff: Record<string, { id: string; email: string; s: Session }> = {};
  for (const role of roles) {
    const st = await aStaff(h, biz.id, role);
    staff[role] = { id: st.id, email: st.email, s: await session(biz.id, st.email) };
  }
  return { ...biz, staff };
}

describe('POST /api/admin/session', () => {
  it('sets the HttpOnly session cookie and the readable CSRF cookie, Strict, for the session\'s lifetime', async () => {
    const biz = await h.business();
    const st = await aStaff(h, biz.id, 'manager');
    const res = await signIn(biz.id, st.email);
    expect(res.status).toBe(204);
    const c = cookiesOf(res);
    expect(c.kopilka_session?.value).toMatch(/^kss_[A-Za-z0-9_-]{43}$/);
    expect(c.kopilka_session?.attrs).toMatchObject({ httponly: true, samesite: 'Strict', path: '/', 'max-age': String(30 * 86_400) });
    expect(c.kopilka_session?.attrs.secure).toBeUndefined(); // plain http here
    expect(c.kopilka_csrf?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(c.kopilka_csrf?.attrs).toMatchObject({ samesite: 'Strict', path: '/' });
    expect(c.kopilka_csrf?.attrs.httponly).toBeUndefined();
    // Security headers on the session endpoint.
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    // …and on the panel's pages (whatever serves them).
    const page = await fetch(`${h.url}/admin/`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // The card app's and the API's answers are not the panel's: no panel policy there.
    expect((await fetch(`${h.url}/api/v1/program`)).headers.get('content-security-policy')).toBeNull();

    // Behind a TLS proxy the cookies are Secure, and the proxy's https Origin is our own.
    const secure = cookiesOf(await signIn(biz.id, st.email, { 'x-forwarded-proto': 'https', origin: h.url.replace('http:', 'https:') }));
    expect(secure.kopilka_session?.attrs.secure).toBe(true);
    expect(secure.kopilka_csrf?.attrs.secure).toBe(true);

    // The session is the admin channel's, and who is signed in can be asked.
    const me = await fetch(`${h.url}/api/admin/session`, { headers: { cookie: `kopilka_session=${c.kopilka_session?.value}` } });
    expect(me.status).toBe(200);
    const body = (await me.json()) as Json;
    expect(body.staff).toMatchObject({ id: st.id, role: 'manager', email: st.email });
    expect(body.business).toMatchObject({ id: biz.id, name: 'API test shop' });
    expect(body.permissions).toContain('points.adjust');
    expect(body.permissions).not.toContain('settings.change');
    const rows = await h.t.db.selectFrom('staff_sessions').select('channel').where('staff_id', '=', st.id).execute();
    expect(rows.map((r) => r.channel)).toContain('admin');
    expect((await fetch(`${h.url}/api/admin/session`)).status).toBe(401);
  });

  it('refuses a wrong password, a foreign Origin and bad bodies; limits failed sign-ins per address (429 + Retry-After)', async () => {
    const biz = await h.business();
    const st = await aStaff(h, biz.id, 'cashier');
    const wrong = await signIn(biz.id, st.email, {}, 'not the password');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as Json).code).toBe('invalid_credentials');
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const foreign = await signIn(biz.id, st.email, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as Json).code).toBe('csrf_failed');
    const bad = await fetch(`${h.url}/api/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: st.email }) });
    expect(bad.status).toBe(400);

    // Burst of failures from one address (the test clock stands still, so nothing refills): then 429, even with
    // the right password, and no password is checked.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await signIn(biz.id, `nobody${i}@shop.test`, {}, 'guess')).status);
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const blocked = await signIn(biz.id, st.email);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    h.t.clock.advance(60_000);
    expect((await signIn(biz.id, st.email)).status).toBe(204);
  });
});

describe('/api/v1 with the session cookie', () => {
  it('reads with the cookie; a write without the CSRF header, with a wrong one, or from a foreign Origin is 403 csrf_failed and changes nothing', async () => {
    const shop = await shopWith('admin');
    const admin = shop.staff.admin!.s;
    const before = await v1(admin, 'GET', '/program');
    expect(before.status).toBe(200);
    const name = before.body.pointsName as string;

    for (const o of [{ csrf: null }, { csrf: 'x'.repeat(43) }, { csrf: '' }, { origin: 'https://evil.example' }, { origin: 'null' }]) {
      const r = await v1(admin, 'PATCH', '/program', { pointsName: 'stolen' }, o);
      expect(r.status, JSON.stringify(o)).toBe(403);
      expect(r.body.code).toBe('csrf_failed');
    }
    expect((await v1(admin, 'GET', '/program')).body.pointsName).toBe(name);
    // The CSRF cookie missing from the request (a cross-site request cannot send it under SameSite=Strict either).
    const noCsrfCookie = { ...admin, cookie: `kopilka_session=${admin.session}` };
    expect((await v1(noCsrfCookie, 'PATCH', '/program', { pointsName: 'stolen' })).body.code).toBe('csrf_failed');

    // Without an Origin header (some same-origin requests) the token alone suffices.
    const ok = await v1(admin, 'PATCH', '/program', { pointsName: 'бонусы' }, { origin: null });
    expect(ok.status).toBe(200);
    expect((await v1(admin, 'GET', '/program')).body.pointsName).toBe('бонусы');
    expect((await v1(admin, 'PATCH', '/program', { pointsName: 'stars' })).status).toBe(200);
  });

  it('role matrix: a cashier quotes and records purchases but may not change settings; a manager may not change settings or send broadcasts; an admin may', async () => {
    const shop = await shopWith('admin', 'manager', 'cashier');
    const { admin, manager, cashier } = { admin: shop.staff.admin!.s, manager: shop.staff.manager!.s, cashier: shop.staff.cashier!.s };
    const m = await aMember(h.t.deps, shop.id);

    // Cashier.
    expect((await v1(cashier, 'GET', '/program')).status).toBe(200);
    const quote = await v1(cashier, 'POST', '/purchases/quote', { member: { id: m.id }, amount: 10_000 });
    expect(quote.status).toBe(200);
    const bought = await v1(cashier, 'POST', '/purchases', { member: { id: m.id }, amount: 10_000 });
    expect(bought.status).toBe(201);
    expect(bought.body.earnedPoints).toBeGreaterThan(0);
    for (const [method, path, body] of [
      ['PATCH', '/program', { pointsName: 'x' }],
      ['GET', '/members?q=a', undefined],
      ['GET', `/members/${m.id}/transactions`, undefined],
      ['POST', `/members/${m.id}/adjustments`, { points: 5, reason: 'gift' }],
      ['GET', '/webhooks', undefined],
      ['POST', '/broadcasts/preview', {}],
      ['GET', '/campaigns', undefined],
    ] as const) {
      const r = await v1(cashier, method, path, body);
      expect(r.status, `cashier ${method} ${path}`).toBe(403);
      expect(r.body.code).toBe('forbidden');
    }
    // Paying with points needs the customer's confirmation, which only the cashier screen asks for.
    const redeem = await v1(cashier, 'POST', '/purchases', { member: { id: m.id }, amount: 1_000, redeemPoints: 1 });
    expect(redeem.status).toBe(403);

    // Manager.
    expect((await v1(manager, 'GET', `/members/${m.id}`)).status).toBe(200);
    expect((await v1(manager, 'GET', `/members/${m.id}/transactions`)).status).toBe(200);
    expect((await v1(manager, 'POST', `/members/${m.id}/adjustments`, { points: 5, reason: 'gift' })).status).toBe(201);
    expect((await v1(manager, 'POST', `/purchases/${bought.body.purchaseId}/refunds`, { amount: 1_000 }, { key: randomUUID() })).status).not.toBe(403);
    expect((await v1(manager, 'GET', '/campaigns')).status).toBe(200);
    for (const [method, path, body] of [
      ['PATCH', '/program', { pointsName: 'x' }],
      ['POST', '/broadcasts', { text: 'Hello' }],
      ['POST', '/broadcasts/preview', {}],
      ['GET', '/notification-channels', undefined],
      ['POST', '/webhooks', { url: 'https://hooks.test/x', events: ['purchase.recorded'] }],
    ] as const) {
      const r = await v1(manager, method, path, body);
      expect(r.status, `manager ${method} ${path}`).toBe(403);
      expect(r.body).toMatchObject({ code: 'forbidden', role: 'manager' });
    }

    // Admin.
    expect((await v1(admin, 'PATCH', '/program', { pointsName: 'звёзды' })).status).toBe(200);
    expect((await v1(admin, 'POST', '/broadcasts/preview', {})).status).toBe(200);
    const sent = await v1(admin, 'POST', '/broadcasts', { text: 'Hello, {name}' });
    expect(sent.status).toBe(201);
    const row = await h.t.db.selectFrom('campaigns').select('created_by').where('id', '=', sent.body.id).executeTakeFirstOrThrow();
    expect(row.created_by).toBe(`staff:${shop.staff.admin!.id}`);
    expect((await v1(admin, 'GET', '/notification-channels')).status).toBe(200);

    // A route declared for API keys only is refused to every role (fail closed).
    const qr = await v1(admin, 'POST', `/members/${m.id}/qr-token`, {});
    expect(qr.status).toBe(403);
    expect(qr.body.code).toBe('forbidden');
  });

  it('staff writes are the staff member\'s: recorded with their actor, within their limits (refused over them, owners told), audited', async () => {
    const shop = await shopWith('manager');
    const manager = shop.staff.manager!;
    const m = await aMember(h.t.deps, shop.id);
    const adj = await v1(manager.s, 'POST', `/members/${m.id}/adjustments`, { points: 100, reason: 'apology' });
    expect(adj.status).toBe(201);
    const tx = await h.t.db.selectFrom('ledger_transactions').selectAll().where('id', '=', adj.body.transactionId).executeTakeFirstOrThrow();
    expect(tx).toMatchObject({ actor_type: 'staff', actor_id: manager.id });
    const audit = await h.t.db.selectFrom('audit_log').select(['action', 'channel']).where('staff_id', '=', manager.id).execute();
    expect(audit).toContainEqual({ action: 'points.adjust', channel: 'admin' });

    // A manager's default limit per manual operation is 5,000 points.
    const over = await v1(manager.s, 'POST', `/members/${m.id}/adjustments`, { points: 6_000, reason: 'too much' });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'staff_limit_exceeded', limit: 'per_operation' });
    expect(h.alerts).toContainEqual({ businessId: shop.id, staffId: manager.id, limit: 'per_operation', action: 'points.adjust' });
    expect((await v1(manager.s, 'GET', `/members/${m.id}`)).body.balance.available).toBe(100);

    // The same Idempotency-Key from an API key is another operation, not a replay of the staff member's.
    const key = randomUUID();
    expect((await v1(manager.s, 'POST', `/members/${m.id}/adjustments`, { points: 1, reason: 'a' }, { key })).status).toBe(201);
    const byKey = await shop.api.request<Json>('POST', `/members/${m.id}/adjustments`, { body: { points: 1, reason: 'a' }, idempotencyKey: key });
    expect(byKey.replayed).toBe(false);
  });

  it('sign-out ends the session; a blocked staff member\'s session stops working; another business\'s ids are 404; API keys are unaffected', async () => {
    const shop = await shopWith('admin', 'manager');
    const other = await h.business();
    const theirs = await aMember(h.t.deps, other.id);
    const mine = await aMember(h.t.deps, shop.id);
    const admin = shop.staff.admin!.s;

    expect((await v1(admin, 'GET', `/members/${theirs.id}`)).status).toBe(404);
    expect((await v1(admin, 'POST', `/members/${theirs.id}/adjustments`, { points: 5, reason: 'x' })).status).toBe(404);
    expect((await v1(admin, 'GET', `/members/${mine.id}`)).status).toBe(200);

    // An API key with a stale cookie beside it: the key decides, no CSRF needed.
    const withKey = await fetch(`${h.url}/api/v1/program`, { method: 'PATCH', headers: { authorization: `Bearer ${other.apiKey}`, cookie: admin.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ pointsName: 'keyed' }) });
    expect(withKey.status).toBe(200);
    expect((await other.api.program.get()).pointsName).toBe('keyed');
    expect((await shop.api.program.get()).pointsName).not.toBe('keyed');

    // Sign-out needs the CSRF token, then clears both cookies and ends the session.
    const noToken = await fetch(`${h.url}/api/admin/session`, { method: 'DELETE', headers: { cookie: admin.cookie } });
    expect(noToken.status).toBe(403);
    const out = await fetch(`${h.url}/api/admin/session`, { method: 'DELETE', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    expect(out.status).toBe(204);
    const cleared = cookiesOf(out);
    expect(cleared.kopilka_session?.attrs['max-age']).toBe('0');
    expect(cleared.kopilka_csrf?.attrs['max-age']).toBe('0');
    const after = await v1(admin, 'GET', '/program');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthorized');
    expect((await fetch(`${h.url}/api/admin/session`, { headers: { cookie: admin.cookie } })).status).toBe(401);

    // Blocking a staff member ends their sessions at once.
    const manager = shop.staff.manager!;
    expect((await v1(manager.s, 'GET', '/program')).status).toBe(200);
    await updateStaff(h.t.deps, { cli: true }, { businessId: shop.id, staffId: manager.id, change: { status: 'blocked' } });
    expect((await v1(manager.s, 'GET', '/program')).status).toBe(401);
    expect((await signIn(shop.id, manager.email)).status).toBe(403);

    // A made-up session cookie is just unauthorized.
    const fake = { session: 'kss_' + 'A'.repeat(43), csrf: 'c'.repeat(43), cookie: `kopilka_session=kss_${'A'.repeat(43)}; kopilka_csrf=${'c'.repeat(43)}` };
    expect((await v1(fake, 'GET', '/program')).status).toBe(401);
  });

  it('the OpenAPI document names each operation\'s staff permission, and the typed clients work with the cookie session', async () => {
    const doc = (await (await fetch(`${h.url}/api/v1/openapi.json`)).json()) as Json;
    const ops = Object.values(doc.paths as Json).flatMap((p) => Object.values(p as Json)) as Json[];
    for (const op of ops) expect(op.description, op.operationId).toMatch(/Staff: (not allowed \(API keys only\)|[a-z]+\.[a-z]+)$/);
    const byId = Object.fromEntries(ops.map((op) => [op.operationId, op.description as string]));
    expect(byId.updateProgram).toMatch(/Staff: settings\.change$/);
    expect(byId.recordPurchase).toMatch(/Staff: till\.earn$/);
    expect(byId.issueQrToken).toMatch(/Staff: not allowed/);

    const shop = await shopWith();
    const st = await aStaff(h, shop.id, 'admin');
    // A cookie jar standing in for the browser.
    const jar = new Map<string, string>();
    const jarFetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      // /api/v1 answers are checked against the OpenAPI document; /api/admin is not part of it.
      const res = await (String(input).includes('/api/v1/') ? h.fetch : fetch)(input, { ...init, headers });
      for (const [k, c] of Object.entries(cookiesOf(res))) {
        if (c.attrs['max-age'] === '0') jar.delete(k);
        else jar.set(k, c.value);
      }
      return res;
    }) as typeof fetch;
    const csrfToken = () => jar.get('kopilka_csrf') ?? null;
    const sessions = createAdminSessionClient({ baseUrl: h.url, fetch: jarFetch, csrfToken });
    expect(await sessions.me()).toBeNull();
    const wrong = await failure(sessions.signIn({ businessId: shop.id, email: st.email, password: 'nope nope nope' }));
    expect(wrong).toMatchObject({ status: 401, code: 'invalid_credentials' });
    await sessions.signIn({ businessId: shop.id, email: st.email, password: STAFF_PASSWORD });
    expect((await sessions.me())?.staff.role).toBe('admin');

    const api = createClient({ baseUrl: h.url, session: true, csrfToken, fetch: jarFetch, retries: 0 });
    expect((await api.program.update({ pointsName: 'клиент' })).pointsName).toBe('клиент');
    const m = await api.members.create({ phone: '+79990001122' });
    expect((await api.members.adjust(m.id, { points: 10, reason: 'welcome' })).balance.available).toBe(10);
    const noCsrf = createClient({ baseUrl: h.url, session: true, csrfToken: () => null, fetch: jarFetch, retries: 0 });
    expect(await failure(noCsrf.program.update({ pointsName: 'x' }))).toMatchObject({ status: 403, code: 'csrf_failed' });

    await sessions.signOut();
    expect(jar.size).toBe(0);
    expect(await sessions.me()).toBeNull();
    expect(await failure(api.program.get())).toMatchObject({ status: 401 });
    expect(() => createClient({ baseUrl: h.url })).toThrow(/apiKey/);
  });
});
