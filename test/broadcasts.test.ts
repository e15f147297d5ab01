// Broadcasts on real PostgreSQL: each segment filter on real members and purchases, preview counts, consent and
// blocking respected, a stable control group of about the requested share, planning resumed after an interruption
// without duplicates, progress from the messages outbox, cancel, campaign reports, tenant isolation and bad input.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLocation } from '../src/app/addLocation.js';
import {
  cancelBroadcast,
  createBroadcast,
  finishBroadcasts,
  getBroadcast,
  listBroadcasts,
  nextBroadcastDueAt,
  planDueBroadcasts,
  previewBroadcast,
} from '../src/app/broadcasts.js';
import { campaignReport, listCampaigns } from '../src/app/campaignReport.js';
import { recordConsent } from '../src/app/consents.js';
import type { AppDeps } from '../src/app/deps.js';
import { eraseMember } from '../src/app/eraseMember.js';
import { recordPurchase } from '../src/app/recordPurchase.js';
import { refundPurchase } from '../src/app/refundPurchase.js';
import { updateMember } from '../src/app/updateMember.js';
import { DomainError, inControlGroup, segmentFilter, type Program, type Segment } from '../src/core/index.js';
import { aBusiness, aMember } from './support/factories.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const DAY = 86_400_000;

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; problems: string[] }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, message: e.message, problems: (e.details.problems as string[] | undefined) ?? [] };
    throw e;
  }
  throw new Error('expected a DomainError');
}

const consent = (businessId: string, memberId: string, granted = true) =>
  recordConsent(t.deps, { businessId, memberId, kind: 'marketing', granted, textVersion: 'v1', channel: 'api' });

async function consentingMember(businessId: string) {
  const m = await aMember(t.deps, businessId);
  await consent(businessId, m.id);
  return m;
}

const buy = (businessId: string, memberId: string, amount: number, extra: { locationId?: string; occurredAt?: Date } = {}) =>
  recordPurchase(t.deps, { businessId, member: { id: memberId }, amount, ...extra });

/** The segment's members as the store finds them (consenting only), sorted. */
async function membersOf(businessId: string, segment: Segment, marketingOnly = true): Promise<string[]> {
  return t.deps.uow.run(async (repos) => {
    const business = (await repos.businesses.get(businessId))!;
    const f = segmentFilter(businessId, segment, business.program, business.timezone, t.clock.now(), marketingOnly);
    const out: string[] = [];
    for (let after: string | null = null; ; ) {
      const page = await repos.campaigns.segmentPage(f, after, 2);
      out.push(...page);
      if (page.length < 2) break;
      after = page[page.length - 1] ?? null;
    }
    return out.sort();
  });
}

const sorted = (...ids: string[]) => [...ids].sort();

async function messagesOf(campaignId: string) {
  const r = await sql<{ member_id: string; key: string; status: string; send_after: Date; text: string | null; purpose: string; kind: string }>`
    select member_id, key, status, send_after, text, purpose, kind from messages where campaign_id = ${campaignId}`.execute(t.db);
  return r.rows;
}

async function recipientsOf(campaignId: string) {
  const r = await sql<{ member_id: string; control: boolean; at: Date }>`
    select member_id, control, at from campaign_recipients where campaign_id = ${campaignId} order by member_id`.execute(t.db);
  return r.rows;
}

const TIERS: Partial<Program> = {
  lateReceiptWindowDays: 365,
  tiers: [
    { id: 'silver', name: 'Silver', minTotalSpent: 10_000, earnRateBp: 700, maxRedeemBp: 3000 },
    { id: 'gold', name: 'Gold', minTotalSpent: 50_000, earnRateBp: 1000, maxRedeemBp: 3000 },
  ],
};

