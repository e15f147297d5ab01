import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDERS, planExpiryReminders } from './expiryReminders.js';
import type { Lot } from './lots.js';

const lot = (id: string, remaining: number, expiresAt: string | null): Lot => ({ id, amount: remaining, remaining, activatesAt: new Date('2026-01-01T00:00:00Z'), expiresAt: expiresAt ? new Date(expiresAt) : null, createdAt: new Date('2026-01-01T00:00:00Z') });
const tz = 'Europe/Moscow'; // UTC+3

describe('expiry reminders', () => {
  it('plans one reminder per expiry day and per "days before", at the send time, with stable keys', () => {
    // Both lots are gone at the start of 20 March (Moscow): one group of 300 points.
    const lots = [lot('a', 100, '2026-03-19T21:00:00Z'), lot('b', 200, '2026-03-19T21:00:00Z'), lot('c', 50, null), lot('d', 0, '2026-03-19T21:00:00Z')];
    const plan = planExpiryReminders('m1', lots, DEFAULT_REMINDERS, tz, new Date('2026-03-01T00:00:00Z'));
    expect(plan).toEqual([
      { key: 'expiry:m1:2026-03-20:4', dueAt: new Date('2026-03-16T09:00:00Z'), daysBefore: 4, expiresOn: '2026-03-20', lastDay: '2026-03-19', points: 300 },
      { key: 'expiry:m1:2026-03-20:1', dueAt: new Date('2026-03-19T09:00:00Z'), daysBefore: 1, expiresOn: '2026-03-20', lastDay: '2026-03-19', points: 300 },
    ]);
    expect(planExpiryReminders('m1', lots, DEFAULT_REMINDERS, tz, new Date('2026-03-01T00:00:00Z'))).toEqual(plan);
  });

  it('keeps groups apart, moves a send time in quiet hours to the morning, and drops reminders long past', () => {
    const lots = [lot('a', 100, '2026-03-19T21:00:00Z'), lot('b', 40, '2026-03-25T21:00:00Z')];
    const late = { daysBefore: [4, 1], sendAt: '22:30', quietHours: { start: '21:00', end: '09:00' } };
    const plan = planExpiryReminders('m1', lots, late, tz, new Date('2026-03-18T12:00:00Z'));
    // 20 March group: "4 days" (16 March) is long past; "1 day" at 22:30 on 19 March is quiet, and the morning would be
    // too late (gone at midnight): it goes at 20:00, an hour before the quiet. The 26 March group: "4 days" the next morning, "1 day" also at 20:00.
    expect(plan.map((p) => [p.key, p.dueAt.toISOString()])).toEqual([
      ['expiry:m1:2026-03-20:1', '2026-03-19T17:00:00.000Z'],
      ['expiry:m1:2026-03-26:4', '2026-03-23T06:00:00.000Z'],
      ['expiry:m1:2026-03-26:1', '2026-03-25T17:00:00.000Z'],
    ]);
  });
});
