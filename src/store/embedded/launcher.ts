// The embedded PostgreSQL of a data dir: start it (or join the one another Kopilka process started) and stop it.
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../config/logger.js';
import { waitUntilAccepting, withClient } from '../pgProbe.js';
import { StorageError } from '../storageError.js';
import { pgBinaries } from './binaries.js';
import { type Credentials, embeddedUrl, readCredentials } from './credentials.js';
import { freePort } from './freePort.js';
import { initCluster } from './initdb.js';
import { isLive, type LockInfo, type LockOwner, readLock, removeLock, tryCreateLock, updateLock } from './lockFile.js';
import { handleOrphanPostmaster } from './orphan.js';
import { type PgUser, assertReachable, pgUser } from './pgUser.js';
import { PortTakenError, type Postmaster, startPostmaster } from './postmaster.js';

export interface EmbeddedOptions {
  /** 'server' is `kopilka start`: it refuses to share. 'cli' joins a running server. */
  owner: LockOwner;
  log: Logger;
  readyTimeoutMs?: number;
  /** How long to wait for another short-lived command that holds the data dir. */
  busyTimeoutMs?: number;
}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** True if this process started the server (and stops it on close). */
  started: boolean;
  close(): Promise<void>;
}

export async function openEmbedded(dataDir: string, o: EmbeddedOptions): Promise<EmbeddedDatabase> {
  try {
    return await open(dataDir, o);
  } catch (e) {
    // File-system refusals (permissions, a full or read-only disk) are the operator's to fix: say so plainly.
    const code = (e as NodeJS.ErrnoException).code;
    if (code && ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'ENOTDIR', 'EEXIST'].includes(code)) {
      throw new StorageError(`cannot use the data directory ${dataDir}: ${(e as Error).message}`);
    }
    throw e;
  }
}

async function open(dataDir: string, o: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const readyTimeoutMs = o.readyTimeoutMs ?? 60_000;
  const busyDeadline = Date.now() + (o.busyTimeoutMs ?? 60_000);
  await makeDataDir(dataDir);
  let waitingLogged = false;
  for (;;) {
    const lock = await readLock(dataDir);
    if (lock && isLive(lock)) {
      if (lock.owner === 'server' && o.owner === 'server') {
        throw new StorageError(`Kopilka is already running on ${dataDir} (pid ${lock.pid}, port ${lock.port})`);
      }
      // Joining is safe when the holder is a server (it outlives us) or is this very process.
      if (lock.owner === 'server' || lock.pid === process.pid) return join(dataDir, lock, readyTimeoutMs, o.log);
      if (Date.now() > busyDeadline) {
        throw new StorageError(`another kopilka command (pid ${lock.pid}) is using ${dataDir}; try again when it has finished`);
      }
      if (!waitingLogged) o.log.info(`waiting for another kopilka command (pid ${lock.pid}) to finish with ${dataDir}`);
      waitingLogged = true;
      await sleep(250);
      continue;
    }
    if (lock) {
      o.log.info(`removing a stale lock file in ${dataDir} (pid ${lock.pid || '?'} is not running)`);
      await removeLock(dataDir, lock.pid);
    }
    const mine: LockInfo = { pid: process.pid, port: await freePort(), startedAt: new Date().toISOString(), owner: o.owner };
    if (!(await tryCreateLock(dataDir, mine))) continue; // another process got there first: look again
    try {
      return await startOwned(dataDir, mine, readyTimeoutMs, o.log);
    } catch (e) {
      await removeLock(dataDir, process.pid);
      throw e;
    }
  }
}

/** Parents get the usual mode (PostgreSQL may need to pass through them); the data dir itself stays private. */
async function makeDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(path.dirname(dataDir), { recursive: true });
    await mkdir(dataDir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw new StorageError(`cannot create the data directory ${dataDir}: ${(e as Error).message}`);
  }
}

