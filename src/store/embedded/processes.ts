// Process checks by pid: alive or not, what it runs, and stopping it with escalating signals.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** True if the process exists and is not a zombie (an exited child nobody has reaped yet). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readProc(pid, 'stat');
  // Field 3 of /proc/<pid>/stat, after the parenthesised command name, is the state.
  return stat === null || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** The command line of a process, or null where /proc is not available. */
export function commandLine(pid: number): string | null {
  const raw = readProc(pid, 'cmdline');
  return raw === null ? null : raw.split('\0').join(' ').trim();
}

function readProc(pid: number, file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/**
 * Stops a PostgreSQL postmaster: SIGINT is its fast shutdown; SIGQUIT (immediate) and SIGKILL follow
 * if it does not exit in time. Returns the signal that finally stopped it.
 */
export async function stopPostmaster(pid: number, graceMs = 15_000): Promise<NodeJS.Signals> {
  for (const [sig, waitMs] of [['SIGINT', graceMs], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    signal(pid, sig);
    if (await waitForExit(pid, waitMs)) return sig;
  }
  throw new Error(`PostgreSQL (pid ${pid}) did not exit even after SIGKILL`);
}
