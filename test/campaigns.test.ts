// Expiry reminders, the birthday and the win-back campaigns on the real database, stepped through by the test clock:
// reminders planned exactly N days before at the send time (Moscow, and Berlin across the October DST change), never
// in quiet hours, once; birthdays once a year (not after a recent change; 29 February); win-back once per lapse;
// the control group gets nothing but is recorded; disabled campaigns do nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember } from '../src/app/createMember.js';
import { recordConsent } from '../src/app/consents.js';
import { recordPurchase } from '../src/app/recordPurchase.js';
import { updateMember } from '../src/app/updateMember.js';
import type { AppDeps } from '../src/app/deps.js';
import { planAllExpiryReminders, planMemberReminders, reminderDayPlans } from '../src/app/expiryReminders.js';
import { runBirthdayCampaign } from '../src/app/birthdayCampaign.js';
import { runWinbackCampaign } from '../src/app/winbackCampaign.js';
import { campaignSteppedJobs, runDailyCampaigns } from '../src/jobs/campaignJobs.js';
import { createTestClocks, expiryJob } from '../src/jobs/testClock.js';
import { silentLogger } from '../src/config/logger.js';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  ManualClock,
  inControlGroup,
  isQuiet,
  localMinutesOf,
  type NotificationSettings,
  type Program,
} from '../src/core/index.js';
import { aBusiness, nextPhone } from './support/factories.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t.close();
});

const memoryStore = () => ({ load: async () => new Map<string, number>(), save: async () => undefined });

/** A business with its own test clock starting at `start`, the daily jobs and the expiry job stepped through. */
async function world(start: string, notifications: Partial<NotificationSettings>, program: Partial<Program> = {}, timezone = 'Europe/Moscow') {
  const base: AppDeps = { ...t.deps, clock: new ManualClock(start) };
  const clocks = await createTestClocks(base, memoryStore(), { jobs: [expiryJob, ...campaignSteppedJobs], webhooks: false });
  const view = await aBusiness(base, { ...program, notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, ...notifications } }, { timezone });
  const business = (await t.deps.uow.run((repos) => repos.businesses.get(view.id)))!;
  const deps: AppDeps = { ...base, clock: clocks.clockFor(business.id) };
  return { business, deps, move: (to: string) => clocks.moveTo(business.id, new Date(to)) };
}

async function aCustomer(deps: AppDeps, businessId: string, o: { birthday?: string; consent?: boolean } = {}) {
  const { member } = await createMember(deps, { businessId, phone: nextPhone(), birthday: o.birthday ?? null });
  if (o.consent !== false) await recordConsent(deps, { businessId, memberId: member.id, kind: 'marketing', granted: true, textVersion: 'v1', channel: 'api' });
  return member;
}

const messages = (businessId: string, kind: string) =>
  t.db.selectFrom('messages').selectAll().where('business_id', '=', businessId).where('kind', '=', kind).orderBy('send_after').orderBy('key').execute();
const recipients = (businessId: string) =>
  t.db.selectFrom('campaign_recipients as r').innerJoin('campaigns as c', (j) => j.onRef('c.id', '=', 'r.campaign_id')).select(['r.member_id', 'r.occurrence', 'r.control', 'r.at', 'c.kind']).where('r.business_id', '=', businessId).orderBy('r.at').execute();
const gifts = (businessId: string) =>
  t.db.selectFrom('ledger_transactions').selectAll().where('business_id', '=', businessId).where('type', 'in', ['birthday', 'winback']).orderBy('created_at').execute();
const lotsOf = (businessId: string, memberId: string) => t.db.selectFrom('lots').selectAll().where('business_id', '=', businessId).where('member_id', '=', memberId).execute();

