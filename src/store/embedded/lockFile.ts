// <dataDir>/kopilka.lock.json: which Kopilka process started the embedded server on this data dir, and its port.
import { randomBytes } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { commandLine, isAlive } from './processes.js';

export type LockOwner = 'server' | 'cli';

export interface LockInfo {
  pid: number;
  port: number;
  startedAt: string;
  owner: LockOwner;
}

export const lockPath = (dataDir: string) => path.join(dataDir, 'kopilka.lock.json');

export async function readLock(dataDir: string): Promise<LockInfo | null> {
  let text: string;
  try {
    text = await readFile(lockPath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.port === 'number' && (v.owner === 'server' || v.owner === 'cli')) {
      return { pid: v.pid, port: v.port, startedAt: String(v.startedAt ?? ''), owner: v.owner };
    }
  } catch {
    // fall through: an unreadable lock is treated as stale
  }
  return { pid: 0, port: 0, startedAt: '', owner: 'cli' };
}

/** A lock is live if its process runs and is a Node process (a reused pid after a reboot is not). */
export function isLive(lock: LockInfo): boolean {
  if (!isAlive(lock.pid)) return false;
  const cmd = commandLine(lock.pid);
  return cmd === null || lock.pid === process.pid || /node|kopilka|tsx/.test(cmd);
}

const tmpPath = (dataDir: string) => `${lockPath(dataDir)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

/** Creates the lock only if none exists (link() fails on an existing name); false if someone else holds it. */
export async function tryCreateLock(dataDir: string, lock: LockInfo): Promise<boolean> {
  const tmp = tmpPath(dataDir);
  await writeFile(tmp, JSON.stringify(lock) + '\n', { mode: 0o644 });
  try {
    await link(tmp, lockPath(dataDir));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/** Replaces the content of a lock we hold (e.g. the port changed), atomically via rename. */
export async function updateLock(dataDir: string, lock: LockInfo): Promise<void> {
  const tmp = tmpPath(dataDir);
  await writeFile(tmp, JSON.stringify(lock) + '\n', { mode: 0o644 });
  await rename(tmp, lockPath(dataDir));
}

/** Removes the lock if it is still the one described (never someone else's newer lock). */
export async function removeLock(dataDir: string, expectedPid: number): Promise<void> {
  const current = await readLock(dataDir);
  if (current && current.pid === expectedPid) await unlink(lockPath(dataDir)).catch(() => {});
}
