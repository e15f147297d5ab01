// Idempotency keys are kept for a week (the API promises at least 24 hours), then forgotten in batches.
import type { AppDeps } from './deps.js';

export const IDEMPOTENCY_RETENTION_DAYS = 7;

export async function purgeIdempotencyKeys(deps: AppDeps, opts: { batchSize?: number } = {}): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - IDEMPOTENCY_RETENTION_DAYS * 86_400_000);
  const batch = opts.batchSize ?? 5000;
  let total = 0;
  for (;;) {
    const n = await deps.uow.run((repos) => repos.idempotency.purge(before, batch));
    total += n;
    if (n < batch) return total;
  }
}
