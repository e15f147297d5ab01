// A broadcast end to end with the notifications engine running (API server, outbox, pg-boss, the Bot API stand-in)
// through the test clock: created over the API at 22:30 in Moscow, planned at once but held for the morning, then
// each consenting member outside the control group gets it exactly once; the control group and members without
// consent get nothing; progress and the report follow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inControlGroup } from '../src/core/index.js';
import { startNotifyHarness, type NotifyHarness } from './support/notifyHarness.js';

let h: NotifyHarness;
beforeAll(async () => {
  h = await startNotifyHarness({ testClock: true });
});
afterAll(async () => {
  await h?.close();
});

type Json = Record<string, any>;
const settle = () => new Promise((r) => setTimeout(r, 500));
const noNotices = { welcomeMessage: false, accrualNotices: false, redemptionNotices: false };

describe('a broadcast through the engine', () => {
  it('waits out the night, then reaches each treated member once; control and non-consenting members hear nothing', async () => {
    // The test database's clock starts at 2026-03-10 09:00 UTC (12:00 in Moscow).
    const shop = await h.shop({ notifications: noNotices } as never);
    const members = [];
    for (let i = 0; i < 12; i++) members.push(await h.telegramMember(shop, { name: `Гость${i}` }));
    const silent = await h.telegramMember(shop, { name: 'Молчун', marketing: false });

    const created = await shop.api.request<Json>('POST', '/broadcasts', {
      idempotencyKey: 'spring-1',
      body: { name: 'Весна', text: '{name}, весенняя скидка 20% до воскресенья!', controlPercent: 30, scheduledAt: '2026-03-10T19:30:00Z' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const control = members.filter((m) => inControlGroup(id, m.id, 30));
    const treated = members.filter((m) => !inControlGroup(id, m.id, 30));

    // 22:30 in Moscow: planned, but quiet hours hold every message until 09:00.
    const night = await h.clocks!.moveTo(shop.id, new Date('2026-03-10T20:00:00Z'));
    expect(night.ranJobs.find((j) => j.job === 'plan-broadcasts')?.result).toMatchObject({ recipients: 12, control: control.length, messages: treated.length });
    await settle();
    const atNight = (await shop.api.request<Json>('GET', `/broadcasts/${id}`)).body;
    expect(atNight).toMatchObject({ status: 'running', progress: { planned: treated.length, control: control.length, scheduled: treated.length, sent: 0 } });
    for (const m of members) expect(m.chat.messages()).toEqual([]);

    await h.clocks!.moveTo(shop.id, new Date('2026-03-11T06:00:00Z')); // 09:00 in Moscow
    for (const m of treated) {
      await h.waitFor(() => m.chat.messages().length > 0, 10_000, `the broadcast in ${m.id}'s chat`);
    }
    await settle();
    for (const [i, m] of members.entries()) {
      const texts = m.chat.messages().map((x) => x.text);
      if (treated.includes(m)) expect(texts).toEqual([`Гость${i}, весенняя скидка 20% до воскресенья!`]);
      else expect(texts).toEqual([]);
    }
    expect(silent.chat.messages()).toEqual([]);

    const done = await h.waitFor(async () => {
      const b = (await shop.api.request<Json>('GET', `/broadcasts/${id}`)).body;
      return b.status === 'done' ? b : null;
    }, 10_000, 'the broadcast done');
    expect(done.progress).toEqual({ planned: treated.length, control: control.length, scheduled: 0, queued: 0, sending: 0, sent: treated.length, failed: 0, skipped: 0, pending: 0 });
    const rows = (await h.messages(shop.id)).filter((x) => x.kind === 'broadcast');
    expect(rows).toHaveLength(treated.length);
    expect(rows.every((r) => r.status === 'sent' && r.channel === 'telegram' && r.sent_at?.toISOString() === '2026-03-11T06:00:00.000Z')).toBe(true);

    const report = (await shop.api.request<Json>('GET', `/campaigns/${id}/report`, { query: { days: 7 } })).body;
    expect(report).toMatchObject({ treated: { members: treated.length, returned: 0 }, control: { members: control.length, returned: 0 } });
  });
});
