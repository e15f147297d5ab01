// Serves a built web app (Vite output, made by `npm run build:web`) under its prefix: the customer card app
// (web/card/dist) at /card/, the cashier screen (web/cashier/dist) at /cashier/ and the admin panel (web/admin/dist)
// at /admin/.
//   /card                      → 301 /card/ (query kept)
//   /card/assets/<hashed file>  → cached for a year (immutable)
//   /card/, any other page path → index.html, never cached (it names the current hashed assets), with the app's CSP
// Files are read once into memory (again when they change on disk) and gzipped there for clients that accept it.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Context, Hono } from 'hono';

export interface CardStaticOptions {
  /** The Vite output folder, e.g. <repo>/web/card/dist. */
  distDir: string;
}

export interface StaticAppOptions {
  /** Where the app lives, without a trailing slash: '/card', '/cashier'. Must match the app's Vite `base`. */
  prefix: string;
  /** The Vite output folder, e.g. <repo>/web/cashier/dist. */
  distDir: string;
  /** The page's Content-Security-Policy (sent with index.html). */
  csp: string;
  /** Extra headers sent with index.html (e.g. Permissions-Policy). */
  pageHeaders?: Record<string, string>;
  /** How the 503 names the app when it is not built: 'card app'. */
  name: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};
const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json)|image\/svg\+xml)/;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const NO_CACHE = 'no-cache';
// The page loads only its own files; logos may come from https: or data: URLs (the business's branding).
export const CARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";
// The cashier screen: only its own files, plus the camera's stream (mediastream:, blob:) and photos of QR codes
// (blob:, data:). The same policy is in the built index.html (web/cashier/vite.config.ts).
export const CASHIER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; worker-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

// The admin panel: only its own files (logos from https: or data: in the card preview), never in a frame. The same
// policy, less frame-ancestors (a <meta> cannot carry it), is in the built index.html (web/admin/vite.config.ts).
export const ADMIN_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

interface Cached {
  mtimeMs: number;
  size: number;
  body: Uint8Array;
  gzip: Uint8Array | null;
  etag: string;
  type: string;
}

/** The customer card app (web/card/dist) at /card/. */
export function mountCardStatic(http: Hono, opts: CardStaticOptions): void {
  mountStaticApp(http, { prefix: '/card', distDir: opts.distDir, csp: CARD_CSP, pageHeaders: { 'permissions-policy': 'camera=(), microphone=(), geolocation=()' }, name: 'card app' });
}

/** The cashier screen (web/cashier/dist) at /cashier/: its camera for QR codes on this site only. */
export function mountCashierStatic(http: Hono, opts: CardStaticOptions): void {
  mountStaticApp(http, {
    prefix: '/cashier',
    distDir: opts.distDir,
    csp: CASHIER_CSP,
    pageHeaders: { 'permissions-policy': 'camera=(self), microphone=(), geolocation=()' },
    name: 'cashier screen',
  });
}

/** The admin panel (web/admin/dist) at /admin/: its pages are paths under it (/admin/settings …). */
export function mountAdminStatic(http: Hono, opts: CardStaticOptions): void {
  mountStaticApp(http, { prefix: '/admin', distDir: opts.distDir, csp: ADMIN_CSP, name: 'admin panel' });
}

export function mountStaticApp(http: Hono, opts: StaticAppOptions): void {
  const prefix = opts.prefix.replace(/\/+$/, '');
  if (!/^\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(prefix)) throw new Error(`bad static app prefix: ${opts.prefix}`);
  const NOT_BUILT = `${opts.name} not built: run npm run build:web\n`;
  const dist = path.resolve(opts.distDir);
  const cache = new Map<string, Cached>();

  /** The file at `rel` (a checked path inside dist), from memory when unchanged on disk; null when there is none. */
  async function load(rel: string): Promise<Cached | null> {
    const full = path.join(dist, rel);
    let s;
    try {
      s = await stat(full);
    } catch {
      return null;
    }
    if (!s.isFile()) return null;
    const hit = cache.get(rel);
    if (hit && hit.mtimeMs === s.mtimeMs && hit.size === s.size) return hit;
    const body = new Uint8Array(await readFile(full));
    const type = TYPES[path.extname(rel).toLowerCase()] ?? 'application/octet-stream';
    const gzip = COMPRESSIBLE.test(type) && body.length > 256 ? new Uint8Array(gzipSync(body, { level: 9 })) : null;
    const entry: Cached = {
      mtimeMs: s.mtimeMs,
      size: s.size,
      body,
      gzip: gzip && gzip.length < body.length ? gzip : null,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      type,
    };
    cache.set(rel, entry);
    return entry;
  }

  function send(c: Context, file: Cached, cacheControl: string, extra: Record<string, string> = {}): Response {
    const headers: Record<string, string> = {
      'content-type': file.type,
      'cache-control': cacheControl,
      etag: file.etag,
      'x-content-type-options': 'nosniff',
      ...extra,
    };
    if (file.gzip) headers.vary = 'accept-encoding';
    const match = c.req.header('if-none-match');
    if (match && match.split(/\s*,\s*/).some((t) => t === file.etag || t === `W/${file.etag}` || t === '*')) {
      return new Response(null, { status: 304, headers: { etag: file.etag, 'cache-control': cacheControl, ...(file.gzip ? { vary: 'accept-encoding' } : {}) } });
    }
    const body = file.gzip && acceptsGzip(c.req.header('accept-encoding')) ? file.gzip : file.body;
    if (body === file.gzip) headers['content-encoding'] = 'gzip';
    headers['content-length'] = String(body.length);
    return new Response(c.req.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { status: 200, headers });
  }

  const plain = (status: 400 | 404 | 503, text: string) =>
    new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } });

  async function index(c: Context): Promise<Response> {
    const file = await load('index.html');
    if (!file) return plain(503, NOT_BUILT);
    return send(c, file, NO_CACHE, { ...opts.pageHeaders, 'content-security-policy': opts.csp, 'referrer-policy': 'no-referrer' });
  }

  http.get(prefix, (c) => {
    const q = new URL(c.req.url).search;
    return c.redirect(`${prefix}/${q}`, 301);
  });

  http.get(`${prefix}/*`, async (c) => {
    let rel: string;
    try {
      rel = decodeURIComponent(c.req.path.slice(prefix.length + 1));
    } catch {
      return plain(400, 'bad path\n');
    }
    const segments = rel.split('/');
    if (rel.includes('\\') || rel.includes('\0') || segments.some((s) => s === '..' || s === '.') || path.isAbsolute(rel)) return plain(400, 'bad path\n');
    if (rel === '' || rel === 'index.html') return index(c);
    // Vite's own bookkeeping (.vite/manifest.json) and other dot files are not served.
    if (segments.some((s) => s.startsWith('.'))) return plain(404, 'not found\n');
    const full = path.resolve(dist, rel);
    if (!full.startsWith(dist + path.sep)) return plain(400, 'bad path\n');

    const isAsset = rel.startsWith('assets/') || /\.[A-Za-z0-9]{1,12}$/.test(segments[segments.length - 1] ?? '');
    const file = await load(rel);
    if (file) return send(c, file, rel.startsWith('assets/') ? IMMUTABLE : NO_CACHE);
    if (isAsset) {
      if (!(await load('index.html'))) return plain(503, NOT_BUILT);
      return plain(404, 'not found\n');
    }
    // A page of the app (/card/history, …): the app itself routes it.
    return index(c);
  });
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name !== 'gzip' && name !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  }
  return false;
}
