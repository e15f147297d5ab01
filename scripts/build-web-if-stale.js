#!/usr/bin/env node
// Run before `npm start`: builds the card app (web/card → web/card/dist) when it was never built or when any of
// its sources is newer than the built index.html, so a fresh clone serves a working /card/. A failed build or a
// missing Vite (an install without dev dependencies) is reported but does not stop the server from starting:
// /card/ then answers 503 until `npm run build:web` succeeds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'web/card/dist/index.html');
const sources = ['web/card/src', 'web/card/index.html', 'web/card/vite.config.ts', 'src/client/card.ts'].map((p) => path.join(root, p));

function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(p)) max = Math.max(max, newest(path.join(p, entry)));
  return max;
}

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const changedAt = Math.max(...sources.map(newest));
if (builtAt && builtAt >= changedAt) process.exit(0);

let viteBin;
try {
  const pkg = createRequire(import.meta.url).resolve('vite/package.json', { paths: [root] });
  viteBin = path.join(path.dirname(pkg), 'bin/vite.js');
} catch {
  console.warn(`warning: the card app is ${builtAt ? 'out of date' : 'not built'} and Vite is not installed (npm ci installs it); /card/ ${builtAt ? 'serves the old build' : 'will answer 503'}`);
  process.exit(0);
}

console.log(builtAt ? 'Card app sources changed: rebuilding web/card …' : 'Building the card app (web/card) …');
const r = spawnSync(process.execPath, [viteBin, 'build', 'web/card', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.warn(`warning: the card app build failed (exit ${r.status ?? r.signal}); run npm run build:web to see why`);
}
