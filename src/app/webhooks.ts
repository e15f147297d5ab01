// Webhooks: a business subscribes a URL to some of its events; deliveries are signed with a per-webhook secret
// that is shown once, when the webhook is created.
import { randomBytes } from 'node:crypto';
import {
  DomainError,
  MAX_LIVE_WEBHOOKS,
  MAX_WEBHOOK_URL_LENGTH,
  WEBHOOK_EVENTS,
  invalid,
  isWebhookEventType,
  type Webhook,
  type WebhookDeliveryStatus,
  type WebhookDeliverySummary,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { checkIdempotencyKey, once } from './idempotency.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
  lastDelivery: {
    status: WebhookDeliveryStatus;
    attempts: number;
    statusCode: number | null;
    error: string | null;
    /** The last attempt; null before the first. */
    at: string | null;
    eventType: string;
  } | null;
}

export interface CreateWebhookInput {
  businessId: string;
  url: string;
  events: string[];
  idempotencyKey?: string | null | undefined;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function checkUrl(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid('url is required', { field: 'url' });
  if (value.length > MAX_WEBHOOK_URL_LENGTH) throw invalid(`url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`, { field: 'url' });
  if (/\s/.test(value)) throw invalid('url must not contain spaces', { field: 'url' });
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalid('url is not a valid URL', { field: 'url' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid('url must be an http or https URL', { field: 'url' });
  if (!parsed.hostname) throw invalid('url must have a host', { field: 'url' });
  return value;
}

function checkEvents(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid(`events must be a non-empty list of: ${WEBHOOK_EVENTS.join(', ')}`, { field: 'events' });
  }
  const seen = new Set<string>();
  for (const e of value) {
    if (!isWebhookEventType(e)) {
      throw invalid(`unknown event ${JSON.stringify(e)?.slice(0, 60)}; events are ${WEBHOOK_EVENTS.join(', ')}`, { field: 'events' });
    }
    if (seen.has(e)) throw invalid(`event ${e} is listed twice`, { field: 'events' });
    seen.add(e);
  }
  return [...seen];
}

function summaryView(d: WebhookDeliverySummary | null): WebhookView['lastDelivery'] {
  if (!d) return null;
  return { status: d.status, attempts: d.attempts, statusCode: d.statusCode, error: d.error, at: d.at?.toISOString() ?? null, eventType: d.eventType };
}

function webhookView(w: Webhook, last: WebhookDeliverySummary | null): WebhookView {
  return { id: w.id, url: w.url, events: [...w.events], createdAt: w.createdAt.toISOString(), lastDelivery: summaryView(last) };
}

export async function createWebhook(deps: AppDeps, input: CreateWebhookInput): Promise<WebhookView & { secret: string }> {
  const url = checkUrl(input.url);
  const events = checkEvents(input.events);
  const key = checkIdempotencyKey(input.idempotencyKey);
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    return once(repos, business.id, key, 'webhook.create', { url, events }, now, async () => {
      const webhook = { id: deps.newId(), businessId: business.id, url, events, secret: newWebhookSecret(), createdAt: now };
      const outcome = await repos.webhooks.insert(webhook, MAX_LIVE_WEBHOOKS);
      if (outcome === 'limit_reached') {
        throw invalid(`a business may have at most ${MAX_LIVE_WEBHOOKS} webhooks; delete one first`, { limit: MAX_LIVE_WEBHOOKS });
      }
      return { ...webhookView({ ...webhook, deletedAt: null }, null), secret: webhook.secret };
    });
  });
}

export async function listWebhooks(deps: AppDeps, businessId: string): Promise<WebhookView[]> {
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    const rows = await repos.webhooks.listLive(business.id);
    return rows.map((r) => webhookView(r.webhook, r.lastDelivery));
  });
}

/** Deletes a webhook of this business; its pending deliveries are failed ("webhook deleted") and nothing more is sent. */
export async function deleteWebhook(deps: AppDeps, input: { businessId: string; webhookId: string }): Promise<void> {
  await deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const done = typeof input.webhookId === 'string' && UUID_RE.test(input.webhookId) && (await repos.webhooks.delete(business.id, input.webhookId, deps.clock.now()));
    if (!done) throw new DomainError('webhook_not_found', `No webhook ${String(input.webhookId).slice(0, 40)} in this business`);
  });
}
