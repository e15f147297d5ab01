// `kopilka backup [--out FILE]` and `kopilka restore FILE [--force]`: our own logical dump (no pg_dump needed, so
// it works on the embedded database too), with progress lines as tables are done.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { makeBackup, restoreBackup, type BackupDeps } from '../../app/backups.js';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../config/logger.js';
import type { BackupProgress } from '../../core/index.js';
import { backupStore } from '../../store/backup.js';
import { createPool } from '../../store/database.js';
import { withApp, type AppContext } from '../compose.js';

export const kopilkaVersion = (): string =>
  (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The backup use cases' dependencies on an opened app; close() ends the extra pool COPY streams over. */
export function backupDepsOf(app: Pick<AppContext, 'database' | 'deps' | 'config'>): BackupDeps & { close(): Promise<void> } {
  const pool = createPool(app.database.url, { max: 3 });
  return {
    backups: backupStore(pool),
    clock: app.deps.clock,
    newId: app.deps.newId,
    dir: app.config.backupDir,
    kopilkaVersion: kopilkaVersion(),
    close: () => pool.end(),
  };
}

/** One line per table, plus one every so many rows inside a large one. */
function progressPrinter(verb: string): (p: BackupProgress) => void {
  let lastTable: string | null = null;
  return (p) => {
    if (p.table === null) return;
    const rows = `${p.rows.toLocaleString('en-US')} rows so far`;
    if (p.table !== lastTable) console.log(`  [${p.tablesDone + 1}/${p.tablesTotal}] ${verb} ${p.table} (${rows})`);
    else console.log(`        … ${p.table}: ${rows}`);
    lastTable = p.table;
  };
}

const size = (bytes: number) => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

export async function backupCommand(config: Config, log: Logger, flags: { out?: string; json?: boolean }): Promise<void> {
  const record = await withApp(config, log, async (app) => {
    const deps = backupDepsOf(app);
    try {
      if (!flags.json) console.log(`Backing up ${app.database.location}`);
      return await makeBackup(deps, { file: flags.out ? path.resolve(flags.out) : undefined, onProgress: flags.json ? undefined : progressPrinter('reading') });
    } finally {
      await deps.close();
    }
  });
  if (flags.json) {
    console.log(JSON.stringify({ id: record.id, file: record.file, size: record.size, tables: record.tablesTotal, rows: record.rowsDone }));
    return;
  }
  console.log(`Backup written: ${record.file} (${size(record.size ?? 0)}, ${record.tablesTotal} tables, ${record.rowsDone.toLocaleString('en-US')} rows)`);
  console.log(`Restore it with: kopilka restore ${JSON.stringify(record.file)}`);
}

export async function restoreCommand(config: Config, log: Logger, file: string, flags: { force?: boolean; json?: boolean }): Promise<void> {
  const abs = path.resolve(file);
  const r = await withApp(config, log, async (app) => {
    const deps = backupDepsOf(app);
    try {
      if (!flags.json) console.log(`Restoring ${abs} into ${app.database.location}${flags.force ? ' (wiping what is there first)' : ''}`);
      return await restoreBackup(deps, abs, { force: flags.force, onProgress: flags.json ? undefined : progressPrinter('loading') });
    } finally {
      await deps.close();
    }
  });
  const m = r.manifest;
  if (flags.json) {
    console.log(
      JSON.stringify({
        instanceId: m.instanceId,
        previousInstanceId: r.previousInstanceId,
        createdAt: m.createdAt,
        businesses: m.businesses,
        members: m.members,
        rows: r.rows,
        wipedBusinesses: r.wipedBusinesses,
        requeuedMessages: r.requeuedMessages,
        ledgerChecksum: m.ledgerChecksum,
      }),
    );
    return;
  }
  console.log(`Restored the backup of ${m.createdAt}: ${m.businesses} business(es), ${m.members} members, ${r.rows.toLocaleString('en-US')} rows.`);
  console.log(`Every balance checked: the ledger checksum matches the backup's (${m.ledgerChecksum.slice(0, 16)}…).`);
  if (r.wipedBusinesses > 0) console.log(`Wiped first: ${r.wipedBusinesses} business(es) that were in this database.`);
  if (r.requeuedMessages > 0) console.log(`${r.requeuedMessages} message(s) that were queued will be sent again by the server.`);
  if (r.previousInstanceId && r.previousInstanceId !== m.instanceId) {
    console.log(`The backup came from another installation (instance ${m.instanceId}); this database was ${r.previousInstanceId} and now carries the backup's id. That is expected when moving to a new server.`);
  }
}
