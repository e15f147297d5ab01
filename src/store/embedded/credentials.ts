// <dataDir>/credentials.json (mode 0600): the database user and the random password chosen at initdb.
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StorageError } from '../storageError.js';

export interface Credentials {
  user: string;
  password: string;
  database: string;
}

export const credentialsPath = (dataDir: string) => path.join(dataDir, 'credentials.json');

export function newCredentials(): Credentials {
  // Hex, so the password needs no escaping in a URL.
  return { user: 'kopilka', password: randomBytes(24).toString('hex'), database: 'kopilka' };
}

export async function writeCredentials(dataDir: string, c: Credentials): Promise<void> {
  const tmp = `${credentialsPath(dataDir)}.tmp`;
  await writeFile(tmp, JSON.stringify(c, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, credentialsPath(dataDir));
}

export async function readCredentials(dataDir: string): Promise<Credentials> {
  const file = credentialsPath(dataDir);
  let parsed: Partial<Credentials>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Credentials>;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is missing' : (e as Error).message;
    throw new StorageError(`cannot read the database password from ${file}: ${why}`);
  }
  if (!parsed.user || !parsed.password || !parsed.database) {
    throw new StorageError(`${file} is incomplete: it needs user, password and database`);
  }
  return { user: parsed.user, password: parsed.password, database: parsed.database };
}

export const embeddedUrl = (c: Credentials, port: number) =>
  `postgres://${c.user}:${c.password}@127.0.0.1:${port}/${c.database}`;
