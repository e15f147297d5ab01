import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { DEFAULT_PROGRAM, changeProgram, validateProgram, type Program, type Tier } from './program.js';

const aProgram = (change: Partial<Program> = {}): Program => ({ ...DEFAULT_PROGRAM, ...change });
const aTier = (change: Partial<Tier> = {}): Tier => ({
  id: 'silver',
  name: 'Silver',
  minTotalSpent: 1_000_000,
  earnRateBp: 700,
  maxRedeemBp: 3_000,
  ...change,
});

/** The problems validateProgram reports, or [] when the program is valid. */
function problemsOf(p: Program): string[] {
  try {
    validateProgram(p);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const err = e as DomainError;
    expect(err.code).toBe('invalid_program');
    const problems = err.details.problems as string[];
    expect(err.message).toBe(problems.join('; '));
    return problems;
  }
}

describe('validateProgram', () => {
  it('the defaults are valid and returned as is', () => {
    const p = aProgram();
    expect(validateProgram(p)).toBe(p);
  });

  it('the defaults are what a new business gets: 5% back, up to 30%, 1 point = 1 ₽, 180 days', () => {
    expect(DEFAULT_PROGRAM).toMatchObject({
      earnRateBp: 500,
      maxRedeemBp: 3_000,
      pointValue: 100,
      pointsLifetimeDays: 180,
      tierWindowDays: null,
      tiers: [],
    });
  });

  it.each<[string, Partial<Program>, RegExp]>([
    ['empty points name', { pointsName: '' }, /^pointsName/],
    ['blank points name', { pointsName: '   ' }, /^pointsName/],
    ['points name over 40 characters', { pointsName: 'б'.repeat(41) }, /^pointsName/],
    ['earn rate over 100%', { earnRateBp: 10_001 }, /^earnPercent/],
    ['negative earn rate', { earnRateBp: -1 }, /^earnPercent/],
    ['fractional earn rate', { earnRateBp: 2.5 }, /^earnPercent/],
    ['max redeem over 100%', { maxRedeemBp: 10_001 }, /^maxRedeemPercent/],
    ['negative minimum purchase', { minPurchaseToEarn: -1 }, /^minPurchaseToEarn/],
    ['fractional minimum purchase', { minPurchaseToEarn: 0.5 }, /^minPurchaseToEarn/],
    ['negative welcome bonus', { welcomeBonus: -10 }, /^welcomeBonus/],
    ['huge welcome bonus', { welcomeBonus: 1_000_000_001 }, /^welcomeBonus/],
    ['lifetime over ten years', { pointsLifetimeDays: 3_651 }, /^pointsLifetimeDays/],
    ['negative activation delay', { activationDelayDays: -1 }, /^activationDelayDays must be 0/],
    ['zero point value', { pointValue: 0 }, /^pointValue/],
    ['point value over 10 000 ₽', { pointValue: 1_000_001 }, /^pointValue/],
    ['zero tier window', { tierWindowDays: 0 }, /^tierWindowDays/],
    ['negative late-receipt window', { lateReceiptWindowDays: -1 }, /^lateReceiptWindowDays/],
  ])('reports %s', (_, change, expected) => {
    const problems = problemsOf(aProgram(change));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it.each<[string, Partial<Program>]>([
    ['0% and 100% rates', { earnRateBp: 0, maxRedeemBp: 10_000 }],
    ['points that never expire', { pointsLifetimeDays: null }],
    ['ten-year lifetime', { pointsLifetimeDays: 3_650 }],
    ['a rolling one-year tier window', { tierWindowDays: 365 }],
    ['1 point = 1 kopeck', { pointValue: 1 }],
    ['no late receipts', { lateReceiptWindowDays: 0 }],
    ['a 40-character points name', { pointsName: 'б'.repeat(40) }],
  ])('accepts %s', (_, change) => {
    expect(problemsOf(aProgram(change))).toEqual([]);
  });

  it('reports a zero lifetime (and, since the default delay 0 is not shorter than 0, the delay clash too)', () => {
    const problems = problemsOf(aProgram({ pointsLifetimeDays: 0 }));
    expect(problems[0]).toMatch(/^pointsLifetimeDays must be null \(never expire\) or 1–3650/);
    expect(problems.slice(1)).toEqual([expect.stringMatching(/^activationDelayDays must be shorter/)]);
  });

  it('reports several problems together', () => {
    const problems = problemsOf(aProgram({ pointsName: '', earnRateBp: 20_000, pointValue: 0 }));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^pointsName/);
    expect(problems[1]).toMatch(/^earnPercent/);
    expect(problems[2]).toMatch(/^pointValue/);
  });

  it('refuses an activation delay as long as the lifetime: the points would expire before they could be used', () => {
    const problems = problemsOf(aProgram({ pointsLifetimeDays: 14, activationDelayDays: 14 }));
    expect(problems).toEqual([expect.stringMatching(/activationDelayDays must be shorter than pointsLifetimeDays/)]);
    expect(problemsOf(aProgram({ pointsLifetimeDays: 14, activationDelayDays: 30 }))).toHaveLength(1);
  });

  it('allows a delay shorter than the lifetime, and any delay when points never expire', () => {
    expect(problemsOf(aProgram({ pointsLifetimeDays: 14, activationDelayDays: 13 }))).toEqual([]);
    expect(problemsOf(aProgram({ pointsLifetimeDays: null, activationDelayDays: 365 }))).toEqual([]);
  });

  describe('tiers', () => {
    const silver = aTier();
    const gold = aTier({ id: 'gold', name: 'Gold', minTotalSpent: 5_000_000, earnRateBp: 1_000 });

    it('accepts increasing thresholds', () => {
      expect(problemsOf(aProgram({ tiers: [silver, gold] }))).toEqual([]);
    });

    it('thresholds must increase', () => {
      const problems = problemsOf(aProgram({ tiers: [gold, { ...silver }] }));
      expect(problems).toEqual(['tiers[1].minTotalSpent must be greater than the tier before it']);
    });

    it('equal thresholds are refused too', () => {
      expect(problemsOf(aProgram({ tiers: [silver, { ...gold, minTotalSpent: silver.minTotalSpent }] }))).toEqual([
        'tiers[1].minTotalSpent must be greater than the tier before it',
      ]);
    });

    it('duplicate names are refused', () => {
      const problems = problemsOf(aProgram({ tiers: [silver, { ...gold, name: 'Silver' }] }));
      expect(problems).toEqual(['tiers[1].name "Silver" is used twice']);
    });

    it('duplicate ids are refused', () => {
      const problems = problemsOf(aProgram({ tiers: [silver, { ...gold, id: 'silver' }] }));
      expect(problems).toEqual(['tiers[1].id "silver" is used twice']);
    });

    it('each bad tier field is reported with its position', () => {
      const bad: Tier = { id: 'no spaces!', name: '', minTotalSpent: -1, earnRateBp: 10_001, maxRedeemBp: -5 };
      const problems = problemsOf(aProgram({ tiers: [bad] }));
      expect(problems).toEqual([
        expect.stringMatching(/^tiers\[0\]\.id/),
        expect.stringMatching(/^tiers\[0\]\.name/),
        expect.stringMatching(/^tiers\[0\]\.minTotalSpent/),
        expect.stringMatching(/^tiers\[0\]\.earnPercent/),
        expect.stringMatching(/^tiers\[0\]\.maxRedeemPercent/),
      ]);
    });

    it('at most 20 tiers', () => {
      const tiers = Array.from({ length: 21 }, (_, i) => aTier({ id: `t${i}`, name: `Tier ${i}`, minTotalSpent: i * 100 }));
      expect(problemsOf(aProgram({ tiers: tiers.slice(0, 20) }))).toEqual([]);
      expect(problemsOf(aProgram({ tiers }))).toEqual(['tiers must be a list of at most 20']);
    });
  });
});

describe('changeProgram', () => {
  it('merges a change and validates the result', () => {
    const changed = changeProgram(DEFAULT_PROGRAM, { earnRateBp: 700 });
    expect(changed).toEqual({ ...DEFAULT_PROGRAM, earnRateBp: 700 });
    expect(DEFAULT_PROGRAM.earnRateBp).toBe(500);
  });

  it('checks the combination, not just the change: a delay that is fine alone clashes with a short lifetime', () => {
    const current = aProgram({ activationDelayDays: 10 });
    expect(() => changeProgram(current, { pointsLifetimeDays: 7 })).toThrow(DomainError);
  });
});
