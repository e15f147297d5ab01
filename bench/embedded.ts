// `npm start` on a temporary data dir: spawn `node bin/kopilka.js start`, wait for /healthz, find its database
// through openEmbedded (owner 'cli' joins the running server), and stop it with SIGINT like Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../src/config/logger.js';
import { openEmbedded } from '../src/store/embedded/launcher.js';
import { freePort } from '../src/store/embedded/freePort.js';

export interface EmbeddedServer {
  url: string;
  dataDir: string;
  startSeconds: number;
  stop(): Promise<void>;
}

/** Whether `kopilka start` on `port` answers GET /healthz with status ok. */
export async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return res.ok && ((await res.json()) as { status?: string }).status === 'ok';
  } catch {
    return false;
  }
}

export const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

export async function startEmbeddedServer(timeoutMs = 180_000): Promise<EmbeddedServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kopilka-bench-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, KOPILKA_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.resolve('bin/kopilka.js'), 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const done = await Promise.race([exited(child).then(() => true), sleep(60_000).then(() => false)]);
      if (!done) child.kill('SIGKILL');
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`kopilka start exited with code ${child.exitCode}:\n${output}`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`kopilka start did not answer /healthz within ${timeoutMs / 1000} s:\n${output}`);
      await sleep(200);
    }
    const startSeconds = Math.round(performance.now() - t0) / 1000;
    const db = await openEmbedded(dataDir, { owner: 'cli', log: createLogger('warn') });
    if (db.started) throw new Error('openEmbedded started its own server instead of joining kopilka start');
    return { url: db.url, dataDir, startSeconds, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
