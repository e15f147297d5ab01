import { describe, expect, it } from 'vitest';
import { birthdayBonusLastDay, birthdayDue, birthdayIn, winbackDue } from './campaignRules.js';

describe('birthday campaign', () => {
  const m = { birthday: '1990-05-17', birthdayChangedOn: null, lastBirthdayYear: null };
  it('is due on the birthday once a year, not for a birthday changed in the last 30 days', () => {
    expect(birthdayDue(m, '2026-05-17')).toBe(true);
    expect(birthdayDue(m, '2026-05-16')).toBe(false);
    expect(birthdayDue({ ...m, lastBirthdayYear: 2026 }, '2026-05-17')).toBe(false);
    expect(birthdayDue({ ...m, lastBirthdayYear: 2025 }, '2026-05-17')).toBe(true);
    expect(birthdayDue({ ...m, birthdayChangedOn: '2026-05-01' }, '2026-05-17')).toBe(false);
    expect(birthdayDue({ ...m, birthdayChangedOn: '2026-04-17' }, '2026-05-17')).toBe(true);
    expect(birthdayDue({ ...m, birthday: null }, '2026-05-17')).toBe(false);
  });
  it('celebrates 29 February on 28 February in other years', () => {
    expect(birthdayIn('2000-02-29', 2026)).toBe('2026-02-28');
    expect(birthdayIn('2000-02-29', 2028)).toBe('2028-02-29');
    expect(birthdayDue({ birthday: '2000-02-29', birthdayChangedOn: null, lastBirthdayYear: null }, '2026-02-28')).toBe(true);
    expect(birthdayBonusLastDay('2026-05-17', 7)).toBe('2026-05-23');
  });
});

describe('win-back', () => {
  it('is due N days after the last purchase, once per lapse', () => {
    expect(winbackDue('2026-01-01', null, '2026-02-15', 45)).toBe(true);
    expect(winbackDue('2026-01-01', null, '2026-02-14', 45)).toBe(false);
    expect(winbackDue('2026-01-01', '2026-02-15', '2026-03-20', 45)).toBe(false); // sent for this lapse
    expect(winbackDue('2026-03-01', '2026-02-15', '2026-04-20', 45)).toBe(true); // bought again, lapsed again
    expect(winbackDue(null, null, '2026-04-20', 45)).toBe(false); // never bought: the welcome flow's business
  });
});
