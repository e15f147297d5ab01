import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FULL_RATE_BP, MAX_AMOUNT, bpToPercent, isWhole, mulDivCeil, mulDivFloor, percentToBp } from './money.js';

// Reference arithmetic in BigInt, independent of the code under test.
const floorRef = (a: number, b: number, c: number) => (BigInt(a) * BigInt(b)) / BigInt(c);
const ceilRef = (a: number, b: number, c: number) => {
  const n = BigInt(a) * BigInt(b);
  const q = n / BigInt(c);
  return n % BigInt(c) === 0n ? q : q + 1n;
};

describe('isWhole', () => {
  it('accepts safe integers only', () => {
    expect(isWhole(0)).toBe(true);
    expect(isWhole(-5)).toBe(true);
    expect(isWhole(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(isWhole(Number.MAX_SAFE_INTEGER + 1)).toBe(false);
    expect(isWhole(1.5)).toBe(false);
    expect(isWhole(Number.NaN)).toBe(false);
    expect(isWhole(Number.POSITIVE_INFINITY)).toBe(false);
    expect(isWhole('5')).toBe(false);
    expect(isWhole(null)).toBe(false);
  });
});

describe('mulDivFloor / mulDivCeil', () => {
  it('5% of 1000 ₽ is exactly 50 ₽ either way', () => {
    expect(mulDivFloor(100_000, 500, FULL_RATE_BP)).toBe(5_000);
    expect(mulDivCeil(100_000, 500, FULL_RATE_BP)).toBe(5_000);
  });

  it('rounds down and up when there is a remainder', () => {
    // 5% of 199.99 ₽ = 999.95 kopecks
    expect(mulDivFloor(19_999, 500, FULL_RATE_BP)).toBe(999);
    expect(mulDivCeil(19_999, 500, FULL_RATE_BP)).toBe(1_000);
    expect(mulDivFloor(1, 1, 3)).toBe(0);
    expect(mulDivCeil(1, 1, 3)).toBe(1);
  });

  it('handles zero numerators', () => {
    expect(mulDivFloor(0, 9_999, 7)).toBe(0);
    expect(mulDivCeil(0, 9_999, 7)).toBe(0);
    expect(mulDivCeil(12_345, 0, 7)).toBe(0);
  });

  it('is exact for the largest amount at 100%: 10^11 × 10000 / 10000', () => {
    expect(mulDivFloor(MAX_AMOUNT, FULL_RATE_BP, FULL_RATE_BP)).toBe(MAX_AMOUNT);
    expect(mulDivCeil(MAX_AMOUNT, FULL_RATE_BP, FULL_RATE_BP)).toBe(MAX_AMOUNT);
  });

  it('is exact where float arithmetic is not', () => {
    // 773592164990000 × 454 / 10000 = 35121084290546 exactly, but the float product is past 2^53 and rounds.
    const [a, b, c] = [773_592_164_990_000, 454, 10_000];
    expect(Math.floor((a * b) / c)).toBe(35_121_084_290_545); // what a float calculation would give
    expect(mulDivFloor(a, b, c)).toBe(35_121_084_290_546);
    expect(mulDivCeil(a, b, c)).toBe(35_121_084_290_546);
  });

  it('is exact at the top of the range: 99 999 999 999 kopecks × 9999 bp', () => {
    // 99999999999 × 9999 = 999 899 999 990 001; / 10000 leaves a remainder of 1
    expect(mulDivFloor(99_999_999_999, 9_999, 10_000)).toBe(99_989_999_999);
    expect(mulDivCeil(99_999_999_999, 9_999, 10_000)).toBe(99_990_000_000);
    // and with a divisor that includes a point value (10000 bp × 100 kopecks per point)
    expect(mulDivFloor(MAX_AMOUNT, 9_999, FULL_RATE_BP * 100)).toBe(999_900_000);
  });

  it('matches BigInt reference for amounts up to 10^11 and rates up to 10000 bp', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_AMOUNT }),
        fc.integer({ min: 0, max: FULL_RATE_BP }),
        fc.integer({ min: 1, max: FULL_RATE_BP * 1_000_000 }),
        (a, b, c) => {
          const f = mulDivFloor(a, b, c);
          const g = mulDivCeil(a, b, c);
          expect(BigInt(f)).toBe(floorRef(a, b, c));
          expect(BigInt(g)).toBe(ceilRef(a, b, c));
          expect(g - f).toBe((BigInt(a) * BigInt(b)) % BigInt(c) === 0n ? 0 : 1);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('refuses a zero or negative divisor', () => {
    expect(() => mulDivFloor(1, 1, 0)).toThrow(RangeError);
    expect(() => mulDivCeil(1, 1, 0)).toThrow(RangeError);
    expect(() => mulDivFloor(1, 1, -1)).toThrow(RangeError);
    expect(() => mulDivCeil(1, 1, -1)).toThrow(RangeError);
  });
});

describe('percentToBp', () => {
  it.each([
    ['5', 500],
    [5, 500],
    [2.5, 250],
    ['2.5', 250],
    ['2.55', 255],
    ['0', 0],
    ['0.01', 1],
    ['0.1', 10],
    ['100', 10_000],
    ['100.00', 10_000],
    [' 7 ', 700],
    [12.34, 1_234],
  ] as const)('%j → %i bp', (input, bp) => {
    expect(percentToBp(input)).toBe(bp);
  });

  it.each(['100.01', '101', '-1', -1, '1.234', 1.234, 'abc', '', '5%', '1,5', '.5', '5.', '1e2', 1e-7, Number.NaN, '1000'])(
    'rejects %o',
    (input) => {
      expect(percentToBp(input)).toBeNull();
    },
  );

  it('round-trips with bpToPercent for every two-decimal percentage', () => {
    for (let bp = 0; bp <= FULL_RATE_BP; bp += 37) {
      expect(percentToBp(bpToPercent(bp))).toBe(bp);
    }
    expect(bpToPercent(250)).toBe(2.5);
    expect(bpToPercent(10_000)).toBe(100);
  });
});
