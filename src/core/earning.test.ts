import { describe, expect, it } from 'vitest';
import { assertAmount, pointsEarned, quotePurchase, redeemCap, type RedeemRequest } from './earning.js';
import { DomainError } from './errors.js';
import { MAX_AMOUNT, type Minor, type Points } from './money.js';
import { DEFAULT_PROGRAM, type Program, type Tier } from './program.js';

// Kopecks from roubles, so examples read like receipts: rub(1000) is 1000 ₽.
const rub = (roubles: number): Minor => Math.round(roubles * 100);

/** 5% back, up to 30% of a purchase payable with points, 1 point = 1 ₽ — the default program. */
const aProgram = (change: Partial<Program> = {}): Program => ({ ...DEFAULT_PROGRAM, ...change });

const aTier = (change: Partial<Tier> = {}): Tier => ({
  id: 'gold',
  name: 'Gold',
  minTotalSpent: rub(50_000),
  earnRateBp: 1_000,
  maxRedeemBp: 5_000,
  ...change,
});

const quote = (
  amount: Minor,
  opts: { program?: Program; tier?: Tier | null; redeem?: RedeemRequest; available?: Points } = {},
) => quotePurchase(opts.program ?? aProgram(), opts.tier ?? null, { amount, redeem: opts.redeem, available: opts.available ?? 0 });

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

describe('quotePurchase: earning', () => {
  it('5% of a 1000 ₽ purchase is 50 points', () => {
    const q = quote(rub(1000));
    expect(q).toEqual({
      amount: 100_000,
      tierId: null,
      earnRateBp: 500,
      maxRedeemBp: 3_000,
      maxRedeemPoints: 0,
      redeemPoints: 0,
      redeemValue: 0,
      payableAmount: 100_000,
      earnPoints: 50,
    });
  });

  it('rounds down to whole points: 199.99 ₽ at 5% is 9.9995 → 9 points', () => {
    expect(quote(rub(199.99)).earnPoints).toBe(9);
  });

  it('earns nothing until a whole point is reached: 19.99 ₽ at 5% → 0, 20 ₽ → 1', () => {
    expect(quote(rub(19.99)).earnPoints).toBe(0);
    expect(quote(rub(20)).earnPoints).toBe(1);
  });

  it('earns only on the money part: 1000 ₽ with 300 points redeemed → pays 700 ₽ → 35 points', () => {
    const q = quote(rub(1000), { redeem: 300, available: 500 });
    expect(q.redeemPoints).toBe(300);
    expect(q.redeemValue).toBe(rub(300));
    expect(q.payableAmount).toBe(rub(700));
    expect(q.earnPoints).toBe(35);
  });

  it('a 0% program earns nothing', () => {
    expect(quote(rub(1000), { program: aProgram({ earnRateBp: 0 }) }).earnPoints).toBe(0);
  });

  it('a 100% program gives one point per rouble', () => {
    expect(quote(rub(1234.56), { program: aProgram({ earnRateBp: 10_000 }) }).earnPoints).toBe(1234);
  });

  it('at the largest amount (a billion roubles) 5% is 50 million points, exactly', () => {
    expect(quote(MAX_AMOUNT).earnPoints).toBe(50_000_000);
  });
});

describe('quotePurchase: minimum purchase to earn', () => {
  const program = aProgram({ minPurchaseToEarn: rub(500) });

  it('below the minimum earns nothing', () => {
    expect(quote(rub(499.99), { program }).earnPoints).toBe(0);
  });

  it('exactly the minimum earns', () => {
    expect(quote(rub(500), { program }).earnPoints).toBe(25);
  });

  it('the minimum is checked against the whole receipt, not the part paid in money', () => {
    // 600 ₽ receipt, 150 points redeemed → 450 ₽ paid, still earns because the purchase is ≥ 500 ₽
    const q = quote(rub(600), { program, redeem: 150, available: 150 });
    expect(q.payableAmount).toBe(rub(450));
    expect(q.earnPoints).toBe(22); // 5% of 450 ₽ = 22.5 → 22
  });

  it('redeeming is still allowed below the minimum', () => {
    const q = quote(rub(100), { program, redeem: 30, available: 30 });
    expect(q.redeemPoints).toBe(30);
    expect(q.earnPoints).toBe(0);
  });
});