describe('segments', () => {
  // One business with a small, known population.
  let b: string;
  let l1: string;
  let l2: string;
  const m: Record<string, string> = {};
  beforeAll(async () => {
    b = (await aBusiness(t.deps, TIERS)).id;
    l1 = (await addLocation(t.deps, { businessId: b, name: 'Centre' })).id;
    l2 = (await addLocation(t.deps, { businessId: b, name: 'Station' })).id;
    const now = t.clock.now();
    // gold (60,000 at the centre in January), Telegram, birthday in May
    m.gold = (await consentingMember(b)).id;
    await buy(b, m.gold, 60_000, { locationId: l1, occurredAt: new Date('2026-01-10T10:00:00Z') });
    await updateMember(t.deps, { businessId: b, memberId: m.gold, birthday: '1990-05-12' });
    await t.deps.uow.run((r) => r.members.linkTelegram(b, m.gold!, 777001, 'gold'));
    // silver (20,000 at the station a week ago), e-mail, birthday in December
    m.silver = (await consentingMember(b)).id;
    await buy(b, m.silver, 20_000, { locationId: l2, occurredAt: new Date(now.getTime() - 7 * DAY) });
    await updateMember(t.deps, { businessId: b, memberId: m.silver, birthday: '1985-12-01', email: 'silver@example.test' });
    // refunded from gold down to silver: 60,000 less 30,000
    m.refunded = (await consentingMember(b)).id;
    const p = await buy(b, m.refunded, 60_000, { occurredAt: new Date(now.getTime() - 3 * DAY) });
    await refundPurchase(t.deps, { businessId: b, purchaseId: p.purchaseId, amount: 30_000 });
    // never bought, birthday in May; Telegram blocked the bot (dead channel)
    m.none = (await consentingMember(b)).id;
    await updateMember(t.deps, { businessId: b, memberId: m.none, birthday: '2000-05-20' });
    await t.deps.uow.run((r) => r.members.linkTelegram(b, m.none!, 777002, 'none'));
    await t.deps.uow.run((r) => r.messages.markChannelDead(b, m.none!, 'telegram'));
    // silver by spend but never consented
    m.noConsent = (await aMember(t.deps, b)).id;
    await buy(b, m.noConsent, 20_000, { locationId: l1 });
    // consented, then withdrew
    m.withdrew = (await consentingMember(b)).id;
    await consent(b, m.withdrew, false);
    // consented, then blocked
    m.blocked = (await consentingMember(b)).id;
    await updateMember(t.deps, { businessId: b, memberId: m.blocked, blocked: true });
    // consented, then erased
    m.erased = (await consentingMember(b)).id;
    await eraseMember(t.deps, { businessId: b, memberId: m.erased, channel: 'api' });
  });

  it('empty = every active member who consented to marketing; blocked, erased and non-consenting members never', async () => {
    expect(await membersOf(b, {})).toEqual(sorted(m.gold!, m.silver!, m.refunded!, m.none!));
    // Without the consent condition (service purposes), blocked and erased members still never match.
    expect(await membersOf(b, {}, false)).toEqual(sorted(m.gold!, m.silver!, m.refunded!, m.none!, m.noConsent!, m.withdrew!));
    const preview = await previewBroadcast(t.deps, { businessId: b, segment: {} });
    expect(preview).toMatchObject({ matched: 6, recipients: 4, withoutConsent: 2, expectedControl: 0, expectedTreated: 4, sample: null });
  });

  it('tier: the highest tier the spend reaches (refunds count), several tiers at once', async () => {
    expect(await membersOf(b, { tierIds: ['gold'] })).toEqual([m.gold]);
    expect(await membersOf(b, { tierIds: ['silver'] })).toEqual(sorted(m.silver!, m.refunded!));
    expect(await membersOf(b, { tierIds: ['silver', 'gold'] })).toEqual(sorted(m.gold!, m.silver!, m.refunded!));
  });

  it('last purchase before / after a date (the business\'s day) or an instant; never-buyers match neither', async () => {
    expect(await membersOf(b, { lastPurchaseBefore: '2026-02-01' })).toEqual([m.gold]);
    expect(await membersOf(b, { lastPurchaseAfter: '2026-02-01' })).toEqual(sorted(m.silver!, m.refunded!));
    const fiveDaysAgo = new Date(t.clock.now().getTime() - 5 * DAY).toISOString();
    expect(await membersOf(b, { lastPurchaseAfter: fiveDaysAgo })).toEqual([m.refunded]);
    expect(await membersOf(b, { lastPurchaseAfter: '2026-01-01', lastPurchaseBefore: fiveDaysAgo })).toEqual(sorted(m.gold!, m.silver!));
  });

  it('total spent range (inclusive, purchases less refunds)', async () => {
    expect(await membersOf(b, { totalSpentMin: 20_000, totalSpentMax: 30_000 })).toEqual(sorted(m.silver!, m.refunded!));
    expect(await membersOf(b, { totalSpentMin: 30_001 })).toEqual([m.gold]);
    expect(await membersOf(b, { totalSpentMax: 0 })).toEqual([m.none]);
  });

  it('birthday month, channel (minus dead channels), location, and named members', async () => {
    expect(await membersOf(b, { birthdayMonth: 5 })).toEqual(sorted(m.gold!, m.none!));
    expect(await membersOf(b, { birthdayMonth: 12 })).toEqual([m.silver]);
    expect(await membersOf(b, { birthdayMonth: 1 })).toEqual([]);
    expect(await membersOf(b, { channel: 'telegram' })).toEqual([m.gold]);
    expect(await membersOf(b, { channel: 'email' })).toEqual([m.silver]);
    expect(await membersOf(b, { channel: 'sms' })).toEqual(sorted(m.gold!, m.silver!, m.refunded!, m.none!));
    expect(await membersOf(b, { locationId: l1 })).toEqual([m.gold]);
    expect(await membersOf(b, { locationId: l2 })).toEqual([m.silver]);
    expect(await membersOf(b, { memberIds: [m.silver!] })).toEqual([m.silver]);
    // A named member who did not consent or is blocked still gets nothing.
    expect(await membersOf(b, { memberIds: [m.noConsent!, m.blocked!, m.none!] })).toEqual([m.none]);
    // Filters combine.
    expect(await membersOf(b, { tierIds: ['silver'], locationId: l2, birthdayMonth: 12, channel: 'email' })).toEqual([m.silver]);
  });

  it('a rolling tier window counts only recent spend', async () => {
    const w = (await aBusiness(t.deps, { ...TIERS, tierWindowDays: 30 })).id;
    const old = (await consentingMember(w)).id;
    await buy(w, old, 80_000, { occurredAt: new Date(t.clock.now().getTime() - 200 * DAY) });
    await buy(w, old, 15_000, { occurredAt: new Date(t.clock.now().getTime() - 2 * DAY) });
    const recent = (await consentingMember(w)).id;
    await buy(w, recent, 55_000, { occurredAt: new Date(t.clock.now().getTime() - 10 * DAY) });
    expect(await membersOf(w, { tierIds: ['gold'] })).toEqual([recent]);
    expect(await membersOf(w, { tierIds: ['silver'] })).toEqual([old]);
    // The total spent filter is all time.
    expect(await membersOf(w, { totalSpentMin: 90_000 })).toEqual([old]);
  });

  it('preview: counts after consent, expected control size, and the text as the first recipient reads it', async () => {
    await updateMember(t.deps, { businessId: b, memberId: m.gold!, name: 'Anna' });
    const p = await previewBroadcast(t.deps, { businessId: b, segment: { tierIds: ['gold', 'silver'] }, controlPercent: 34, text: '{name}, 2 for 1 this week! {business}' });
    expect(p).toMatchObject({ matched: 4, recipients: 3, withoutConsent: 1, expectedControl: 1, expectedTreated: 2 });
    const first = (await membersOf(b, { tierIds: ['gold', 'silver'] }))[0]!;
    expect(p.sample?.memberId).toBe(first);
    const name = first === m.gold ? 'Anna' : 'Дорогой клиент';
    expect(p.sample?.text).toBe(`${name}, 2 for 1 this week! Test coffee`);
  });

  it('bad segments: every problem listed at once (invalid_segment), including unknown locations and members', async () => {
    const f = await failure(previewBroadcast(t.deps, {
      businessId: b,
      segment: { tierIds: ['platinum'], birthdayMonth: 13, channel: 'fax', lastPurchaseBefore: 'yesterday', totalSpentMin: -1, memberIds: ['x'], colour: 'red' },
    }));
    expect(f.code).toBe('invalid_segment');
    expect(f.problems).toHaveLength(7);
    expect(f.problems.join('\n')).toMatch(/segment\.tierIds: no tier "platinum"; tiers are silver, gold/);
    expect(f.problems.join('\n')).toMatch(/segment\.colour: not a segment filter/);
    const g = await failure(previewBroadcast(t.deps, { businessId: b, segment: { lastPurchaseBefore: '2026-01-01', lastPurchaseAfter: '2026-02-01', totalSpentMin: 10, totalSpentMax: 5 } }));
    expect(g.problems).toHaveLength(2);
    const other = (await aBusiness(t.deps)).id;
    const stranger = (await aMember(t.deps, other)).id;
    const h = await failure(previewBroadcast(t.deps, { businessId: b, segment: { locationId: '00000000-0000-4000-8000-000000000000', memberIds: [stranger] } }));
    expect(h.code).toBe('invalid_segment');
    expect(h.problems).toEqual([
      'segment.locationId: no location 00000000-0000-4000-8000-000000000000 in this business',
      `segment.memberIds: no member ${stranger} in this business`,
    ]);
  });
});

