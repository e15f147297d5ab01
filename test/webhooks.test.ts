// Webhooks on real PostgreSQL with a real HTTP receiver: subscriptions, signed deliveries of every event type,
// retries with backoff on the test clock, giving up after 24 hours, no double sends, and a queue that survives restarts.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adjustPoints } from '../src/app/adjustPoints.js';
import type { AppDeps } from '../src/app/deps.js';
import { expirePoints } from '../src/app/expirePoints.js';
import { recordPurchase } from '../src/app/recordPurchase.js';
import { refundPurchase } from '../src/app/refundPurchase.js';
import { createWebhook, deleteWebhook, listWebhooks } from '../src/app/webhooks.js';
import { makeDeps } from '../src/cli/makeDeps.js';
import { silentLogger } from '../src/config/logger.js';
import { DomainError, WEBHOOK_EVENTS, webhookRetryDelayMs } from '../src/core/index.js';
import {
  deliverDueWebhooks,
  dispatchWebhookEvents,
  nextWebhookDueAt,
  startWebhookWorker,
  verifyWebhookSignature,
} from '../src/jobs/webhooks.js';
import { createDb } from '../src/store/database.js';
import { aBusiness, aMember } from './support/factories.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, field: e.details.field };
    throw e;
  }
  throw new Error('expected a DomainError');
};

// ---- a real receiver ---------------------------------------------------------------------------------------------

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; createdAt: string; businessId: string; data: Record<string, unknown> };
}

type Answer = { status: number; delayMs?: number; headers?: Record<string, string> } | 'hang';