describe('quotePurchase: redeeming', () => {
  it('at most 30% of the purchase: 1000 ₽ → cap 300 points', () => {
    expect(redeemCap(rub(1000), 3_000, 100)).toBe(300);
    expect(quote(rub(1000), { redeem: 300, available: 10_000 }).redeemPoints).toBe(300);
  });

  it('the cap rounds down: 30% of 999.99 ₽ = 299.997 ₽ → 299 points', () => {
    expect(redeemCap(rub(999.99), 3_000, 100)).toBe(299);
  });

  it('"max" redeems the cap when the balance is larger', () => {
    const q = quote(rub(1000), { redeem: 'max', available: 1_000 });
    expect(q.maxRedeemPoints).toBe(300);
    expect(q.redeemPoints).toBe(300);
    expect(q.payableAmount).toBe(rub(700));
    expect(q.earnPoints).toBe(35);
  });

  it('"max" redeems the whole balance when it is below the cap', () => {
    const q = quote(rub(1000), { redeem: 'max', available: 120 });
    expect(q.maxRedeemPoints).toBe(120);
    expect(q.redeemPoints).toBe(120);
    expect(q.payableAmount).toBe(rub(880));
    expect(q.earnPoints).toBe(44);
  });

  it('"max" with an empty (or negative) balance redeems nothing', () => {
    expect(quote(rub(1000), { redeem: 'max', available: 0 }).redeemPoints).toBe(0);
    expect(quote(rub(1000), { redeem: 'max', available: -5 }).maxRedeemPoints).toBe(0);
  });

  it('reports maxRedeemPoints even when nothing is redeemed', () => {
    expect(quote(rub(1000), { available: 80 }).maxRedeemPoints).toBe(80);
    expect(quote(rub(1000), { available: 800 }).maxRedeemPoints).toBe(300);
  });

  it('more than the cap → redeem_limit_exceeded with the cap in details', () => {
    const e = errorOf(() => quote(rub(1000), { redeem: 301, available: 1_000 }));
    expect(e.code).toBe('redeem_limit_exceeded');
    expect(e.details).toEqual({ maxRedeemPoints: 300 });
  });

  it('the limit is checked before the balance', () => {
    const e = errorOf(() => quote(rub(1000), { redeem: 400, available: 100 }));
    expect(e.code).toBe('redeem_limit_exceeded');
    expect(e.details.maxRedeemPoints).toBe(300);
  });

  it('more than the balance (within the cap) → insufficient_points with what is available', () => {
    const e = errorOf(() => quote(rub(1000), { redeem: 200, available: 150 }));
    expect(e.code).toBe('insufficient_points');
    expect(e.details).toEqual({ available: 150 });
  });

  it('exactly the balance is fine', () => {
    expect(quote(rub(1000), { redeem: 150, available: 150 }).redeemPoints).toBe(150);
  });

  it('a 0% share forbids redeeming anything', () => {
    const program = aProgram({ maxRedeemBp: 0 });
    expect(quote(rub(1000), { program, redeem: 'max', available: 500 }).redeemPoints).toBe(0);
    expect(errorOf(() => quote(rub(1000), { program, redeem: 1, available: 500 })).code).toBe('redeem_limit_exceeded');
  });

  it('a 100% share lets the whole purchase be paid with points, earning nothing', () => {
    const q = quote(rub(250), { program: aProgram({ maxRedeemBp: 10_000 }), redeem: 'max', available: 1_000 });
    expect(q.redeemPoints).toBe(250);
    expect(q.payableAmount).toBe(0);
    expect(q.earnPoints).toBe(0);
  });

  it.each([-1, 1.5, Number.NaN, '10' as unknown as number])('a redeem request of %o → validation_failed', (redeem) => {
    const e = errorOf(() => quote(rub(1000), { redeem, available: 1_000 }));
    expect(e.code).toBe('validation_failed');
    expect(e.details.field).toBe('redeemPoints');
  });

  it('zero points requested is the same as none', () => {
    expect(quote(rub(1000), { redeem: 0, available: 0 })).toEqual(quote(rub(1000)));
  });
});

