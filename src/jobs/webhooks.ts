// Webhook delivery: the worker that moves outbox events into the delivery queue and POSTs due deliveries, signed,
// with retries for 24 hours. The queue lives in PostgreSQL, so a restart loses nothing: a delivery claimed by a
// process that died is taken again once its lease runs out.
import type { Kysely } from 'kysely';
import type { AppDeps } from '../app/deps.js';
import {
  deliverDue,
  dispatchEvents,
  nextDeliveryDueAt,
  type DeliveryRun,
  type WebhookSender,
} from '../app/deliverWebhooks.js';
import type { Logger } from '../config/logger.js';
import { startScheduler, type Scheduler } from './scheduler.js';

export { signatureHeader, verifyWebhookSignature, webhookSignature } from '../app/webhookSignature.js';
export type { DeliveryRun, WebhookRequest, WebhookResponse, WebhookSender } from '../app/deliverWebhooks.js';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
const ERROR_SNIPPET = 200;

/**
 * Moves unpublished outbox events (in id order) into one pending delivery per live webhook subscribed to each, and
 * marks them published, in one transaction per batch. Returns the deliveries created.
 */
export function dispatchWebhookEvents(deps: AppDeps, opts: { businessId?: string; limit?: number } = {}): Promise<number> {
  return dispatchEvents(deps, opts);
}

/**
 * POSTs the pending deliveries that are due (next attempt at or before deps.clock.now()), 8 at a time. A 2xx answer
 * delivers; anything else, a network error or a timeout schedules another attempt (30 s, 1 min, 2, 4… capped at 1 h)
 * or, once the next one would come more than 24 h after the delivery was queued, fails it. Never throws for a
 * receiver's failure.
 */
export function deliverDueWebhooks(
  deps: AppDeps,
  opts: { businessId?: string; limit?: number; fetch?: typeof fetch; timeoutMs?: number; concurrency?: number } = {},
): Promise<DeliveryRun> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  return deliverDue(deps, fetchSender(opts.fetch ?? globalThis.fetch, timeoutMs), {
    businessId: opts.businessId,
    limit: opts.limit,
    concurrency: opts.concurrency,
    requestTimeoutMs: timeoutMs,
  });
}

/** The earliest next attempt among the business's pending deliveries (null: none pending). */
export function nextWebhookDueAt(deps: AppDeps, businessId: string): Promise<Date | null> {
  return nextDeliveryDueAt(deps, businessId);
}

/** POSTs with fetch: no redirects followed, one timeout for the whole exchange; answers instead of throwing. */
export function fetchSender(f: typeof fetch, timeoutMs: number): WebhookSender {
  return async (req) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await f(req.url, { method: 'POST', headers: req.headers, body: req.body, redirect: 'manual', signal: controller.signal });
      if (res.status >= 200 && res.status < 300) {
        await res.body?.cancel().catch(() => undefined);
        return { statusCode: res.status, error: null };
      }
      const snippet = await readSnippet(res).catch(() => '');
      const what = res.status >= 300 && res.status < 400 ? 'redirects are not followed' : snippet;
      return { statusCode: res.status, error: `HTTP ${res.status}${what ? `: ${what}` : ''}` };
    } catch (e) {
      if (controller.signal.aborted) return { statusCode: null, error: `timed out after ${timeoutMs} ms` };
      return { statusCode: null, error: describeError(e) };
    } finally {
      clearTimeout(timer);
    }
  };
}

async function readSnippet(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < ERROR_SNIPPET) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString('utf8').slice(0, ERROR_SNIPPET);
  return text.replace(/\s+/g, ' ').trim();
}

function describeError(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } } | null;
  const cause = err?.cause?.code ?? err?.cause?.message;
  const message = err?.message ?? String(e);
  return cause ? `${message} (${cause})` : message;
}

export interface WebhookWorkerOptions {
  everySeconds?: number;
  /** The database for the scheduler's advisory lock, so one process at a time runs the worker. */
  db?: Kysely<any>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Every `everySeconds` (default 2): dispatch new events, then deliver what is due. */
export function startWebhookWorker(deps: AppDeps, log: Logger, opts: WebhookWorkerOptions = {}): Scheduler {
  return startScheduler({
    every: opts.everySeconds ?? 2,
    job: 'webhooks',
    log,
    ...(opts.db ? { db: opts.db } : {}),
    run: async () => {
      try {
        const queued = await dispatchWebhookEvents(deps);
        if (queued > 0) log.debug(`webhooks: ${queued} deliveries queued`);
      } catch (e) {
        log.error(`webhooks: dispatch failed: ${(e as Error)?.message ?? String(e)}`);
      }
      const r = await deliverDueWebhooks(deps, {
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      });
      if (r.delivered + r.failed + r.retried > 0) {
        log.info(`webhooks: ${r.delivered} delivered, ${r.retried} to retry, ${r.failed} failed for good`);
      }
    },
  });
}
