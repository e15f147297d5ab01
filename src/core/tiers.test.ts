import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM, type Program, type Tier } from './program.js';
import { nextTier, ratesFor, tierFor, tierWindowStart } from './tiers.js';

const rub = (roubles: number) => Math.round(roubles * 100);
const tier = (id: string, minRoubles: number, earnRateBp: number, maxRedeemBp = 3_000): Tier => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  minTotalSpent: rub(minRoubles),
  earnRateBp,
  maxRedeemBp,
});

// Silver from 10 000 ₽ spent, Gold from 50 000 ₽, Platinum from 150 000 ₽.
const silver = tier('silver', 10_000, 700);
const gold = tier('gold', 50_000, 1_000, 5_000);
const platinum = tier('platinum', 150_000, 1_500, 10_000);
const program = (change: Partial<Program> = {}): Program => ({ ...DEFAULT_PROGRAM, tiers: [silver, gold, platinum], ...change });

describe('tierFor', () => {
  it('no tier before the first threshold', () => {
    expect(tierFor(program(), 0)).toBeNull();
    expect(tierFor(program(), rub(9_999.99))).toBeNull();
  });

  it('a threshold is reached when the total equals it', () => {
    expect(tierFor(program(), rub(10_000))).toBe(silver);
    expect(tierFor(program(), rub(50_000))).toBe(gold);
  });

  it('picks the highest tier reached', () => {
    expect(tierFor(program(), rub(49_999.99))).toBe(silver);
    expect(tierFor(program(), rub(120_000))).toBe(gold);
    expect(tierFor(program(), rub(1_000_000))).toBe(platinum);
  });

  it('a program without tiers has none', () => {
    expect(tierFor(program({ tiers: [] }), rub(1_000_000))).toBeNull();
  });

  it('a first tier from 0 ₽ applies to everyone', () => {
    const base = tier('base', 0, 300);
    expect(tierFor(program({ tiers: [base, gold] }), 0)).toBe(base);
  });
});

describe('nextTier', () => {
  it('a new member needs 10 000 ₽ for Silver', () => {
    expect(nextTier(program(), 0)).toEqual({ tier: silver, missing: rub(10_000) });
  });

  it('how much more to spend for the next tier', () => {
    expect(nextTier(program(), rub(12_345.67))).toEqual({ tier: gold, missing: rub(37_654.33) });
  });

  it('at a threshold, the next is the one above it', () => {
    expect(nextTier(program(), rub(50_000))).toEqual({ tier: platinum, missing: rub(100_000) });
  });

  it('one kopeck short', () => {
    expect(nextTier(program(), rub(149_999.99))).toEqual({ tier: platinum, missing: 1 });
  });

  it('nothing above the top tier', () => {
    expect(nextTier(program(), rub(150_000))).toBeNull();
    expect(nextTier(program({ tiers: [] }), 0)).toBeNull();
  });
});

describe('tierWindowStart', () => {
  const now = new Date('2026-06-30T12:00:00Z');

  it('is null when totals count all time', () => {
    expect(tierWindowStart(program({ tierWindowDays: null }), now)).toBeNull();
  });

  it('is `tierWindowDays` × 24h before now for a rolling window', () => {
    expect(tierWindowStart(program({ tierWindowDays: 365 }), now)).toEqual(new Date('2025-06-30T12:00:00Z'));
    expect(tierWindowStart(program({ tierWindowDays: 30 }), now)).toEqual(new Date('2026-05-31T12:00:00Z'));
  });
});

describe('ratesFor', () => {
  it("uses the program's rates without a tier and the tier's with one", () => {
    expect(ratesFor(program(), null)).toEqual({ earnRateBp: 500, maxRedeemBp: 3_000 });
    expect(ratesFor(program(), gold)).toEqual({ earnRateBp: 1_000, maxRedeemBp: 5_000 });
  });
});
