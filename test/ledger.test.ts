// The ledger's use cases on real PostgreSQL: worked examples end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { adjustPoints } from '../src/app/adjustPoints.js';
import { createMember } from '../src/app/createMember.js';
import { expirePoints } from '../src/app/expirePoints.js';
import { findMembers } from '../src/app/findMembers.js';
import { quotePurchase } from '../src/app/quotePurchase.js';
import { recordPurchase } from '../src/app/recordPurchase.js';
import { refundPurchase } from '../src/app/refundPurchase.js';
import { DomainError } from '../src/core/index.js';
import { aBusiness, aMember, nextPhone } from './support/factories.js';
import { checkLedgerInvariants } from './support/invariants.js';
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
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('members', () => {
  it('one member per phone however it is typed; card number and last 4 find them', async () => {
    const b = await aBusiness(t.deps, { welcomeBonus: 100 });
    const created = await createMember(t.deps, { businessId: b.id, phone: '8 (912) 345-67-89', name: 'Анна' });
    expect(created.member.phone).toBe('+79123456789');
    expect(created.welcomeBonus).toBe(100);
    expect(created.balance).toEqual({ available: 100, pending: 0 });
    const again = await createMember(t.deps, { businessId: b.id, phone: '+7 912 345 67 89' }).catch((e: DomainError) => e);
    expect(again).toBeInstanceOf(DomainError);
    expect((again as DomainError).code).toBe('member_exists');
    expect((again as DomainError).details.memberId).toBe(created.member.id);

    const other = await createMember(t.deps, { businessId: b.id, phone: '+7 999 000 67 89' });
    const byLast4 = await findMembers(t.deps, b.id, { last4: '6789' });
    expect(byLast4.map((m) => m.id).sort()).toEqual([created.member.id, other.member.id].sort());
    const byCard = await findMembers(t.deps, b.id, { card: created.member.cardNumber.replace(/(\d{4})/g, '$1 ') });
    expect(byCard.map((m) => m.id)).toEqual([created.member.id]);
    const wrongDigit = created.member.cardNumber.slice(0, -1) + String((Number(created.member.cardNumber.at(-1)) + 1) % 10);
    expect(await code(findMembers(t.deps, b.id, { card: wrongDigit }))).toBe('invalid_card_number');
    expect(await code(findMembers(t.deps, b.id, { last4: '67a9' }))).toBe('validation_failed');
  });

  it('the welcome bonus is granted once, even when the request is retried with its key', async () => {
    const b = await aBusiness(t.deps, { welcomeBonus: 50 });
    const phone = nextPhone();
    const first = await createMember(t.deps, { businessId: b.id, phone, idempotencyKey: 'signup-1' });
    const replay = await createMember(t.deps, { businessId: b.id, phone, idempotencyKey: 'signup-1' });
    expect(replay).toEqual(first);
    const rows = await t.db.selectFrom('ledger_transactions').select('type').where('member_id', '=', first.member.id).execute();
    expect(rows).toEqual([{ type: 'welcome' }]);
    expect(await code(createMember(t.deps, { businessId: b.id, phone: nextPhone(), idempotencyKey: 'signup-1' }))).toBe('idempotency_conflict');
  });

  it('refuses bad profile data and unknown businesses', async () => {
    const b = await aBusiness(t.deps);
    expect(await code(createMember(t.deps, { businessId: b.id, phone: '12' }))).toBe('invalid_phone');
    expect(await code(createMember(t.deps, { businessId: b.id, phone: nextPhone(), birthday: '2026-02-30' }))).toBe('validation_failed');
    expect(await code(createMember(t.deps, { businessId: b.id, phone: nextPhone(), email: 'nope' }))).toBe('validation_failed');
    expect(await code(createMember(t.deps, { businessId: '00000000-0000-7000-8000-000000000000', phone: nextPhone() }))).toBe('business_not_found');
    expect(await code(createMember(t.deps, { businessId: 'not-a-uuid', phone: nextPhone() }))).toBe('business_not_found');
  });
});