interface Receiver {
  url: string;
  requests: Received[];
  answer: (r: Received, n: number) => Answer;
  close(): Promise<void>;
}

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function startReceiver(answer: Receiver['answer'] = () => ({ status: 200 })): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '', headers: req.headers, body, json: JSON.parse(body) as Received['json'] };
      requests.push(r);
      const a = receiver.answer(r, requests.length);
      if (a === 'hang') return; // never answers
      setTimeout(() => {
        res.writeHead(a.status, a.headers ?? { 'content-type': 'text/plain' });
        res.end(a.status >= 400 ? 'receiver says no' : 'ok');
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/kopilka`,
    requests,
    answer,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  receivers.push(receiver);
  return receiver;
}

/** A second "process" on the same database: its own pool and deps, the same clock. */
function anotherProcess(): { deps: AppDeps; close(): Promise<void> } {
  const db = createDb(t.url, { schema: t.schema, max: 4 });
  return { deps: makeDeps(db, t.clock), close: () => db.destroy() };
}

async function deliveryRows(businessId: string) {
  return t.db.selectFrom('webhook_deliveries').selectAll().where('business_id', '=', businessId).orderBy('event_id').execute();
}

// ---- tests -------------------------------------------------------------------------------------------------------

describe('webhook subscriptions', () => {
  it('creates with a secret shown once, lists without it, deletes; validates url and events', async () => {
    const b = await aBusiness(t.deps);
    const created = await createWebhook(t.deps, { businessId: b.id, url: 'https://example.com/hook?x=1', events: ['points.earned', 'member.created'] });
    expect(created).toMatchObject({ url: 'https://example.com/hook?x=1', events: ['points.earned', 'member.created'], createdAt: t.clock.now().toISOString(), lastDelivery: null });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await listWebhooks(t.deps, b.id);
    expect(listed).toEqual([{ id: created.id, url: created.url, events: created.events, createdAt: created.createdAt, lastDelivery: null }]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const other = await createWebhook(t.deps, { businessId: b.id, url: 'http://10.0.0.5:8080/in', events: [...WEBHOOK_EVENTS] });
    expect(other.secret).not.toBe(created.secret);
    expect((await listWebhooks(t.deps, b.id)).map((w) => w.id)).toEqual([created.id, other.id]);

    await deleteWebhook(t.deps, { businessId: b.id, webhookId: created.id });
    expect((await listWebhooks(t.deps, b.id)).map((w) => w.id)).toEqual([other.id]);
    expect(await code(deleteWebhook(t.deps, { businessId: b.id, webhookId: created.id }))).toMatchObject({ code: 'webhook_not_found' });
    expect(await code(deleteWebhook(t.deps, { businessId: b.id, webhookId: 'not-a-uuid' }))).toMatchObject({ code: 'webhook_not_found' });
    expect(await code(deleteWebhook(t.deps, { businessId: b.id, webhookId: '018f0000-0000-7000-8000-000000000000' }))).toMatchObject({ code: 'webhook_not_found' });

    const bad: Array<[unknown, unknown, string]> = [
      ['ftp://example.com/x', ['points.earned'], 'url'],
      ['example.com/hook', ['points.earned'], 'url'],
      ['', ['points.earned'], 'url'],
      ['https://exa mple.com/', ['points.earned'], 'url'],
      [`https://example.com/${'a'.repeat(2000)}`, ['points.earned'], 'url'],
      [42, ['points.earned'], 'url'],
      ['https://example.com/', [], 'events'],
      ['https://example.com/', 'points.earned', 'events'],
      ['https://example.com/', ['*'], 'events'],
      ['https://example.com/', ['business.created'], 'events'],
      ['https://example.com/', ['points.earned', 'points.earned'], 'events'],
      ['https://example.com/', ['points.earned', 7], 'events'],
    ];
    for (const [url, events, field] of bad) {
      expect(await code(createWebhook(t.deps, { businessId: b.id, url: url as string, events: events as string[] })), `${String(url).slice(0, 30)} ${JSON.stringify(events)}`).toEqual({
        code: 'validation_failed',
        field,
      });
    }
    // 2000 characters is still fine.
    const long = `https://example.com/${'a'.repeat(2000 - 'https://example.com/'.length)}`;
    expect((await createWebhook(t.deps, { businessId: b.id, url: long, events: ['points.expired'] })).url).toHaveLength(2000);
  });

  it('belongs to one business: another cannot list or delete it; unknown businesses are refused', async () => {
    const a = await aBusiness(t.deps);
    const b = await aBusiness(t.deps);
    const hook = await createWebhook(t.deps, { businessId: a.id, url: 'https://a.example/hook', events: ['points.earned'] });
    expect(await listWebhooks(t.deps, b.id)).toEqual([]);
    expect(await code(deleteWebhook(t.deps, { businessId: b.id, webhookId: hook.id }))).toMatchObject({ code: 'webhook_not_found' });
    expect((await listWebhooks(t.deps, a.id)).map((w) => w.id)).toEqual([hook.id]);
    const nobody = '018f0000-0000-7000-8000-00000000beef';
    expect(await code(createWebhook(t.deps, { businessId: nobody, url: 'https://x.example/', events: ['points.earned'] }))).toMatchObject({ code: 'business_not_found' });
    expect(await code(listWebhooks(t.deps, nobody))).toMatchObject({ code: 'business_not_found' });
    expect(await code(listWebhooks(t.deps, 'garbage'))).toMatchObject({ code: 'business_not_found' });
    expect(await code(deleteWebhook(t.deps, { businessId: nobody, webhookId: hook.id }))).toMatchObject({ code: 'business_not_found' });
  });

  it('replays a create with the same idempotency key, refuses other input under it, and caps live webhooks at 20', async () => {
    const b = await aBusiness(t.deps);
    const input = { businessId: b.id, url: 'https://example.com/h', events: ['points.earned'], idempotencyKey: 'wh-1' };
    const first = await createWebhook(t.deps, input);
    const again = await createWebhook(t.deps, input);
    expect(again).toEqual(first);
    expect(await code(createWebhook(t.deps, { ...input, url: 'https://example.com/other' }))).toMatchObject({ code: 'idempotency_conflict' });
    expect(await listWebhooks(t.deps, b.id)).toHaveLength(1);

    // 19 more, created concurrently: the limit still holds exactly.
    const results = await Promise.allSettled(
      Array.from({ length: 22 }, (_, i) => createWebhook(t.deps, { businessId: b.id, url: `https://example.com/h${i}`, events: ['points.earned'] })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'validation_failed' });
    const live = await listWebhooks(t.deps, b.id);
    expect(live).toHaveLength(20);
    await deleteWebhook(t.deps, { businessId: b.id, webhookId: live[3]!.id });
    await expect(createWebhook(t.deps, { businessId: b.id, url: 'https://example.com/again', events: ['points.earned'] })).resolves.toMatchObject({ url: 'https://example.com/again' });
  });
});

