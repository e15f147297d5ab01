// A postmaster still running on our data dir while no live Kopilka holds the lock was left by a crashed run.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../config/logger.js';
import { commandLine, isAlive, stopPostmaster } from './processes.js';

/** Stops a left-behind postmaster, or removes a postmaster.pid whose pid is dead or reused by another program. */
export async function handleOrphanPostmaster(pgDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  let text: string;
  try {
    text = await readFile(pidFile, 'utf8');
  } catch {
    return; // no pid file: nothing runs on this cluster
  }
  const pid = Number(text.split('\n')[0]);
  const cmd = isAlive(pid) ? commandLine(pid) : null;
  const isPostgres = isAlive(pid) && (cmd === null || cmd.includes('postgres'));
  if (!isPostgres) {
    log.info(`removing a stale ${pidFile} (pid ${pid || '?'} is not a running PostgreSQL)`);
    await rm(pidFile, { force: true });
    return;
  }
  log.warn(`PostgreSQL (pid ${pid}) was left running on ${pgDir} by a Kopilka that did not stop cleanly; stopping it`);
  const signal = await stopPostmaster(pid);
  log.warn(`stopped the left-behind PostgreSQL (pid ${pid}) with ${signal}`);
}
