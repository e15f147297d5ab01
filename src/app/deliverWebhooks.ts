// The webhook queue's two steps. dispatch: outbox events become one pending delivery per subscribed webhook, in the
// transaction that marks them published. deliver: claim due deliveries under a lease, send each (the caller supplies
// the HTTP client), and record the outcome: delivered, retried with backoff, or failed once 24 hours have run out.
import { UUID_RE } from './ids.js';
import { nextWebhookAttempt, type ClaimedWebhookDelivery, type WebhookAttemptOutcome } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { signatureHeader } from './webhookSignature.js';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A receiver's answer: its status code, or an error (network, timeout) when there was none. */
export interface WebhookResponse {
  statusCode: number | null;
  error: string | null;
}

/** Sends one request; must not throw (a thrown error is recorded as a failed attempt all the same). */
export type WebhookSender = (request: WebhookRequest) => Promise<WebhookResponse>;

export interface DeliveryRun {
  delivered: number;
  failed: number;
  retried: number;
}

const DISPATCH_BATCH = 500;
const DELIVERY_BATCH = 32;
const MAX_BATCHES_PER_RUN = 20;
const MAX_ERROR_LENGTH = 500;

/** Fans unpublished outbox events out into deliveries, batch after batch until none are left; returns deliveries queued. */
export async function dispatchEvents(deps: AppDeps, opts: { businessId?: string | undefined; limit?: number | undefined } = {}): Promise<number> {
  const businessId = opts.businessId ?? null;
  if (businessId !== null && !UUID_RE.test(businessId)) return 0;
  const limit = Math.max(1, Math.floor(opts.limit ?? DISPATCH_BATCH));
  let deliveries = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const r = await deps.uow.run((repos) => repos.webhooks.dispatch(deps.clock.now(), { businessId, limit }));
    deliveries += r.deliveries;
    // An explicit limit means one batch; otherwise keep going while batches come back full.
    if (opts.limit !== undefined || r.events < limit) break;
  }
  return deliveries;
}

/** The body of a delivery: the same bytes on every attempt. */
export function deliveryBody(d: Pick<ClaimedWebhookDelivery, 'id' | 'eventType' | 'eventCreatedAt' | 'businessId' | 'payload'>): string {
  return JSON.stringify({ id: d.id, type: d.eventType, createdAt: d.eventCreatedAt.toISOString(), businessId: d.businessId, data: d.payload });
}

export function deliveryRequest(d: ClaimedWebhookDelivery, at: Date): WebhookRequest {
  const body = deliveryBody(d);
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    url: d.url,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Kopilka-Webhooks/1',
      'kopilka-event': d.eventType,
      'kopilka-delivery': d.id,
      'kopilka-timestamp': timestamp,
      'kopilka-signature': signatureHeader(d.secret, timestamp, body),
    },
  };
}

export interface DeliverOptions {
  businessId?: string | undefined;
  /** Deliveries claimed per batch (default 32); given explicitly, the run does one batch. */
  limit?: number | undefined;
  /** Requests in flight at once (default 8). */
  concurrency?: number | undefined;
  /** The longest one send may take (the sender's timeout). */
  requestTimeoutMs: number;
  /** Added to the time a batch may take to send, for the claim's lease (default 60 s). */
  leaseMarginMs?: number | undefined;
  random?: () => number;
}

/** Sends due deliveries; a receiver's failure is recorded, never thrown. */
export async function deliverDue(deps: AppDeps, send: WebhookSender, opts: DeliverOptions): Promise<DeliveryRun> {
  const run: DeliveryRun = { delivered: 0, failed: 0, retried: 0 };
  const businessId = opts.businessId ?? null;
  if (businessId !== null && !UUID_RE.test(businessId)) return run;
  const limit = Math.max(1, Math.floor(opts.limit ?? DELIVERY_BATCH));
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 8));
  const random = opts.random ?? Math.random;
  // A claim must outlast sending the whole batch, `concurrency` at a time, each up to the timeout; a delivery whose
  // lease ran out could be claimed again by another worker while still in flight here.
  const leaseMs = opts.requestTimeoutMs * Math.ceil(limit / concurrency) + (opts.leaseMarginMs ?? 60_000);

  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const now = deps.clock.now();
    const claimed = await deps.uow.run((repos) =>
      repos.webhooks.claimDue(now, new Date(now.getTime() + leaseMs), { businessId, limit }),
    );
    let next = 0;
    let storeError: unknown = null;
    const worker = async (): Promise<void> => {
      while (next < claimed.length && storeError === null) {
        const d = claimed[next++]!;
        const outcome = await attempt(deps, send, d, random);
        let recorded: boolean;
        try {
          recorded = await deps.uow.run((repos) => repos.webhooks.recordAttempt(outcome));
        } catch (e) {
          // The database is failing: stop sending; unrecorded claims are retried once their lease runs out.
          storeError ??= e;
          return;
        }
        if (!recorded) continue; // deleted meanwhile, or another worker took over after our lease ran out
        if (outcome.status === 'delivered') run.delivered++;
        else if (outcome.status === 'failed') run.failed++;
        else run.retried++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    if (storeError !== null) throw storeError;
    // Failed attempts are rescheduled into the future, so another batch only finds deliveries not yet tried.
    if (opts.limit !== undefined || claimed.length < limit) break;
  }
  return run;
}

async function attempt(deps: AppDeps, send: WebhookSender, d: ClaimedWebhookDelivery, random: () => number): Promise<WebhookAttemptOutcome> {
  const base = { businessId: d.businessId, id: d.id, claimedAttempts: d.attempts };
  if (d.webhookDeleted) {
    const at = deps.clock.now();
    return { ...base, at, status: 'failed', statusCode: null, error: 'webhook deleted', nextAttemptAt: at };
  }
  let response: WebhookResponse;
  try {
    response = await send(deliveryRequest(d, deps.clock.now()));
  } catch (e) {
    response = { statusCode: null, error: (e as Error)?.message ?? String(e) };
  }
  const at = deps.clock.now();
  const code = response.statusCode;
  if (response.error === null && code !== null && code >= 200 && code < 300) {
    return { ...base, at, status: 'delivered', statusCode: code, error: null, nextAttemptAt: at };
  }
  const error = (response.error ?? `HTTP ${code ?? '?'}`).slice(0, MAX_ERROR_LENGTH);
  const retryAt = nextWebhookAttempt(d.createdAt, d.attempts + 1, at, random);
  return retryAt
    ? { ...base, at, status: 'pending', statusCode: code, error, nextAttemptAt: retryAt }
    : { ...base, at, status: 'failed', statusCode: code, error, nextAttemptAt: at };
}

/** The earliest next attempt among the business's pending deliveries, or null when none is pending. */
export async function nextDeliveryDueAt(deps: AppDeps, businessId: string): Promise<Date | null> {
  if (typeof businessId !== 'string' || !UUID_RE.test(businessId)) return null;
  return deps.uow.run((repos) => repos.webhooks.nextDueAt(businessId));
}
