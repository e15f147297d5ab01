// Temporary data dirs for tests. mkdtemp makes them 0700; as root PostgreSQL runs as `postgres` and must pass through.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export async function makeTempDir(prefix = 'kopilka-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  await chmod(dir, 0o711);
  return dir;
}

export const removeTempDir = (dir: string) => rm(dir, { recursive: true, force: true });
