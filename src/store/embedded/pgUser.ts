// PostgreSQL refuses to run as root, so as root we run it as the unprivileged system user `postgres`.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../config/logger.js';
import { StorageError } from '../storageError.js';

export interface PgUser {
  uid: number;
  gid: number;
  name: string;
}

const NAME = 'postgres';

/** The user to run PostgreSQL as, or null to run it as ourselves (we are not root). */
export function pgUser(log: Logger): PgUser | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  let user = lookup();
  if (!user) {
    log.info(`running as root: creating the system user "${NAME}" to run PostgreSQL`);
    try {
      if (!group()) execFileSync('groupadd', ['--system', NAME], { stdio: 'pipe' });
      execFileSync(
        'useradd',
        ['--system', '--gid', NAME, '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', NAME],
        { stdio: 'pipe' },
      );
    } catch (e) {
      throw new StorageError(
        `running as root, PostgreSQL needs an unprivileged user "${NAME}" and creating it failed ` +
          `(${stderrOf(e)}); create it yourself (e.g. \`useradd --system ${NAME}\`) or run Kopilka as a normal user`,
      );
    }
    user = lookup();
    if (!user) throw new StorageError(`created the user "${NAME}" but cannot find it with getent`);
  }
  return user;
}

function lookup(): PgUser | null {
  const line = getent('passwd', NAME);
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { name: NAME, uid: Number(uid), gid: Number(gid) };
}

const group = () => getent('group', NAME);

function getent(db: string, key: string): string | null {
  try {
    return execFileSync('getent', [db, key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null; // exit code 2: no such entry
  }
}

const stderrOf = (e: unknown) =>
  String((e as { stderr?: Buffer }).stderr ?? '').trim() || (e as Error).message;

/**
 * Fails clearly if `user` cannot reach `target` (every ancestor directory needs search permission for it),
 * instead of letting initdb or postgres fail with a bare "permission denied".
 */
export function assertReachable(target: string, user: PgUser, what: string): void {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const st = statSync(dir, { throwIfNoEntry: false });
    if (st) {
      const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
      if ((st.mode & bit) === 0) {
        throw new StorageError(
          `PostgreSQL runs as the user "${user.name}", which cannot reach ${what} because it may not enter ${dir}; ` +
            `allow it (\`chmod o+x ${dir}\`) or move Kopilka${what.includes('data') ? ' (KOPILKA_DATA_DIR)' : ''} elsewhere`,
        );
      }
    }
    if (dir === path.dirname(dir)) return;
  }
}
