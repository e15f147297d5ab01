// First use of a data dir: initdb into a scratch dir, then rename it into place, so a crash mid-way leaves no half cluster.
import { execFileSync } from 'node:child_process';
import { chown, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../config/logger.js';
import { StorageError } from '../storageError.js';
import { pgBinaries } from './binaries.js';
import { newCredentials, writeCredentials } from './credentials.js';
import type { PgUser } from './pgUser.js';
import { runAs, tail } from './spawnAs.js';

export async function initCluster(dataDir: string, pgDir: string, user: PgUser | null, log: Logger): Promise<void> {
  const { initdb } = await pgBinaries();
  const scratch = `${pgDir}.init`;
  const pwFile = path.join(dataDir, 'initdb-password.tmp');
  const credentials = newCredentials();
  const locale = pickLocale();
  log.info(`creating a new PostgreSQL cluster in ${pgDir} (locale ${locale})`);

  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { mode: 0o700 });
  await writeFile(pwFile, credentials.password + '\n', { mode: 0o600 });
  try {
    // initdb reads the password file as the PostgreSQL user, so that user must own both.
    if (user) {
      await chown(scratch, user.uid, user.gid);
      await chown(pwFile, user.uid, user.gid);
    }
    const { code, output } = await runAs(user, initdb, [
      `--pgdata=${scratch}`,
      `--username=${credentials.user}`,
      `--pwfile=${pwFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      `--locale=${locale}`,
    ]);
    if (code !== 0) throw new StorageError(`initdb failed (exit code ${code}):\n${tail(output)}`);
  } finally {
    await rm(pwFile, { force: true });
  }
  await writeCredentials(dataDir, credentials);
  await rename(scratch, pgDir);
}

/** C.UTF-8 (byte-order collation, UTF-8 character classes) where the system has it, else C. */
function pickLocale(): string {
  try {
    const all = execFileSync('locale', ['-a'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /^c\.utf-?8$/im.test(all) ? 'C.UTF-8' : 'C';
  } catch {
    return 'C';
  }
}
