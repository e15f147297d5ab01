// End to end through the test clock, as an integrator would see it: join → earn → part expires after the lifetime →
// redeem the rest → refund, with every event arriving signed at a webhook. Also: the clock is per business, moves
// only forward, and is not there without --test-clock.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../src/jobs/webhooks.js';
import { failure, startApi, type ApiHarness } from './support/apiServer.js';
import { checkLedgerInvariants } from './support/invariants.js';
import { nextPhone } from './support/factories.js';

interface Delivery {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  event: { id: string; type: string; data: Record<string, unknown> };
}

let h: ApiHarness;
const received: Delivery[] = [];
let receiverUrl = '';
let closeReceiver: () => Promise<void> = async () => {};

beforeAll(async () => {
  h = await startApi({ testClock: true });
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body, event: JSON.parse(body) as Delivery['event'] });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/kopilka`;
  closeReceiver = () => new Promise((r) => server.close(() => r()));
});
afterAll(async () => {
  expect(h.checked.failures).toEqual([]);
  await h?.close();
  await closeReceiver();
});

describe('a month of rules in minutes', () => {
  it('join → earn → part expires → redeem the rest → refund', async () => {
    const shop = await h.business({ welcomeBonus: 100, pointsLifetimeDays: 30, earnRateBp: 1000, maxRedeemBp: 5000 });
    const { api } = shop;
    const hook = await api.webhooks.create({ url: receiverUrl, events: ['member.created', 'points.earned', 'points.redeemed', 'points.expired', 'purchase.refunded'] });
    expect(hook.secret).toMatch(/^whsec_/);
    const start = new Date((await api.testClock.get()).now);

    // Day 0: join (100 welcome points, expiring in 30 days).
    const m = await api.members.create({ phone: nextPhone(), name: 'Ольга' });
    expect(m.balance.available).toBe(100);

    // Day 20: a purchase earns 10% → 200 points, expiring 30 days later.
    await api.testClock.advance('P20D');
    const earn = await api.purchases.create({ member: { id: m.id }, amount: 2000_00 });
    expect(earn.earnedPoints).toBe(200);
    expect(earn.member.balance.available).toBe(300);
    expect(earn.member.balance.expiringSoon.map((e) => e.points)).toEqual([100]); // the new 200 expire in 30+ days

    // Day 35: the welcome points have expired (by the job, at their expiry time); the earned ones have not.
    const moved = await api.testClock.advance('P15D');
    expect(new Date(moved.now).getTime() - start.getTime()).toBe(35 * 86_400_000);
    const expiry = moved.ranJobs?.find((j) => j.job === 'expire-points');
    expect(expiry?.result).toMatchObject({ points: 100, lots: 1 });
    expect(new Date(expiry?.at ?? 0).getTime()).toBeLessThan(new Date(moved.now).getTime());
    const afterExpiry = await api.members.get(m.id);
    expect(afterExpiry.balance).toMatchObject({ available: 200, pending: 0 });
    const history = await api.members.transactions(m.id);
    expect(history.items.map((t) => [t.type, t.points, t.balanceAfter])).toEqual([['expire', -100, 200], ['earn', 200, 300], ['welcome', 100, 100]]);
    expect(history.items[0]?.when).toBe(expiry?.at);

    // Day 36: redeem the rest on a purchase of 1000.00 (50% max → 200 points fit) and earn on the money part.
    await api.testClock.advance('P1D');
    const spend = await api.purchases.create({ member: { phone: m.phone }, amount: 1000_00, redeemPoints: 'max' }, { idempotencyKey: 'day-36' });
    expect(spend).toMatchObject({ redeemedPoints: 200, payableAmount: 800_00, earnedPoints: 80 });
    expect(spend.member.balance.available).toBe(80);

    // Day 37: refund it: the redeemed points come back, the earned ones are taken back.
    await api.testClock.advance('P1D');
    const refund = await api.purchases.refund(spend.purchaseId);
    expect(refund).toMatchObject({ returnedPoints: 200, clawedBackPoints: 80, balance: { available: 200 } });
    expect(refund.member.totalSpent).toBe(2000_00);

    // The returned points start a new lifetime: 30 days after day 37 they expire too.
    const later = await api.testClock.advance('P31D');
    expect(later.ranJobs?.filter((j) => j.job === 'expire-points').reduce((s, j) => s + (j.result.points ?? 0), 0)).toBe(200);
    expect((await api.members.get(m.id)).balance.available).toBe(0);
    await checkLedgerInvariants(h.t.db);

    // Every event reached the webhook, signed with its secret, in the order it happened.
    const types = received.map((d) => d.event.type);
    expect(types.filter((t) => t === 'member.created')).toHaveLength(1);
    expect(types).toEqual(expect.arrayContaining(['points.earned', 'points.expired', 'points.redeemed', 'purchase.refunded']));
    expect(types.filter((t) => t === 'points.expired')).toHaveLength(2);
    for (const d of received) {
      const ts = String(d.headers['kopilka-timestamp']);
      expect(verifyWebhookSignature(hook.secret, ts, d.body, String(d.headers['kopilka-signature']))).toBe(true);
      expect(verifyWebhookSignature('whsec_wrong', ts, d.body, String(d.headers['kopilka-signature']))).toBe(false);
    }
    const [last] = await api.webhooks.list();
    expect(last?.lastDelivery).toMatchObject({ status: 'delivered', statusCode: 204 });
  });
});

describe('the test clock', () => {
  it('is per business, moves only forward, and checks its input', async () => {
    const a = await h.business();
    const b = await h.business();
    const bBefore = new Date((await b.api.testClock.get()).now);
    const moved = await a.api.testClock.to(new Date(bBefore.getTime() + 86_400_000 * 3));
    expect(new Date(moved.now).getTime() - bBefore.getTime()).toBe(86_400_000 * 3);
    expect(new Date((await b.api.testClock.get()).now).getTime()).toBe(bBefore.getTime());
    expect(await failure(a.api.testClock.to(bBefore))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(a.api.testClock.advance('30 days'))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(a.api.request('POST', '/test-clock', { body: { advance: 'P1D', to: moved.now } }))).toMatchObject({ status: 400, code: 'validation_failed' });
    const m = await a.api.members.create({ phone: nextPhone() });
    expect(new Date(m.createdAt).getTime()).toBe(new Date(moved.now).getTime());
  });

  it('does not exist on a server started without --test-clock', async () => {
    const plain = await startApi();
    try {
      const shop = await plain.business();
      expect(await failure(shop.api.testClock.get())).toMatchObject({ status: 404, code: 'not_found' });
      expect(await failure(shop.api.testClock.advance('P1D'))).toMatchObject({ status: 404, code: 'not_found' });
      const doc = (await (await fetch(`${plain.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).not.toContain('/api/v1/test-clock');
    } finally {
      await plain.close();
    }
  });
});
