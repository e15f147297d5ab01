import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { endOfLocalDay, localDateOf, startOfLocalDay } from './localDate.js';
import {
  applyTakes,
  availablePoints,
  bySpendOrder,
  expiringSoon,
  isActive,
  isExpired,
  isPending,
  lotSchedule,
  pendingPoints,
  planSpend,
  type Lot,
} from './lots.js';
import { DEFAULT_PROGRAM, type Program } from './program.js';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);
const aProgram = (change: Partial<Program> = {}): Program => ({ ...DEFAULT_PROGRAM, ...change });

/** Local wall-clock time from Intl, "YYYY-MM-DD HH:mm". */
const wall = (t: Date, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }).format(t);

const NOW = at('2026-06-15T12:00:00Z');

/** A lot of `points`, active since a month ago; override any field. */
function lot(id: string, points: number, change: Partial<Lot> = {}): Lot {
  return {
    id,
    amount: points,
    remaining: points,
    activatesAt: at('2026-05-15T12:00:00Z'),
    expiresAt: at('2026-12-31T21:00:00Z'),
    createdAt: at('2026-05-15T12:00:00Z'),
    ...change,
  };
}
const expiringIn = (days: number) => new Date(NOW.getTime() + days * DAY);

describe('lotSchedule', () => {
  const moscow = 'Europe/Moscow';

  it('30 days: earned 23:30 on 10 March in Moscow → usable now, expires at the end of 9 April Moscow time', () => {
    const earnedAt = at('2026-03-10T20:30:00Z');
    expect(wall(earnedAt, moscow)).toBe('2026-03-10 23:30');
    const s = lotSchedule(aProgram({ pointsLifetimeDays: 30 }), moscow, earnedAt);
    expect(s.activatesAt).toEqual(earnedAt);
    // the rule: valid for the rest of the day it was earned plus 30 full days; gone at the midnight after day 30
    expect(s.expiresAt).toEqual(endOfLocalDay('2026-04-09', moscow));
    expect(s.expiresAt).toEqual(at('2026-04-09T21:00:00Z'));
    expect(wall(s.expiresAt!, moscow)).toBe('2026-04-10 00:00');
  });

  it('the same lot earned at 00:30 the next Moscow day lives one day longer', () => {
    const s = lotSchedule(aProgram({ pointsLifetimeDays: 30 }), moscow, at('2026-03-10T21:30:00Z'));
    expect(s.expiresAt).toEqual(at('2026-04-10T21:00:00Z'));
  });

  it('counts days in the business’s zone: one second after midnight in Vladivostok', () => {
    const earnedAt = at('2026-03-10T14:00:01Z'); // 00:00:01 on 11 March in Vladivostok (+10)
    expect(localDateOf(earnedAt, 'Asia/Vladivostok')).toBe('2026-03-11');
    const s = lotSchedule(aProgram({ pointsLifetimeDays: 30 }), 'Asia/Vladivostok', earnedAt);
    expect(s.expiresAt).toEqual(at('2026-04-10T14:00:00Z')); // end of 10 April, Vladivostok
    // the same instant in Moscow is still 10 March
    expect(lotSchedule(aProgram({ pointsLifetimeDays: 30 }), moscow, earnedAt).expiresAt).toEqual(at('2026-04-09T21:00:00Z'));
  });

  it('a lot spanning the Berlin spring-forward still expires at local midnight', () => {
    const berlin = 'Europe/Berlin';
    const earnedAt = at('2026-03-20T12:00:00Z'); // 13:00 CET
    const s = lotSchedule(aProgram({ pointsLifetimeDays: 30 }), berlin, earnedAt);
    expect(s.expiresAt).toEqual(at('2026-04-19T22:00:00Z')); // midnight CEST
    expect(wall(s.expiresAt!, berlin)).toBe('2026-04-20 00:00');
    // one hour short of 31 × 24h after the start of the day it was earned — the DST hour
    expect(s.expiresAt!.getTime() - startOfLocalDay('2026-03-20', berlin).getTime()).toBe(31 * DAY - 3_600_000);
  });

  it('a lot spanning the Berlin fall-back expires at local midnight too', () => {
    const s = lotSchedule(aProgram({ pointsLifetimeDays: 10 }), 'Europe/Berlin', at('2026-10-20T10:00:00Z'));
    expect(s.expiresAt).toEqual(at('2026-10-30T23:00:00Z')); // midnight CET
    expect(wall(s.expiresAt!, 'Europe/Berlin')).toBe('2026-10-31 00:00');
  });

  it('a lot whose last day is 5 Sept 2026 in Santiago expires at 01:00 on the 6th, as midnight is skipped', () => {
    const s = lotSchedule(aProgram({ pointsLifetimeDays: 5 }), 'America/Santiago', at('2026-08-31T15:00:00Z'));
    expect(s.expiresAt).toEqual(at('2026-09-06T04:00:00Z'));
    expect(wall(s.expiresAt!, 'America/Santiago')).toBe('2026-09-06 01:00');
  });

  it('with an activation delay, points become usable at the start of the local day `delay` days later', () => {
    const s = lotSchedule(aProgram({ activationDelayDays: 14, pointsLifetimeDays: 180 }), moscow, at('2026-03-10T20:30:00Z'));
    expect(s.activatesAt).toEqual(at('2026-03-23T21:00:00Z')); // 00:00 on 24 March, Moscow
    expect(s.expiresAt).toEqual(endOfLocalDay('2026-09-06', moscow)); // still counted from the day earned
  });

  it('a one-day delay: earned any time today, usable from tomorrow morning', () => {
    const program = aProgram({ activationDelayDays: 1 });
    expect(lotSchedule(program, moscow, at('2026-03-09T21:00:00Z')).activatesAt).toEqual(at('2026-03-10T21:00:00Z'));
    expect(lotSchedule(program, moscow, at('2026-03-10T20:59:59Z')).activatesAt).toEqual(at('2026-03-10T21:00:00Z'));
  });

  it('points that never expire have no expiry', () => {
    const s = lotSchedule(aProgram({ pointsLifetimeDays: null, activationDelayDays: 7 }), moscow, at('2026-03-10T20:30:00Z'));
    expect(s.expiresAt).toBeNull();
    expect(s.activatesAt).toEqual(at('2026-03-16T21:00:00Z'));
  });
});

