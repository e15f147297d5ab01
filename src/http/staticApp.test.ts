// mountStaticApp: the cashier screen at /cashier/ beside the card app at /card/, each with its own files and CSP.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { CARD_CSP, CASHIER_CSP, mountCardStatic, mountCashierStatic, mountStaticApp } from './cardStatic.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kopilka-static-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dist(name: string, html: string): string {
  const d = path.join(dir, name);
  mkdirSync(path.join(d, 'assets'), { recursive: true });
  writeFileSync(path.join(d, 'index.html'), html);
  writeFileSync(path.join(d, `assets/${name}-1.js`), `console.log('${name}')`);
  return d;
}

describe('mountStaticApp', () => {
  const http = new Hono();
  mountCardStatic(http, { distDir: dist('card', '<p>card</p>') });
  mountCashierStatic(http, { distDir: dist('cashier', '<p>cashier</p>') });
  http.notFound((c) => c.text('no route', 404));

  it('serves the cashier screen at /cashier/ with its camera-friendly CSP, the card at /card/ as before', async () => {
    const res = await http.request('/cashier/');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<p>cashier</p>');
    expect(res.headers.get('content-security-policy')).toBe(CASHIER_CSP);
    expect(CASHIER_CSP).toContain("media-src 'self' blob: mediastream:");
    expect(res.headers.get('permissions-policy')).toContain('camera=(self)');
    expect(res.headers.get('cache-control')).toBe('no-cache');

    const card = await http.request('/card/');
    expect(await card.text()).toBe('<p>card</p>');
    expect(card.headers.get('content-security-policy')).toBe(CARD_CSP);
    expect(card.headers.get('permissions-policy')).toBe('camera=(), microphone=(), geolocation=()'); // no camera: the card shows its QR, never reads one

    expect(await (await http.request('/cashier/assets/cashier-1.js')).text()).toBe("console.log('cashier')");
    expect((await http.request('/cashier/assets/card-1.js')).status).toBe(404);
    expect((await http.request('/cashier/some/page')).status).toBe(200);
  });

  it('redirects /cashier to /cashier/ keeping the query; refuses traversal', async () => {
    const res = await http.request('/cashier?b=biz1');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/cashier/?b=biz1');
    expect((await http.request('/cashier/..%2fcard%2findex.html')).status).toBe(400);
  });

  it('answers 503 naming the app when it is not built, and refuses a bad prefix', async () => {
    const empty = new Hono();
    mountCashierStatic(empty, { distDir: path.join(dir, 'nothing') });
    const res = await empty.request('/cashier/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('cashier screen not built: run npm run build:web');
    expect(() => mountStaticApp(new Hono(), { prefix: '/../x', distDir: dir, csp: CARD_CSP, name: 'x' })).toThrow(/bad static app prefix/);
  });
});
