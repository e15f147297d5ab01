// The embedded PostgreSQL launcher: start, refuse a second server, share with commands, recover after a crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../src/config/logger.js';
import { silentLogger } from '../src/config/logger.js';
import { openEmbedded, type EmbeddedDatabase } from '../src/store/embedded/launcher.js';
import { lockPath, readLock } from '../src/store/embedded/lockFile.js';
import { isAlive } from '../src/store/embedded/processes.js';
import { withClient } from '../src/store/pgProbe.js';
import { killLeftoverPostmaster, postmasterPid } from './support/postmaster.js';
import { makeTempDir, removeTempDir } from './support/tempDir.js';

const selectOne = (url: string) => withClient(url, async (c) => (await c.query<{ one: number }>('select 1 as one')).rows[0]?.one);

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (m: string) => void lines.push(m);
  return { lines, debug: rec, info: rec, warn: rec, error: rec };
}

describe('embedded PostgreSQL on one data dir', () => {
  let root: string;
  let dataDir: string;
  let server: EmbeddedDatabase;

  beforeAll(async () => {
    root = await makeTempDir();
    dataDir = path.join(root, 'data');
    server = await openEmbedded(dataDir, { owner: 'server', log: silentLogger });
  });

  afterAll(async () => {
    await server?.close();
    await killLeftoverPostmaster(dataDir);
    await removeTempDir(root);
  });

  it('starts a server whose database answers queries, and records itself in the lock file', async () => {
    expect(server.started).toBe(true);
    expect(await selectOne(server.url)).toBe(1);
    expect(await readLock(dataDir)).toMatchObject({ pid: process.pid, port: server.port, owner: 'server' });
    expect(server.url).toMatch(/^postgres:\/\/kopilka:[0-9a-f]{48}@127\.0\.0\.1:\d+\/kopilka$/);
  });

  it('refuses a second server on the same data dir with a clear error', async () => {
    await expect(openEmbedded(dataDir, { owner: 'server', log: silentLogger })).rejects.toThrow(
      `Kopilka is already running on ${dataDir} (pid ${process.pid}, port ${server.port})`,
    );
  });

  it('lets a command use the running server instead of starting another, and leaves it running', async () => {
    const joined = await openEmbedded(dataDir, { owner: 'cli', log: silentLogger });
    expect(joined).toMatchObject({ started: false, port: server.port });
    expect(await selectOne(joined.url)).toBe(1);
    await joined.close();
    expect(await selectOne(server.url)).toBe(1);
  });
});

describe('stop and crash recovery', () => {
  let root: string;
  let dataDir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    root = await makeTempDir();
    dataDir = path.join(root, 'data');
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await killLeftoverPostmaster(dataDir);
    await removeTempDir(root);
  });

  it('close() stops PostgreSQL and removes the lock file', async () => {
    const db = await openEmbedded(dataDir, { owner: 'cli', log: silentLogger });
    const pid = postmasterPid(dataDir)!;
    expect(isAlive(pid)).toBe(true);
    await db.close();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(lockPath(dataDir))).toBe(false);
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });

  it('after the starting process is killed with SIGKILL, the next start stops the left-behind server and works', async () => {
    child = spawn(process.execPath, ['bin/run-ts.js', 'test/fixtures/holdEmbedded.ts', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).once('line', resolve);
      child!.once('exit', (code) => reject(new Error(`holder exited early (${code})`)));
    });
    expect(JSON.parse(firstLine)).toMatchObject({ port: expect.any(Number) });
    const orphan = postmasterPid(dataDir)!;
    const holder = child.pid!;
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = undefined;
    expect(isAlive(holder)).toBe(false);
    expect(isAlive(orphan)).toBe(true); // the crash left PostgreSQL running

    const log = recordingLogger();
    const db = await openEmbedded(dataDir, { owner: 'server', log });
    try {
      expect(isAlive(orphan)).toBe(false);
      expect(log.lines.join('\n')).toMatch(/stale lock file[\s\S]*left running[\s\S]*stopped the left-behind PostgreSQL/);
      expect(await selectOne(db.url)).toBe(1);
      expect(await readLock(dataDir)).toMatchObject({ pid: process.pid, owner: 'server' });
    } finally {
      await db.close();
    }
  });
});
