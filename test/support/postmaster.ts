// Reads and stops the postmaster of an embedded cluster, so tests can check it is gone and never leave one behind.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive, stopPostmaster } from '../../src/store/embedded/processes.js';

export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Cleanup for afterAll/afterEach: stops a postmaster still running on the data dir. */
export async function killLeftoverPostmaster(dataDir: string): Promise<void> {
  const pid = postmasterPid(dataDir);
  if (pid && isAlive(pid)) await stopPostmaster(pid, 5_000);
}