describe('broadcasts', () => {
  it('created now: planned into recipients and marketing messages with fixed text and keys, then running; progress', async () => {
    const b = (await aBusiness(t.deps)).id;
    const members = [];
    for (let i = 0; i < 5; i++) members.push((await consentingMember(b)).id);
    await aMember(t.deps, b); // no consent
    const created = await createBroadcast(t.deps, { businessId: b, text: 'Sale today, {name}!', createdBy: 'staff:x' });
    expect(created).toMatchObject({ name: 'Sale today, {name}!', status: 'scheduled', controlPercent: 0, segment: {}, scheduledAt: t.clock.now().toISOString(), createdBy: 'staff:x' });
    expect(created.progress).toEqual({ planned: 0, control: 0, scheduled: 0, queued: 0, sending: 0, sent: 0, failed: 0, skipped: 0, pending: 0 });
    expect(await nextBroadcastDueAt(t.deps, b)).toEqual(t.clock.now());

    const plan = await planDueBroadcasts(t.deps, { businessId: b });
    expect(plan).toEqual({ broadcasts: 1, recipients: 5, control: 0, messages: 5, more: false });
    const msgs = await messagesOf(created.id);
    expect(msgs.map((x) => x.member_id).sort()).toEqual([...members].sort());
    for (const x of msgs) {
      expect(x).toMatchObject({ key: `broadcast:${created.id}:${x.member_id}`, status: 'scheduled', text: 'Sale today, {name}!', purpose: 'marketing', kind: 'broadcast' });
      expect(x.send_after).toEqual(t.clock.now()); // 12:00 in Moscow: not quiet
    }
    const view = await getBroadcast(t.deps, { businessId: b, broadcastId: created.id });
    expect(view.status).toBe('running');
    expect(view.startedAt).toBe(t.clock.now().toISOString());
    expect(view.progress).toMatchObject({ planned: 5, control: 0, scheduled: 5, pending: 5 });
    expect(await nextBroadcastDueAt(t.deps, b)).toBeNull();
    // Planning again finds nothing to do.
    expect(await planDueBroadcasts(t.deps, { businessId: b })).toMatchObject({ broadcasts: 0, messages: 0 });

    // Delivery (the engine's part) moves messages on; progress follows, and the broadcast is done once none is left.
    const ids = msgs.map((x) => x.member_id);
    await sql`update messages set status = 'sent' where campaign_id = ${created.id} and member_id = any(${ids.slice(0, 2)}::uuid[])`.execute(t.db);
    await sql`update messages set status = 'failed' where campaign_id = ${created.id} and member_id = ${ids[2]}`.execute(t.db);
    await sql`update messages set status = 'queued' where campaign_id = ${created.id} and member_id = ${ids[3]}`.execute(t.db);
    await sql`update messages set status = 'sending' where campaign_id = ${created.id} and member_id = ${ids[4]}`.execute(t.db);
    expect((await getBroadcast(t.deps, { businessId: b, broadcastId: created.id })).progress).toEqual({
      planned: 5, control: 0, scheduled: 0, queued: 1, sending: 1, sent: 2, failed: 1, skipped: 0, pending: 2,
    });
    expect(await finishBroadcasts(t.deps, { businessId: b })).toBe(0);
    await sql`update messages set status = 'sent' where campaign_id = ${created.id} and status in ('queued', 'sending')`.execute(t.db);
    expect(await finishBroadcasts(t.deps, { businessId: b })).toBe(1);
    const done = await getBroadcast(t.deps, { businessId: b, broadcastId: created.id });
    expect(done).toMatchObject({ status: 'done', finishedAt: t.clock.now().toISOString() });
    expect(done.progress).toMatchObject({ sent: 4, failed: 1, pending: 0 });
    expect(await failure(cancelBroadcast(t.deps, { businessId: b, broadcastId: created.id }))).toMatchObject({ code: 'campaign_finished' });
  });

  it('scheduled: waits for its time; started in quiet hours, messages wait for the morning', async () => {
    const b = (await aBusiness(t.deps)).id;
    await consentingMember(b);
    await consentingMember(b);
    const start = t.clock.now();
    // 22:30 in Moscow tonight (19:30Z): quiet hours until 09:00 (06:00Z next day).
    const evening = new Date(`${start.toISOString().slice(0, 10)}T19:30:00Z`);
    const created = await createBroadcast(t.deps, { businessId: b, name: 'Evening', text: 'Tomorrow only', scheduledAt: evening.toISOString() });
    expect(created.scheduledAt).toBe(evening.toISOString());
    expect(await nextBroadcastDueAt(t.deps, b)).toEqual(evening);
    expect(await planDueBroadcasts(t.deps, { businessId: b })).toMatchObject({ broadcasts: 0, messages: 0 });
    expect((await getBroadcast(t.deps, { businessId: b, broadcastId: created.id })).status).toBe('scheduled');
    t.clock.set(evening);
    try {
      expect(await planDueBroadcasts(t.deps, { businessId: b })).toMatchObject({ broadcasts: 1, messages: 2 });
      const msgs = await messagesOf(created.id);
      const morning = new Date(evening.getTime() + 10.5 * 3_600_000);
      expect(msgs.map((x) => x.send_after)).toEqual([morning, morning]);
      expect((await recipientsOf(created.id)).map((r) => r.at)).toEqual([morning, morning]);
    } finally {
      t.clock.set(start);
    }
  });

  it('control group: about the requested share, stable by member, recorded without messages; reruns change nothing', async () => {
    const b = (await aBusiness(t.deps)).id;
    for (let i = 0; i < 300; i++) await consentingMember(b);
    const preview = await previewBroadcast(t.deps, { businessId: b, controlPercent: 10 });
    expect(preview).toMatchObject({ recipients: 300, expectedControl: 30, expectedTreated: 270 });
    const created = await createBroadcast(t.deps, { businessId: b, text: 'Hello', controlPercent: 10 });
    const plan = await planDueBroadcasts(t.deps, { businessId: b, pageSize: 64 });
    expect(plan.recipients).toBe(300);
    const recipients = await recipientsOf(created.id);
    const control = recipients.filter((r) => r.control);
    // 10 % of 300 is 30; the hashed split stays within a generous binomial range (±4 standard deviations).
    expect(control.length).toBeGreaterThanOrEqual(10);
    expect(control.length).toBeLessThanOrEqual(50);
    for (const r of recipients) expect(r.control).toBe(inControlGroup(created.id, r.member_id, 10));
    const msgs = await messagesOf(created.id);
    expect(msgs).toHaveLength(300 - control.length);
    const controlIds = new Set(control.map((r) => r.member_id));
    expect(msgs.filter((x) => controlIds.has(x.member_id))).toEqual([]);
    const view = await getBroadcast(t.deps, { businessId: b, broadcastId: created.id });
    expect(view.progress).toMatchObject({ planned: 300 - control.length, control: control.length, scheduled: 300 - control.length });
    // A rerun adds nothing and moves nobody between the groups.
    expect(await planDueBroadcasts(t.deps, { businessId: b })).toMatchObject({ recipients: 0, messages: 0 });
    expect(await t.deps.uow.run((r) => r.campaigns.addRecipients(recipients.map((x) => ({ businessId: b, campaignId: created.id, memberId: x.member_id, occurrence: '', control: !x.control, at: x.at }))))).toBe(0);
    expect(await recipientsOf(created.id)).toEqual(recipients);
  });

  it('planning cut short (a page budget, then a crash mid-page) resumes after the last recorded member without duplicates', async () => {
    const b = (await aBusiness(t.deps)).id;
    const members = new Set<string>();
    for (let i = 0; i < 45; i++) members.add((await consentingMember(b)).id);
    const created = await createBroadcast(t.deps, { businessId: b, text: 'Hi', controlPercent: 20 });

    const first = await planDueBroadcasts(t.deps, { businessId: b, pageSize: 10, maxPages: 2 });
    expect(first).toMatchObject({ recipients: 20, more: true });
    expect((await getBroadcast(t.deps, { businessId: b, broadcastId: created.id })).status).toBe('planning');
    expect(await nextBroadcastDueAt(t.deps, b)).not.toBeNull();

    // The process dies inside the next page's transaction: whatever it wrote rolls back.
    let runs = 0;
    const crashing: AppDeps = {
      ...t.deps,
      uow: {
        run: (work) =>
          t.deps.uow.run(async (repos) => {
            const r = await work(repos);
            runs += 1;
            if (runs === 3) throw new Error('killed');
            return r;
          }),
      },
    };
    await expect(planDueBroadcasts(crashing, { businessId: b, pageSize: 10 })).rejects.toThrow('killed');
    expect(await recipientsOf(created.id)).toHaveLength(20);

    // Two planners resume at once: the campaign lock makes them take turns, and keys keep every message once.
    const [x, y] = await Promise.all([planDueBroadcasts(t.deps, { businessId: b, pageSize: 10 }), planDueBroadcasts(t.deps, { businessId: b, pageSize: 10 })]);
    expect(x.recipients + y.recipients).toBe(25);
    const recipients = await recipientsOf(created.id);
    expect(new Set(recipients.map((r) => r.member_id))).toEqual(members);
    expect(recipients).toHaveLength(45);
    const msgs = await messagesOf(created.id);
    expect(new Set(msgs.map((m) => m.key)).size).toBe(msgs.length);
    expect(msgs).toHaveLength(recipients.filter((r) => !r.control).length);
    const view = await getBroadcast(t.deps, { businessId: b, broadcastId: created.id });
    expect(view.status).toBe('running');
    expect(view.progress.planned + view.progress.control).toBe(45);
  });

  it('cancel: a scheduled one is never planned; a running one skips what is unsent; cancelling twice is fine', async () => {
    const b = (await aBusiness(t.deps)).id;
    await consentingMember(b);
    await consentingMember(b);
    await consentingMember(b);
    const later = await createBroadcast(t.deps, { businessId: b, text: 'Later', scheduledAt: new Date(t.clock.now().getTime() + DAY).toISOString() });
    const cancelled = await cancelBroadcast(t.deps, { businessId: b, broadcastId: later.id });
    expect(cancelled).toMatchObject({ status: 'cancelled', finishedAt: t.clock.now().toISOString() });
    expect(await nextBroadcastDueAt(t.deps, b)).toBeNull();

    const now = await createBroadcast(t.deps, { businessId: b, text: 'Now' });
    await planDueBroadcasts(t.deps, { businessId: b });
    const [one] = await messagesOf(now.id);
    await sql`update messages set status = 'sent' where campaign_id = ${now.id} and member_id = ${one!.member_id}`.execute(t.db);
    const stopped = await cancelBroadcast(t.deps, { businessId: b, broadcastId: now.id, idempotencyKey: 'stop-1' });
    expect(stopped.status).toBe('cancelled');
    expect(stopped.progress).toMatchObject({ planned: 3, sent: 1, skipped: 2, pending: 0 });
    expect((await cancelBroadcast(t.deps, { businessId: b, broadcastId: now.id })).status).toBe('cancelled');
    expect(await finishBroadcasts(t.deps, { businessId: b })).toBe(0);
    expect(await planDueBroadcasts(t.deps, { businessId: b })).toMatchObject({ messages: 0 });
    const list = await listBroadcasts(t.deps, { businessId: b });
    expect(list.items.map((x) => x.id)).toEqual([now.id, later.id]);
  });

  it('idempotency: the same key replays the broadcast; other input with it is refused', async () => {
    const b = (await aBusiness(t.deps)).id;
    const a = await createBroadcast(t.deps, { businessId: b, text: 'Once', idempotencyKey: 'k1' });
    const again = await createBroadcast(t.deps, { businessId: b, text: 'Once', idempotencyKey: 'k1' });
    expect(again.id).toBe(a.id);
    expect(await failure(createBroadcast(t.deps, { businessId: b, text: 'Twice', idempotencyKey: 'k1' }))).toMatchObject({ code: 'idempotency_conflict' });
    expect((await listBroadcasts(t.deps, { businessId: b })).items).toHaveLength(1);
  });

  it('bad input: every problem listed, nothing written', async () => {
    const b = (await aBusiness(t.deps)).id;
    const f = await failure(createBroadcast(t.deps, {
      businessId: b,
      name: '',
      text: 'Hi {nam}',
      controlPercent: 80,
      scheduledAt: new Date(t.clock.now().getTime() - DAY).toISOString(),
      segment: { birthdayMonth: 0 },
    }));
    expect(f.code).toBe('validation_failed');
    expect(f.problems).toEqual([
      'name: 1–200 characters',
      'text: {nam} is not a variable of broadcast messages; use {name}, {pointsName}, {balance}, {business}, {cardUrl}',
      'controlPercent: a whole number from 0 to 50',
      'scheduledAt: must not be in the past',
      'segment.birthdayMonth: a month 1–12',
    ]);
    expect(await failure(createBroadcast(t.deps, { businessId: b, text: ' ' }))).toMatchObject({ code: 'validation_failed', problems: ['text: 1–4000 characters'] });
    expect(await failure(createBroadcast(t.deps, { businessId: b, text: 'x'.repeat(4001) }))).toMatchObject({ code: 'validation_failed' });
    expect(await failure(createBroadcast(t.deps, { businessId: b, text: 'ok', scheduledAt: 'tomorrow' }))).toMatchObject({ code: 'validation_failed' });
    expect(await failure(createBroadcast(t.deps, { businessId: b, text: 'ok', segment: { tierIds: ['gold'] } }))).toMatchObject({ code: 'invalid_segment', problems: ['segment.tierIds: the program has no tiers'] });
    expect(await failure(createBroadcast(t.deps, { businessId: b, text: 'ok', segment: [] }))).toMatchObject({ code: 'invalid_segment' });
    expect((await listCampaigns(t.deps, { businessId: b })).items).toEqual([]);
    expect(await failure(getBroadcast(t.deps, { businessId: b, broadcastId: 'nope' }))).toMatchObject({ code: 'campaign_not_found' });
    expect(await failure(listBroadcasts(t.deps, { businessId: b, limit: 0 }))).toMatchObject({ code: 'validation_failed' });
  });

  it('tenant isolation: another business sees, plans for and cancels nothing of this one', async () => {
    const a = (await aBusiness(t.deps)).id;
    const other = (await aBusiness(t.deps)).id;
    const mine = (await consentingMember(a)).id;
    const theirs = (await consentingMember(other)).id;
    const ba = await createBroadcast(t.deps, { businessId: a, text: 'A' });
    expect(await failure(getBroadcast(t.deps, { businessId: other, broadcastId: ba.id }))).toMatchObject({ code: 'campaign_not_found' });
    expect(await failure(cancelBroadcast(t.deps, { businessId: other, broadcastId: ba.id }))).toMatchObject({ code: 'campaign_not_found' });
    expect(await failure(campaignReport(t.deps, { businessId: other, campaignId: ba.id }))).toMatchObject({ code: 'campaign_not_found' });
    expect((await listBroadcasts(t.deps, { businessId: other })).items).toEqual([]);
    // Planning for the other business leaves this one scheduled.
    expect(await planDueBroadcasts(t.deps, { businessId: other })).toMatchObject({ broadcasts: 0 });
    expect((await getBroadcast(t.deps, { businessId: a, broadcastId: ba.id })).status).toBe('scheduled');
    await planDueBroadcasts(t.deps, { businessId: a });
    expect((await messagesOf(ba.id)).map((x) => x.member_id)).toEqual([mine]);
    expect((await messagesOf(ba.id)).map((x) => x.member_id)).not.toContain(theirs);
    expect(await failure(createBroadcast(t.deps, { businessId: a, text: 'x', segment: { memberIds: [theirs] } }))).toMatchObject({ code: 'invalid_segment' });
  });
});

