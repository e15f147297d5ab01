// Where the data lives: an external PostgreSQL (DATABASE_URL) or the embedded one in the data dir.
import { maskUrl, type Config } from '../config/config.js';
import type { Logger } from '../config/logger.js';
import { openEmbedded } from './embedded/launcher.js';
import type { LockOwner } from './embedded/lockFile.js';
import { serverVersionNum } from './pgProbe.js';
import { StorageError } from './storageError.js';

export const MIN_SERVER_VERSION_NUM = 130_000;

export interface OpenedDatabase {
  url: string;
  embedded: boolean;
  /** For people: the data dir, or the external URL with its password masked. */
  location: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  owner: LockOwner;
  log: Logger;
}

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  { owner, log }: OpenOptions,
): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    const url = config.databaseUrl;
    const version = await serverVersionNum(url);
    if (!(version >= MIN_SERVER_VERSION_NUM)) {
      throw new StorageError(
        `PostgreSQL at ${maskUrl(url)} is version ${formatVersion(version)}; Kopilka needs PostgreSQL 13 or newer`,
      );
    }
    log.debug(`using external PostgreSQL ${formatVersion(version)} at ${maskUrl(url)}`);
    return { url, embedded: false, location: `external database ${maskUrl(url)}`, close: async () => {} };
  }
  const db = await openEmbedded(config.dataDir, { owner, log });
  return { url: db.url, embedded: true, location: config.dataDir, close: db.close };
}

// server_version_num: 170004 = 17.4 (since 10); before 10 it was 90624 = 9.6.24.
const formatVersion = (n: number) =>
  n >= 100_000
    ? `${Math.floor(n / 10_000)}.${n % 10_000}`
    : `${Math.floor(n / 10_000)}.${Math.floor((n % 10_000) / 100)}.${n % 100}`;