describe('quotePurchase: tiers', () => {
  it("a tier's own rates replace the program's", () => {
    const q = quote(rub(1000), { tier: aTier(), redeem: 'max', available: 10_000 });
    expect(q.tierId).toBe('gold');
    expect(q.earnRateBp).toBe(1_000);
    expect(q.maxRedeemBp).toBe(5_000);
    expect(q.redeemPoints).toBe(500); // 50% of 1000 ₽
    expect(q.earnPoints).toBe(50); // 10% of the 500 ₽ paid
  });

  it('a tier may be stricter than the program', () => {
    const bronze = aTier({ id: 'bronze', name: 'Bronze', earnRateBp: 200, maxRedeemBp: 1_000 });
    const q = quote(rub(1000), { tier: bronze });
    expect(q.earnPoints).toBe(20);
    expect(q.maxRedeemBp).toBe(1_000);
    expect(errorOf(() => quote(rub(1000), { tier: bronze, redeem: 101, available: 1_000 })).details.maxRedeemPoints).toBe(100);
  });
});

describe('quotePurchase: point value other than 1 ₽', () => {
  // 1 point = 50 kopecks
  const program = aProgram({ pointValue: 50 });

  it('5% of 1000 ₽ is 50 ₽ = 100 points', () => {
    expect(quote(rub(1000), { program }).earnPoints).toBe(100);
  });

  it('the 30% cap of 1000 ₽ (300 ₽) is 600 points', () => {
    const q = quote(rub(1000), { program, redeem: 'max', available: 10_000 });
    expect(q.redeemPoints).toBe(600);
    expect(q.redeemValue).toBe(rub(300));
    expect(q.payableAmount).toBe(rub(700));
    expect(q.earnPoints).toBe(70); // 5% of 700 ₽ = 35 ₽ = 70 points
  });

  it('1 point = 10 ₽ (pointValue 1000): 5% of 1999 ₽ → 99.95 ₽ → 9 points', () => {
    expect(quote(rub(1999), { program: aProgram({ pointValue: 1_000 }) }).earnPoints).toBe(9);
  });
});

describe('quotePurchase: invalid amounts', () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_AMOUNT + 1, '1000', null, undefined])(
    'amount %o → validation_failed',
    (amount) => {
      const e = errorOf(() => quote(amount as unknown as number));
      expect(e.code).toBe('validation_failed');
      expect(e.details.field).toBe('amount');
    },
  );

  it('the extremes are accepted: 1 kopeck and a billion roubles', () => {
    expect(quote(1).amount).toBe(1);
    expect(quote(MAX_AMOUNT).amount).toBe(MAX_AMOUNT);
  });

  it('assertAmount names the field it checked', () => {
    expect(errorOf(() => assertAmount(0, 'refundAmount')).details).toEqual({ field: 'refundAmount' });
    expect(() => assertAmount(1)).not.toThrow();
  });
});

describe('pointsEarned', () => {
  it('is floor(money × rate / (10000 × point value))', () => {
    expect(pointsEarned(rub(700), 500, 100)).toBe(35);
    expect(pointsEarned(rub(19.99), 500, 100)).toBe(0);
    expect(pointsEarned(rub(1000), 250, 100)).toBe(25); // 2.5%
    expect(pointsEarned(rub(1000), 255, 100)).toBe(25); // 2.55% → 25.5 → 25
    expect(pointsEarned(0, 500, 100)).toBe(0);
  });
});