describe('lot states', () => {
  it('a lot stops being usable at the instant it expires', () => {
    const l = lot('a', 10, { expiresAt: NOW });
    expect(isExpired(l, NOW)).toBe(true);
    expect(isActive(l, NOW)).toBe(false);
    expect(isExpired(l, new Date(NOW.getTime() - 1))).toBe(false);
    expect(isActive(l, new Date(NOW.getTime() - 1))).toBe(true);
  });

  it('a lot becomes usable at the instant it activates', () => {
    const l = lot('a', 10, { activatesAt: NOW });
    expect(isActive(l, NOW)).toBe(true);
    expect(isPending(l, NOW)).toBe(false);
    expect(isPending(l, new Date(NOW.getTime() - 1))).toBe(true);
    expect(isActive(l, new Date(NOW.getTime() - 1))).toBe(false);
  });

  it('a spent lot is neither active nor pending', () => {
    const l = lot('a', 10, { remaining: 0 });
    expect(isActive(l, NOW)).toBe(false);
    expect(isPending(l, NOW)).toBe(false);
  });

  it('a never-expiring lot never expires', () => {
    expect(isExpired(lot('a', 1, { expiresAt: null }), at('2100-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('availablePoints / pendingPoints', () => {
  const lots = [
    lot('active', 100),
    lot('partly-spent', 100, { remaining: 40 }),
    lot('pending', 70, { activatesAt: expiringIn(3) }),
    lot('expired', 500, { expiresAt: expiringIn(-1) }),
    lot('spent', 30, { remaining: 0 }),
    lot('forever', 5, { expiresAt: null }),
  ];

  it('available counts what remains of active lots only', () => {
    expect(availablePoints(lots, NOW)).toBe(145);
  });

  it('pending counts lots not yet activated', () => {
    expect(pendingPoints(lots, NOW)).toBe(70);
  });

  it('pending becomes available when its day comes', () => {
    const later = expiringIn(3);
    expect(availablePoints(lots, later)).toBe(215);
    expect(pendingPoints(lots, later)).toBe(0);
  });

  it('a pending lot that expires before activating is never counted', () => {
    const odd = [lot('x', 10, { activatesAt: expiringIn(5), expiresAt: expiringIn(2) })];
    expect(pendingPoints(odd, expiringIn(3))).toBe(0);
    expect(availablePoints(odd, expiringIn(6))).toBe(0);
  });

  it('no lots, no points', () => {
    expect(availablePoints([], NOW)).toBe(0);
    expect(pendingPoints([], NOW)).toBe(0);
  });
});

describe('bySpendOrder', () => {
  it('soonest expiry first, never-expiring last, then oldest, then by id', () => {
    const lots = [
      lot('forever-old', 1, { expiresAt: null, createdAt: at('2026-01-01T00:00:00Z') }),
      lot('late', 1, { expiresAt: expiringIn(90) }),
      lot('soon-b', 1, { expiresAt: expiringIn(5), createdAt: at('2026-05-01T00:00:00Z') }),
      lot('soon-a', 1, { expiresAt: expiringIn(5), createdAt: at('2026-05-01T00:00:00Z') }),
      lot('soonest', 1, { expiresAt: expiringIn(1) }),
      lot('soon-older', 1, { expiresAt: expiringIn(5), createdAt: at('2026-04-01T00:00:00Z') }),
      lot('forever-new', 1, { expiresAt: null, createdAt: at('2026-06-01T00:00:00Z') }),
    ];
    expect([...lots].sort(bySpendOrder).map((l) => l.id)).toEqual([
      'soonest',
      'soon-older',
      'soon-a',
      'soon-b',
      'late',
      'forever-old',
      'forever-new',
    ]);
  });
});

describe('planSpend', () => {
  it('takes the soonest-expiring lot first', () => {
    const lots = [lot('december', 100, { expiresAt: expiringIn(180) }), lot('july', 50, { expiresAt: expiringIn(20) })];
    expect(planSpend(lots, 80, NOW)).toEqual([
      { lotId: 'july', points: 50 },
      { lotId: 'december', points: 30 },
    ]);
  });

  it('only touches as many lots as needed', () => {
    const lots = [lot('a', 100, { expiresAt: expiringIn(1) }), lot('b', 100, { expiresAt: expiringIn(2) })];
    expect(planSpend(lots, 60, NOW)).toEqual([{ lotId: 'a', points: 60 }]);
    expect(planSpend(lots, 100, NOW)).toEqual([{ lotId: 'a', points: 100 }]);
  });

  it('uses never-expiring points last', () => {
    const lots = [lot('welcome', 100, { expiresAt: null }), lot('earned', 30, { expiresAt: expiringIn(60) })];
    expect(planSpend(lots, 50, NOW)).toEqual([
      { lotId: 'earned', points: 30 },
      { lotId: 'welcome', points: 20 },
    ]);
  });

  it('skips pending, expired and spent lots', () => {
    const lots = [
      lot('pending', 1_000, { activatesAt: expiringIn(1), expiresAt: expiringIn(2) }),
      lot('expired', 1_000, { expiresAt: NOW }),
      lot('spent', 1_000, { remaining: 0, expiresAt: expiringIn(1) }),
      lot('ok', 40, { remaining: 25 }),
    ];
    expect(planSpend(lots, 25, NOW)).toEqual([{ lotId: 'ok', points: 25 }]);
  });

  it('short balance → insufficient_points with what is available', () => {
    const lots = [lot('a', 30), lot('b', 20), lot('pending', 500, { activatesAt: expiringIn(1) })];
    let error: unknown;
    try {
      planSpend(lots, 51, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('insufficient_points');
    expect((error as DomainError).details).toEqual({ available: 50, requested: 51 });
  });

  it('spending everything empties every active lot', () => {
    const lots = [lot('a', 30), lot('b', 20, { expiresAt: null })];
    const takes = planSpend(lots, 50, NOW);
    expect(availablePoints(applyTakes(lots, takes), NOW)).toBe(0);
  });

  it('spending nothing takes nothing', () => {
    expect(planSpend([lot('a', 10)], 0, NOW)).toEqual([]);
    expect(planSpend([], 0, NOW)).toEqual([]);
  });

  it('does not depend on the order lots are given in', () => {
    const lots = [
      lot('a', 10, { expiresAt: expiringIn(30) }),
      lot('b', 10, { expiresAt: expiringIn(10) }),
      lot('c', 10, { expiresAt: null }),
      lot('d', 10, { expiresAt: expiringIn(20) }),
    ];
    const expected = planSpend(lots, 25, NOW);
    expect(expected.map((t) => t.lotId)).toEqual(['b', 'd', 'a']);
    expect(planSpend([...lots].reverse(), 25, NOW)).toEqual(expected);
  });
});

describe('expiringSoon', () => {
  it('groups points by expiry instant, soonest first, within the window', () => {
    const monthEnd = expiringIn(10);
    const lots = [
      lot('a', 100, { remaining: 60, expiresAt: monthEnd }),
      lot('b', 40, { expiresAt: monthEnd }),
      lot('c', 25, { expiresAt: expiringIn(3) }),
      lot('later', 999, { expiresAt: expiringIn(31) }),
      lot('forever', 999, { expiresAt: null }),
      lot('gone', 999, { expiresAt: expiringIn(-1) }),
      lot('spent', 999, { remaining: 0, expiresAt: expiringIn(2) }),
    ];
    expect(expiringSoon(lots, NOW, 30)).toEqual([
      { points: 25, expiresAt: expiringIn(3) },
      { points: 100, expiresAt: monthEnd },
    ]);
  });

  it('includes points not yet activated: they expire too', () => {
    const lots = [lot('pending', 15, { activatesAt: expiringIn(1), expiresAt: expiringIn(5) })];
    expect(expiringSoon(lots, NOW, 7)).toEqual([{ points: 15, expiresAt: expiringIn(5) }]);
  });

  it('the window edge is included', () => {
    expect(expiringSoon([lot('a', 5, { expiresAt: expiringIn(7) })], NOW, 7)).toHaveLength(1);
    expect(expiringSoon([lot('a', 5, { expiresAt: new Date(expiringIn(7).getTime() + 1) })], NOW, 7)).toEqual([]);
  });
});

describe('applyTakes', () => {
  it('returns lots with takes subtracted and leaves the input untouched', () => {
    const lots = [lot('a', 100), lot('b', 50), lot('c', 10)];
    const snapshot = structuredClone(lots);
    const after = applyTakes(lots, [
      { lotId: 'a', points: 30 },
      { lotId: 'c', points: 10 },
    ]);
    expect(after.map((l) => [l.id, l.remaining])).toEqual([
      ['a', 70],
      ['b', 50],
      ['c', 0],
    ]);
    expect(lots).toEqual(snapshot);
    expect(after[0]).not.toBe(lots[0]);
    expect(after[1]).toBe(lots[1]); // untouched lots are reused
  });

  it('keeps extra fields of richer lot types', () => {
    const lots = [{ ...lot('a', 10), purchaseId: 'p-1' }];
    const [after] = applyTakes(lots, [{ lotId: 'a', points: 4 }]);
    expect(after).toMatchObject({ purchaseId: 'p-1', remaining: 6, amount: 10 });
  });

  it('ignores takes for unknown lots', () => {
    const lots = [lot('a', 10)];
    expect(applyTakes(lots, [{ lotId: 'zzz', points: 4 }])).toEqual(lots);
  });
});
