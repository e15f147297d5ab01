// The expiry job: expires what remains of every lot past its expiry, in batches; a second run finds nothing.
import type { AppDeps } from './deps.js';

export interface ExpiryRun {
  members: number;
  lots: number;
  points: number;
  batches: number;
}

export async function expirePoints(deps: AppDeps, opts: { now?: Date; batchSize?: number; businessId?: string } = {}): Promise<ExpiryRun> {
  const now = opts.now ?? deps.clock.now();
  const batchSize = opts.batchSize ?? 2000;
  const total: ExpiryRun = { members: 0, lots: 0, points: 0, batches: 0 };
  for (;;) {
    const batch = await deps.uow.run((repos) => repos.expiry.expireBatch(now, batchSize, opts.businessId));
    if (batch.members === 0) return total;
    total.members += batch.members;
    total.lots += batch.lots;
    total.points += batch.points;
    total.batches += 1;
  }
}

/** When the business's next lot expires (null: none will). */
export async function nextExpiryAt(deps: AppDeps, businessId: string): Promise<Date | null> {
  return deps.uow.run((repos) => repos.expiry.nextDue(businessId));
}
