import { describe, expect, it } from 'vitest';
import { addDuration, parseDuration } from './duration.js';

const at = (s: string) => new Date(s);

describe('ISO 8601 durations', () => {
  it('reads every part', () => {
    expect(parseDuration('P1Y2M3W4DT5H6M7.5S')).toEqual({ years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7.5 });
    expect(parseDuration('pt12h')).toMatchObject({ hours: 12 });
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', 'P', 'PT', '30D', 'P-1D', 'P1.5D', 'P1DT', 'PT1H2D', 'P99999999D']) {
      expect(() => parseDuration(bad), bad).toThrow(/ISO 8601 duration/);
    }
  });

  it('adds days and times exactly and months on the calendar', () => {
    expect(addDuration(at('2026-01-31T10:00:00Z'), parseDuration('P1M')).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addDuration(at('2026-03-15T00:00:00Z'), parseDuration('P1Y')).toISOString()).toBe('2027-03-15T00:00:00.000Z');
    expect(addDuration(at('2026-03-15T00:00:00Z'), parseDuration('P30DT12H')).toISOString()).toBe('2026-04-14T12:00:00.000Z');
    expect(addDuration(at('2026-03-15T00:00:00Z'), parseDuration('P2W')).toISOString()).toBe('2026-03-29T00:00:00.000Z');
  });
});