describe('purchases', () => {
  it('earns 5% on the part paid with money and redeems up to 30%', async () => {
    const b = await aBusiness(t.deps, { earnRateBp: 500, maxRedeemBp: 3000, welcomeBonus: 0 });
    const m = await aMember(t.deps, b.id);
    const first = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 1_000_00 });
    expect(first.earnedPoints).toBe(50);
    expect(first.balance.available).toBe(50);
    await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 450, reason: 'Gift' });
    const quote = await quotePurchase(t.deps, { businessId: b.id, member: { phone: m.phone }, amount: 1_000_00, redeemPoints: 'max' });
    expect(quote).toMatchObject({ maxRedeemPoints: 300, redeemPoints: 300, payableAmount: 700_00, earnPoints: 35 });
    expect(await code(recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 1_000_00, redeemPoints: 301 }))).toBe('redeem_limit_exceeded');
    const second = await recordPurchase(t.deps, { businessId: b.id, member: { card: m.cardNumber }, amount: 1_000_00, redeemPoints: 'max' });
    expect(second).toMatchObject({ redeemedPoints: 300, payableAmount: 700_00, earnedPoints: 35 });
    expect(second.balance.available).toBe(500 - 300 + 35);
    await checkLedgerInvariants(t.db);
  });

  it('a till resending the same receipt changes nothing; other input under the same receipt is refused', async () => {
    const b = await aBusiness(t.deps);
    const m = await aMember(t.deps, b.id);
    const input = { businessId: b.id, member: { id: m.id }, amount: 500_00, externalId: 'receipt-42' };
    const a = await recordPurchase(t.deps, input);
    const again = await recordPurchase(t.deps, input);
    expect(again).toEqual(a);
    expect(await code(recordPurchase(t.deps, { ...input, amount: 600_00 }))).toBe('idempotency_conflict');
    const count = await t.db.selectFrom('purchases').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', m.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('refuses bad input without changing anything', async () => {
    const b = await aBusiness(t.deps);
    const m = await aMember(t.deps, b.id);
    for (const amount of [0, -5, 1.5, Number.NaN, 1e15]) {
      expect(await code(recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount }))).toBe('validation_failed');
    }
    expect(await code(recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 100, redeemPoints: 1 }))).toBe('redeem_limit_exceeded');
    expect(await code(recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 100_00, redeemPoints: 1 }))).toBe('insufficient_points');
    expect(await code(recordPurchase(t.deps, { businessId: b.id, member: { id: '00000000-0000-7000-8000-000000000000' }, amount: 100 }))).toBe('member_not_found');
    expect(await code(recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 100, occurredAt: '2030-01-01T00:00:00Z' }))).toBe('occurred_at_out_of_window');
    expect(await code(recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 100, occurredAt: 'yesterday' }))).toBe('validation_failed');
    expect(await code(recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 100, locationId: '00000000-0000-7000-8000-000000000000' }))).toBe('validation_failed');
    const rows = await t.db.selectFrom('purchases').select('id').where('member_id', '=', m.id).execute();
    expect(rows).toEqual([]);
  });

  it("a member of another business can't be used", async () => {
    const b1 = await aBusiness(t.deps);
    const b2 = await aBusiness(t.deps);
    const m = await aMember(t.deps, b1.id);
    expect(await code(recordPurchase(t.deps, { businessId: b2.id, member: { id: m.id }, amount: 100_00 }))).toBe('member_not_found');
    expect(await code(recordPurchase(t.deps, { businessId: b2.id, member: { phone: m.phone }, amount: 100_00 }))).toBe('member_not_found');
  });

  it('tiers by spend over a rolling window change the earn rate, and follow refunds', async () => {
    const tiers = [
      { id: 'silver', name: 'Silver', minTotalSpent: 10_000_00, earnRateBp: 700, maxRedeemBp: 3000 },
      { id: 'gold', name: 'Gold', minTotalSpent: 30_000_00, earnRateBp: 1000, maxRedeemBp: 5000 },
    ];
    const b = await aBusiness(t.deps, { earnRateBp: 500, tierWindowDays: 90, tiers });
    const m = await aMember(t.deps, b.id);
    const big = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 10_000_00 });
    expect(big.tier).toBeNull();
    const next = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 1_000_00 });
    expect(next.tier?.id).toBe('silver');
    expect(next.earnedPoints).toBe(70);
    await refundPurchase(t.deps, { businessId: b.id, purchaseId: big.purchaseId, amount: 5_000_00 });
    const afterRefund = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 1_000_00 });
    expect(afterRefund.tier).toBeNull();
    t.clock.advanceDays(91);
    const later = await quotePurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 1_000_00 });
    expect(later.tier).toBeNull();
    t.clock.advanceDays(-91);
  });
});

