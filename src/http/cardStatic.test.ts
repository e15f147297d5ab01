import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { mountCardStatic } from './cardStatic.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kopilka-card-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INDEX = `<!doctype html><html><head><script type="module" src="/card/assets/index-abc123.js"></script></head><body>${'x'.repeat(600)}</body></html>`;
const JS = `console.log(${JSON.stringify('y'.repeat(2000))});`;

function app(distDir: string): Hono {
  const http = new Hono();
  mountCardStatic(http, { distDir });
  http.notFound((c) => c.text('no route', 404));
  return http;
}

describe('mountCardStatic', () => {
  const dist = path.join(dir, 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  mkdirSync(path.join(dist, '.vite'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), INDEX);
  writeFileSync(path.join(dist, 'assets/index-abc123.js'), JS);
  writeFileSync(path.join(dist, '.vite/manifest.json'), '{}');
  writeFileSync(path.join(dir, 'secret.txt'), 'secret');
  const http = app(dist);

  it('redirects /card to /card/, keeping the query', async () => {
    const res = await http.request('/card?b=biz1');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/card/?b=biz1');
  });

  it('serves index.html for /card/ and for app pages, never cached', async () => {
    for (const p of ['/card/', '/card/index.html', '/card/history', '/card/some/deep/page']) {
      const res = await http.request(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('serves hashed assets as immutable, gzipped when accepted, 304 on a matching ETag, HEAD without a body', async () => {
    const plain = await http.request('/card/assets/index-abc123.js');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(JS);

    const zipped = await http.request('/card/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('accept-encoding');
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(JS);
    expect((await http.request('/card/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip;q=0' } })).headers.get('content-encoding')).toBeNull();

    const again = await http.request('/card/assets/index-abc123.js', { headers: { 'if-none-match': plain.headers.get('etag')! } });
    expect(again.status).toBe(304);

    const head = await http.request('/card/assets/index-abc123.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 404 for a missing asset and refuses traversal and dot files', async () => {
    expect((await http.request('/card/assets/gone-123.js')).status).toBe(404);
    expect((await http.request('/card/missing.png')).status).toBe(404);
    expect((await http.request('/card/.vite/manifest.json')).status).toBe(404);
    for (const p of ['/card/..%2fsecret.txt', '/card/assets/..%2f..%2fsecret.txt', '/card/%2e%2e/secret.txt', '/card/a%5c..%5csecret.txt']) {
      const res = await http.request(p);
      // %2e%2e is resolved by the URL parser itself (to /secret.txt, outside /card/): no route then.
      expect([400, 404], p).toContain(res.status);
      expect(await res.text()).not.toContain('secret');
    }
  });

  it('answers 503 with a plain message when the app is not built', async () => {
    const empty = app(path.join(dir, 'nothing-here'));
    for (const p of ['/card/', '/card/history', '/card/assets/index-abc123.js']) {
      const res = await empty.request(p);
      expect(res.status, p).toBe(503);
      expect(await res.text()).toContain('card app not built: run npm run build:web');
    }
  });
});
