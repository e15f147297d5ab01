import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, type RateLimiter } from './rateLimiter.js';

/** Takes `n` slots at once (as concurrent senders would) and returns when each caller was let go, ms after t0. */
async function releaseTimes(limiter: RateLimiter, n: number, key?: string | number): Promise<number[]> {
  const t0 = Date.now();
  const times: number[] = [];
  const all = Array.from({ length: n }, () => limiter.take(key).then(() => times.push(Date.now() - t0)));
  await vi.runAllTimersAsync();
  await Promise.all(all);
  return times;
}

describe('rate limiter (time slots)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-06-01T12:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spaces sends evenly at the rate: 30/s lets the 31st go one second after the first', async () => {
    const limiter = createRateLimiter({ perSecond: 30 });
    const times = await releaseTimes(limiter, 31);
    expect(times[0]).toBe(0);
    expect(times[30]).toBe(1000);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(33);
    // In any one-second window, no more than 30.
    expect(times.filter((t) => t < 1000)).toHaveLength(30);
  });

  it('setRate changes the spacing from then on, and the one-second cap with it', async () => {
    const limiter = createRateLimiter({ perSecond: 10 });
    expect(await releaseTimes(limiter, 3)).toEqual([0, 100, 200]);
    await vi.advanceTimersByTimeAsync(2000);
    limiter.setRate(5);
    expect(limiter.perSecond).toBe(5);
    const times = await releaseTimes(limiter, 6);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(200);
    expect(times.filter((t) => t < 1000)).toHaveLength(5);
  });

  it('a caller after a quiet spell goes at once; a slot is not lent to the past', async () => {
    const limiter = createRateLimiter({ perSecond: 10 });
    await releaseTimes(limiter, 5);
    await vi.advanceTimersByTimeAsync(5_000);
    const times = await releaseTimes(limiter, 3);
    expect(times).toEqual([0, 100, 200]);
  });

  it('burst lets that many go at once after a quiet spell, then the rate holds', async () => {
    const limiter = createRateLimiter({ perSecond: 10, burst: 3 });
    const times = await releaseTimes(limiter, 6);
    expect(times).toEqual([0, 0, 0, 100, 200, 300]);
    expect(() => createRateLimiter({ perSecond: 0 })).toThrow(/perSecond/);
    expect(() => createRateLimiter({ perSecond: 5, burst: 0 })).toThrow(/burst/);
  });

  it('pause (a 429 retry_after) holds everyone, waiting callers keep their order and the rate after it', async () => {
    const limiter = createRateLimiter({ perSecond: 10 });
    const t0 = Date.now();
    const order: Array<[number, number]> = [];
    const all = Array.from({ length: 5 }, (_, i) => limiter.take().then(() => order.push([i, Date.now() - t0])));
    await vi.advanceTimersByTimeAsync(150); // #0 at 0 and #1 at 100 went; #2 is due at 200
    limiter.pause(2_000);
    expect(limiter.pausedUntil).toBe(t0 + 2_150);
    const late = limiter.take().then(() => order.push([5, Date.now() - t0]));
    // A shorter pause inside a longer one changes nothing.
    limiter.pause(10);
    expect(limiter.pausedUntil).toBe(t0 + 2_150);
    await vi.runAllTimersAsync();
    await Promise.all([...all, late]);
    expect(order).toEqual([
      [0, 0],
      [1, 100],
      [2, 2_150],
      [3, 2_250],
      [4, 2_350],
      [5, 2_450],
    ]);
  });

  it('a pause also holds a caller that would otherwise go at once', async () => {
    const limiter = createRateLimiter({ perSecond: 1 });
    limiter.pause(3_000);
    const times = await releaseTimes(limiter, 2);
    expect(times).toEqual([3_000, 4_000]);
  });

  it('keys are independent limits: one chat at 1/s does not slow another', async () => {
    const limiter = createRateLimiter({ perSecond: 1 });
    const t0 = Date.now();
    const seen: string[] = [];
    const go = (chat: number) => limiter.take(chat).then(() => seen.push(`${chat}@${Date.now() - t0}`));
    const all = [go(1), go(1), go(2), go(1), go(2), go(3)];
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(seen.sort()).toEqual(['1@0', '1@1000', '1@2000', '2@0', '2@1000', '3@0'].sort());
  });

  it('a pause re-slots every waiter of a hit key without overlapping its later slots', async () => {
    const limiter = createRateLimiter({ perSecond: 10 });
    const t0 = Date.now();
    const times: number[] = [];
    const all = Array.from({ length: 20 }, () => limiter.take().then(() => times.push(Date.now() - t0)));
    await vi.advanceTimersByTimeAsync(50); // #0 went; #1..#19 wait for 100..1900
    limiter.pause(1_000);
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(times).toHaveLength(20);
    expect(times.slice(1)).toEqual(Array.from({ length: 19 }, (_, i) => 1_050 + i * 100));
  });

  it('timers that fire late (a blocked event loop) do not bunch: never more than the rate in any one second', async () => {
    const t0 = Date.now();
    // Once the takes are in, the loop is blocked until 1,550 ms: every timer due before then fires at that moment.
    let blocked = false;
    const now = () => (blocked ? Math.max(Date.now(), t0 + 1_550) : Date.now());
    const limiter = createRateLimiter({ perSecond: 10, now });
    const times: number[] = [];
    const all = Array.from({ length: 30 }, () => limiter.take().then(() => times.push(now() - t0)));
    await vi.advanceTimersByTimeAsync(0);
    blocked = true;
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(times).toHaveLength(30);
    for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(1000);
    // #0 went at 0; the late ones went as soon as the last second allowed it (10 at 1,550), then the rate again.
    expect(times.slice(0, 12)).toEqual([0, ...Array<number>(10).fill(1_550), 2_550]);
  });

  it('forgets idle keys: a limiter keyed per chat does not grow with every chat it has seen', async () => {
    const limiter = createRateLimiter({ perSecond: 1 });
    for (let chat = 0; chat < 5_000; chat++) await limiter.take(chat);
    expect(limiter.size).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(2_000);
    for (let chat = 5_000; chat < 15_000; chat++) await limiter.take(chat);
    expect(limiter.size).toBeLessThanOrEqual(10_000); // the 5,000 idle ones are gone
    // A forgotten key behaves like a new one: goes at once.
    await vi.advanceTimersByTimeAsync(2_000);
    const times = await releaseTimes(limiter, 2, 1);
    expect(times).toEqual([0, 1_000]);
  });

  it('uses the clock it is given', async () => {
    let fake = 1_000_000;
    const limiter = createRateLimiter({ perSecond: 2, now: () => fake });
    await limiter.take();
    fake += 600; // past the next slot on its own clock: goes at once
    let done = false;
    void limiter.take().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(true);
  });
});
