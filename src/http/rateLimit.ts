// A token bucket per key: `rate` requests per second on average, bursts of up to `burst` (default `rate`). In memory,
// per process.
export interface RateLimiter {
  /** null when allowed; otherwise the seconds to wait. */
  take(key: string): number | null;
}

export function tokenBucket(rate: number, now: () => number = () => performance.now(), burst = rate): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size > 100_000) buckets.clear(); // bounded memory under a flood of distinct keys
        b = { tokens: burst, at: t };
        buckets.set(key, b);
      }
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate);
      b.at = t;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return null;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / rate));
    },
  };
}

/**
 * Failed attempts per key (sign-ins): after `burst` quick failures the key is refused for a while, and the caller
 * asks `wait` BEFORE checking any password, so a right guess made while refused does not get in.
 */
export function failureGate(rate: number, burst: number, now: () => number = () => performance.now()) {
  const bucket = tokenBucket(rate, now, burst);
  const blockedUntil = new Map<string, number>();
  return {
    /** null when attempts are allowed; otherwise the seconds to wait. */
    wait(key: string): number | null {
      const until = blockedUntil.get(key);
      if (until === undefined) return null;
      if (until > now()) return Math.max(1, Math.ceil((until - now()) / 1000));
      blockedUntil.delete(key);
      return null;
    },
    fail(key: string): void {
      const wait = bucket.take(key);
      if (wait === null) return;
      if (blockedUntil.size > 100_000) blockedUntil.clear();
      blockedUntil.set(key, now() + wait * 1000);
    },
  };
}