describe('expiry reminders', () => {
  it('are planned through the test clock exactly 4 and 1 days before expiry at the send time (Moscow), once however often planned', async () => {
    const w = await world('2026-03-10T09:00:00Z', {}, { pointsLifetimeDays: 30 });
    const m = await aCustomer(w.deps, w.business.id);
    await recordPurchase(w.deps, { businessId: w.business.id, member: { id: m.id }, amount: 100_000 });
    // The lot is valid through 9 April (Moscow), gone at 00:00 on 10 April.
    const [lot] = await lotsOf(w.business.id, m.id);
    expect(lot!.expires_at!.toISOString()).toBe('2026-04-09T21:00:00.000Z');

    // Far from expiry nothing is planned yet (only expiry days within the longest lead + 1 are).
    expect((await w.move('2026-04-04T12:00:00Z')).ranJobs.filter((j) => j.job === 'plan-reminders').length).toBe(26);
    expect(await messages(w.business.id, 'expiry_reminder')).toEqual([]);

    const r = await w.move('2026-04-05T12:00:00Z');
    expect(r.ranJobs.map((j) => [j.job, j.at])).toEqual([['plan-reminders', '2026-04-04T21:00:00.000Z']]); // local midnight
    const planned = await messages(w.business.id, 'expiry_reminder');
    expect(planned.map((x) => [x.key, x.send_after.toISOString(), x.vars, x.purpose, x.status])).toEqual([
      [`expiry:${m.id}:2026-04-10:4`, '2026-04-06T09:00:00.000Z', { expiresOn: '2026-04-10', days: 4 }, 'service', 'scheduled'],
      [`expiry:${m.id}:2026-04-10:1`, '2026-04-09T09:00:00.000Z', { expiresOn: '2026-04-10', days: 1 }, 'service', 'scheduled'],
    ]);

    // Planning again — the whole business, the member alone — adds nothing.
    expect((await planAllExpiryReminders(w.deps, { businessId: w.business.id })).messages).toBe(0);
    const lots = (await t.deps.uow.run((repos) => repos.lots.open(w.business.id, m.id)));
    expect(await t.deps.uow.run((repos) => planMemberReminders(repos, w.business, m.id, lots, w.deps.clock.now()))).toBe(0);
    await w.move('2026-04-12T12:00:00Z'); // through both reminders and the expiry
    expect((await messages(w.business.id, 'expiry_reminder')).map((x) => x.id)).toEqual(planned.map((x) => x.id));
  });

  it('keep the local send time across the October DST change (Berlin)', async () => {
    const w = await world('2026-09-27T10:00:00Z', {}, { pointsLifetimeDays: 30 }, 'Europe/Berlin');
    const m = await aCustomer(w.deps, w.business.id);
    await recordPurchase(w.deps, { businessId: w.business.id, member: { id: m.id }, amount: 100_000 });
    await w.move('2026-10-29T12:00:00Z');
    // Gone at 00:00 on 28 October (CET); 4 days before is 24 October, still summer time (UTC+2); 1 day before is
    // 27 October, winter time (UTC+1): both at 12:00 local.
    expect((await messages(w.business.id, 'expiry_reminder')).map((x) => [x.key, x.send_after.toISOString()])).toEqual([
      [`expiry:${m.id}:2026-10-28:4`, '2026-10-24T10:00:00.000Z'],
      [`expiry:${m.id}:2026-10-28:1`, '2026-10-27T11:00:00.000Z'],
    ]);
  });

  it('never fall in quiet hours: a send time at night moves to the morning, and never past the expiry', async () => {
    const w = await world('2026-03-10T09:00:00Z', { sendAt: '22:30', expiryReminderDays: [3, 1] }, { pointsLifetimeDays: 10 });
    const m = await aCustomer(w.deps, w.business.id);
    await recordPurchase(w.deps, { businessId: w.business.id, member: { id: m.id }, amount: 50_000 });
    await w.move('2026-03-25T00:00:00Z');
    const planned = await messages(w.business.id, 'expiry_reminder');
    // Gone at 00:00 on 21 March: 3 days before → 22:30 on the 18th is quiet → 09:00 on the 19th; 1 day before → 09:00
    // on the 21st would be after the expiry → 20:00 on the 20th (an hour before the quiet starts).
    expect(planned.map((x) => [x.key, x.send_after.toISOString()])).toEqual([
      [`expiry:${m.id}:2026-03-21:3`, '2026-03-19T06:00:00.000Z'],
      [`expiry:${m.id}:2026-03-21:1`, '2026-03-20T17:00:00.000Z'],
    ]);
    for (const x of planned) expect(isQuiet(localMinutesOf(x.send_after, 'Europe/Moscow'), { start: '21:00', end: '09:00' })).toBe(false);
  });

  it('a reminder planned after its time goes at once, unless that is in quiet hours', async () => {
    const w = await world('2026-03-10T09:00:00Z', {}, { pointsLifetimeDays: 3 });
    const b = w.business;
    // At 23:00 Moscow on 12 March, a lot gone at 00:00 on 15 March: "1 day" (12:00 on the 14th) is ahead; "4 days"
    // (12:00 on the 11th) is more than a day late and dropped.
    const lot = { id: 'x', amount: 10, remaining: 10, activatesAt: new Date('2026-03-10T09:00:00Z'), expiresAt: new Date('2026-03-14T21:00:00Z'), createdAt: new Date('2026-03-10T09:00:00Z') };
    const m = await aCustomer(w.deps, b.id);
    expect(await t.deps.uow.run((repos) => planMemberReminders(repos, b, m.id, [lot], new Date('2026-03-12T20:00:00Z')))).toBe(1);
    // At 23:00 on the 13th, a group gone at 00:00 on the 17th: "4 days" was due at 12:00 on the 13th (11 hours late):
    // it goes at 09:00 on the 14th, not now in the night; "1 day" at 12:00 on the 16th.
    const later = { ...lot, id: 'y', expiresAt: new Date('2026-03-16T21:00:00Z') };
    expect(await t.deps.uow.run((repos) => planMemberReminders(repos, b, m.id, [later], new Date('2026-03-13T20:00:00Z')))).toBe(2);
    expect((await messages(b.id, 'expiry_reminder')).map((x) => [x.key, x.send_after.toISOString()])).toEqual([
      [`expiry:${m.id}:2026-03-17:4`, '2026-03-14T06:00:00.000Z'],
      [`expiry:${m.id}:2026-03-15:1`, '2026-03-14T09:00:00.000Z'],
      [`expiry:${m.id}:2026-03-17:1`, '2026-03-16T09:00:00.000Z'],
    ]);
  });

  it('are not planned for points that never expire, nor for blocked members, nor when the list of days is empty', async () => {
    const never = await world('2026-03-10T09:00:00Z', {}, { pointsLifetimeDays: null });
    const m1 = await aCustomer(never.deps, never.business.id);
    await recordPurchase(never.deps, { businessId: never.business.id, member: { id: m1.id }, amount: 100_000 });
    await never.move('2026-04-30T00:00:00Z');
    expect(await messages(never.business.id, 'expiry_reminder')).toEqual([]);

    const off = await world('2026-03-10T09:00:00Z', { expiryReminderDays: [] }, { pointsLifetimeDays: 2 });
    const m2 = await aCustomer(off.deps, off.business.id);
    await recordPurchase(off.deps, { businessId: off.business.id, member: { id: m2.id }, amount: 100_000 });
    const r = await off.move('2026-03-20T00:00:00Z');
    expect(r.ranJobs.some((j) => j.job === 'plan-reminders')).toBe(false);
    expect(reminderDayPlans(off.business, off.deps.clock.now())).toEqual([]);
    expect(await messages(off.business.id, 'expiry_reminder')).toEqual([]);

    const blocked = await world('2026-03-10T09:00:00Z', {}, { pointsLifetimeDays: 3 });
    const m3 = await aCustomer(blocked.deps, blocked.business.id);
    await recordPurchase(blocked.deps, { businessId: blocked.business.id, member: { id: m3.id }, amount: 100_000 });
    await updateMember(blocked.deps, { businessId: blocked.business.id, memberId: m3.id, blocked: true });
    await blocked.move('2026-03-20T00:00:00Z');
    expect(await messages(blocked.business.id, 'expiry_reminder')).toEqual([]);
  });

  it('plans many members in one statement per expiry day, one message per member, group and day', async () => {
    const w = await world('2026-03-10T09:00:00Z', {}, { pointsLifetimeDays: 3 });
    const members = [];
    for (let i = 0; i < 30; i++) {
      const m = await aCustomer(w.deps, w.business.id, { consent: false });
      members.push(m);
      // Two lots on the same day are one group; they get one reminder per day, not two.
      await recordPurchase(w.deps, { businessId: w.business.id, member: { id: m.id }, amount: 10_000 });
      await recordPurchase(w.deps, { businessId: w.business.id, member: { id: m.id }, amount: 20_000 });
    }
    const r = await planAllExpiryReminders(w.deps, { businessId: w.business.id });
    // Gone at 00:00 on 14 March: "4 days" (12:00 on the 10th) is due now; "1 day" on the 13th.
    expect(r.messages).toBe(60);
    const planned = await messages(w.business.id, 'expiry_reminder');
    expect(new Set(planned.map((x) => x.member_id)).size).toBe(30);
    expect(planned.filter((x) => x.send_after.toISOString() === '2026-03-13T09:00:00.000Z').length).toBe(30);
    expect((await planAllExpiryReminders(w.deps, { businessId: w.business.id })).messages).toBe(0);
  });
});

