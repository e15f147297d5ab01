import { describe, expect, it } from 'vitest';
import { parseDecimal, parseMoney, previewRules } from './rules.js';

describe('the rules preview', () => {
  it('a 1,000 ₽ purchase at 5 % earns 50 points; at most 30 % = 300 ₽ may be paid with points', () => {
    expect(previewRules({ earnPercent: 5, maxRedeemPercent: 30, pointValue: 100, minPurchaseToEarn: 0 }, 100_000)).toEqual({ amount: 100_000, earnPoints: 50, maxRedeemPoints: 300, maxRedeemMoney: 30_000 });
  });

  it('earns nothing below the minimum purchase; bad numbers give no preview', () => {
    expect(previewRules({ earnPercent: 5, maxRedeemPercent: 30, pointValue: 100, minPurchaseToEarn: 200_000 }, 100_000)?.earnPoints).toBe(0);
    expect(previewRules({ earnPercent: Number.NaN, maxRedeemPercent: 30, pointValue: 100, minPurchaseToEarn: 0 }, 100_000)).toBeNull();
    expect(previewRules({ earnPercent: 101, maxRedeemPercent: 30, pointValue: 100, minPurchaseToEarn: 0 }, 100_000)).toBeNull();
    expect(previewRules({ earnPercent: 5, maxRedeemPercent: 30, pointValue: 0, minPurchaseToEarn: 0 }, 100_000)).toBeNull();
  });

  it('parses numbers as people type them', () => {
    expect(parseDecimal('12,5')).toBe(12.5);
    expect(parseDecimal('abc')).toBeNaN();
    expect(parseMoney('1 000,50', 2)).toBe(100_050);
    expect(parseMoney('', 2)).toBeNaN();
  });
});
