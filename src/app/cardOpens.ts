// Card opens for the dashboard's weekday × hour chart: one row each time the card app loads its first screen.
import type { AppDeps } from './deps.js';

/** Records one open in its own short transaction; the caller must not let a failure here fail the card. */
export async function recordCardOpen(deps: AppDeps, input: { businessId: string; memberId: string; source: 'telegram' | 'web' }): Promise<void> {
  const at = deps.clock.now();
  await deps.uow.run((repos) => repos.reports.addCardOpen({ ...input, at }));
}
