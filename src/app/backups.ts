// Backups (issue 7): on demand (CLI, API) and daily (the server's scheduler, the last 7 kept), each with a record
// that shows its progress; restore of a file. The streaming itself is the store's (BackupStore).
import { DomainError, type BackupKind, type BackupRecord, type BackupStore, type Clock, type OnBackupProgress, type RestoreResult } from '../core/index.js';

export interface BackupDeps {
  backups: BackupStore;
  clock: Clock;
  newId: () => string;
  /** The folder backup files go to. */
  dir: string;
  kopilkaVersion: string;
}

/** Daily backups kept; older ones are deleted (files and records). Backups made on demand are never deleted. */
export const DAILY_BACKUPS_KEPT = 7;
/** A daily backup is due when the last one is older than this (a little under a day, so the hour does not drift). */
const DAILY_EVERY_MS = 23 * 3600 * 1000;

/** kopilka-2026-03-10-090000.backup.gz (UTC). */
export function backupFileName(at: Date, suffix = ''): string {
  const s = at.toISOString();
  return `kopilka-${s.slice(0, 10)}-${s.slice(11, 19).replace(/:/g, '')}${suffix}.backup.gz`;
}

export interface BackupRun {
  record: BackupRecord;
  /** Settles when the backup is written (or failed: then the record says why). */
  done: Promise<BackupRecord>;
}

/** Starts a backup and returns its record at once; the work goes on in `done`. */
export async function startBackup(
  deps: BackupDeps,
  o: { kind: BackupKind; file?: string; onProgress?: OnBackupProgress; /** the staff member's name (the panel) */ requestedBy?: string | null },
): Promise<BackupRun> {
  const id = deps.newId();
  const createdAt = deps.clock.now();
  const file = o.file ?? `${deps.dir.replace(/[\\/]+$/, '')}/${backupFileName(createdAt, `-${id.slice(-6)}`)}`;
  const record: BackupRecord = {
    id,
    kind: o.kind,
    status: 'running',
    file,
    size: null,
    tablesDone: 0,
    tablesTotal: 0,
    rowsDone: 0,
    error: null,
    createdAt,
    finishedAt: null,
    requestedBy: o.requestedBy ?? null,
  };
  await deps.backups.insertRecord(record);
  // Progress goes to the record one update at a time, in order; a failed update never fails the backup.
  let saving: Promise<void> = Promise.resolve();
  const onProgress: OnBackupProgress = (p) => {
    o.onProgress?.(p);
    saving = saving.then(() => deps.backups.updateRecord(id, { tablesDone: p.tablesDone, tablesTotal: p.tablesTotal, rowsDone: p.rows })).catch(() => undefined);
  };
  const done = (async (): Promise<BackupRecord> => {
    try {
      const m = await deps.backups.dump(file, { kopilkaVersion: deps.kopilkaVersion, createdAt, onProgress });
      await saving;
      const rows = m.tables.reduce((n, t) => n + t.rows, 0);
      const patch = { status: 'done' as const, size: m.size, tablesDone: m.tables.length, tablesTotal: m.tables.length, rowsDone: rows, finishedAt: deps.clock.now() };
      await deps.backups.updateRecord(id, patch);
      return { ...record, ...patch };
    } catch (e) {
      await saving;
      const patch = { status: 'failed' as const, error: e instanceof Error ? e.message : String(e), finishedAt: deps.clock.now() };
      await deps.backups.updateRecord(id, patch).catch(() => undefined);
      throw e;
    }
  })();
  done.catch(() => undefined); // the caller that only wanted the id reads the failure from the record
  return { record, done };
}

/** Makes a backup and waits for it (the CLI). */
export async function makeBackup(deps: BackupDeps, o: { kind?: BackupKind; file?: string; onProgress?: OnBackupProgress } = {}): Promise<BackupRecord> {
  const run = await startBackup(deps, { kind: o.kind ?? 'manual', file: o.file, onProgress: o.onProgress });
  return run.done;
}

export const listBackups = (deps: Pick<BackupDeps, 'backups'>, limit = 100): Promise<BackupRecord[]> => deps.backups.listRecords(limit);

export async function getBackup(deps: Pick<BackupDeps, 'backups'>, id: string): Promise<BackupRecord> {
  const r = await deps.backups.getRecord(id);
  if (!r) throw new DomainError('backup_not_found');
  return r;
}

/** The finished backup's file, for download; one still running or failed has none. */
export async function backupFile(deps: Pick<BackupDeps, 'backups'>, id: string): Promise<BackupRecord> {
  const r = await getBackup(deps, id);
  if (r.status !== 'done') throw new DomainError('backup_not_found', r.status === 'running' ? 'The backup is still being made' : 'The backup failed; it has no file');
  return r;
}

/**
 * The daily run (the scheduler calls it every hour): a backup when the last daily one is older than about a day,
 * then only the newest DAILY_BACKUPS_KEPT daily backups are kept. Returns the new backup, or null when none was due.
 */
export async function dailyBackup(deps: BackupDeps): Promise<BackupRecord | null> {
  const daily = (await deps.backups.listRecords(1000)).filter((r) => r.kind === 'daily');
  const last = daily.find((r) => r.status !== 'failed');
  if (last && deps.clock.now().getTime() - last.createdAt.getTime() < DAILY_EVERY_MS) return null;
  const made = await makeBackup(deps, { kind: 'daily' });
  await pruneDailyBackups(deps);
  return made;
}

export async function pruneDailyBackups(deps: Pick<BackupDeps, 'backups'>): Promise<number> {
  const daily = (await deps.backups.listRecords(1000)).filter((r) => r.kind === 'daily' && r.status !== 'running');
  const kept = daily.filter((r) => r.status === 'done').slice(0, DAILY_BACKUPS_KEPT);
  let removed = 0;
  for (const r of daily) {
    if (kept.includes(r)) continue;
    await deps.backups.removeFile(r.file);
    await deps.backups.deleteRecord(r.id);
    removed++;
  }
  return removed;
}

/** Restores a backup file into this database (see BackupStore.restore: all or nothing). */
export function restoreBackup(deps: Pick<BackupDeps, 'backups'>, file: string, o: { force?: boolean; onProgress?: OnBackupProgress } = {}): Promise<RestoreResult> {
  return deps.backups.restore(file, o);
}
