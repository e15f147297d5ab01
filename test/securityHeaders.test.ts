// Security headers over real HTTP: the panel's pages, its session endpoint and its assets, the card app and the
// cashier screen carry a Content-Security-Policy naming no other host (only 'self' and schemes), nosniff, a
// Referrer-Policy, no framing of the panel (frame-ancestors 'none' + X-Frame-Options), a Permissions-Policy; every
// answer has nosniff, and HSTS exactly when served over https (directly or behind a TLS proxy). Sign-ins are
// limited: after a burst of failures from one address the panel's and the cashier screen's sign-ins refuse (429 +
// Retry-After) before any password is checked, so even the right password does not get in until the wait is over;
// the platform operator's sign-in alike.
import { describe, expect, it } from 'vitest';
import { createOperator } from '../src/app/operators.js';
import { inviteStaff } from '../src/app/staff.js';
import { useApi } from './support/apiServer.js';
import { STAFF_PASSWORD, aStaff } from './support/staff.js';

const h = useApi({ cardApp: true });

/** The CSP's directives: name → sources. */
function csp(header: string | null): Map<string, string[]> {
  expect(header, 'no Content-Security-Policy').toBeTruthy();
  return new Map(
    header!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((p) => p[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/** Sources that name a host (anything but keywords like 'self' and bare schemes like data: or https:). */
const hostsIn = (policy: Map<string, string[]>): string[] => [...policy.values()].flat().filter((s) => !/^'[a-z-]+'$/.test(s) && !/^[a-z][a-z0-9+.-]*:$/.test(s));

const PAGES = ['/admin/', '/admin/settings', '/card/', '/cashier/'];

describe('security headers', () => {
  it('pages: a CSP with no other host, nosniff, a Referrer-Policy and a Permissions-Policy; the panel is never framed', async () => {
    for (const path of PAGES) {
      const res = await fetch(`${h.url}${path}`);
      expect(res.status, path).toBe(200);
      const policy = csp(res.headers.get('content-security-policy'));
      expect(hostsIn(policy), path).toEqual([]);
      expect(policy.get('default-src'), path).toEqual(["'self'"]);
      expect(policy.get('script-src'), path).toEqual(["'self'"]);
      expect(policy.get('connect-src'), path).toEqual(["'self'"]);
      expect(policy.get('object-src'), path).toEqual(["'none'"]);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toMatch(/^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/);
      expect(res.headers.get('permissions-policy'), path).toMatch(/(^|, )microphone=\(\)/);
      expect(res.headers.get('strict-transport-security'), path).toBeNull(); // plain http here
    }
    for (const path of ['/admin/', '/admin/settings']) {
      const res = await fetch(`${h.url}${path}`);
      expect(csp(res.headers.get('content-security-policy')).get('frame-ancestors')).toEqual(["'none'"]);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('permissions-policy')).toContain('camera=()');
    }
    // The cashier screen may use the camera (QR codes) on this site only; the card app not at all.
    expect((await fetch(`${h.url}/cashier/`)).headers.get('permissions-policy')).toContain('camera=(self)');
    expect((await fetch(`${h.url}/card/`)).headers.get('permissions-policy')).toContain('camera=()');

    // The panel's own scripts and styles are served as what they are, with nosniff.
    const html = await (await fetch(`${h.url}/admin/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/admin\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    // The page itself loads nothing from another host.
    expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((u) => /^(https?:)?\/\//.test(u))).toEqual([]);
    for (const a of assets) {
      const res = await fetch(`${h.url}${a}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(a.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('every answer has nosniff; HSTS only over https (directly or behind a TLS proxy)', async () => {
    const shop = await h.business();
    const paths = ['/admin/', '/card/', '/cashier/', '/api/admin/session', '/api/v1/program', '/healthz', '/no/such/page'];
    for (const path of paths) {
      const plain = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${shop.apiKey}` } });
      expect(plain.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(plain.headers.get('strict-transport-security'), path).toBeNull();
      const tls = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${shop.apiKey}`, 'x-forwarded-proto': 'https' } });
      expect(tls.headers.get('strict-transport-security'), path).toMatch(/^max-age=(\d+)/);
      expect(Number(/max-age=(\d+)/.exec(tls.headers.get('strict-transport-security') ?? '')?.[1])).toBeGreaterThanOrEqual(180 * 86_400);
    }
    // The API's answers stay the API's: no page policy on JSON (checked against the OpenAPI document too).
    const api = await h.fetch(`${h.url}/api/v1/program`, { headers: { authorization: `Bearer ${shop.apiKey}` } });
    expect(api.status).toBe(200);
    expect(api.headers.get('content-security-policy')).toBeNull();
  });
});

describe('sign-in limits', () => {
  const post = (path: string, body: unknown) => fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('the panel: a burst of failures, then 429 + Retry-After even for the right password, until the wait is over', async () => {
    const shop = await h.business();
    const owner = await aStaff(h, shop.id, 'owner');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post('/api/admin/session', { businessId: shop.id, email: owner.email, password: `guess ${i}` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.at(-1)).toBe(429);
    const right = await post('/api/admin/session', { businessId: shop.id, email: owner.email, password: STAFF_PASSWORD });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(right.headers.getSetCookie()).toEqual([]);
    h.t.clock.advance(10 * 60_000);
    expect((await post('/api/admin/session', { businessId: shop.id, email: owner.email, password: STAFF_PASSWORD })).status).toBe(204);
  });

  it('the cashier screen: the same — a right password guessed while refused does not sign in', async () => {
    const shop = await h.business();
    const cashier = await aStaff(h, shop.id, 'cashier');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post('/api/staff/sessions', { businessId: shop.id, email: cashier.email, password: `guess number ${i}` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.at(-1)).toBe(429);
    const right = await post('/api/staff/sessions', { businessId: shop.id, email: cashier.email, password: STAFF_PASSWORD });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Invitations are sign-ins too: refused while the address waits.
    const { token } = await inviteStaff(h.t.deps, { cli: true }, { businessId: shop.id, role: 'cashier', name: 'Касса 2' });
    expect((await post('/api/staff/sessions', { inviteToken: token, name: 'Касса 2', email: `k2.${shop.id.slice(-6)}@shop.test`, password: STAFF_PASSWORD })).status).toBe(429);
    h.t.clock.advance(10 * 60_000);
    const ok = await post('/api/staff/sessions', { businessId: shop.id, email: cashier.email, password: STAFF_PASSWORD });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { sessionToken: string }).sessionToken).toMatch(/^kss_/);
  });

  it('the platform operator: refused after a burst of failures, the right password included', async () => {
    await createOperator(h.t.deps, { email: 'ops@platform.test', password: 'operator password 1' });
    // This server's operator limit runs on the real clock (1 failure a second refills): fail until refused.
    let status = 0;
    for (let i = 0; i < 30 && status !== 429; i++) status = (await post('/api/operator/session', { email: 'ops@platform.test', password: `guess ${i}` })).status;
    expect(status).toBe(429);
    const right = await post('/api/operator/session', { email: 'ops@platform.test', password: 'operator password 1' });
    expect(right.status).toBe(429);
    expect(right.headers.getSetCookie()).toEqual([]);
  });
});
