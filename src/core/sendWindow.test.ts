import { describe, expect, it } from 'vitest';
import { atLocalTime, localMinutesOf } from './localDate.js';
import { DEFAULT_QUIET_HOURS, isQuiet, nextSendTime, parseClock } from './sendWindow.js';

describe('quiet hours', () => {
  it('reads times of day and windows that cross midnight', () => {
    expect(parseClock('09:30')).toBe(570);
    expect(parseClock('24:00')).toBeNull();
    expect(parseClock('9:30')).toBeNull();
    expect(isQuiet(parseClock('22:00')!, DEFAULT_QUIET_HOURS)).toBe(true);
    expect(isQuiet(parseClock('08:59')!, DEFAULT_QUIET_HOURS)).toBe(true);
    expect(isQuiet(parseClock('09:00')!, DEFAULT_QUIET_HOURS)).toBe(false);
    expect(isQuiet(parseClock('20:59')!, DEFAULT_QUIET_HOURS)).toBe(false);
    expect(isQuiet(parseClock('13:00')!, { start: '13:00', end: '14:00' })).toBe(true);
    expect(isQuiet(parseClock('13:00')!, { start: '13:00', end: '13:00' })).toBe(false);
  });

  it('moves a message due at night to the morning, in the business\'s time zone', () => {
    const tz = 'Asia/Yekaterinburg'; // UTC+5
    // 23:30 local on 10 March → 09:00 local on 11 March.
    expect(nextSendTime(new Date('2026-03-10T18:30:00Z'), tz, DEFAULT_QUIET_HOURS).toISOString()).toBe('2026-03-11T04:00:00.000Z');
    // 03:00 local → 09:00 the same day.
    expect(nextSendTime(new Date('2026-03-10T22:00:00Z'), tz, DEFAULT_QUIET_HOURS).toISOString()).toBe('2026-03-11T04:00:00.000Z');
    // 12:00 local: now.
    expect(nextSendTime(new Date('2026-03-10T07:00:00Z'), tz, DEFAULT_QUIET_HOURS).toISOString()).toBe('2026-03-10T07:00:00.000Z');
    expect(nextSendTime(new Date('2026-03-10T18:30:00Z'), tz, null).toISOString()).toBe('2026-03-10T18:30:00.000Z');
  });

  it('finds a local time on a date across a DST change', () => {
    const tz = 'Europe/Berlin'; // DST starts 29 March 2026 at 02:00 → 03:00
    expect(atLocalTime('2026-03-29', 9 * 60, tz).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(atLocalTime('2026-03-28', 9 * 60, tz).toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(localMinutesOf(atLocalTime('2026-10-25', 9 * 60, tz), tz)).toBe(540);
    // 02:30 does not exist on 29 March: an instant is still given, on that day.
    expect(atLocalTime('2026-03-29', 150, tz).toISOString().slice(0, 10)).toBe('2026-03-29');
  });
});
