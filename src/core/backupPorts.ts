// Backups (issue 7): a logical dump of every Kopilka table in one file, and its restore. The store does the streaming
// (COPY, gzip, SHA-256); the use cases in src/app/backups.ts keep the records, the schedule and the file names.

/** The file's format; a restore refuses any other. */
export const BACKUP_FORMAT = 1;

export interface BackupTableEntry {
  name: string;
  /** The columns dumped, in order (generated columns are left out: the database computes them again). */
  columns: string[];
  rows: number;
  /** SHA-256 (hex) of the table's data as written in the file. */
  sha256: string;
}

export interface BackupManifest {
  format: number;
  kopilkaVersion: string;
  /** The applied migrations, in order: a restore needs a database migrated to exactly these. */
  migrations: string[];
  instanceId: string;
  createdAt: string;
  /** Every table of our schema, parents before children. */
  tables: BackupTableEntry[];
  /** SHA-256 over every member's points and open lots (see ledgerChecksum in the store). */
  ledgerChecksum: string;
  members: number;
  businesses: number;
}

export interface BackupProgress {
  table: string | null;
  tablesDone: number;
  tablesTotal: number;
  rows: number;
}

export type OnBackupProgress = (p: BackupProgress) => void;

export interface RestoreOptions {
  /** Wipe a database that already holds businesses (otherwise such a restore is refused). */
  force?: boolean;
  onProgress?: OnBackupProgress;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** The instance id this database had before the restore (it now carries the backup's). */
  previousInstanceId: string | null;
  /** How many businesses were wiped (with force). */
  wipedBusinesses: number;
  /** Messages that were queued when the backup was made and are scheduled again. */
  requeuedMessages: number;
  rows: number;
}

export type BackupKind = 'manual' | 'daily';
export type BackupStatus = 'running' | 'done' | 'failed';

export interface BackupRecord {
  id: string;
  kind: BackupKind;
  status: BackupStatus;
  file: string;
  size: number | null;
  tablesDone: number;
  tablesTotal: number;
  rowsDone: number;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** The staff member who asked for it in the panel; null for daily ones and those from the CLI or an API key. */
  requestedBy: string | null;
}

/** Streams data between the database and backup files; memory stays bounded whatever the size. */
export interface BackupStore {
  /** Writes a backup of every table to `file` (atomically: a failed dump leaves no file). */
  dump(file: string, o: { kopilkaVersion: string; createdAt: Date; onProgress?: OnBackupProgress }): Promise<BackupManifest & { size: number }>;
  /** Restores `file` in one transaction; throws BackupError (nothing restored) on any problem. */
  restore(file: string, o: RestoreOptions): Promise<RestoreResult>;
  /** The ledger checksum of the database as it is now. */
  ledgerChecksum(): Promise<string>;
  insertRecord(r: BackupRecord): Promise<void>;
  updateRecord(id: string, patch: Partial<Omit<BackupRecord, 'id' | 'kind' | 'file' | 'createdAt' | 'requestedBy'>>): Promise<void>;
  getRecord(id: string): Promise<BackupRecord | null>;
  /** Newest first. */
  listRecords(limit: number): Promise<BackupRecord[]>;
  deleteRecord(id: string): Promise<void>;
  removeFile(file: string): Promise<void>;
  businessCount(): Promise<number>;
}

