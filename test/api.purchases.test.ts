// /purchases over HTTP: quote, record (redeem, items, late receipts, receipts sent twice), read and refund.
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/app/apiKeys.js';
import { addLocation } from '../src/app/addLocation.js';
import { failure, useApi } from './support/apiServer.js';
import { checkLedgerInvariants } from './support/invariants.js';
import { nextPhone } from './support/factories.js';

const h = useApi();
afterAll(() => {
  expect(h.checked.count).toBeGreaterThan(30);
});

async function shopWithMember(points = 0, program = {}) {
  const shop = await h.business({ maxRedeemBp: 5000, ...program });
  const m = await shop.api.members.create({ phone: nextPhone() });
  if (points) await shop.api.members.adjust(m.id, { points, reason: 'start' });
  return { ...shop, member: m };
}

describe('POST /purchases/quote', () => {
  it('tells what a purchase would do and changes nothing', async () => {
    const { api, member, id } = await shopWithMember(300);
    const q = await api.purchases.quote({ member: { phone: member.phone }, amount: 1000_00, redeemPoints: 'max' });
    expect(q).toMatchObject({ memberId: member.id, amount: 1000_00, maxRedeemPoints: 300, redeemPoints: 300, redeemValue: 300_00, payableAmount: 700_00, earnPoints: 35, balance: { available: 300 } });
    expect(await failure(api.purchases.quote({ member: { id: member.id }, amount: 1000_00, redeemPoints: 301 }))).toMatchObject({ status: 422, code: 'insufficient_points' });
    expect(await failure(api.purchases.quote({ member: { id: member.id }, amount: 100_00, redeemPoints: 51 }))).toMatchObject({ status: 422, code: 'redeem_limit_exceeded' });
    const purchases = await h.t.db.selectFrom('purchases').select('id').where('business_id', '=', id).execute();
    expect(purchases).toEqual([]);
  });
});

