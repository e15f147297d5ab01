// Progress of long work (an import, its dry run, an export) under an id the client chose, so a page can poll it while
// its own request is still open. Each write is a short transaction of its own (an import's transaction commits only
// at the end), throttled, and never holds the work up: a slow or failed progress write only makes the bar late.
import { DomainError, invalid, type WorkKind, type WorkProgressRecord } from '../core/index.js';
import type { AppDeps } from './deps.js';

/** What long work reports as it goes: rows done, rows in all once known, bytes written (exports). */
export interface WorkProgress {
  done: number;
  total: number | null;
  bytes?: number;
}

export type OnWorkProgress = (p: WorkProgress) => void;

export interface WorkProgressView {
  id: string;
  kind: WorkKind;
  state: WorkProgressRecord['state'];
  done: number;
  total: number | null;
  bytes: number;
  error: string | null;
  startedAt: string;
  updatedAt: string;
}

/** Progress rows are kept this long after their last change, then purged. */
export const WORK_PROGRESS_RETENTION_HOURS = 24;
/** At most one progress write per this many milliseconds while the work runs. */
export const PROGRESS_WRITE_MS = 500;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isProgressId = (id: string): boolean => UUID_RE.test(id);

export interface ProgressTracker {
  /** For the work's onProgress: remembered at once, written at most every PROGRESS_WRITE_MS. */
  report: OnWorkProgress;
  /** The final state, written after any write still on its way. */
  finish(state: 'done' | 'failed', error?: string | null): Promise<void>;
}

/**
 * Starts the record (the same id again restarts it) and returns the tracker. Without an id, a tracker that writes
 * nothing, so callers need no branches.
 */
export async function trackProgress(deps: AppDeps, o: { businessId: string; id: string | undefined; kind: WorkKind; every?: number }): Promise<ProgressTracker> {
  const id = o.id;
  if (id === undefined) return { report: () => {}, finish: async () => {} };
  if (!isProgressId(id)) throw invalid('progressId must be a UUID', { field: 'progressId' });
  const every = o.every ?? PROGRESS_WRITE_MS;
  await deps.uow.run((repos) => repos.progress.start({ businessId: o.businessId, id, kind: o.kind, total: null, at: deps.clock.now() }));
  let latest: Required<WorkProgress> = { done: 0, total: null, bytes: 0 };
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  let queued = false;
  const write = (p: Required<WorkProgress>) =>
    deps.uow.run((repos) => repos.progress.update(o.businessId, id, { ...p, at: deps.clock.now() })).catch(() => {
      // Best effort: the bar is late, the work goes on; finish() writes the final state again.
    });
  return {
    report(p) {
      latest = { done: p.done, total: p.total ?? latest.total, bytes: p.bytes ?? latest.bytes };
      const now = Date.now();
      if (queued || now - lastWrite < every) return;
      lastWrite = now;
      queued = true;
      writing = writing.then(() => {
        queued = false;
        return write(latest);
      });
    },
    async finish(state, error = null) {
      await writing;
      await deps.uow.run((repos) => repos.progress.finish(o.businessId, id, { state, ...latest, error, at: deps.clock.now() }));
    },
  };
}

const view = (r: WorkProgressRecord): WorkProgressView => ({
  id: r.id, kind: r.kind, state: r.state, done: r.done, total: r.total, bytes: r.bytes, error: r.error,
  startedAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
});

/** The progress of one piece of work of the business. */
export async function getWorkProgress(deps: AppDeps, businessId: string, id: string): Promise<WorkProgressView> {
  const r = isProgressId(id) ? await deps.uow.run((repos) => repos.progress.get(businessId, id)) : null;
  if (!r) throw new DomainError('progress_not_found', `No work with progress id ${id.slice(0, 40)} (it starts a moment after its request; kept for ${WORK_PROGRESS_RETENTION_HOURS} hours)`);
  return view(r);
}

/** Forgets progress rows untouched for WORK_PROGRESS_RETENTION_HOURS, in batches; how many went. */
export async function purgeWorkProgress(deps: AppDeps, opts: { batchSize?: number } = {}): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - WORK_PROGRESS_RETENTION_HOURS * 3_600_000);
  const batch = opts.batchSize ?? 5000;
  let total = 0;
  for (;;) {
    const n = await deps.uow.run((repos) => repos.progress.purge(before, batch));
    total += n;
    if (n < batch) return total;
  }
}
