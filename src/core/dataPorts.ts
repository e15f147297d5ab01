// Ports for exports (rows read from a server-side cursor, never all in memory) and imports (their durable record).
import type { Points } from './money.js';

/** One member as exported; balances are computed by the store at `now`. */
export interface MemberExportRow {
  id: string;
  cardNumber: string;
  phone: string;
  name: string | null;
  birthday: string | null;
  email: string | null;
  available: Points;
  pending: Points;
  totalSpent: number;
  /** Spend within the tier window (all time when the program has none). */
  tierSpend: number;
  purchasesCount: number;
  createdAt: Date;
  /** The latest answer to the marketing question; null when never asked. */
  marketingConsent: boolean | null;
  telegramUserId: number | null;
  vkUserId: number | null;
  deadChannels: string[];
  blocked: boolean;
}

export interface TransactionExportRow {
  id: string;
  createdAt: Date;
  cardNumber: string;
  type: string;
  points: Points;
  balanceAfter: Points;
  reason: string | null;
  actorType: string;
  actorId: string | null;
  /** The staff member's or API key's name, when the actor is one. */
  actorName: string | null;
  purchaseId: string | null;
}

export interface ExportRepository {
  /** The business's members in creation order, read a chunk at a time. */
  members(businessId: string, now: Date, tierSince: Date | null): AsyncIterable<MemberExportRow>;
  /** The business's ledger transactions with from ≤ created_at < to, oldest first, read a chunk at a time. */
  transactions(businessId: string, from: Date, to: Date): AsyncIterable<TransactionExportRow>;
  /** How many rows members() and transactions() will give (for progress: "12,345 of 40,000 rows"). */
  countMembers(businessId: string): Promise<number>;
  countTransactions(businessId: string, from: Date, to: Date): Promise<number>;
}

export type ImportStatus = 'running' | 'done' | 'failed';

export interface ImportRecord {
  id: string;
  businessId: string;
  /** SHA-256 of the file's bytes and the mapping and options: the same file imported the same way is one import. */
  contentHash: string;
  fileName: string;
  status: ImportStatus;
  rowsTotal: number;
  rowsDone: number;
  result: Record<string, unknown> | null;
  error: string | null;
  createdBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface ImportRepository {
  insert(r: ImportRecord): Promise<void>;
  get(businessId: string, id: string): Promise<ImportRecord | null>;
  /** The newest imports first (a running one shows its progress). */
  recent(businessId: string, limit: number): Promise<ImportRecord[]>;
  /** The finished import of this content, if any. */
  findDone(businessId: string, contentHash: string): Promise<ImportRecord | null>;
  /**
   * Holds the content's import lock until the transaction ends, so two imports of one file run one after the other
   * (the second then finds the first one done).
   */
  lockContent(businessId: string, contentHash: string): Promise<void>;
  /** Members of the business that already have one of these phones or card numbers. */
  existing(businessId: string, phones: readonly string[], cards: readonly string[]): Promise<{ id: string; phone: string; cardNumber: string; blocked: boolean }[]>;
  /** Progress of a running import (from a transaction of its own, so it is seen while the import runs). */
  progress(businessId: string, id: string, rowsDone: number): Promise<void>;
  finish(businessId: string, id: string, o: { status: 'done' | 'failed'; rowsDone: number; result: Record<string, unknown> | null; error: string | null; at: Date }): Promise<void>;
}

/** What long work the progress is of; each kind is seen by the staff who may start it. */
export type WorkKind = 'import' | 'import_dry_run' | 'export_members' | 'export_transactions';
export type WorkState = 'running' | 'done' | 'failed';

/** The progress of one piece of long work, under an id its client chose. */
export interface WorkProgressRecord {
  id: string;
  businessId: string;
  kind: WorkKind;
  state: WorkState;
  /** Rows done so far. */
  done: number;
  /** Rows in all, once known (null until then). */
  total: number | null;
  /** Bytes written so far (exports). */
  bytes: number;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface WorkProgressRepository {
  /** Starts (or, for the same id again, restarts) the record. */
  start(r: { businessId: string; id: string; kind: WorkKind; total: number | null; at: Date }): Promise<void>;
  /** Where the work is; never moves a finished record back to running. */
  update(businessId: string, id: string, p: { done: number; total: number | null; bytes: number; at: Date }): Promise<void>;
  finish(businessId: string, id: string, p: { state: 'done' | 'failed'; done: number; total: number | null; bytes: number; error: string | null; at: Date }): Promise<void>;
  get(businessId: string, id: string): Promise<WorkProgressRecord | null>;
  /** Deletes up to `limit` records last touched before `before`; how many went. */
  purge(before: Date, limit: number): Promise<number>;
}
