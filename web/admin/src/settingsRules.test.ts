import { describe, expect, it } from 'vitest';
import { checkQuestions, checkRewards, checkTiers, isClock, moveItem, normalizePath, parseWhole, tierPreview, windowField, type Problem } from './settingsRules.js';

const silver = { name: 'Серебро', threshold: '10 000', earnPercent: '7', maxRedeemPercent: '40' };
const gold = { id: 'gold', name: 'Золото', threshold: '50000,50', earnPercent: '10', maxRedeemPercent: '50' };

describe('the tiers editor', () => {
  it('gives the tiers as the API takes them: thresholds in minor units, ids kept, rates as numbers', () => {
    expect(checkTiers([silver, gold], 2)).toEqual({
      tiers: [
        { name: 'Серебро', minTotalSpent: 1_000_000, earnPercent: 7, maxRedeemPercent: 40 },
        { id: 'gold', name: 'Золото', minTotalSpent: 5_000_050, earnPercent: 10, maxRedeemPercent: 50 },
      ],
      problems: [],
    });
  });

  it('refuses thresholds that do not go up, and a name used twice, at the field', () => {
    expect(checkTiers([gold, silver], 2)).toEqual({ tiers: [], problems: [{ path: 'tiers.1.minTotalSpent', key: 'tierAscending' }] });
    expect(checkTiers([silver, { ...gold, threshold: '10000' }], 2).problems).toEqual([{ path: 'tiers.1.minTotalSpent', key: 'tierAscending' }]);
    expect(checkTiers([silver, { ...gold, name: ' Серебро ' }], 2).problems).toEqual([{ path: 'tiers.1.name', key: 'tierDuplicateName' }]);
  });

  it('says which field of which row is wrong', () => {
    const { problems } = checkTiers([{ name: '', threshold: 'abc', earnPercent: '101', maxRedeemPercent: '2.555' }], 2);
    expect(problems).toEqual([
      { path: 'tiers.0.name', key: 'required' },
      { path: 'tiers.0.minTotalSpent', key: 'moneyNumber' },
      { path: 'tiers.0.earnPercent', key: 'percentRange' },
      { path: 'tiers.0.maxRedeemPercent', key: 'percentRange' },
    ]);
    expect(checkTiers([{ ...silver, earnPercent: '0,07' }], 2).tiers[0]?.earnPercent).toBe(0.07);
  });

  it('previews a tier with its own rates and the program\'s point value', () => {
    expect(tierPreview(silver, { pointValue: 100, minPurchaseToEarn: 0 }, 100_000)).toEqual({ amount: 100_000, earnPoints: 70, maxRedeemPoints: 400, maxRedeemMoney: 40_000 });
    expect(tierPreview({ ...silver, earnPercent: 'x' }, { pointValue: 100, minPurchaseToEarn: 0 }, 100_000)).toBeNull();
  });

  it('the window: empty is all time, else 1–3650 days', () => {
    const problems: Problem[] = [];
    expect(windowField(problems, '')).toBeNull();
    expect(windowField(problems, '365')).toBe(365);
    expect(problems).toEqual([]);
    expect(windowField(problems, '0')).toBeNull();
    expect(problems).toEqual([{ path: 'tierWindowDays', key: 'wholeNumber', vars: { min: 1, max: 3650 } }]);
  });
});

describe('rewards and questions', () => {
  it('rewards need a code, a title and a positive whole price; codes unique', () => {
    expect(checkRewards([{ id: 'coffee', title: 'Кофе', points: '150' }])).toEqual({ rewards: [{ id: 'coffee', title: 'Кофе', points: 150 }], problems: [] });
    expect(checkRewards([{ id: 'coffee', title: 'Кофе', points: '0' }, { id: 'coffee', title: '', points: '1.5' }]).problems).toEqual([
      { path: 'rewards.0.points', key: 'pointsWhole', vars: { min: 1 } },
      { path: 'rewards.1.id', key: 'duplicate' },
      { path: 'rewards.1.title', key: 'required' },
      { path: 'rewards.1.points', key: 'pointsWhole', vars: { min: 1 } },
    ]);
  });

  it('name, birthday and e-mail once each; an own question needs text; new questions get free ids', () => {
    const r = checkQuestions([{ id: 'name-1', type: 'name', label: '', required: true }, { type: 'name', label: '', required: false }, { type: 'text', label: '', required: false }]);
    expect(r.problems).toEqual([{ path: 'questionnaire.1.type', key: 'questionOnce' }, { path: 'questionnaire.2.label', key: 'questionLabelNeeded' }]);
    expect(r.questionnaire.map((q) => q.id)).toEqual(['name-1', 'name-2', 'text-3']);
  });
});

describe('small helpers', () => {
  it('reads the server\'s paths in one form', () => {
    expect(normalizePath('tiers[1].minTotalSpent')).toBe('tiers.1.minTotalSpent');
    expect(normalizePath('referral:')).toBe('referral');
    expect(normalizePath('notifications.quietHours:')).toBe('notifications.quietHours');
  });

  it('whole numbers, clocks and moving an item', () => {
    expect(parseWhole(' 1 000 ', 0, 5000)).toBe(1000);
    expect(parseWhole('1.5', 0, 10)).toBeNull();
    expect(parseWhole('11', 0, 10)).toBeNull();
    expect(isClock('09:30')).toBe(true);
    expect(isClock('24:00')).toBe(false);
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
  });
});