// No expiry reminders here: a year of daily steps goes twice as fast.
const birthdayOn = (o: Partial<NotificationSettings['birthday']> = {}): Partial<NotificationSettings> => ({
  expiryReminderDays: [],
  birthday: { enabled: true, bonus: 100, validDays: 7, controlPercent: 0, ...o },
});

describe('birthday campaign', () => {
  it('greets once a year at the send time, with bonus points valid for the configured days', async () => {
    const w = await world('2026-01-05T09:00:00Z', birthdayOn());
    const m = await aCustomer(w.deps, w.business.id, { birthday: '1990-03-20' });
    const r = await w.move('2026-03-20T10:00:00Z');
    expect(r.ranJobs.filter((j) => j.job === 'birthday' && j.result.treated === 1).map((j) => j.at)).toEqual(['2026-03-20T09:00:00.000Z']);
    const [msg, ...more] = await messages(w.business.id, 'birthday');
    expect(more).toEqual([]);
    expect([msg!.key, msg!.purpose, msg!.send_after.toISOString(), msg!.vars]).toEqual([`birthday:${m.id}:2026`, 'marketing', '2026-03-20T09:00:00.000Z', { bonus: 100, expiresAt: '26.03.2026' }]);
    const [gift] = await gifts(w.business.id);
    expect([gift!.member_id, gift!.points, gift!.balance_after]).toEqual([m.id, 100, 100]);
    const [lot] = await lotsOf(w.business.id, m.id);
    expect(lot!.expires_at!.toISOString()).toBe('2026-03-26T21:00:00.000Z'); // valid through 26 March, Moscow
    expect(await recipients(w.business.id)).toMatchObject([{ member_id: m.id, occurrence: '2026', control: false, kind: 'birthday' }]);
    const campaign = await t.db.selectFrom('campaigns').selectAll().where('business_id', '=', w.business.id).executeTakeFirstOrThrow();
    expect([campaign.kind, campaign.status, msg!.campaign_id]).toEqual(['birthday', 'active', campaign.id]);

    // Running the day again does nothing new, even with its run forgotten.
    expect((await runBirthdayCampaign(w.deps, w.business.id)).ran).toBe(false);
    await t.db.deleteFrom('notification_runs').where('business_id', '=', w.business.id).where('job', '=', 'birthday').execute();
    expect(await runBirthdayCampaign(w.deps, w.business.id)).toMatchObject({ ran: true, treated: 0, control: 0 });
    expect((await gifts(w.business.id)).length).toBe(1);
    expect((await messages(w.business.id, 'birthday')).length).toBe(1);

    // A year later, again once.
    await w.move('2027-03-21T00:00:00Z');
    expect((await messages(w.business.id, 'birthday')).map((x) => x.key)).toEqual([`birthday:${m.id}:2026`, `birthday:${m.id}:2027`]);
    expect((await gifts(w.business.id)).length).toBe(2);
  });

  it('skips a birthday changed (or given at sign-up) within 30 days, members without marketing consent, and blocked members', async () => {
    const w = await world('2026-01-05T09:00:00Z', birthdayOn());
    const ok = await aCustomer(w.deps, w.business.id, { birthday: '1990-03-20' });
    const changed = await aCustomer(w.deps, w.business.id, { birthday: '1990-06-01' });
    const noConsent = await aCustomer(w.deps, w.business.id, { birthday: '1990-03-20', consent: false });
    const withdrawn = await aCustomer(w.deps, w.business.id, { birthday: '1990-03-20' });
    await recordConsent(w.deps, { businessId: w.business.id, memberId: withdrawn.id, kind: 'marketing', granted: false, textVersion: 'v1', channel: 'api' });
    const blocked = await aCustomer(w.deps, w.business.id, { birthday: '1990-03-20' });
    await updateMember(w.deps, { businessId: w.business.id, memberId: blocked.id, blocked: true });
    await w.move('2026-03-05T09:00:00Z');
    await updateMember(w.deps, { businessId: w.business.id, memberId: changed.id, birthday: '1990-03-20' });
    const late = await aCustomer(w.deps, w.business.id, { birthday: '1990-03-20' }); // joined 15 days before
    await w.move('2026-03-21T00:00:00Z');
    expect((await recipients(w.business.id)).map((r) => r.member_id)).toEqual([ok.id]);
    expect((await messages(w.business.id, 'birthday')).map((x) => x.member_id)).toEqual([ok.id]);
    expect((await gifts(w.business.id)).map((x) => x.member_id)).toEqual([ok.id]);
    // Next year the change is long past.
    await w.move('2027-03-21T00:00:00Z');
    expect(new Set((await messages(w.business.id, 'birthday')).filter((x) => x.key.endsWith(':2027')).map((x) => x.member_id))).toEqual(new Set([ok.id, changed.id, late.id]));
    expect(noConsent.id).not.toBe(withdrawn.id);
  });

  it('greets a 29 February birthday on 28 February in a common year, and on the 29th in a leap year', async () => {
    const w = await world('2026-12-01T09:00:00Z', birthdayOn({ bonus: 0 }));
    const m = await aCustomer(w.deps, w.business.id, { birthday: '2000-02-29' });
    await w.move('2027-03-02T00:00:00Z');
    expect((await messages(w.business.id, 'birthday')).map((x) => [x.key, x.send_after.toISOString(), x.vars])).toEqual([
      [`birthday:${m.id}:2027`, '2027-02-28T09:00:00.000Z', { bonus: 0, expiresAt: '06.03.2027' }],
    ]);
    expect(await gifts(w.business.id)).toEqual([]); // bonus 0: a greeting only
    await w.move('2028-03-02T00:00:00Z');
    expect((await messages(w.business.id, 'birthday')).map((x) => x.send_after.toISOString())).toEqual(['2027-02-28T09:00:00.000Z', '2028-02-29T09:00:00.000Z']);
  });

  it('holds out a control group: recorded, but no points and no message', async () => {
    const w = await world('2026-01-05T09:00:00Z', birthdayOn({ controlPercent: 50 }));
    const members = [];
    for (let i = 0; i < 24; i++) members.push(await aCustomer(w.deps, w.business.id, { birthday: '1985-03-20' }));
    await w.move('2026-03-21T00:00:00Z');
    const campaign = await t.db.selectFrom('campaigns').selectAll().where('business_id', '=', w.business.id).executeTakeFirstOrThrow();
    const expectedControl = new Set(members.filter((m) => inControlGroup(campaign.id, m.id, 50)).map((m) => m.id));
    expect(expectedControl.size).toBeGreaterThan(0);
    expect(expectedControl.size).toBeLessThan(24);
    const rec = await recipients(w.business.id);
    expect(rec.length).toBe(24);
    expect(new Set(rec.filter((r) => r.control).map((r) => r.member_id))).toEqual(expectedControl);
    const messaged = new Set((await messages(w.business.id, 'birthday')).map((x) => x.member_id));
    const gifted = new Set((await gifts(w.business.id)).map((x) => x.member_id));
    for (const m of members) {
      expect(messaged.has(m.id)).toBe(!expectedControl.has(m.id));
      expect(gifted.has(m.id)).toBe(!expectedControl.has(m.id));
      expect((await lotsOf(w.business.id, m.id)).length).toBe(expectedControl.has(m.id) ? 0 : 1);
    }
    expect(await t.db.selectFrom('messages').select('id').where('business_id', '=', w.business.id).where('member_id', 'in', [...expectedControl]).execute()).toEqual([]);
  });

  it('does nothing when disabled', async () => {
    const w = await world('2026-01-05T09:00:00Z', birthdayOn({ enabled: false }));
    await aCustomer(w.deps, w.business.id, { birthday: '1990-03-20' });
    const r = await w.move('2026-03-21T00:00:00Z');
    expect(r.ranJobs.some((j) => j.job === 'birthday')).toBe(false);
    expect(await runBirthdayCampaign(w.deps, w.business.id)).toMatchObject({ ran: false, treated: 0 });
    expect(await recipients(w.business.id)).toEqual([]);
    expect(await t.db.selectFrom('campaigns').selectAll().where('business_id', '=', w.business.id).execute()).toEqual([]);
  });
});

