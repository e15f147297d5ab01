import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { applyTakes, type Lot } from './lots.js';
import { planClawback, planRefund, type RefundedPurchase } from './refunds.js';

const DAY = 86_400_000;
const NOW = new Date('2026-06-15T12:00:00Z');
const inDays = (n: number) => new Date(NOW.getTime() + n * DAY);
const rub = (roubles: number) => Math.round(roubles * 100);

/** A 1000 ₽ purchase on which 300 points were redeemed and 35 earned (5% of the 700 ₽ paid). */
const aPurchase = (change: Partial<RefundedPurchase> = {}): RefundedPurchase => ({
  amount: rub(1000),
  refundedAmount: 0,
  earnedPoints: 35,
  redeemedPoints: 300,
  ...change,
});

function lot(id: string, points: number, change: Partial<Lot> = {}): Lot {
  return {
    id,
    amount: points,
    remaining: points,
    activatesAt: inDays(-30),
    expiresAt: inDays(150),
    createdAt: inDays(-30),
    ...change,
  };
}
const purchaseLot = (amount: number, remaining: number, expiredPoints = 0) => ({ ...lot('purchase', amount, { remaining }), expiredPoints });

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

/** Refunds a purchase in the given steps, returning each plan. */
function refundInSteps(purchase: RefundedPurchase, steps: number[]) {
  let p = purchase;
  return steps.map((amount) => {
    const plan = planRefund(p, amount);
    p = { ...p, refundedAmount: p.refundedAmount + plan.amount };
    return plan;
  });
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('planRefund', () => {
  it('a full refund takes back all 35 earned points and returns all 300 redeemed', () => {
    expect(planRefund(aPurchase(), undefined)).toEqual({ amount: rub(1000), clawbackPoints: 35, returnPoints: 300, fullyRefunded: true });
    expect(planRefund(aPurchase(), rub(1000))).toEqual({ amount: rub(1000), clawbackPoints: 35, returnPoints: 300, fullyRefunded: true });
  });

  it('refunding 400 ₽ of 1000 ₽ reverses 40%: 14 points back, 120 points returned', () => {
    expect(planRefund(aPurchase(), rub(400))).toEqual({ amount: rub(400), clawbackPoints: 14, returnPoints: 120, fullyRefunded: false });
  });

  it('rounds in the customer’s favour: takes back less, returns more', () => {
    // a third: 35 × 1/3 = 11.67 → 11 taken back; 300 × 0.33333 = 99.999 → 100 returned
    const plan = planRefund(aPurchase(), rub(333.33));
    expect(plan.clawbackPoints).toBe(11);
    expect(plan.returnPoints).toBe(100);
  });

  it('without an amount refunds whatever is left', () => {
    const plan = planRefund(aPurchase({ refundedAmount: rub(400) }), undefined);
    expect(plan).toEqual({ amount: rub(600), clawbackPoints: 21, returnPoints: 180, fullyRefunded: true });
  });

  it('three refunds of a third each add up to the totals exactly', () => {
    const plans = refundInSteps(aPurchase({ amount: 99_999 }), [33_333, 33_333, 33_333]);
    expect(plans.map((p) => p.clawbackPoints)).toEqual([11, 12, 12]);
    expect(plans.map((p) => p.returnPoints)).toEqual([100, 100, 100]);
    expect(plans.map((p) => p.fullyRefunded)).toEqual([false, false, true]);
  });

  it('kopeck-by-kopeck refunds of a 1 ₽ purchase still add up', () => {
    const plans = refundInSteps(aPurchase({ amount: 100, earnedPoints: 7, redeemedPoints: 3 }), Array(100).fill(1));
    expect(sum(plans.map((p) => p.clawbackPoints))).toBe(7);
    expect(sum(plans.map((p) => p.returnPoints))).toBe(3);
  });

  it('a purchase with nothing earned or redeemed refunds no points', () => {
    expect(planRefund(aPurchase({ earnedPoints: 0, redeemedPoints: 0 }), rub(500))).toMatchObject({ clawbackPoints: 0, returnPoints: 0 });
  });

  it('property: any split of the amount reverses exactly what was earned and redeemed', () => {
    const scenario = fc
      .record({
        amount: fc.integer({ min: 1, max: 100_000_000_000 }),
        earnedPoints: fc.integer({ min: 0, max: 50_000_000 }),
        redeemedPoints: fc.integer({ min: 0, max: 1_000_000_000 }),
        cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
      })
      .map(({ amount, earnedPoints, redeemedPoints, cuts }) => {
        // cut points inside (0, amount), deduplicated, give the refund steps
        const marks = [...new Set(cuts.map((c) => Math.floor(c * amount)).filter((m) => m > 0 && m < amount))].sort((a, b) => a - b);
        const bounds = [0, ...marks, amount];
        const steps = bounds.slice(1).map((b, i) => b - bounds[i]!);
        return { purchase: aPurchase({ amount, earnedPoints, redeemedPoints }), steps };
      });
    fc.assert(
      fc.property(scenario, ({ purchase, steps }) => {
        const plans = refundInSteps(purchase, steps);
        expect(sum(plans.map((p) => p.clawbackPoints))).toBe(purchase.earnedPoints);
        expect(sum(plans.map((p) => p.returnPoints))).toBe(purchase.redeemedPoints);
        let refunded = 0;
        let clawed = 0;
        let returned = 0;
        for (const [i, plan] of plans.entries()) {
          expect(plan.clawbackPoints).toBeGreaterThanOrEqual(0);
          expect(plan.returnPoints).toBeGreaterThanOrEqual(0);
          expect(plan.fullyRefunded).toBe(i === plans.length - 1);
          refunded += plan.amount;
          clawed += plan.clawbackPoints;
          returned += plan.returnPoints;
          // never more taken back, never less returned, than the refunded share
          expect(BigInt(clawed) * BigInt(purchase.amount)).toBeLessThanOrEqual(BigInt(purchase.earnedPoints) * BigInt(refunded));
          expect(BigInt(returned) * BigInt(purchase.amount)).toBeGreaterThanOrEqual(BigInt(purchase.redeemedPoints) * BigInt(refunded));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('more than is left → refund_exceeds_purchase with what may still be refunded', () => {
    const e = errorOf(() => planRefund(aPurchase({ refundedAmount: rub(700) }), rub(300.01)));
    expect(e.code).toBe('refund_exceeds_purchase');
    expect(e.details).toEqual({ refundable: rub(300) });
    expect(errorOf(() => planRefund(aPurchase(), rub(1000.01))).details.refundable).toBe(rub(1000));
  });

  it('a fully refunded purchase → purchase_fully_refunded, whatever the amount', () => {
    const done = aPurchase({ refundedAmount: rub(1000) });
    expect(errorOf(() => planRefund(done, undefined)).code).toBe('purchase_fully_refunded');
    expect(errorOf(() => planRefund(done, 1)).code).toBe('purchase_fully_refunded');
    expect(errorOf(() => planRefund(done, -5)).code).toBe('purchase_fully_refunded');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '100' as unknown as number])(
    'refund amount %o → validation_failed',
    (amount) => {
      const e = errorOf(() => planRefund(aPurchase(), amount));
      expect(e.code).toBe('validation_failed');
      expect(e.details.field).toBe('amount');
    },
  );
});

describe('planClawback', () => {
  it('takes from the purchase’s own lot while it has enough', () => {
    const source = planClawback(14, purchaseLot(35, 35), 0, [lot('other', 500)], NOW);
    expect(source).toEqual({ takes: [{ lotId: 'purchase', points: 14 }], absorbedByExpiry: 0, shortfall: 0 });
  });

  it('then from other lots, soonest-expiring first', () => {
    const others = [lot('late', 100, { expiresAt: inDays(200) }), lot('soon', 5, { expiresAt: inDays(3) }), lot('mid', 100, { expiresAt: inDays(50) })];
    const source = planClawback(35, purchaseLot(35, 20), 0, others, NOW);
    expect(source.takes).toEqual([
      { lotId: 'purchase', points: 20 },
      { lotId: 'soon', points: 5 },
      { lotId: 'mid', points: 10 },
    ]);
    expect(source.shortfall).toBe(0);
  });

  it('what expired of the purchase’s lot is already gone: counted as absorbed, nothing more taken', () => {
    // 35 earned, 10 spent, 25 expired unused; refunding all takes back nothing from the balance for the expired part
    const source = planClawback(35, purchaseLot(35, 0, 25), 0, [lot('other', 500)], NOW);
    expect(source).toEqual({ takes: [{ lotId: 'other', points: 10 }], absorbedByExpiry: 25, shortfall: 0 });
  });

  it('uses the lot’s remainder before its expired part', () => {
    const source = planClawback(12, purchaseLot(35, 10, 25), 0, [], NOW);
    expect(source).toEqual({ takes: [{ lotId: 'purchase', points: 10 }], absorbedByExpiry: 2, shortfall: 0 });
  });

  it('expiry already absorbed by earlier refunds is not counted twice', () => {
    // 25 expired; an earlier partial refund already put 20 of them against its clawback
    const source = planClawback(15, purchaseLot(35, 0, 25), 20, [lot('other', 500)], NOW);
    expect(source).toEqual({ takes: [{ lotId: 'other', points: 10 }], absorbedByExpiry: 5, shortfall: 0 });
    // and once all of it is absorbed, nothing more is
    expect(planClawback(5, purchaseLot(35, 0, 25), 25, [], NOW)).toEqual({ takes: [], absorbedByExpiry: 0, shortfall: 5 });
    expect(planClawback(5, purchaseLot(35, 0, 25), 30, [], NOW).absorbedByExpiry).toBe(0);
  });

  it('skips expired and empty lots, and never takes the purchase’s lot twice', () => {
    const p = purchaseLot(35, 10);
    const others = [
      { ...p }, // the purchase lot may come back in the member's lot list
      lot('expired', 100, { expiresAt: NOW }),
      lot('empty', 100, { remaining: 0 }),
      lot('ok', 100),
    ];
    const source = planClawback(30, p, 0, others, NOW);
    expect(source.takes).toEqual([
      { lotId: 'purchase', points: 10 },
      { lotId: 'ok', points: 20 },
    ]);
  });

  it('may take from points not yet activated (they are the member’s, just not usable yet)', () => {
    const source = planClawback(10, null, 0, [lot('pending', 50, { activatesAt: inDays(7) })], NOW);
    expect(source.takes).toEqual([{ lotId: 'pending', points: 10 }]);
  });

  it('the balance never goes below zero: what cannot be taken is the shortfall', () => {
    // the member spent the 35 points already and has 8 left
    const others = [lot('a', 5), lot('b', 3, { expiresAt: null })];
    const source = planClawback(35, purchaseLot(35, 0), 0, others, NOW);
    expect(source).toEqual({
      takes: [
        { lotId: 'a', points: 5 },
        { lotId: 'b', points: 3 },
      ],
      absorbedByExpiry: 0,
      shortfall: 27,
    });
    expect(applyTakes(others, source.takes).every((l) => l.remaining === 0)).toBe(true);
  });

  it('without a purchase lot goes straight to the balance', () => {
    expect(planClawback(4, null, 0, [lot('a', 10)], NOW)).toEqual({ takes: [{ lotId: 'a', points: 4 }], absorbedByExpiry: 0, shortfall: 0 });
  });

  it('nothing to claw back, nothing taken', () => {
    expect(planClawback(0, purchaseLot(35, 35, 0), 0, [lot('a', 10)], NOW)).toEqual({ takes: [], absorbedByExpiry: 0, shortfall: 0 });
  });

  it('property: takes + absorbed + shortfall = points, and no lot is overdrawn', () => {
    const lotArb = fc.record({
      remaining: fc.integer({ min: 0, max: 100 }),
      expiresInDays: fc.option(fc.integer({ min: -5, max: 60 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.option(fc.record({ remaining: fc.integer({ min: 0, max: 100 }), expired: fc.integer({ min: 0, max: 100 }) }), { nil: null }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(lotArb, { maxLength: 6 }),
        (points, pl, alreadyAbsorbed, others) => {
          const p = pl ? purchaseLot(pl.remaining + pl.expired + 10, pl.remaining, pl.expired) : null;
          const lots = others.map((o, i) =>
            lot(`l${i}`, o.remaining + 1, { remaining: o.remaining, expiresAt: o.expiresInDays === null ? null : inDays(o.expiresInDays) }),
          );
          const source = planClawback(points, p, alreadyAbsorbed, lots, NOW);
          expect(sum(source.takes.map((t) => t.points)) + source.absorbedByExpiry + source.shortfall).toBe(points);
          expect(source.shortfall).toBeGreaterThanOrEqual(0);
          expect(source.absorbedByExpiry).toBeGreaterThanOrEqual(0);
          const all = p ? [p, ...lots] : lots;
          for (const t of source.takes) {
            expect(t.points).toBeGreaterThan(0);
            const l = all.find((x) => x.id === t.lotId)!;
            expect(t.points).toBeLessThanOrEqual(l.remaining);
            expect(l.expiresAt === null || l.expiresAt > NOW || l === p).toBe(true);
          }
          // a shortfall only when every unexpired lot is emptied
          if (source.shortfall > 0) {
            const after = applyTakes(all, source.takes);
            expect(after.filter((l) => l.remaining > 0 && (l.expiresAt === null || l.expiresAt > NOW) && l !== p)).toEqual([]);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
