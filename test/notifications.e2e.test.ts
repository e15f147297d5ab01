// The notifications engine through the test clock, end to end (API server, outbox, relay, daily jobs, pg-boss, the
// Bot API stand-in): a purchase's expiry reminders reach the member's chat exactly when the business's clock reaches
// 4 and 1 days before expiry at the send time, not a minute before; birthday and win-back messages once each; the
// control group hears nothing.
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

const move = (businessId: string, to: string) => h.clocks!.moveTo(businessId, new Date(to));
const settle = () => new Promise((r) => setTimeout(r, 400));
/** The bot's messages to a chat matching `text`, once at least `n` arrived (moving the clock waits for delivery). */
const said = (chat: { messages(): { text: string }[] }, text: string, n = 1) =>
  h.waitFor(() => {
    const found = chat.messages().filter((x) => x.text.includes(text));
    return found.length >= n ? found : null;
  }, 10_000, `${n} × "${text}"`);
const noNotices = { welcomeMessage: false, accrualNotices: false, redemptionNotices: false };

describe('through the test clock', () => {
  it('accrue → reminders arrive exactly 4 and 1 days before expiry at the send time (Moscow), not a minute before', async () => {
    // The test database's clock starts at 2026-03-10 09:00 UTC (12:00 in Moscow).
    const shop = await h.shop({ pointsLifetimeDays: 30, notifications: noNotices } as never);
    const m = await h.telegramMember(shop, { name: 'Анна' });
    await shop.api.purchases.create({ member: { id: m.id }, amount: 100_000 }); // 50 points, gone at 00:00 on 10 April
    const reminders = () => m.chat.messages().filter((x) => x.text.includes('сгорят'));

    await move(shop.id, '2026-04-06T08:59:00Z');
    await settle();
    expect(reminders()).toEqual([]);
    await move(shop.id, '2026-04-06T09:00:00Z'); // 12:00 in Moscow, 4 days before
    const [first] = await said(m.chat, 'сгорят');
    expect(first!.text).toContain('Анна, 50 баллы сгорят после 09.04.2026 (осталось дней: 4)');

    await move(shop.id, '2026-04-09T08:59:00Z');
    await settle();
    expect(reminders()).toHaveLength(1);
    await move(shop.id, '2026-04-09T09:00:00Z');
    const [, last] = await said(m.chat, 'сгорят', 2);
    expect(last!.text).toContain('(осталось дней: 1)');

    await move(shop.id, '2026-04-12T09:00:00Z');
    await settle();
    expect(reminders()).toHaveLength(2);
    const rows = (await h.messages(shop.id)).filter((x) => x.kind === 'expiry_reminder').sort((a, b) => a.send_after.getTime() - b.send_after.getTime());
    expect(rows.map((x) => [x.status, x.sent_at?.toISOString()])).toEqual([
      ['sent', '2026-04-06T09:00:00.000Z'],
      ['sent', '2026-04-09T09:00:00.000Z'],
    ]);
  });

  it('a reminder whose points were spent meanwhile is skipped, not sent', async () => {
    const shop = await h.shop({ pointsLifetimeDays: 30, notifications: noNotices } as never);
    const m = await h.telegramMember(shop);
    await shop.api.purchases.create({ member: { id: m.id }, amount: 100_000 });
    await move(shop.id, '2026-04-07T09:00:00Z'); // the 4-day reminder went
    await said(m.chat, 'сгорят');
    await shop.api.purchases.create({ member: { id: m.id }, amount: 100_000, redeemPoints: 50 });
    await move(shop.id, '2026-04-09T10:00:00Z');
    await settle();
    expect(m.chat.messages().filter((x) => x.text.includes('сгорят'))).toHaveLength(1);
    const rows = (await h.messages(shop.id)).filter((x) => x.kind === 'expiry_reminder').sort((a, b) => a.send_after.getTime() - b.send_after.getTime());
    expect(rows.map((x) => x.status)).toEqual(['sent', 'skipped']);
  });

  it('birthday: the greeting once, at the send time; the control group gets nothing', async () => {
    const shop = await h.shop({ notifications: { ...noNotices, birthday: { enabled: true, bonus: 100, validDays: 7, controlPercent: 50 } } } as never);
    const members = [];
    for (let i = 0; i < 8; i++) members.push(await h.telegramMember(shop, { name: `Гость${i}`, birthday: '1990-04-20' }));
    await move(shop.id, '2026-04-20T08:59:00Z');
    await settle();
    expect(members.flatMap((m) => m.chat.messages().filter((x) => x.text.includes('С днём рождения')))).toEqual([]);
    await move(shop.id, '2026-04-20T09:00:00Z');
    const campaign = await h.t.db.selectFrom('campaigns').select('id').where('business_id', '=', shop.id).where('kind', '=', 'birthday').executeTakeFirstOrThrow();
    const treated = members.filter((m) => !inControlGroup(campaign.id, m.id, 50));
    const control = members.filter((m) => inControlGroup(campaign.id, m.id, 50));
    for (const m of treated) {
      const [msg] = await said(m.chat, 'С днём рождения');
      expect(msg!.text).toContain('Дарим 100 баллы — они действуют до 26.04.2026');
    }
    await move(shop.id, '2026-04-23T09:00:00Z');
    await settle();
    for (const m of treated) expect(m.chat.messages().filter((x) => x.text.includes('С днём рождения'))).toHaveLength(1);
    for (const m of control) expect(m.chat.messages().filter((x) => x.text.includes('С днём рождения'))).toEqual([]);
    const recorded = await h.t.db.selectFrom('campaign_recipients').select(['member_id', 'control']).where('campaign_id', '=', campaign.id).execute();
    expect(recorded.length).toBe(8);
    expect(new Set(recorded.filter((r) => r.control).map((r) => r.member_id))).toEqual(new Set(control.map((m) => m.id)));
  });

  it('win-back: once per lapse, with the gift points in the balance', async () => {
    const shop = await h.shop({ notifications: { ...noNotices, winback: { enabled: true, afterDays: 10, bonus: 30, bonusValidDays: 14, controlPercent: 0 } } } as never);
    const m = await h.telegramMember(shop, { name: 'Олег' });
    await shop.api.purchases.create({ member: { id: m.id }, amount: 20_000 }); // 10 points, on 10 March
    await move(shop.id, '2026-03-20T08:59:00Z');
    await settle();
    expect(m.chat.messages().filter((x) => x.text.includes('давно вас не видели'))).toEqual([]);
    await move(shop.id, '2026-03-20T09:00:00Z');
    const [msg] = await said(m.chat, 'давно вас не видели');
    expect(msg!.text).toBe('Олег, давно вас не видели! Дарим 30 баллы к следующей покупке. Баланс: 40. «API test shop»');
    await move(shop.id, '2026-03-28T09:00:00Z');
    await settle();
    expect(m.chat.messages().filter((x) => x.text.includes('давно вас не видели'))).toHaveLength(1);
  });
});
