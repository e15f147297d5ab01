#!/usr/bin/env node
// Size budget of the card app (web/card/dist): every JS and CSS file the card page loads, raw and gzipped.
// The files come from Vite's manifest (the entry, its static imports and their CSS) and from the <script>/<link>
// tags of index.html. Exits 1 when their gzipped total is over the budget (60 KB).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 60 * 1024;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'web/card/dist');
const BASE = '/card/';

if (!existsSync(path.join(dist, 'index.html'))) {
  console.error('error: web/card/dist/index.html is missing: run npm run build:web first');
  process.exit(1);
}

const files = new Set();

const manifestPath = path.join(dist, '.vite/manifest.json');
if (existsSync(manifestPath)) {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const visit = (key, seen = new Set()) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imp of chunk.imports ?? []) visit(imp, seen);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
}

const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
for (const m of html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)) {
  let ref = m[1];
  if (!/\.(m?js|css)(\?|$)/.test(ref) || /^(https?:)?\/\//.test(ref)) continue;
  ref = ref.split('?')[0];
  files.add(ref.startsWith(BASE) ? ref.slice(BASE.length) : ref.replace(/^\.?\//, ''));
}

if (!files.size) {
  console.error('error: found no JS or CSS referenced by web/card/dist/index.html');
  process.exit(1);
}

let raw = 0;
let gz = 0;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
console.log(`${'file'.padEnd(44)}${'raw'.padStart(9)}${'gzip'.padStart(9)}`);
for (const file of [...files].sort()) {
  const full = path.join(dist, file);
  if (!full.startsWith(dist + path.sep) || !existsSync(full)) {
    console.error(`error: ${file} is referenced but missing from web/card/dist`);
    process.exit(1);
  }
  const body = readFileSync(full);
  const zipped = gzipSync(body, { level: 9 }).length;
  raw += body.length;
  gz += zipped;
  console.log(`${file.padEnd(44)}${kb(body.length)}${kb(zipped)}`);
}
console.log(`${'total (JS + CSS of the card page)'.padEnd(44)}${kb(raw)}${kb(gz)}  (${gz} bytes gzipped; budget ${BUDGET})`);
if (gz > BUDGET) {
  console.error(`error: the card page's JS + CSS is ${gz} bytes gzipped, over the ${BUDGET}-byte budget`);
  process.exit(1);
}