describe('refunds', () => {
  it('full refund claws back earned points and returns redeemed ones', async () => {
    const b = await aBusiness(t.deps, { earnRateBp: 1000, maxRedeemBp: 5000 });
    const m = await aMember(t.deps, b.id);
    await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 200, reason: 'Start' });
    const p = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 1_000_00, redeemPoints: 200 });
    expect(p).toMatchObject({ redeemedPoints: 200, earnedPoints: 80 });
    const r = await refundPurchase(t.deps, { businessId: b.id, purchaseId: p.purchaseId });
    expect(r).toMatchObject({ amount: 1_000_00, clawedBackPoints: 80, returnedPoints: 200, shortfall: 0 });
    expect(r.balance.available).toBe(200);
    expect(await code(refundPurchase(t.deps, { businessId: b.id, purchaseId: p.purchaseId }))).toBe('purchase_fully_refunded');
    await checkLedgerInvariants(t.db);
  });

  it('partial refunds add up exactly and refunding more than bought is refused', async () => {
    const b = await aBusiness(t.deps, { earnRateBp: 500 });
    const m = await aMember(t.deps, b.id);
    const p = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 999_99 });
    expect(p.earnedPoints).toBe(49);
    const parts = [333_33, 333_33];
    let clawed = 0;
    for (const amount of parts) clawed += (await refundPurchase(t.deps, { businessId: b.id, purchaseId: p.purchaseId, amount })).clawedBackPoints;
    expect(await code(refundPurchase(t.deps, { businessId: b.id, purchaseId: p.purchaseId, amount: 333_34 }))).toBe('refund_exceeds_purchase');
    clawed += (await refundPurchase(t.deps, { businessId: b.id, purchaseId: p.purchaseId })).clawedBackPoints;
    expect(clawed).toBe(49);
    expect(await code(refundPurchase(t.deps, { businessId: b.id, purchaseId: p.purchaseId, amount: -1 }))).toBe('purchase_fully_refunded');
  });

  it('after the earned points were spent, the refund takes what the balance has and records the shortfall', async () => {
    const b = await aBusiness(t.deps, { earnRateBp: 1000, maxRedeemBp: 10000 });
    const m = await aMember(t.deps, b.id);
    const p = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 1_000_00 });
    expect(p.earnedPoints).toBe(100);
    await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 90_00, redeemPoints: 90 });
    const r = await refundPurchase(t.deps, { businessId: b.id, purchaseId: p.purchaseId });
    expect(r).toMatchObject({ clawedBackPoints: 10, shortfall: 90, absorbedByExpiry: 0 });
    expect(r.balance.available).toBe(0);
    await checkLedgerInvariants(t.db);
  });

  it('after the earned points expired, nothing more is taken from the balance', async () => {
    const b = await aBusiness(t.deps, { earnRateBp: 1000, pointsLifetimeDays: 10 });
    const m = await aMember(t.deps, b.id);
    const p = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 1_000_00 });
    t.clock.advanceDays(12);
    await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 500, reason: 'Later gift' });
    await expirePoints(t.deps);
    const r = await refundPurchase(t.deps, { businessId: b.id, purchaseId: p.purchaseId });
    expect(r).toMatchObject({ clawedBackPoints: 0, absorbedByExpiry: 100, shortfall: 0 });
    expect(r.balance.available).toBe(500);
    await checkLedgerInvariants(t.db);
    t.clock.advanceDays(-12);
  });

  it('refuses unknown purchases and other businesses', async () => {
    const b = await aBusiness(t.deps);
    const b2 = await aBusiness(t.deps);
    const m = await aMember(t.deps, b.id);
    const p = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 100_00 });
    expect(await code(refundPurchase(t.deps, { businessId: b2.id, purchaseId: p.purchaseId }))).toBe('purchase_not_found');
    expect(await code(refundPurchase(t.deps, { businessId: b.id, purchaseId: 'x' }))).toBe('purchase_not_found');
  });
});