const winbackOn = (o: Partial<NotificationSettings['winback']> = {}): Partial<NotificationSettings> => ({
  winback: { enabled: true, afterDays: 45, bonus: 50, bonusValidDays: 14, controlPercent: 0, ...o },
});

describe('win-back campaign', () => {
  it('reaches a lapsed member once per lapse, with optional gift points; a new purchase starts a new lapse', async () => {
    const w = await world('2026-03-10T09:00:00Z', winbackOn());
    const m = await aCustomer(w.deps, w.business.id);
    const fresh = await aCustomer(w.deps, w.business.id); // buys later: not lapsed yet
    await recordPurchase(w.deps, { businessId: w.business.id, member: { id: m.id }, amount: 100_000 });
    await w.move('2026-04-01T09:00:00Z');
    await recordPurchase(w.deps, { businessId: w.business.id, member: { id: fresh.id }, amount: 100_000 });
    const r = await w.move('2026-04-25T00:00:00Z');
    // 45 days after 10 March is 24 April.
    expect(r.ranJobs.filter((j) => j.job === 'winback' && j.result.treated === 1).map((j) => j.at)).toEqual(['2026-04-24T09:00:00.000Z']);
    expect((await messages(w.business.id, 'winback')).map((x) => [x.key, x.send_after.toISOString(), x.vars, x.purpose])).toEqual([
      [`winback:${m.id}:2026-03-10`, '2026-04-24T09:00:00.000Z', { bonus: 50 }, 'marketing'],
    ]);
    const [gift] = await gifts(w.business.id);
    expect([gift!.member_id, gift!.type, gift!.points]).toEqual([m.id, 'winback', 50]);
    const giftLot = (await lotsOf(w.business.id, m.id)).find((l) => l.transaction_id === gift!.id);
    expect(giftLot!.expires_at!.toISOString()).toBe('2026-05-07T21:00:00.000Z'); // 14 days: through 7 May

    // Still lapsed a month later: nothing more. 'fresh' lapses on 16 May.
    await w.move('2026-05-30T09:30:00Z');
    expect((await messages(w.business.id, 'winback')).map((x) => x.key)).toEqual([`winback:${m.id}:2026-03-10`, `winback:${fresh.id}:2026-04-01`]);

    // A purchase starts a new lapse: 45 days after 30 May is 14 July.
    await recordPurchase(w.deps, { businessId: w.business.id, member: { id: m.id }, amount: 10_000 });
    await w.move('2026-07-14T08:59:00Z');
    expect((await messages(w.business.id, 'winback')).length).toBe(2);
    await w.move('2026-07-14T09:00:00Z');
    expect((await messages(w.business.id, 'winback')).map((x) => x.key)).toContain(`winback:${m.id}:2026-05-30`);
    expect((await recipients(w.business.id)).map((x) => x.occurrence)).toEqual(['2026-03-10', '2026-04-01', '2026-05-30']);
    expect((await runWinbackCampaign(w.deps, w.business.id)).ran).toBe(false);
  });

  it('without a gift sends only the message; control members get nothing; consent is required', async () => {
    const w = await world('2026-03-10T09:00:00Z', winbackOn({ bonus: 0, controlPercent: 50, afterDays: 10 }));
    const members = [];
    for (let i = 0; i < 16; i++) {
      const m = await aCustomer(w.deps, w.business.id, { consent: i !== 0 });
      await recordPurchase(w.deps, { businessId: w.business.id, member: { id: m.id }, amount: 10_000 });
      members.push(m);
    }
    await w.move('2026-03-21T00:00:00Z');
    const campaign = await t.db.selectFrom('campaigns').selectAll().where('business_id', '=', w.business.id).where('kind', '=', 'winback').executeTakeFirstOrThrow();
    const consenting = members.slice(1);
    const control = new Set(consenting.filter((m) => inControlGroup(campaign.id, m.id, 50)).map((m) => m.id));
    const rec = await recipients(w.business.id);
    expect(new Set(rec.map((r) => r.member_id))).toEqual(new Set(consenting.map((m) => m.id)));
    expect(new Set(rec.filter((r) => r.control).map((r) => r.member_id))).toEqual(control);
    expect(new Set((await messages(w.business.id, 'winback')).map((x) => x.member_id))).toEqual(new Set(consenting.filter((m) => !control.has(m.id)).map((m) => m.id)));
    expect(await gifts(w.business.id)).toEqual([]);
  });
});

