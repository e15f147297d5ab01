// The server's backups: the deps the API's /backups routes use, and the daily backup (checked every hour, made when
// the last daily one is a day old, the last 7 kept) run by the scheduler under an advisory lock, so two servers on
// one database make one.
import { DAILY_BACKUPS_KEPT, dailyBackup, type BackupDeps } from '../app/backups.js';
import type { Logger } from '../config/logger.js';
import { startScheduler } from '../jobs/scheduler.js';
import type { AppContext } from './compose.js';
import { backupDepsOf } from './commands/backup.js';

export interface ServerBackups {
  deps: BackupDeps;
  stop(): Promise<void>;
}

export function startServerBackups(app: Pick<AppContext, 'database' | 'deps' | 'config' | 'db'>, log: Logger): ServerBackups {
  const deps = backupDepsOf(app);
  const daily = startScheduler({
    every: 3600,
    job: 'daily-backup',
    log,
    db: app.db,
    run: async () => {
      const made = await dailyBackup(deps);
      if (made) log.info(`daily backup written: ${made.file} (${made.size ?? 0} bytes; the last ${DAILY_BACKUPS_KEPT} are kept)`);
    },
  });
  return {
    deps,
    stop: async () => {
      await daily.stop();
      await deps.close();
    },
  };
}
