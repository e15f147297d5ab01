#!/usr/bin/env node
// Run before `npm start`: builds each web app (web/card, web/cashier, web/admin → <app>/dist) when it was
// never built or when any of its sources is newer than its built index.html, so a fresh clone serves a working /card/,
// /cashier/ and /admin/. A failed build or a missing Vite (an install without dev dependencies) is reported but does not stop
// the server from starting: the app's address then answers 503 until `npm run build:web` succeeds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APPS = [
  { name: 'card app', dir: 'web/card', url: '/card/', client: 'src/client/card.ts' },
  { name: 'cashier screen', dir: 'web/cashier', url: '/cashier/', client: 'src/client/staff.ts' },
  { name: 'admin panel', dir: 'web/admin', url: '/admin/', client: 'src/client' },
];

function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(p)) max = Math.max(max, newest(path.join(p, entry)));
  return max;
}

let viteBin;
function vite() {
  if (viteBin !== undefined) return viteBin;
  try {
    const pkg = createRequire(import.meta.url).resolve('vite/package.json', { paths: [root] });
    viteBin = path.join(path.dirname(pkg), 'bin/vite.js');
  } catch {
    viteBin = null;
  }
  return viteBin;
}

for (const app of APPS) {
  const built = path.join(root, app.dir, 'dist/index.html');
  const sources = [`${app.dir}/src`, `${app.dir}/index.html`, `${app.dir}/vite.config.ts`, app.client, "web/shared", "src/client/sessionCall.ts"].map((p) => path.join(root, p));
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  const changedAt = Math.max(...sources.map(newest));
  if (builtAt && builtAt >= changedAt) continue;

  const bin = vite();
  if (!bin) {
    console.warn(`warning: the ${app.name} is ${builtAt ? 'out of date' : 'not built'} and Vite is not installed (npm ci installs it); ${app.url} ${builtAt ? 'serves the old build' : 'will answer 503'}`);
    continue;
  }
  console.log(builtAt ? `${app.name[0].toUpperCase()}${app.name.slice(1)} sources changed: rebuilding ${app.dir} …` : `Building the ${app.name} (${app.dir}) …`);
  const r = spawnSync(process.execPath, [bin, 'build', app.dir, '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.warn(`warning: the ${app.name} build failed (exit ${r.status ?? r.signal}); run npm run build:web to see why`);
  }
}