describe('the daily sweep', () => {
  it('runs each job for every business whose local time has come, once per local day', async () => {
    const clock = new ManualClock('2026-06-01T08:00:00Z'); // 11:00 in Moscow, 09:00 in London
    const deps: AppDeps = { ...t.deps, clock };
    const moscow = await aBusiness(deps, { notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, ...birthdayOn() } });
    const london = await aBusiness(deps, { notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, ...birthdayOn() } }, { timezone: 'Europe/London' });
    const ours = new Set([moscow.id, london.id]);
    const runs = async () => (await t.db.selectFrom('notification_runs').selectAll().where('job', '=', 'birthday').execute()).filter((r) => ours.has(r.business_id));
    await runDailyCampaigns(deps, { log: silentLogger });
    expect(await runs()).toEqual([]); // birthdays wait for 12:00 local
    clock.set('2026-06-01T09:00:00Z');
    await runDailyCampaigns(deps, { log: silentLogger });
    expect((await runs()).map((r) => [r.business_id, r.last_local_date])).toEqual([[moscow.id, '2026-06-01']]);
    clock.set('2026-06-01T11:00:00Z');
    const sweep = await runDailyCampaigns(deps, { log: silentLogger });
    expect(sweep.failed).toBe(0);
    expect(new Set((await runs()).map((r) => r.business_id))).toEqual(ours);
    expect((await runDailyCampaigns(deps, { log: silentLogger })).runs).toBe(0);
  });
});