async function join(dataDir: string, lock: LockInfo, readyTimeoutMs: number, log: Logger): Promise<EmbeddedDatabase> {
  const deadline = Date.now() + readyTimeoutMs;
  const gone = () => (isLive(lock) ? null : `the Kopilka process ${lock.pid} that holds ${dataDir} has exited`);
  log.debug(`using the PostgreSQL started by pid ${lock.pid} on port ${lock.port}`);
  // On a first start the holder may still be in initdb, before credentials.json exists.
  let credentials: Credentials | undefined;
  while (!credentials) {
    try {
      credentials = await readCredentials(dataDir);
    } catch (e) {
      const reason = gone();
      if (reason) throw new StorageError(reason);
      if (Date.now() > deadline) throw e;
      await sleep(200);
    }
  }
  const url = embeddedUrl(credentials, lock.port);
  await waitUntilAccepting(url, { timeoutMs: Math.max(1_000, deadline - Date.now()), abort: gone });
  return { url, port: lock.port, started: false, close: async () => {} };
}

/** We hold the lock: clean up after a crashed run, initialise on first use, start postgres. */
async function startOwned(dataDir: string, lock: LockInfo, readyTimeoutMs: number, log: Logger): Promise<EmbeddedDatabase> {
  const pgDir = path.join(dataDir, 'pg');
  const user = pgUser(log);
  await prepareAccess(dataDir, pgDir, user, log);
  const initialised = await stat(path.join(pgDir, 'PG_VERSION')).then(() => true, () => false);
  if (initialised) await handleOrphanPostmaster(pgDir, log);
  else await initCluster(dataDir, pgDir, user, log);
  const credentials = await readCredentials(dataDir);

  let postmaster: Postmaster | undefined;
  for (let attempt = 1; !postmaster; attempt++) {
    try {
      postmaster = await startPostmaster({
        pgDir,
        logFile: path.join(dataDir, 'postgres.log'),
        port: lock.port,
        user,
        probeUrl: embeddedUrl({ ...credentials, database: 'postgres' }, lock.port),
        readyTimeoutMs,
        log,
      });
    } catch (e) {
      if (!(e instanceof PortTakenError) || attempt >= 3) throw e;
      lock.port = await freePort(); // lost a race for the port: pick another
      await updateLock(dataDir, lock);
    }
  }
  const started = postmaster;
  try {
    await ensureDatabase(credentials, lock.port);
  } catch (e) {
    await started.stop();
    throw e;
  }
  log.debug(`embedded PostgreSQL for ${dataDir} runs as pid ${started.pid} on port ${lock.port}`);
  return {
    url: embeddedUrl(credentials, lock.port),
    port: lock.port,
    started: true,
    close: async () => {
      await started.stop();
      await removeLock(dataDir, process.pid);
    },
  };
}

/** As root, PostgreSQL runs as another user: it must own the cluster and be able to reach it and its binaries. */
async function prepareAccess(dataDir: string, pgDir: string, user: PgUser | null, log: Logger): Promise<void> {
  const own = await stat(pgDir).catch(() => null);
  if (!user) {
    const uid = process.getuid?.();
    if (own && uid !== undefined && own.uid !== uid) {
      throw new StorageError(`${pgDir} belongs to uid ${own.uid}, not to you (uid ${uid}); run Kopilka as that user or change its owner`);
    }
    return;
  }
  const dirMode = (await stat(dataDir)).mode;
  // The data dir keeps its files private; PostgreSQL only needs to pass through it (search bit, no listing).
  if ((dirMode & 0o001) === 0) await chmod(dataDir, (dirMode & 0o7777) | 0o001);
  assertReachable(dataDir, user, 'its data dir');
  assertReachable(path.dirname((await pgBinaries()).postgres), user, 'the PostgreSQL binaries');
  if (own && own.uid !== user.uid) {
    log.info(`giving ${pgDir} to the user "${user.name}" that runs PostgreSQL`);
    execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, pgDir]);
  }
}

/** The application database (`kopilka`) is created on the first start; initdb makes only `postgres`. */
async function ensureDatabase(c: Credentials, port: number): Promise<void> {
  await withClient(embeddedUrl({ ...c, database: 'postgres' }, port), async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [c.database]);
    if (found.rowCount === 0) await client.query(`create database "${c.database}"`);
  });
}