describe('webhook deliveries', () => {
  it('delivers all six event types, signed, to the webhooks subscribed to them and only those', async () => {
    const b = await aBusiness(t.deps, { pointsLifetimeDays: 1, earnRateBp: 1000 });
    const all = await startReceiver();
    const earnedOnly = await startReceiver();
    const hookAll = await createWebhook(t.deps, { businessId: b.id, url: all.url, events: [...WEBHOOK_EVENTS] });
    const hookEarned = await createWebhook(t.deps, { businessId: b.id, url: earnedOnly.url, events: ['points.earned'] });

    const m = await aMember(t.deps, b.id); // member.created
    const p1 = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 1_000_00 }); // points.earned
    await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 100_00, redeemPoints: 10 }); // points.redeemed (+ earned)
    await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 25, reason: 'Birthday gift' }); // points.adjusted
    await refundPurchase(t.deps, { businessId: b.id, purchaseId: p1.purchaseId, amount: 500_00 }); // purchase.refunded
    t.clock.advanceDays(3);
    expect((await expirePoints(t.deps)).members).toBeGreaterThanOrEqual(1); // points.expired

    const queued = await dispatchWebhookEvents(t.deps, { businessId: b.id });
    expect(queued).toBe(9); // 7 events to the first webhook, the 2 points.earned to the second
    // Every outbox event of the business is published, including business.created, which no webhook may subscribe to.
    const unpublished = await t.db.selectFrom('outbox_events').select('type').where('business_id', '=', b.id).where('published_at', 'is', null).execute();
    expect(unpublished).toEqual([]);
    expect(await dispatchWebhookEvents(t.deps, { businessId: b.id })).toBe(0);

    const run = await deliverDueWebhooks(t.deps, { businessId: b.id });
    expect(run).toEqual({ delivered: 9, failed: 0, retried: 0 });
    expect(all.requests.map((r) => r.json.type).sort()).toEqual(
      ['member.created', 'points.earned', 'points.earned', 'points.redeemed', 'points.adjusted', 'purchase.refunded', 'points.expired'].sort(),
    );
    expect(earnedOnly.requests.map((r) => r.json.type)).toEqual(['points.earned', 'points.earned']);

    for (const [r, secret] of [...all.requests.map((x) => [x, hookAll.secret] as const), ...earnedOnly.requests.map((x) => [x, hookEarned.secret] as const)]) {
      expect(r.path).toBe('/hooks/kopilka');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['user-agent']).toBe('Kopilka-Webhooks/1');
      expect(r.headers['kopilka-event']).toBe(r.json.type);
      expect(r.headers['kopilka-delivery']).toBe(r.json.id);
      expect(r.headers['kopilka-timestamp']).toBe(String(Math.floor(t.clock.now().getTime() / 1000)));
      expect(r.json.businessId).toBe(b.id);
      const ts = r.headers['kopilka-timestamp'] as string;
      const sig = r.headers['kopilka-signature'] as string;
      expect(sig).toMatch(/^v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(secret, ts, r.body, sig)).toBe(true);
      // Another webhook's secret, another timestamp or a changed body do not verify.
      const otherSecret = secret === hookAll.secret ? hookEarned.secret : hookAll.secret;
      expect(verifyWebhookSignature(otherSecret, ts, r.body, sig)).toBe(false);
      expect(verifyWebhookSignature(secret, String(Number(ts) + 1), r.body, sig)).toBe(false);
      expect(verifyWebhookSignature(secret, ts, r.body.replace(b.id, b.id.toUpperCase()), sig)).toBe(false);
      expect(verifyWebhookSignature(secret, ts, r.body, 'v1=nonsense')).toBe(false);
      expect(verifyWebhookSignature(secret, ts, r.body, `v1=${'0'.repeat(64)}, ${sig}`)).toBe(true); // rotation-style lists
    }

    const byType = (type: string) => all.requests.find((r) => r.json.type === type)!.json;
    expect(byType('member.created').data).toMatchObject({ member: { id: m.id, phone: m.phone }, welcomeBonus: 0 });
    expect(byType('member.created').createdAt).toBe(new Date(t.clock.now().getTime() - 3 * 86_400_000).toISOString());
    expect(byType('points.adjusted').data).toMatchObject({ memberId: m.id, points: 25, reason: 'Birthday gift' });
    expect(byType('points.redeemed').data).toMatchObject({ memberId: m.id, points: 10 });
    expect(byType('purchase.refunded').data).toMatchObject({ purchaseId: p1.purchaseId, memberId: m.id, amount: 500_00 });
    expect(byType('points.expired').data).toMatchObject({ memberId: m.id, balance: 0 });
    expect(earnedOnly.requests[0]!.json.data).toMatchObject({ memberId: m.id, purchaseId: p1.purchaseId, points: p1.earnedPoints });

    const listed = await listWebhooks(t.deps, b.id);
    expect(listed.find((w) => w.id === hookEarned.id)!.lastDelivery).toEqual({
      status: 'delivered', attempts: 1, statusCode: 200, error: null, at: t.clock.now().toISOString(), eventType: 'points.earned',
    });
    expect(listed.find((w) => w.id === hookAll.id)!.lastDelivery).toMatchObject({ status: 'delivered', eventType: 'points.expired' });
    // Nothing is sent twice.
    expect(await deliverDueWebhooks(t.deps, { businessId: b.id })).toEqual({ delivered: 0, failed: 0, retried: 0 });
    expect(all.requests).toHaveLength(7);
  });

  it('retries a 500 after the backoff with the same body, then records the delivery', async () => {
    const b = await aBusiness(t.deps);
    const rx = await startReceiver((_r, n) => ({ status: n === 1 ? 500 : 200 }));
    const hook = await createWebhook(t.deps, { businessId: b.id, url: rx.url, events: ['points.adjusted'] });
    const m = await aMember(t.deps, b.id);
    await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 5, reason: 'test' });
    expect(await dispatchWebhookEvents(t.deps, { businessId: b.id })).toBe(1);
    const start = t.clock.now();

    expect(await deliverDueWebhooks(t.deps, { businessId: b.id })).toEqual({ delivered: 0, failed: 0, retried: 1 });
    expect((await listWebhooks(t.deps, b.id))[0]!.lastDelivery).toEqual({
      status: 'pending', attempts: 1, statusCode: 500, error: 'HTTP 500: receiver says no', at: start.toISOString(), eventType: 'points.adjusted',
    });
    const due = await nextWebhookDueAt(t.deps, b.id);
    expect(due!.getTime() - start.getTime()).toBeGreaterThanOrEqual(30_000);
    expect(due!.getTime() - start.getTime()).toBeLessThanOrEqual(33_000);

    // Not before it is due.
    t.clock.advance(29_000);
    expect(await deliverDueWebhooks(t.deps, { businessId: b.id })).toEqual({ delivered: 0, failed: 0, retried: 0 });
    expect(rx.requests).toHaveLength(1);

    t.clock.set(due!);
    expect(await deliverDueWebhooks(t.deps, { businessId: b.id })).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(rx.requests).toHaveLength(2);
    const [first, second] = rx.requests as [Received, Received];
    expect(second.body).toBe(first.body);
    expect(second.headers['kopilka-delivery']).toBe(first.headers['kopilka-delivery']);
    expect(Number(second.headers['kopilka-timestamp']) - Number(first.headers['kopilka-timestamp'])).toBe(Math.floor(due!.getTime() / 1000) - Math.floor(start.getTime() / 1000));
    for (const r of rx.requests) expect(verifyWebhookSignature(hook.secret, r.headers['kopilka-timestamp'] as string, r.body, r.headers['kopilka-signature'] as string)).toBe(true);
    expect((await listWebhooks(t.deps, b.id))[0]!.lastDelivery).toEqual({
      status: 'delivered', attempts: 2, statusCode: 200, error: null, at: due!.toISOString(), eventType: 'points.adjusted',
    });
    expect(await nextWebhookDueAt(t.deps, b.id)).toBeNull();
    const [row] = await deliveryRows(b.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, delivered_at: due });
  });

  it('treats a timeout, a refused connection and a redirect as failures to retry', async () => {
    const b = await aBusiness(t.deps);
    const silent = await startReceiver(() => 'hang');
    const redirecting = await startReceiver(() => ({ status: 302, headers: { location: 'https://example.com/elsewhere' } }));
    const gone = await startReceiver();
    const goneUrl = gone.url;
    await gone.close();
    await createWebhook(t.deps, { businessId: b.id, url: silent.url, events: ['points.adjusted'] });
    await createWebhook(t.deps, { businessId: b.id, url: redirecting.url, events: ['points.adjusted'] });
    await createWebhook(t.deps, { businessId: b.id, url: goneUrl, events: ['points.adjusted'] });
    const m = await aMember(t.deps, b.id);
    await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 5, reason: 'test' });
    expect(await dispatchWebhookEvents(t.deps, { businessId: b.id })).toBe(3);

    const started = Date.now();
    expect(await deliverDueWebhooks(t.deps, { businessId: b.id, timeoutMs: 300 })).toEqual({ delivered: 0, failed: 0, retried: 3 });
    expect(Date.now() - started).toBeLessThan(5_000);
    const byUrl = new Map((await listWebhooks(t.deps, b.id)).map((w) => [w.url, w.lastDelivery]));
    expect(byUrl.get(silent.url)).toMatchObject({ status: 'pending', attempts: 1, statusCode: null, error: 'timed out after 300 ms' });
    expect(byUrl.get(redirecting.url)).toMatchObject({ status: 'pending', attempts: 1, statusCode: 302, error: 'HTTP 302: redirects are not followed' });
    expect(byUrl.get(goneUrl)).toMatchObject({ status: 'pending', attempts: 1, statusCode: null });
    expect(byUrl.get(goneUrl)!.error).toContain('ECONNREFUSED');
    expect(silent.requests).toHaveLength(1);
    expect(redirecting.requests).toHaveLength(1);

    // The hanging receiver is tried again once due, and times out again.
    t.clock.set((await nextWebhookDueAt(t.deps, b.id))!);
    t.clock.advance(5_000); // past every jitter
    expect(await deliverDueWebhooks(t.deps, { businessId: b.id, timeoutMs: 300 })).toEqual({ delivered: 0, failed: 0, retried: 3 });
    expect(silent.requests).toHaveLength(2);
    expect(redirecting.requests).toHaveLength(2);
    expect((await listWebhooks(t.deps, b.id)).find((w) => w.url === silent.url)!.lastDelivery).toMatchObject({ attempts: 2, error: 'timed out after 300 ms' });
  });

  it('backs off 30 s, 1, 2, 4… minutes capped at an hour, and gives up after 24 hours', async () => {
    const b = await aBusiness(t.deps);
    const rx = await startReceiver(() => ({ status: 503 }));
    await createWebhook(t.deps, { businessId: b.id, url: rx.url, events: ['points.adjusted'] });
    const m = await aMember(t.deps, b.id);
    await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 5, reason: 'test' });
    await dispatchWebhookEvents(t.deps, { businessId: b.id });
    const queuedAt = t.clock.now().getTime();

    let runs = 0;
    let failed = 0;
    for (let due: Date | null = t.clock.now(); due; due = await nextWebhookDueAt(t.deps, b.id)) {
      t.clock.set(due);
      const r = await deliverDueWebhooks(t.deps, { businessId: b.id });
      expect(r.delivered).toBe(0);
      failed += r.failed;
      if (++runs > 100) throw new Error('never gave up');
    }
    expect(failed).toBe(1);
    const times = rx.requests.map((r) => Number(r.headers['kopilka-timestamp']) * 1000);
    expect(times).toHaveLength(runs);
    const gaps = times.slice(1).map((x, i) => x - times[i]!);
    // Each gap is the nominal delay plus at most 10% jitter (to the second).
    const nominal = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600].map((s) => s * 1000);
    nominal.forEach((n, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(n - 1000);
      expect(gaps[i]).toBeLessThanOrEqual(n * 1.1 + 1000);
    });
    for (const g of gaps.slice(7)) expect(g).toBeLessThanOrEqual(3_960_000 + 1000);
    expect(times.at(-1)! - queuedAt).toBeLessThanOrEqual(24 * 3_600_000);
    expect(times.at(-1)! - queuedAt).toBeGreaterThan(22 * 3_600_000);
    const [row] = await deliveryRows(b.id);
    expect(row).toMatchObject({ status: 'failed', attempts: runs, last_status_code: 503, delivered_at: null });
    expect((await listWebhooks(t.deps, b.id))[0]!.lastDelivery).toMatchObject({ status: 'failed', attempts: runs, statusCode: 503 });

    // Failed means no more attempts, however much later.
    t.clock.advanceDays(3);
    expect(await deliverDueWebhooks(t.deps, { businessId: b.id })).toEqual({ delivered: 0, failed: 0, retried: 0 });
    expect(rx.requests).toHaveLength(runs);
  });

  it('never sends one delivery twice from concurrent workers, and holds a claimed delivery while it is in flight', async () => {
    const b = await aBusiness(t.deps);
    const rx = await startReceiver(() => ({ status: 200, delayMs: 150 }));
    await createWebhook(t.deps, { businessId: b.id, url: rx.url, events: ['points.adjusted'] });
    const m = await aMember(t.deps, b.id);
    for (let i = 0; i < 12; i++) await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 1 + i, reason: 'test' });
    expect(await dispatchWebhookEvents(t.deps, { businessId: b.id })).toBe(12);

    const p2 = anotherProcess();
    try {
      const runs = await Promise.all([
        deliverDueWebhooks(t.deps, { businessId: b.id, limit: 4 }),
        deliverDueWebhooks(p2.deps, { businessId: b.id, limit: 4 }),
        deliverDueWebhooks(t.deps, { businessId: b.id, limit: 4 }),
        deliverDueWebhooks(p2.deps, { businessId: b.id, limit: 4 }),
        deliverDueWebhooks(t.deps, { businessId: b.id, limit: 4 }),
      ]);
      expect(runs.reduce((s, r) => s + r.delivered, 0)).toBe(12);
      const ids = rx.requests.map((r) => r.json.id);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);

      // While one worker waits on a slow receiver, another finds the delivery claimed and leaves it alone.
      await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 100, reason: 'slow' });
      await dispatchWebhookEvents(t.deps, { businessId: b.id });
      rx.answer = () => ({ status: 200, delayMs: 600 });
      const slow = deliverDueWebhooks(t.deps, { businessId: b.id });
      await expect.poll(() => rx.requests.length, { timeout: 5_000, interval: 10 }).toBe(13);
      expect(await deliverDueWebhooks(p2.deps, { businessId: b.id })).toEqual({ delivered: 0, failed: 0, retried: 0 });
      expect(await slow).toEqual({ delivered: 1, failed: 0, retried: 0 });
      expect(rx.requests).toHaveLength(13);
      expect((await deliveryRows(b.id)).every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
    } finally {
      await p2.close();
    }
  });

  it('keeps the queue across restarts: undispatched events and claimed-but-unsent deliveries are delivered later', async () => {
    const b = await aBusiness(t.deps);
    const rx = await startReceiver();
    await createWebhook(t.deps, { businessId: b.id, url: rx.url, events: ['points.adjusted', 'member.created'] });

    // Process 1 records events, queues some of them, and stops.
    const p1 = anotherProcess();
    const m = await aMember(p1.deps, b.id);
    await adjustPoints(p1.deps, { businessId: b.id, member: { id: m.id }, points: 7, reason: 'before restart' });
    expect(await dispatchWebhookEvents(p1.deps, { businessId: b.id })).toBe(2);
    await adjustPoints(p1.deps, { businessId: b.id, member: { id: m.id }, points: 8, reason: 'not dispatched yet' });
    // It even claimed one delivery, then died before sending it.
    const now = t.clock.now();
    const claimed = await p1.deps.uow.run((repos) => repos.webhooks.claimDue(now, new Date(now.getTime() + 70_000), { businessId: b.id, limit: 1 }));
    expect(claimed).toHaveLength(1);
    await p1.close();
    expect(rx.requests).toHaveLength(0);

    // Process 2 starts on the same database.
    const p2 = anotherProcess();
    try {
      expect(await dispatchWebhookEvents(p2.deps, { businessId: b.id })).toBe(1);
      expect(await deliverDueWebhooks(p2.deps, { businessId: b.id })).toEqual({ delivered: 2, failed: 0, retried: 0 });
      expect(rx.requests.map((r) => r.json.id)).not.toContain(claimed[0]!.id);
      // The dead process's claim runs out, and the delivery goes out.
      expect(await nextWebhookDueAt(p2.deps, b.id)).toEqual(new Date(now.getTime() + 70_000));
      t.clock.advance(70_000);
      expect(await deliverDueWebhooks(p2.deps, { businessId: b.id })).toEqual({ delivered: 1, failed: 0, retried: 0 });
      expect(rx.requests.map((r) => r.json.type).sort()).toEqual(['member.created', 'points.adjusted', 'points.adjusted']);
      expect(rx.requests.map((r) => r.json.data.reason).filter(Boolean).sort()).toEqual(['before restart', 'not dispatched yet']);
      expect(new Set(rx.requests.map((r) => r.json.id)).size).toBe(3);
    } finally {
      await p2.close();
    }
  });

  it('sends nothing more to a deleted webhook: pending deliveries stop and new events are not queued for it', async () => {
    const b = await aBusiness(t.deps);
    const rx = await startReceiver(() => ({ status: 500 }));
    const keep = await startReceiver();
    const hook = await createWebhook(t.deps, { businessId: b.id, url: rx.url, events: ['points.adjusted'] });
    await createWebhook(t.deps, { businessId: b.id, url: keep.url, events: ['points.adjusted'] });
    const m = await aMember(t.deps, b.id);
    await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 5, reason: 'one' });
    await dispatchWebhookEvents(t.deps, { businessId: b.id });
    expect(await deliverDueWebhooks(t.deps, { businessId: b.id })).toEqual({ delivered: 1, failed: 0, retried: 1 });

    await deleteWebhook(t.deps, { businessId: b.id, webhookId: hook.id });
    const rows = await t.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', hook.id).execute();
    expect(rows).toMatchObject([{ status: 'failed', last_error: 'webhook deleted', attempts: 1 }]);
    expect(await nextWebhookDueAt(t.deps, b.id)).toBeNull();

    await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 6, reason: 'two' });
    expect(await dispatchWebhookEvents(t.deps, { businessId: b.id })).toBe(1); // only the live webhook
    t.clock.advance(3_600_000);
    expect(await deliverDueWebhooks(t.deps, { businessId: b.id })).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(rx.requests).toHaveLength(1);
    expect(keep.requests.map((r) => r.json.data.reason)).toEqual(['one', 'two']);
  });

  it('runs as a background worker: dispatch then deliver on each tick', async () => {
    const b = await aBusiness(t.deps);
    const rx = await startReceiver();
    await createWebhook(t.deps, { businessId: b.id, url: rx.url, events: ['points.adjusted'] });
    const m = await aMember(t.deps, b.id);
    const worker = startWebhookWorker(t.deps, silentLogger, { everySeconds: 0.05, db: t.db });
    try {
      await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 9, reason: 'worker' });
      await expect.poll(() => rx.requests.length, { timeout: 5_000 }).toBe(1);
      expect(rx.requests[0]!.json).toMatchObject({ type: 'points.adjusted', businessId: b.id, data: { points: 9, reason: 'worker' } });
    } finally {
      await worker.stop();
    }
  });
});

describe('retry schedule', () => {
  it('doubles from 30 s up to an hour, with at most 10% jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 40].map((n) => webhookRetryDelayMs(n, () => 0))).toEqual(
      [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600].map((s) => s * 1000),
    );
    expect(webhookRetryDelayMs(1, () => 0.999)).toBe(32_997);
  });
});
