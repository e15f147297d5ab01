// The admin panel's session (/api/admin/session): staff sign in with e-mail + password and get a staff session
// (channel 'admin') in an HttpOnly cookie, plus a readable CSRF cookie that the panel echoes in X-CSRF-Token on
// every write (double submit). /api/v1 then accepts the cookie in place of an API key (see cookieCaller).
import { timingSafeEqual, randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import type { AppDeps } from '../app/deps.js';
import { authenticateStaff, endStaffSession, signInStaffWithPassword } from '../app/staffSessions.js';
import { staffMe } from '../app/till.js';
import type { Logger } from '../config/logger.js';
import type { StaffCaller } from './env.js';
import { HttpError, errorResponse, toProblem } from './errors.js';
import { failureGate } from './rateLimit.js';
import { jsonBody } from './jsonBody.js';

export const SESSION_COOKIE = 'kopilka_session';
export const CSRF_COOKIE = 'kopilka_csrf';
export const ADMIN_CHANNEL = 'admin';

// What the panel's pages and the session endpoint may do in a browser: only our own files, never in a frame.
export const ADMIN_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' https: data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** HSTS for a year on every answer served over https (directly or behind a TLS proxy); never over plain http. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** On every response: no MIME sniffing, and HSTS when the request came over https. */
export function baseSecurityHeaders(http: Hono): void {
  http.use('*', async (c, next) => {
    await next();
    if (!c.res.headers.has('x-content-type-options')) c.res.headers.set('X-Content-Type-Options', 'nosniff');
    if (isHttps(c) && !c.res.headers.has('strict-transport-security')) c.res.headers.set('Strict-Transport-Security', HSTS);
  });
}

const text = (max: number) => z.string().min(1).max(max).refine((s) => !s.includes('\u0000'), 'must not contain NUL');
const SignIn = z.strictObject({ businessId: text(100), email: text(254), password: text(200) });

/** Served over https, directly or behind a proxy that says so. */
export function isHttps(c: Context): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded ? forwarded === 'https' : new URL(c.req.url).protocol === 'https:';
}

/** The origin the browser sees this server at (the scheme a TLS proxy reports, the Host it was asked for). */
export function ownOrigin(c: Context): string {
  const url = new URL(c.req.url);
  return `${isHttps(c) ? 'https:' : url.protocol}//${url.host}`;
}

const sameString = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const csrfFailed = (why: string) => new HttpError(403, 'csrf_failed', why);

/** A foreign Origin is refused (a cross-site form or fetch); a request without one (same-origin GET, curl) passes. */
function checkOrigin(c: Context): void {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== ownOrigin(c)) throw csrfFailed(`Origin ${origin.slice(0, 100)} is not this server's (${ownOrigin(c)})`);
}

/** Unsafe methods need X-CSRF-Token equal to the kopilka_csrf cookie, and the server's own Origin if one is sent. */
export function checkCsrf(c: Context): void {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return;
  const cookie = getCookie(c, CSRF_COOKIE) ?? '';
  const header = c.req.header('x-csrf-token') ?? '';
  if (cookie.length < 16 || !sameString(cookie, header)) throw csrfFailed('Send the kopilka_csrf cookie\'s value as the X-CSRF-Token header');
  checkOrigin(c);
}

/**
 * The staff caller behind the kopilka_session cookie (CSRF checked first), or null when there is no cookie or
 * its session has ended, expired, or its staff member is blocked or removed.
 */
export async function cookieCaller(deps: AppDeps, c: Context): Promise<StaffCaller | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token === undefined) return null;
  checkCsrf(c);
  const staff = await authenticateStaff(deps, token);
  if (!staff) return null;
  return { kind: 'staff', businessId: staff.businessId, keyId: `staff:${staff.id}`, locationId: null, staff };
}

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Signs the browser in: the HttpOnly session cookie and a fresh readable CSRF cookie (also used by the set-up). */
export function setSessionCookies(c: Context, session: { sessionToken: string; expiresAt: string }, now: Date): void {
  const secure = isHttps(c);
  const maxAge = Math.max(0, Math.floor((Date.parse(session.expiresAt) - now.getTime()) / 1000));
  setCookie(c, SESSION_COOKIE, session.sessionToken, { path: '/', httpOnly: true, sameSite: 'Strict', secure, maxAge });
  setCookie(c, CSRF_COOKIE, randomBytes(32).toString('base64url'), { path: '/', sameSite: 'Strict', secure, maxAge });
  c.header('Cache-Control', 'no-store');
}

