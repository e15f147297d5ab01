// /webhooks: subscriptions to events, delivered signed from a durable queue.
import { z } from 'zod';
import { wasReplayed } from '../../app/idempotency.js';
import { createWebhook, deleteWebhook, listWebhooks } from '../../app/webhooks.js';
import { route, type ApiRouter } from '../route.js';
import * as S from '../schemas.js';
import { requireBusinessKey } from './common.js';

export function webhookRoutes(r: ApiRouter): void {
  route(r, {
    method: 'post', path: '/webhooks', operationId: 'createWebhook', tag: 'Webhooks', summary: 'Subscribe a URL to events',
    permission: 'settings.change',
    description: 'Deliveries are POSTed with kopilka-signature: v1=<hex HMAC-SHA256 of "<kopilka-timestamp>.<body>" with the secret>, retried with backoff for 24 hours. The secret is shown only in this answer.',
    body: S.WebhookCreate, idempotent: true,
    responses: { 201: { description: 'The webhook and its signing secret', schema: S.WebhookCreated } },
    errors: ['forbidden'],
  }, async ({ body, c, idempotencyKey }) => {
    requireBusinessKey(c.var.caller);
    const result = await createWebhook(c.var.deps, { businessId: c.var.caller.businessId, url: body.url, events: body.events, idempotencyKey });
    return { status: 201, body: result, replayed: wasReplayed(result) };
  });

  route(r, {
    method: 'get', path: '/webhooks', operationId: 'listWebhooks', tag: 'Webhooks', summary: 'Webhooks with their last delivery',
    permission: 'settings.change',
    responses: { 200: { description: 'The webhooks', schema: S.WebhookList } },
    errors: ['forbidden'],
  }, async ({ c }) => {
    requireBusinessKey(c.var.caller);
    return { status: 200, body: { items: await listWebhooks(c.var.deps, c.var.caller.businessId) } };
  });

  route(r, {
    method: 'delete', path: '/webhooks/:webhookId', operationId: 'deleteWebhook', tag: 'Webhooks', summary: 'Unsubscribe; pending deliveries are dropped',
    permission: 'settings.change',
    params: z.object({ webhookId: z.string().max(100) }),
    responses: { 204: { description: 'Deleted' } },
    errors: ['webhook_not_found', 'forbidden'],
  }, async ({ params, c }) => {
    requireBusinessKey(c.var.caller);
    await deleteWebhook(c.var.deps, { businessId: c.var.caller.businessId, webhookId: params.webhookId });
    return { status: 204 };
  });
}
