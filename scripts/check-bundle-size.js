#!/usr/bin/env node
// Size budgets of the web apps (web/<app>/dist): every JS and CSS file an app's page loads at once, raw and gzipped.
// The files come from Vite's manifest (the entry, its static imports and their CSS) and from the <script>/<link>
// tags of index.html. Chunks loaded later by a dynamic import() (the cashier's QR decoder) are listed apart and not
// counted. Exits 1 when an app's gzipped total is over its budget: the card 60 KB, the cashier screen 80 KB, the admin panel 120 KB.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APPS = [
  { name: 'card', what: 'the card page', dir: 'web/card/dist', base: '/card/', budget: 60 * 1024 },
  { name: 'cashier', what: 'the cashier page', dir: 'web/cashier/dist', base: '/cashier/', budget: 80 * 1024 },
  { name: 'admin', what: 'the admin panel', dir: 'web/admin/dist', base: '/admin/', budget: 120 * 1024 },
];

const W = 56;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(9);

/** Checks one app; returns false when it is over its budget or broken. */
function check(app) {
  const dist = path.join(root, app.dir);
  if (!existsSync(path.join(dist, 'index.html'))) {
    console.error(`error: ${app.dir}/index.html is missing: run npm run build:web first`);
    return false;
  }

  const initial = new Set();
  const lazy = new Set();
  const manifestPath = path.join(dist, '.vite/manifest.json');
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};
  const visit = (key, into, seen = new Set()) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    into.add(chunk.file);
    for (const css of chunk.css ?? []) into.add(css);
    for (const imp of chunk.imports ?? []) visit(imp, into, seen);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key, initial);
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isDynamicEntry) visit(key, lazy);

  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  for (const m of html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)) {
    let ref = m[1];
    if (!/\.(m?js|css)(\?|$)/.test(ref) || /^(https?:)?\/\//.test(ref)) continue;
    ref = ref.split('?')[0];
    initial.add(ref.startsWith(app.base) ? ref.slice(app.base.length) : ref.replace(/^\.?\//, ''));
  }
  for (const f of initial) lazy.delete(f);

  if (!initial.size) {
    console.error(`error: found no JS or CSS referenced by ${app.dir}/index.html`);
    return false;
  }

  const measure = (file) => {
    const full = path.join(dist, file);
    if (!full.startsWith(dist + path.sep) || !existsSync(full)) {
      console.error(`error: ${file} is referenced but missing from ${app.dir}`);
      return null;
    }
    const body = readFileSync(full);
    return { raw: body.length, gz: gzipSync(body, { level: 9 }).length };
  };

  console.log(`${app.dir}`);
  console.log(`  ${'file'.padEnd(W)}${'raw'.padStart(9)}${'gzip'.padStart(9)}`);
  let raw = 0;
  let gz = 0;
  for (const file of [...initial].sort()) {
    const size = measure(file);
    if (!size) return false;
    raw += size.raw;
    gz += size.gz;
    console.log(`  ${file.padEnd(W)}${kb(size.raw)}${kb(size.gz)}`);
  }
  console.log(`  ${`total (JS + CSS of ${app.what})`.padEnd(W)}${kb(raw)}${kb(gz)}  (${gz} bytes gzipped; budget ${app.budget})`);
  for (const file of [...lazy].sort()) {
    const size = measure(file);
    if (!size) return false;
    console.log(`  ${`${file} (loaded later, not counted)`.padEnd(W)}${kb(size.raw)}${kb(size.gz)}`);
  }
  if (gz > app.budget) {
    console.error(`error: ${app.what}'s JS + CSS is ${gz} bytes gzipped, over the ${app.budget}-byte budget`);
    return false;
  }
  return true;
}

let ok = true;
for (const app of APPS) ok = check(app) && ok;
if (!ok) process.exit(1);