export interface AdminSessionOptions {
  deps: AppDeps;
  log: Logger;
  /** Milliseconds for the sign-in limits (tests use the test clock); default performance.now. */
  rateClock?: () => number;
}

const FAILURES_PER_ADDRESS = { rate: 1, burst: 10 };
const FAILURES_PER_EMAIL = { rate: 5 / 60, burst: 10 };

/** Security headers on /api/admin/* and /admin/*; call before the routes they cover are mounted. */
export function adminSecurityHeaders(http: Hono): void {
  const set = async (c: Context, next: () => Promise<void>) => {
    await next();
    for (const [k, v] of Object.entries(ADMIN_SECURITY_HEADERS)) if (!c.res.headers.has(k)) c.res.headers.set(k, v);
  };
  for (const path of ['/api/admin', '/api/admin/*', '/admin', '/admin/*']) http.use(path, set);
}

export function mountAdminSession(http: Hono, o: AdminSessionOptions): void {
  const api = new Hono();
  const now = o.rateClock ?? (() => performance.now());
  const byAddress = failureGate(FAILURES_PER_ADDRESS.rate, FAILURES_PER_ADDRESS.burst, now);
  const byEmail = failureGate(FAILURES_PER_EMAIL.rate, FAILURES_PER_EMAIL.burst, now);

  const clearCookies = (c: Context) => {
    const secure = isHttps(c);
    deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure });
    deleteCookie(c, CSRF_COOKIE, { path: '/', sameSite: 'Strict', secure });
  };

  api.post('/session', async (c) => {
    checkOrigin(c); // no signing a victim's browser in to the attacker's account from another site
    const input = await jsonBody(c, SignIn);
    const address = clientAddress(c);
    const emailKey = `${input.businessId}\n${input.email.trim().toLowerCase()}`;
    const wait = Math.max(byAddress.wait(address) ?? 0, byEmail.wait(emailKey) ?? 0);
    if (wait > 0) throw new HttpError(429, 'rate_limited', 'Too many failed sign-ins; wait and retry', {}, { 'Retry-After': String(wait) });
    let session;
    try {
      session = await signInStaffWithPassword(o.deps, { ...input, device: c.req.header('user-agent')?.slice(0, 200) ?? null, channel: ADMIN_CHANNEL });
    } catch (e) {
      byAddress.fail(address);
      byEmail.fail(emailKey);
      throw e;
    }
    setSessionCookies(c, session, o.deps.clock.now());
    return c.body(null, 204);
  });

  api.get('/session', async (c) => {
    const token = getCookie(c, SESSION_COOKIE) ?? '';
    const staff = await authenticateStaff(o.deps, token);
    if (!staff) throw new HttpError(401, 'unauthorized', 'Not signed in: the session is missing, has expired or was ended');
    c.header('Cache-Control', 'no-store');
    return c.json(await staffMe(o.deps, { staff, channel: ADMIN_CHANNEL }));
  });

  api.delete('/session', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token !== undefined) {
      checkCsrf(c); // another site may not sign staff out either
      await endStaffSession(o.deps, token);
    }
    clearCookies(c);
    return c.body(null, 204);
  });

  api.notFound((c) => errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`));
  api.onError((err, c) => {
    const known = toProblem(c, err);
    if (known) return known;
    o.log.error(`${c.req.method} ${c.req.path} failed: ${err.stack ?? err.message}`);
    return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side');
  });
  http.route('/api/admin', api);
}
