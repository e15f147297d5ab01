// Starting and stopping the postgres server process of an embedded cluster.
import { closeSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import type { Logger } from '../../config/logger.js';
import { waitUntilAccepting } from '../pgProbe.js';
import { StorageError } from '../storageError.js';
import { pgBinaries } from './binaries.js';
import type { PgUser } from './pgUser.js';
import { stopPostmaster } from './processes.js';
import { spawnAs, tail } from './spawnAs.js';

export interface StartOptions {
  pgDir: string;
  logFile: string;
  port: number;
  user: PgUser | null;
  /** A URL to poll for readiness (it carries the credentials). */
  probeUrl: string;
  readyTimeoutMs: number;
  log: Logger;
}

export interface Postmaster {
  pid: number;
  stop(): Promise<void>;
}

/** The port was taken between choosing it and postgres binding it; the caller picks another. */
export class PortTakenError extends Error {}

// Sized for a small machine; the defaults otherwise. fsync stays on.
const SETTINGS = {
  listen_addresses: '127.0.0.1',
  unix_socket_directories: '', // TCP on loopback only: no socket files to clean up or secure
  max_connections: '100',
  shared_buffers: '128MB',
  logging_collector: 'off',
};

const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

export async function startPostmaster(o: StartOptions): Promise<Postmaster> {
  const { postgres } = await pgBinaries();
  rotateLog(o.logFile);
  const logStart = statSync(o.logFile, { throwIfNoEntry: false })?.size ?? 0;
  const fd = openSync(o.logFile, 'a', 0o640);
  const args = ['-D', o.pgDir, '-p', String(o.port), ...Object.entries(SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  // Detached: its own process group, so a Ctrl-C in the terminal reaches us, and we stop it in order.
  const child = spawnAs(o.user, postgres, args, { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  if (!child.pid) {
    // spawn failed (e.g. the binary is missing); 'error' follows on the next tick and says why
    const err = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new StorageError(`cannot start ${postgres}: ${err.message}`);
  }
  child.on('error', () => {}); // later errors (e.g. a signal to an exited process) are not fatal
  const state: { exited: string | null } = { exited: null };
  child.on('exit', (code, signal) => (state.exited = `PostgreSQL exited (${signal ?? `code ${code}`})`));

  const logTail = () => tail(readLogFrom(o.logFile, logStart));
  try {
    await waitUntilAccepting(o.probeUrl, { timeoutMs: o.readyTimeoutMs, abort: () => state.exited });
  } catch (e) {
    const text = logTail();
    if (state.exited === null) await stopPostmaster(child.pid, 5_000).catch(() => {});
    if (/could not bind|address already in use/i.test(text)) throw new PortTakenError(text);
    throw new StorageError(`${(e as Error).message}\nLast lines of ${o.logFile}:\n${text}`);
  }
  const pid = child.pid;
  o.log.debug(`PostgreSQL (pid ${pid}) accepts connections on 127.0.0.1:${o.port}`);
  return { pid, stop: async () => void (await stopPostmaster(pid)) };
}

function readLogFrom(file: string, offset: number): string {
  try {
    return readFileSync(file).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}

function rotateLog(file: string): void {
  const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  if (size > LOG_ROTATE_BYTES) renameSync(file, `${file}.1`);
}