describe('campaign reports', () => {
  it('treated vs control: returned within N days of each send and revenue less refunds, and the uplift', async () => {
    const b = (await aBusiness(t.deps)).id;
    for (let i = 0; i < 40; i++) await consentingMember(b);
    const created = await createBroadcast(t.deps, { businessId: b, text: 'Come back', controlPercent: 50 });
    await planDueBroadcasts(t.deps, { businessId: b });
    const recipients = await recipientsOf(created.id);
    const treated = recipients.filter((r) => !r.control).map((r) => r.member_id);
    const control = recipients.filter((r) => r.control).map((r) => r.member_id);
    expect(treated.length).toBeGreaterThan(3);
    expect(control.length).toBeGreaterThan(1);
    const start = t.clock.now();
    try {
      // Before the send: does not count.
      t.clock.set(new Date(start.getTime() - 1000));
      await buy(b, treated[0]!, 99_000, { occurredAt: new Date(start.getTime() - 1000) });
      t.clock.set(new Date(start.getTime() + 2 * DAY));
      await buy(b, treated[0]!, 10_000);
      await buy(b, treated[0]!, 5_000);
      const p = await buy(b, treated[1]!, 8_000);
      await refundPurchase(t.deps, { businessId: b, purchaseId: p.purchaseId, amount: 3_000 });
      await buy(b, control[0]!, 4_000);
      t.clock.set(new Date(start.getTime() + 10 * DAY));
      await buy(b, treated[2]!, 7_000); // inside 14 days, outside 7
      t.clock.set(new Date(start.getTime() + 20 * DAY));
      await buy(b, treated[3]!, 50_000); // outside both windows
      const r14 = await campaignReport(t.deps, { businessId: b, campaignId: created.id, days: 14 });
      expect(r14.days).toBe(14);
      expect(r14.treated).toMatchObject({ members: treated.length, returned: 3, revenue: 10_000 + 5_000 + 5_000 + 7_000 });
      expect(r14.control).toMatchObject({ members: control.length, returned: 1, revenue: 4_000 });
      expect(r14.treated.returnRate).toBeCloseTo(3 / treated.length, 10);
      expect(r14.control.revenuePerMember).toBe(Math.round(4_000 / control.length));
      expect(r14.returnRateUplift).toBeCloseTo(3 / treated.length - 1 / control.length, 10);
      expect(r14.revenuePerMemberUplift).toBe(Math.round(27_000 / treated.length) - Math.round(4_000 / control.length));
      expect(r14).toMatchObject({ complete: true, windowEndsAt: new Date(start.getTime() + 14 * DAY).toISOString() });
      expect(r14.campaign).toMatchObject({ id: created.id, kind: 'broadcast', recipients: 40, control: control.length });
      const r7 = await campaignReport(t.deps, { businessId: b, campaignId: created.id, days: 7 });
      expect(r7.treated).toMatchObject({ returned: 2, revenue: 20_000 });
      // Default: the program's reportWindowDays (30), still open.
      const r30 = await campaignReport(t.deps, { businessId: b, campaignId: created.id });
      expect(r30).toMatchObject({ days: 30, complete: false });
      expect(r30.treated).toMatchObject({ returned: 4, revenue: 77_000 });
      expect(await failure(campaignReport(t.deps, { businessId: b, campaignId: created.id, days: 0 }))).toMatchObject({ code: 'validation_failed' });
    } finally {
      t.clock.set(start);
    }
  });

  it('automatic campaigns (birthday, win-back): one row per business, recipients per occurrence, listed and reported', async () => {
    const b = (await aBusiness(t.deps)).id;
    const a = (await consentingMember(b)).id;
    const c = (await consentingMember(b)).id;
    const now = t.clock.now();
    const birthday = await t.deps.uow.run((r) => r.campaigns.automatic(b, 'birthday', 'Birthday', 10, now));
    const same = await t.deps.uow.run((r) => r.campaigns.automatic(b, 'birthday', 'Birthday', 20, now));
    expect(same.id).toBe(birthday.id);
    expect(same.controlPercent).toBe(20);
    await t.deps.uow.run((r) =>
      r.campaigns.addRecipients([
        { businessId: b, campaignId: birthday.id, memberId: a, occurrence: '2025', control: false, at: new Date(now.getTime() - 400 * DAY) },
        { businessId: b, campaignId: birthday.id, memberId: a, occurrence: '2026', control: false, at: now },
        { businessId: b, campaignId: birthday.id, memberId: c, occurrence: '2026', control: true, at: now },
      ]),
    );
    const start = t.clock.now();
    try {
      t.clock.set(new Date(now.getTime() + DAY));
      await buy(b, a, 3_000);
      const report = await campaignReport(t.deps, { businessId: b, campaignId: birthday.id, days: 7 });
      expect(report.treated).toMatchObject({ members: 2, returned: 1, revenue: 3_000 });
      expect(report.control).toMatchObject({ members: 1, returned: 0, revenue: 0, returnRate: 0 });
      const broadcast = await createBroadcast(t.deps, { businessId: b, text: 'x' });
      const all = await listCampaigns(t.deps, { businessId: b });
      expect(all.items.map((x) => [x.id, x.kind, x.status, x.recipients, x.control])).toEqual([
        [broadcast.id, 'broadcast', 'scheduled', 0, 0],
        [birthday.id, 'birthday', 'active', 3, 1],
      ]);
      expect((await listCampaigns(t.deps, { businessId: b, kind: 'birthday' })).items).toHaveLength(1);
      const page = await listCampaigns(t.deps, { businessId: b, limit: 1 });
      expect(page.items.map((x) => x.id)).toEqual([broadcast.id]);
      expect((await listCampaigns(t.deps, { businessId: b, limit: 1, cursor: page.nextCursor })).items.map((x) => x.id)).toEqual([birthday.id]);
      expect(await failure(listCampaigns(t.deps, { businessId: b, kind: 'sms' }))).toMatchObject({ code: 'validation_failed' });
    } finally {
      t.clock.set(start);
    }
  });
});
