import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from './clock.js';

describe('ManualClock', () => {
  it('starts at 2026-01-15 09:00 UTC unless told otherwise', () => {
    expect(new ManualClock().now()).toEqual(new Date('2026-01-15T09:00:00Z'));
    expect(new ManualClock('2026-03-10T20:30:00Z').now()).toEqual(new Date('2026-03-10T20:30:00Z'));
  });

  it('moves only when told', () => {
    const clock = new ManualClock('2026-03-10T00:00:00Z');
    expect(clock.now()).toEqual(clock.now());
    clock.advance(90_000);
    expect(clock.now()).toEqual(new Date('2026-03-10T00:01:30Z'));
    clock.advanceDays(30);
    expect(clock.now()).toEqual(new Date('2026-04-09T00:01:30Z'));
    clock.set('2027-01-01T00:00:00Z');
    expect(clock.now()).toEqual(new Date('2027-01-01T00:00:00Z'));
  });

  it('hands out copies: changing a returned Date does not move the clock', () => {
    const clock = new ManualClock('2026-03-10T00:00:00Z');
    clock.now().setUTCFullYear(1999);
    expect(clock.now()).toEqual(new Date('2026-03-10T00:00:00Z'));
  });
});

describe('systemClock', () => {
  it('tells the real time', () => {
    const before = Date.now();
    const t = systemClock.now().getTime();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });
});