describe('expiry', () => {
  it('expires at the end of the last day in the business time zone, across a DST change, once', async () => {
    const b = await aBusiness(t.deps, { pointsLifetimeDays: 30, earnRateBp: 1000 }, { timezone: 'Europe/Berlin' });
    const m = await aMember(t.deps, b.id);
    t.clock.set('2026-03-10T22:30:00Z'); // 23:30 in Berlin, 10 March (CET)
    const p = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 1_000_00 });
    // Valid 30 full days after 10 March: through 9 April, ending at Berlin midnight, now CEST (+2).
    expect(p.earnExpiresAt).toBe('2026-04-09T22:00:00.000Z');
    // Other tests' lots share this database, so the job's totals are checked through this member only.
    t.clock.set('2026-04-09T21:59:59Z');
    await expirePoints(t.deps);
    expect((await quotePurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 100 })).balance.available).toBe(100);
    t.clock.set('2026-04-09T22:00:00Z');
    expect((await quotePurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 100 })).balance.available).toBe(0);
    const run = await expirePoints(t.deps);
    expect(run.points).toBeGreaterThanOrEqual(100);
    expect(await expirePoints(t.deps)).toMatchObject({ points: 0, lots: 0, members: 0 });
    const tx = await t.db.selectFrom('ledger_transactions').selectAll().where('member_id', '=', m.id).where('type', '=', 'expire').execute();
    expect(tx).toHaveLength(1);
    expect(tx[0]).toMatchObject({ points: -100, balance_after: 0 });
    await checkLedgerInvariants(t.db);
    t.clock.set('2026-03-10T09:00:00Z');
  });

  it('activation delay keeps points pending until the start of the local day', async () => {
    const b = await aBusiness(t.deps, { activationDelayDays: 14, earnRateBp: 1000, maxRedeemBp: 10000 });
    const m = await aMember(t.deps, b.id);
    t.clock.set('2026-03-10T09:00:00Z');
    const p = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 1_000_00 });
    expect(p.balance).toEqual({ available: 0, pending: 100 });
    expect(p.earnActivatesAt).toBe('2026-03-23T21:00:00.000Z'); // 24 March 00:00 Moscow
    expect(await code(recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 100_00, redeemPoints: 10 }))).toBe('insufficient_points');
    t.clock.set('2026-03-23T21:00:00Z');
    const later = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 100_00, redeemPoints: 100 });
    expect(later.redeemedPoints).toBe(100);
    t.clock.set('2026-03-10T09:00:00Z');
  });
});

describe('concurrency', () => {
  it('20 parallel redemptions of 30 points against 100: exactly 3 succeed, the balance ends at 10', async () => {
    const b = await aBusiness(t.deps);
    const m = await aMember(t.deps, b.id);
    await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 100, reason: 'Start' });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: -30, reason: `redeem ${i}` })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(3);
    expect(failed.every((r) => r.reason instanceof DomainError && r.reason.code === 'insufficient_points')).toBe(true);
    const q = await quotePurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 100 });
    expect(q.balance.available).toBe(10);
    await checkLedgerInvariants(t.db);
  });

  it('the same with purchases paid with points', async () => {
    const b = await aBusiness(t.deps, { maxRedeemBp: 10000, earnRateBp: 0 });
    const m = await aMember(t.deps, b.id);
    await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 100, reason: 'Start' });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 30_00, redeemPoints: 30 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const lots = await t.db.selectFrom('lots').select(sql<number>`sum(remaining)`.as('left')).where('member_id', '=', m.id).executeTakeFirstOrThrow();
    expect(Number(lots.left)).toBe(10);
  });

  it('the same with an idempotency key each (claimed in the statement that locks the member)', async () => {
    const b = await aBusiness(t.deps, { maxRedeemBp: 10000, earnRateBp: 0 });
    const m = await aMember(t.deps, b.id);
    await adjustPoints(t.deps, { businessId: b.id, member: { id: m.id }, points: 100, reason: 'Start' });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 30_00, redeemPoints: 30, idempotencyKey: `k-${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as DomainError).code).toBe('insufficient_points');
    const lots = await t.db.selectFrom('lots').select(sql<number>`sum(remaining)`.as('left')).where('member_id', '=', m.id).executeTakeFirstOrThrow();
    expect(Number(lots.left)).toBe(10);
    const keys = await t.db.selectFrom('idempotency_keys').select('key').where('business_id', '=', b.id).execute();
    expect(keys).toHaveLength(3); // the refused ones left no key behind
    await checkLedgerInvariants(t.db);
  });

  it('the same idempotency key sent twice at once records one purchase', async () => {
    const b = await aBusiness(t.deps);
    const m = await aMember(t.deps, b.id);
    const input = { businessId: b.id, member: { id: m.id }, amount: 100_00, idempotencyKey: 'dup' };
    const both = await Promise.allSettled([recordPurchase(t.deps, input), recordPurchase(t.deps, input)]);
    const done = both.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    // The second either finds the first still running (told so at once) or finished (gets its result).
    for (const r of both) if (r.status === 'rejected') expect((r.reason as DomainError).code).toBe('idempotency_in_flight');
    expect(done.length).toBeGreaterThanOrEqual(1);
    const retry = await recordPurchase(t.deps, input);
    for (const d of done) expect(d).toEqual(retry);
    const rows = await t.db.selectFrom('purchases').select('id').where('member_id', '=', m.id).execute();
    expect(rows).toHaveLength(1);
  });
});