describe('POST /purchases', () => {
  it('redeems then earns on the money part, stores the items and answers with the member after it', async () => {
    const { api, member } = await shopWithMember(200);
    const p = await api.purchases.create({
      member: { card: member.cardNumber },
      amount: 1500_00,
      redeemPoints: 'max',
      externalId: 'R-1',
      items: [
        { sku: 'LAT', name: 'Латте', category: 'coffee', quantity: 2, price: 250_00 },
        { sku: 'BEANS', name: 'Зерно', quantity: 0.5, price: 2000_00 },
      ],
    });
    expect(p).toMatchObject({ memberId: member.id, amount: 1500_00, redeemedPoints: 200, redeemValue: 200_00, payableAmount: 1300_00, earnedPoints: 65 });
    expect(p.member).toMatchObject({ totalSpent: 1500_00, purchasesCount: 1, balance: { available: 65, pending: 0 } });
    expect(p.earnExpiresAt).not.toBeNull();
    const read = await api.purchases.get(p.purchaseId);
    expect(read).toMatchObject({ purchaseId: p.purchaseId, externalId: 'R-1', refundedAmount: 0, refunds: [] });
    expect(read.items).toEqual([
      { sku: 'LAT', name: 'Латте', category: 'coffee', quantity: 2, price: 250_00 },
      { sku: 'BEANS', name: 'Зерно', category: null, quantity: 0.5, price: 2000_00 },
    ]);
    expect(await api.members.get(member.id)).toEqual(p.member);
  });

  it('the same receipt (externalId) under a new key is 409 purchase_exists with the first purchase\'s id', async () => {
    const { api, member } = await shopWithMember();
    const first = await api.purchases.create({ member: { id: member.id }, amount: 100_00, externalId: 'R-77' });
    const again = await failure(api.purchases.create({ member: { id: member.id }, amount: 100_00, externalId: 'R-77' }));
    expect(again).toMatchObject({ status: 409, code: 'purchase_exists' });
    expect(again.problem.purchaseId).toBe(first.purchaseId);
  });

  it('accepts a late receipt within the window and refuses the future or older ones', async () => {
    const { api, member } = await shopWithMember(0, { lateReceiptWindowDays: 3 });
    const now = h.t.clock.now().getTime();
    const late = await api.purchases.create({ member: { id: member.id }, amount: 100_00, occurredAt: new Date(now - 2 * 86_400_000).toISOString() });
    expect(late.occurredAt).toBe(new Date(now - 2 * 86_400_000).toISOString());
    expect(await failure(api.purchases.create({ member: { id: member.id }, amount: 100_00, occurredAt: new Date(now - 4 * 86_400_000).toISOString() }))).toMatchObject({ status: 422, code: 'occurred_at_out_of_window' });
    expect(await failure(api.purchases.create({ member: { id: member.id }, amount: 100_00, occurredAt: new Date(now + 86_400_000).toISOString() }))).toMatchObject({ status: 422, code: 'occurred_at_out_of_window' });
    expect(await failure(api.purchases.create({ member: { id: member.id }, amount: 100_00, occurredAt: 'yesterday' }))).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('refuses bad amounts, unknown members, bad items and unknown locations with a clear code', async () => {
    const { api, member } = await shopWithMember(10);
    const cases: [unknown, number, string][] = [
      [{ member: { id: member.id }, amount: 0 }, 400, 'validation_failed'],
      [{ member: { id: member.id }, amount: 10.5 }, 400, 'validation_failed'],
      [{ member: { id: member.id }, amount: '100' }, 400, 'validation_failed'],
      [{ member: { id: member.id }, amount: 100, redeemPoints: -1 }, 400, 'validation_failed'],
      [{ member: { id: member.id }, amount: 100, redeemPoints: 'all' }, 400, 'validation_failed'],
      [{ member: { id: member.id, phone: member.phone }, amount: 100 }, 400, 'validation_failed'],
      [{ member: {}, amount: 100 }, 400, 'validation_failed'],
      [{ member: { id: '01a20771-32a6-7b76-a0fd-74d4d388d090' }, amount: 100 }, 404, 'member_not_found'],
      [{ member: { phone: '+79990000000' }, amount: 100 }, 404, 'member_not_found'],
      [{ member: { card: '0000000000' }, amount: 100 }, 404, 'member_not_found'],
      [{ member: { id: member.id }, amount: 100, items: [{ sku: 'x', name: 'y', quantity: 0, price: 1 }] }, 400, 'validation_failed'],
      [{ member: { id: member.id }, amount: 100, items: [{ sku: 'x', name: 'y', quantity: 1.2345, price: 1 }] }, 400, 'validation_failed'],
      [{ member: { id: member.id }, amount: 100, locationId: '01a20771-32a6-7b76-a0fd-74d4d388d090' }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      expect(await failure(api.request('POST', '/purchases', { body, idempotencyKey: crypto.randomUUID() })), JSON.stringify(body)).toMatchObject({ status, code });
    }
    expect((await api.members.get(member.id)).purchasesCount).toBe(0);
  });

  it('a key tied to a location records purchases there and may not name another', async () => {
    const shop = await h.business();
    const m = await shop.api.members.create({ phone: nextPhone() });
    const loc = await addLocation(h.t.deps, { businessId: shop.id, name: 'Тверская' });
    const other = await addLocation(h.t.deps, { businessId: shop.id, name: 'Арбат' });
    const till = h.client((await createApiKey(h.t.deps, { businessId: shop.id, name: 'till-1', locationId: loc.id })).key);
    const p = await till.purchases.create({ member: { id: m.id }, amount: 100_00 });
    expect((await shop.api.purchases.get(p.purchaseId)).locationId).toBe(loc.id);
    expect(await failure(till.purchases.create({ member: { id: m.id }, amount: 100_00, locationId: other.id }))).toMatchObject({ status: 403, code: 'forbidden' });
    const anywhere = await shop.api.purchases.create({ member: { id: m.id }, amount: 100_00, locationId: other.id });
    expect((await shop.api.purchases.get(anywhere.purchaseId)).locationId).toBe(other.id);
    // A till's key runs the till: it may not change the rules or the webhooks.
    expect(await failure(till.program.update({ earnPercent: 50 }))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await failure(till.webhooks.create({ url: 'https://x.example/h', events: ['points.earned'] }))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await failure(till.webhooks.list())).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await till.program.get()).earnPercent).toBe(5);
  });
});

describe('POST /purchases/{id}/refunds', () => {
  it('refunds in parts, then the rest by default; more than is left or a second full refund is refused', async () => {
    const { api, member } = await shopWithMember();
    const p = await api.purchases.create({ member: { id: member.id }, amount: 1000_00 });
    expect(p.earnedPoints).toBe(50);
    const part = await api.purchases.refund(p.purchaseId, { amount: 400_00 });
    expect(part).toMatchObject({ amount: 400_00, refundedTotal: 400_00, clawedBackPoints: 20, balance: { available: 30 } });
    expect(part.member.totalSpent).toBe(600_00);
    expect(await failure(api.purchases.refund(p.purchaseId, { amount: 600_01 }))).toMatchObject({ status: 422, code: 'refund_exceeds_purchase' });
    const rest = await api.purchases.refund(p.purchaseId);
    expect(rest).toMatchObject({ amount: 600_00, refundedTotal: 1000_00, clawedBackPoints: 30, balance: { available: 0 } });
    expect(await failure(api.purchases.refund(p.purchaseId))).toMatchObject({ status: 422, code: 'purchase_fully_refunded' });
    const read = await api.purchases.get(p.purchaseId);
    expect(read.refundedAmount).toBe(1000_00);
    expect(read.refunds.map((r) => r.amount)).toEqual([400_00, 600_00]);
    expect(await failure(api.purchases.refund('01a20771-32a6-7b76-a0fd-74d4d388d090'))).toMatchObject({ status: 404, code: 'purchase_not_found' });
    expect(await failure(api.purchases.get('nope'))).toMatchObject({ status: 404, code: 'purchase_not_found' });
    expect(await failure(api.purchases.refund(p.purchaseId, { amount: -5 }))).toMatchObject({ status: 400, code: 'validation_failed' });
    await checkLedgerInvariants(h.t.db);
  });
});
