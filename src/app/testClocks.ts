// The test clock as the entry points see it (src/jobs/testClock.ts implements it; only a --test-clock server has one).
import type { Clock } from '../core/index.js';

export interface JobRun {
  job: string;
  at: string;
  result: Record<string, number>;
}

export interface TestClocks {
  clockFor(businessId: string): Clock;
  /** Moves the business's clock forward to `to`, running every job that fell due on the way, in order. */
  moveTo(businessId: string, to: Date): Promise<{ now: Date; ranJobs: JobRun[] }>;
}
