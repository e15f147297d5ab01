import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, endOfLocalDay, isIsoDate, isValidTimeZone, localDateOf, startOfLocalDay } from './localDate.js';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

/** Wall-clock time of an instant in a zone, "YYYY-MM-DD HH:mm:ss", straight from Intl (independent of the code under test). */
function wall(t: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

const dayLengthHours = (date: string, zone: string) =>
  (endOfLocalDay(date, zone).getTime() - startOfLocalDay(date, zone).getTime()) / HOUR;

/** The defining property: the start is on `date`, and one second earlier is not. */
function expectFirstInstantOf(date: string, zone: string): void {
  const start = startOfLocalDay(date, zone);
  expect(localDateOf(start, zone), `${date} in ${zone}`).toBe(date);
  expect(localDateOf(new Date(start.getTime() - 1000), zone) < date, `second before ${date} in ${zone}`).toBe(true);
}

describe('localDateOf', () => {
  it('the same instant is yesterday in New York and today in Vladivostok', () => {
    const t = at('2026-03-10T02:00:00Z');
    expect(localDateOf(t, 'America/New_York')).toBe('2026-03-09'); // 22:00 EDT
    expect(localDateOf(t, 'UTC')).toBe('2026-03-10');
    expect(localDateOf(t, 'Asia/Vladivostok')).toBe('2026-03-10'); // 12:00
  });

  it('late evening in Moscow is already tomorrow in Kamchatka', () => {
    const t = at('2026-12-31T20:30:00Z'); // 23:30 in Moscow
    expect(localDateOf(t, 'Europe/Moscow')).toBe('2026-12-31');
    expect(localDateOf(t, 'Asia/Kamchatka')).toBe('2027-01-01'); // 08:30, +12
  });

  it('changes exactly at local midnight', () => {
    expect(localDateOf(at('2026-03-10T20:59:59Z'), 'Europe/Moscow')).toBe('2026-03-10');
    expect(localDateOf(at('2026-03-10T21:00:00Z'), 'Europe/Moscow')).toBe('2026-03-11');
  });

  it('handles the +05:45 offset of Kathmandu', () => {
    expect(localDateOf(at('2026-01-14T18:14:59Z'), 'Asia/Kathmandu')).toBe('2026-01-14');
    expect(localDateOf(at('2026-01-14T18:15:00Z'), 'Asia/Kathmandu')).toBe('2026-01-15');
  });

  it('ignores milliseconds', () => {
    expect(localDateOf(at('2026-03-10T20:59:59.999Z'), 'Europe/Moscow')).toBe('2026-03-10');
  });
});

describe('startOfLocalDay / endOfLocalDay', () => {
  it('Moscow (UTC+3 all year): midnight is 21:00Z the day before, every day 24 hours', () => {
    expect(startOfLocalDay('2026-03-10', 'Europe/Moscow')).toEqual(at('2026-03-09T21:00:00Z'));
    expect(endOfLocalDay('2026-03-10', 'Europe/Moscow')).toEqual(at('2026-03-10T21:00:00Z'));
    expect(dayLengthHours('2026-03-29', 'Europe/Moscow')).toBe(24);
    expect(dayLengthHours('2026-10-25', 'Europe/Moscow')).toBe(24);
  });

  it('UTC midnight is itself', () => {
    expect(startOfLocalDay('2026-01-01', 'UTC')).toEqual(at('2026-01-01T00:00:00Z'));
  });

  describe('Berlin DST change days', () => {
    it('2026-03-29 (clocks forward at 02:00) lasts 23 hours', () => {
      expect(startOfLocalDay('2026-03-29', 'Europe/Berlin')).toEqual(at('2026-03-28T23:00:00Z')); // CET
      expect(endOfLocalDay('2026-03-29', 'Europe/Berlin')).toEqual(at('2026-03-29T22:00:00Z')); // CEST
      expect(dayLengthHours('2026-03-29', 'Europe/Berlin')).toBe(23);
    });

    it('2026-10-25 (clocks back at 03:00) lasts 25 hours', () => {
      expect(startOfLocalDay('2026-10-25', 'Europe/Berlin')).toEqual(at('2026-10-24T22:00:00Z')); // CEST
      expect(endOfLocalDay('2026-10-25', 'Europe/Berlin')).toEqual(at('2026-10-25T23:00:00Z')); // CET
      expect(dayLengthHours('2026-10-25', 'Europe/Berlin')).toBe(25);
    });

    it('the days around them are 24 hours', () => {
      expect(dayLengthHours('2026-03-28', 'Europe/Berlin')).toBe(24);
      expect(dayLengthHours('2026-03-30', 'Europe/Berlin')).toBe(24);
      expect(dayLengthHours('2026-10-24', 'Europe/Berlin')).toBe(24);
      expect(dayLengthHours('2026-10-26', 'Europe/Berlin')).toBe(24);
    });
  });

  describe('America/Santiago, where DST starts at midnight', () => {
    it('Intl confirms that on 2026-09-06 the clocks jump from 24:00 (-04) to 01:00 (-03)', () => {
      expect(wall(at('2026-09-06T03:59:59Z'), 'America/Santiago')).toBe('2026-09-05 23:59:59');
      expect(wall(at('2026-09-06T04:00:00Z'), 'America/Santiago')).toBe('2026-09-06 01:00:00');
    });

    it('the day starts at 01:00 local = 04:00Z, and lasts 23 hours', () => {
      expect(startOfLocalDay('2026-09-06', 'America/Santiago')).toEqual(at('2026-09-06T04:00:00Z'));
      expect(endOfLocalDay('2026-09-05', 'America/Santiago')).toEqual(at('2026-09-06T04:00:00Z'));
      expect(dayLengthHours('2026-09-06', 'America/Santiago')).toBe(23);
      expectFirstInstantOf('2026-09-06', 'America/Santiago');
    });

    it('the day after starts at ordinary midnight (-03)', () => {
      expect(startOfLocalDay('2026-09-07', 'America/Santiago')).toEqual(at('2026-09-07T03:00:00Z'));
    });

    it('when DST ends (2026-04-05 00:00 → 04-04 23:00) the 4th lasts 25 hours', () => {
      expect(wall(at('2026-04-05T03:00:00Z'), 'America/Santiago')).toBe('2026-04-04 23:00:00');
      expect(startOfLocalDay('2026-04-05', 'America/Santiago')).toEqual(at('2026-04-05T04:00:00Z'));
      expect(dayLengthHours('2026-04-04', 'America/Santiago')).toBe(25);
    });
  });

  it('Kathmandu (+05:45): midnight is 18:15Z the day before', () => {
    expect(startOfLocalDay('2026-01-15', 'Asia/Kathmandu')).toEqual(at('2026-01-14T18:15:00Z'));
    expect(dayLengthHours('2026-01-15', 'Asia/Kathmandu')).toBe(24);
  });

  it('Lord Howe Island: a half-hour DST change gives a 23.5-hour day', () => {
    // DST starts the first Sunday of October, 02:00 → 02:30
    expect(dayLengthHours('2026-10-04', 'Australia/Lord_Howe')).toBe(23.5);
  });

  it('where midnight happens twice (Amman fell back from 01:00 to 00:00 on 2021-10-29), the day starts at the first', () => {
    expect(wall(at('2021-10-28T21:00:00Z'), 'Asia/Amman')).toBe('2021-10-29 00:00:00'); // +03
    expect(wall(at('2021-10-28T22:00:00Z'), 'Asia/Amman')).toBe('2021-10-29 00:00:00'); // +02, again
    expect(startOfLocalDay('2021-10-29', 'Asia/Amman')).toEqual(at('2021-10-28T21:00:00Z'));
    expect(dayLengthHours('2021-10-29', 'Asia/Amman')).toBe(25);
  });

  it('every day of 2026 starts at its first instant, in zones with and without DST', () => {
    const zones = [
      'Europe/Moscow',
      'Europe/Berlin',
      'Europe/London',
      'America/New_York',
      'America/Santiago',
      'America/Havana',
      'America/St_Johns',
      'Asia/Kathmandu',
      'Asia/Beirut',
      'Africa/Cairo',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'Pacific/Kiritimati',
      'Pacific/Pago_Pago',
    ];
    for (const zone of zones) {
      let total = 0;
      for (let d = '2026-01-01'; d < '2027-01-01'; d = addDays(d, 1)) {
        expectFirstInstantOf(d, zone);
        total += dayLengthHours(d, zone);
      }
      // DST changes cancel out over a year
      expect(total, zone).toBe(365 * 24);
    }
  });

  it('rejects something that is not a date', () => {
    expect(() => startOfLocalDay('2026-3-1', 'UTC')).toThrow(RangeError);
    expect(() => endOfLocalDay('tomorrow', 'UTC')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-03-10', 30, '2026-04-09'],
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2028-02-28', 1, '2028-02-29'], // leap year
    ['2028-02-29', 1, '2028-03-01'],
    ['2026-02-28', 1, '2026-03-01'], // not a leap year
    ['2100-02-28', 1, '2100-03-01'], // centuries are not leap years…
    ['2000-02-28', 1, '2000-02-29'], // …unless divisible by 400
    ['2026-03-10', 0, '2026-03-10'],
    ['2026-03-10', 365, '2027-03-10'],
    ['2028-01-01', 366, '2029-01-01'],
    ['2026-03-29', 1, '2026-03-30'], // DST day is irrelevant to calendar arithmetic
  ])('%s + %i days = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it('refuses a non-date', () => {
    expect(() => addDays('10.03.2026', 1)).toThrow(RangeError);
  });
});

describe('daysBetween', () => {
  it('counts calendar days, across DST and leap days', () => {
    expect(daysBetween('2026-03-10', '2026-04-09')).toBe(30);
    expect(daysBetween('2026-04-09', '2026-03-10')).toBe(-30);
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2026-05-05', '2026-05-05')).toBe(0);
  });

  it('refuses a non-date', () => {
    expect(() => daysBetween('2026-01-01', 'x')).toThrow(RangeError);
  });
});

describe('isIsoDate', () => {
  it.each(['2026-01-01', '2026-02-28', '2028-02-29', '2026-12-31'])('accepts %s', (d) => {
    expect(isIsoDate(d)).toBe(true);
  });

  it.each(['2026-02-30', '2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-1', '26-01-01', '2026-01-01T00:00', ''])(
    'rejects %j',
    (d) => {
      expect(isIsoDate(d)).toBe(false);
    },
  );
});

describe('isValidTimeZone', () => {
  it('knows IANA zones and refuses made-up ones', () => {
    expect(isValidTimeZone('Europe/Moscow')).toBe(true);
    expect(isValidTimeZone('Asia/Kathmandu')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
