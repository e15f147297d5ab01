// Webhook rules: which events a business may subscribe to, and when a failed delivery is tried again.
export const WEBHOOK_EVENTS = [
  'member.created',
  'points.earned',
  'points.redeemed',
  'points.expired',
  'points.adjusted',
  'purchase.refunded',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const isWebhookEventType = (s: unknown): s is WebhookEventType =>
  typeof s === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(s);

/** Live (not deleted) webhooks one business may have. */
export const MAX_LIVE_WEBHOOKS = 20;
export const MAX_WEBHOOK_URL_LENGTH = 2000;

/** A delivery is retried until its next attempt would fall more than this long after it was queued. */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3_600_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;
/** Jitter: up to this fraction is added to each delay, so receivers coming back are not hit all at once. */
const JITTER = 0.1;

/**
 * The wait after the `failedAttempts`-th failed attempt (1-based): 30 s, 1 min, 2, 4, 8… capped at 1 h, plus up to
 * 10% jitter. `random` returns a number in [0, 1).
 */
export function webhookRetryDelayMs(failedAttempts: number, random: () => number): number {
  const n = Math.max(1, Math.floor(failedAttempts));
  const base = n > 8 ? MAX_RETRY_MS : Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (n - 1));
  return base + Math.floor(base * JITTER * Math.min(Math.max(random(), 0), 1));
}

/**
 * When to try a delivery again after its `failedAttempts`-th failure at `now`, or null to give up: the next attempt
 * would come more than 24 hours after the delivery was queued (`queuedAt`).
 */
export function nextWebhookAttempt(queuedAt: Date, failedAttempts: number, now: Date, random: () => number): Date | null {
  const next = now.getTime() + webhookRetryDelayMs(failedAttempts, random);
  return next > queuedAt.getTime() + WEBHOOK_RETRY_WINDOW_MS ? null : new Date(next);
}
