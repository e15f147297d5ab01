// /webhooks over HTTP: subscribe, list with the last delivery, unsubscribe; bad subscriptions are refused.
import { describe, expect, it } from 'vitest';
import { failure, useApi } from './support/apiServer.js';

const h = useApi();

describe('/webhooks', () => {
  it('creates (secret shown once), lists without the secret, deletes (204), and a second delete is 404', async () => {
    const { api } = await h.business();
    const created = await api.webhooks.create({ url: 'https://shop.example/kopilka', events: ['points.earned', 'purchase.refunded'] });
    expect(created).toMatchObject({ url: 'https://shop.example/kopilka', events: ['points.earned', 'purchase.refunded'], lastDelivery: null });
    expect(created.secret).toMatch(/^whsec_/);
    const list = await api.webhooks.list();
    expect(list).toEqual([{ id: created.id, url: created.url, events: created.events, createdAt: created.createdAt, lastDelivery: null }]);
    const del = await api.request('DELETE', `/webhooks/${created.id}`);
    expect(del.status).toBe(204);
    expect(await api.webhooks.list()).toEqual([]);
    expect(await failure(api.webhooks.delete(created.id))).toMatchObject({ status: 404, code: 'webhook_not_found' });
    expect(await failure(api.webhooks.delete('nope'))).toMatchObject({ status: 404, code: 'webhook_not_found' });
  });

  it('refuses a URL that is not http(s), unknown or no events, and duplicates', async () => {
    const { api } = await h.business();
    expect(await failure(api.webhooks.create({ url: 'ftp://x.example/h', events: ['points.earned'] }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.webhooks.create({ url: 'not a url', events: ['points.earned'] }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.webhooks.create({ url: 'https://x.example/h', events: [] }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.webhooks.create({ url: 'https://x.example/h', events: ['points.stolen' as 'points.earned'] }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.webhooks.create({ url: 'https://x.example/h', events: ['points.earned', 'points.earned'] }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await api.webhooks.list()).toEqual([]);
  });
});
