// Starts one embedded PostgreSQL for the whole run unless DATABASE_URL points at a server (as in CI).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The browser tests serve the built card app; build it if its sources changed (npm test has built it already).
  const build = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../scripts/build-web-if-stale.js')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the card app failed');
  if (process.env.DATABASE_URL) {
    project.provide('databaseUrl', process.env.DATABASE_URL);
    return async () => undefined;
  }
  const { startEmbeddedForTests } = await import('./embeddedForTests.js');
  const dir = await mkdtemp(path.join(tmpdir(), 'kopilka-test-'));
  const server = await startEmbeddedForTests(dir);
  project.provide('databaseUrl', server.url);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
