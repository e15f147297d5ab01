// Who may call the API: API keys, tenant isolation, rate limits; and what is public: the OpenAPI document and its page.
import { describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../src/app/apiKeys.js';
import { failure, startApi, useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';

const h = useApi();

describe('API keys', () => {
  it('no key, a malformed key, a wrong secret and a revoked key are all 401 unauthorized', async () => {
    const shop = await h.business();
    const noKey = await h.fetch(`${h.url}/api/v1/program`);
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('content-type')).toBe('application/problem+json');
    expect(noKey.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await noKey.json()).toMatchObject({ status: 401, code: 'unauthorized', title: 'Unauthorized' });
    for (const header of ['Basic abc', 'Bearer', 'Bearer kop_zz_zz', `Bearer ${shop.apiKey.slice(0, -1)}${shop.apiKey.endsWith('x') ? 'y' : 'x'}`, `Token ${shop.apiKey}`]) {
      const res = await h.fetch(`${h.url}/api/v1/program`, { headers: { authorization: header } });
      expect(res.status, header).toBe(401);
    }
    const spare = await createApiKey(h.t.deps, { businessId: shop.id, name: 'spare' });
    const client = h.client(spare.key);
    expect((await client.program.get()).currency).toBe('RUB');
    await revokeApiKey(h.t.deps, { businessId: shop.id, keyId: spare.id });
    expect(await failure(client.program.get())).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((await shop.api.program.get()).currency).toBe('RUB');
  });

  it('a key of one business never sees another\'s members, purchases or webhooks (404, not 403)', async () => {
    const a = await h.business();
    const b = await h.business();
    const m = await a.api.members.create({ phone: nextPhone() });
    const p = await a.api.purchases.create({ member: { id: m.id }, amount: 500_00 });
    const w = await a.api.webhooks.create({ url: 'http://127.0.0.1:9/hook', events: ['points.earned'] });
    expect(await failure(b.api.members.get(m.id))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await failure(b.api.members.update(m.id, { blocked: true }))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await failure(b.api.members.transactions(m.id))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await failure(b.api.members.adjust(m.id, { points: 5, reason: 'x' }))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await failure(b.api.members.qrToken(m.id))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await failure(b.api.purchases.create({ member: { id: m.id }, amount: 100 }))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await failure(b.api.purchases.create({ member: { phone: m.phone }, amount: 100 }))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await failure(b.api.purchases.quote({ member: { card: m.cardNumber }, amount: 100 }))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await failure(b.api.purchases.get(p.purchaseId))).toMatchObject({ status: 404, code: 'purchase_not_found' });
    expect(await failure(b.api.purchases.refund(p.purchaseId))).toMatchObject({ status: 404, code: 'purchase_not_found' });
    expect(await failure(b.api.webhooks.delete(w.id))).toMatchObject({ status: 404, code: 'webhook_not_found' });
    expect(await b.api.webhooks.list()).toEqual([]);
    expect(await b.api.members.find({ phone: m.phone })).toEqual([]);
    expect(await b.api.members.find({ last4: m.phone.slice(-4) })).toEqual([]);
    const after = await a.api.members.get(m.id);
    expect(after).toMatchObject({ blocked: false, purchasesCount: 1, balance: { available: 25 } });
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After beyond the per-key rate, without touching other keys', async () => {
    let now = 0; // the limiter's clock stands still unless the test moves it
    const limited = await startApi({ rateLimit: 5, rateClock: () => now });
    try {
      const a = await limited.business();
      const b = await limited.business();
      const statuses = await Promise.all(Array.from({ length: 12 }, () => limited.fetch(`${limited.url}/api/v1/program`, { headers: { authorization: `Bearer ${a.apiKey}` } })));
      expect(statuses.map((r) => r.status).sort()).toEqual([...Array(5).fill(200), ...Array(7).fill(429)]);
      const tooMany = statuses.find((r) => r.status === 429);
      expect(tooMany?.headers.get('retry-after')).toBe('1');
      expect(await tooMany?.json()).toMatchObject({ code: 'rate_limited', status: 429 });
      expect((await b.api.program.get()).currency).toBe('RUB');
      now += 200; // a fifth of a second brings back one request's worth
      expect((await a.api.program.get()).currency).toBe('RUB');
      expect(await failure(a.api.program.get())).toMatchObject({ status: 429, code: 'rate_limited' });
      now += 1000;
      expect((await a.api.program.get()).currency).toBe('RUB');
      expect(limited.checked.failures).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});

describe('the contract in public', () => {
  it('serves an OpenAPI 3.1 document listing every operation with its errors, without a key', async () => {
    const doc = (await (await fetch(`${h.url}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown>; parameters?: { name: string }[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(ops.map((o) => o.operationId).sort()).toEqual([
      'adjustPoints', 'campaignReport', 'cancelBroadcast', 'createBroadcast', 'createMember', 'createWebhook', 'deleteWebhook', 'findMembers',
      'getBroadcast', 'getMember', 'getProgram', 'getPurchase', 'issueQrToken', 'listBroadcasts', 'listCampaigns', 'listNotificationChannels',
      'listTemplates', 'listTransactions', 'listWebhooks', 'previewBroadcast', 'previewTemplate', 'quotePurchase', 'recordPurchase',
      'refundPurchase', 'removeNotificationChannel', 'setNotificationChannel', 'testNotificationChannel', 'updateMember', 'updateProgram',
      // the admin panel's reads (issue 7)
      'getDashboard', 'listAudit', 'listMemberLots', 'listMemberMessages', 'listMemberPurchases',
      // exports and imports (issue 7)
      'exportMembersCsv', 'exportMembersXlsx', 'exportTransactionsCsv', 'exportTransactionsXlsx', 'importMembers', 'listImports', 'getImport', 'getWorkProgress', 'inspectImport',
      // the printable poster (issue 7)
      'posterPng', 'posterPdf',
      // staff, API keys and bots (issue 7)
      'listStaff', 'inviteStaff', 'updateStaff', 'removeStaff', 'listApiKeys', 'createApiKey', 'revokeApiKey', 'listBots', 'connectBot', 'disconnectBot',
      // the members' chat for the panel's inbox (issue 7)
      'listChats', 'getChatThread', 'replyToChat',
      // backups (issue 7)
      'startBackup', 'listBackups', 'getBackup', 'downloadBackup',
      // the member page: profile and "resend sign-in link" (issue 7)
      'getMemberProfile', 'resendSignInLink',
      // the business profile and its Info page (issue 7)
      'getBusiness', 'updateBusiness',
      // the business's total takings per day (the dashboard's share of revenue from members)
      'setTakings', 'setTakingsBulk', 'listTakings',
    ].sort());
    const record = doc.paths['/api/v1/purchases']?.post;
    expect(Object.keys(record?.responses ?? {})).toEqual(expect.arrayContaining(['201', '400', '401', '404', '409', '422', '429', 'default']));
    expect(record?.parameters?.map((p) => p.name)).toContain('Idempotency-Key');
  });

  it('serves the reference page from the package with no outside URL', async () => {
    const res = await fetch(`${h.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('/api/v1/openapi.json');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('unknown routes under /api/v1 are problem+json 404 not_found', async () => {
    const shop = await h.business();
    const res = await h.fetch(`${h.url}/api/v1/loyalty`, { headers: { authorization: `Bearer ${shop.apiKey}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found' });
  });
});

describe('methods', () => {
  it('a known path asked with another method is 405 with Allow, an unknown one 404', async () => {
    const shop = await h.business();
    const auth = { authorization: `Bearer ${shop.apiKey}` };
    const del = await h.fetch(`${h.url}/api/v1/program`, { method: 'DELETE', headers: auth });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, PATCH');
    expect(await del.json()).toMatchObject({ code: 'method_not_allowed', status: 405 });
    const put = await h.fetch(`${h.url}/api/v1/members/01a20771-32a6-7b76-a0fd-74d4d388d090`, { method: 'PUT', headers: auth });
    expect(put.headers.get('allow')).toBe('GET, PATCH');
    const post = await h.fetch(`${h.url}/api/v1/openapi.json`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect((await h.fetch(`${h.url}/api/v1/nothing/here`, { method: 'DELETE', headers: auth })).status).toBe(404);
  });
});
