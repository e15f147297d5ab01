// The dashboard against the ledger: every figure is recomputed here independently (from transactions, postings,
// purchases, and the members' balances as the member screen computes them) on the demo's six months of data; week
// buckets across a daylight-saving change; per-staff figures; card opens by local weekday and hour.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { adjustPoints } from '../src/app/adjustPoints.js';
import { recordCardOpen } from '../src/app/cardOpens.js';
import { createMember } from '../src/app/createMember.js';
import { dashboard } from '../src/app/dashboard.js';
import type { AppDeps } from '../src/app/deps.js';
import { getMember } from '../src/app/getMember.js';
import { inviteStaff } from '../src/app/staff.js';
import { acceptInviteWithPassword, authenticateStaff } from '../src/app/staffSessions.js';
import { recordPurchase } from '../src/app/recordPurchase.js';
import { runDemo } from '../src/cli/demo.js';
import { DomainError, addDays, localDateOf, startOfLocalDay } from '../src/core/index.js';
import { aBusiness, nextPhone } from './support/factories.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const at = (deps: AppDeps, when: string | Date): AppDeps => ({ ...deps, clock: { now: () => new Date(when) } });
const n = (v: unknown) => Number(v ?? 0);

describe('the dashboard on the demo data equals the ledger', () => {
  let businessId = '';
  const TZ = 'Europe/Moscow';
  beforeAll(async () => {
    businessId = (await runDemo(t.deps, { info: () => undefined }, { members: 80 })).businessId;
  }, 240_000);

  it('totals, series, outstanding points, activity and repeat rate', async () => {
    const today = localDateOf(t.clock.now(), TZ);
    const fromDate = addDays(today, -120);
    const toDate = addDays(today, -10);
    const from = startOfLocalDay(fromDate, TZ);
    const to = startOfLocalDay(addDays(toDate, 1), TZ);
    const d = await dashboard(t.deps, { businessId, from: fromDate, to: toDate, bucket: 'day' });
    expect(d.series).toHaveLength(111);
    expect(d.series[0]?.bucket).toBe(fromDate);

    // Points: straight from the postings, by account, and the net from the transactions' own signed points.
    const postings = await sql<{ type: string; source: string; destination: string; amount: number }>`
      select t.type, p.source, p.destination, p.amount from postings p join ledger_transactions t on t.business_id = p.business_id and t.id = p.transaction_id
       where t.business_id = ${businessId} and t.created_at >= ${from} and t.created_at < ${to}`.execute(t.db);
    const sum = (f: (p: (typeof postings.rows)[number]) => number) => postings.rows.reduce((s, p) => s + f(p), 0);
    const expected = {
      earned: sum((p) => (p.source === 'issued' && p.type !== 'adjust' ? n(p.amount) : 0)),
      earnedOnPurchases: sum((p) => (p.source === 'issued' && p.type === 'earn' ? n(p.amount) : 0)),
      redeemed: sum((p) => (p.destination === 'redeemed' ? n(p.amount) : 0)),
      expired: sum((p) => (p.destination === 'expired' ? n(p.amount) : 0)),
      adjusted: sum((p) => (p.type !== 'adjust' ? 0 : p.destination === 'member' ? n(p.amount) : -n(p.amount))),
      returned: sum((p) => (p.source === 'redeemed' ? n(p.amount) : 0)),
      clawedBack: sum((p) => (p.destination === 'clawed_back' ? n(p.amount) : 0)),
    };
    const net = await sql<{ net: number }>`select coalesce(sum(points), 0)::bigint as net from ledger_transactions where business_id = ${businessId} and created_at >= ${from} and created_at < ${to}`.execute(t.db);
    expect(d.totals).toMatchObject({ ...expected, net: n(net.rows[0]?.net) });
    expect(expected.earned).toBeGreaterThan(0);
    expect(expected.redeemed).toBeGreaterThan(0);
    expect(expected.expired).toBeGreaterThan(0);
    expect(expected.adjusted).toBeGreaterThan(0);
    // The series add up to the totals.
    for (const k of ['earned', 'redeemed', 'expired', 'adjusted', 'returned', 'clawedBack', 'net', 'purchases', 'newMembers'] as const) {
      expect(d.series.reduce((s, p) => s + p[k], 0)).toBe(d.totals[k]);
    }

    // Purchases and revenue from the purchases and refunds tables, read row by row.
    const buys = await t.db.selectFrom('purchases').select(['member_id', 'amount', 'occurred_at', 'location_id', 'earned_points']).where('business_id', '=', businessId).execute();
    const inPeriod = (x: Date) => x >= from && x < to;
    const bought = buys.filter((b) => inPeriod(b.occurred_at));
    const refunds = await t.db.selectFrom('purchase_refunds').select(['amount', 'created_at']).where('business_id', '=', businessId).execute();
    const refunded = refunds.filter((r) => inPeriod(r.created_at)).reduce((s, r) => s + r.amount, 0);
    expect(d.totals.purchases).toBe(bought.length);
    expect(d.totals.purchaseAmount).toBe(bought.reduce((s, b) => s + b.amount, 0));
    expect(d.totals.refunds).toBe(refunded);
    expect(d.totals.revenue).toBe(d.totals.purchaseAmount - refunded);
    expect(d.series.reduce((s, p) => s + p.revenue, 0)).toBe(d.totals.revenue);

    // Members: joined in the period, and enrolled by the end of each day.
    const members = await t.db.selectFrom('members').select(['id', 'created_at']).where('business_id', '=', businessId).execute();
    expect(d.totals.newMembers).toBe(members.filter((m) => inPeriod(m.created_at)).length);
    expect(d.series.at(-1)?.members).toBe(members.filter((m) => m.created_at < to).length);
    expect(d.figures.membersTotal).toBe(members.length);

    // Outstanding points: the sum of every member's balance as the member screen shows it.
    let available = 0;
    let pending = 0;
    let expiring = 0;
    const now = t.clock.now();
    for (const m of members) {
      const view = await getMember(t.deps, { businessId, memberId: m.id });
      available += view.balance.available;
      pending += view.balance.pending;
      expiring += view.balance.expiringSoon.filter((e) => new Date(e.expiresAt).getTime() <= now.getTime() + 30 * 86_400_000).reduce((s, e) => s + e.points, 0);
    }
    expect(d.figures.outstanding).toEqual({ points: available + pending, available, pending, money: (available + pending) * d.pointValue });
    expect(d.figures.expiringIn30Days).toBe(expiring);
    expect(available).toBeGreaterThan(0);

    // Active members and the repeat-purchase rate.
    const activeSince = (days: number) => new Set(buys.filter((b) => b.occurred_at.getTime() > now.getTime() - days * 86_400_000 && b.occurred_at <= now).map((b) => b.member_id)).size;
    expect(d.figures.active30).toBe(activeSince(30));
    expect(d.figures.active90).toBe(activeSince(90));
    const perMember = new Map<string, number>();
    for (const b of bought) perMember.set(b.member_id, (perMember.get(b.member_id) ?? 0) + 1);
    const repeaters = [...perMember.values()].filter((c) => c >= 2).length;
    expect(d.figures.repeatPurchase).toEqual({ purchasers: perMember.size, repeaters, rate: repeaters / perMember.size });

    // Per location: both demo locations, adding up to the whole.
    expect(d.perLocation.map((l) => l.name).sort()).toEqual(['Ленина, 12', 'Мира, 3']);
    expect(d.perLocation.reduce((s, l) => s + l.purchases, 0)).toBe(d.totals.purchases);
    expect(d.perLocation.reduce((s, l) => s + l.pointsEarned, 0)).toBe(d.totals.earnedOnPurchases);
    expect(d.perLocation.reduce((s, l) => s + l.revenue, 0)).toBe(d.totals.revenue);

    // Week buckets over the same period hold the same totals.
    const w = await dashboard(t.deps, { businessId, from: fromDate, to: toDate, bucket: 'week' });
    expect(w.totals).toEqual(d.totals);
    expect(w.series.length).toBeGreaterThanOrEqual(16);
  });

  it('filtered by a location: only its purchases and their points', async () => {
    const today = localDateOf(t.clock.now(), TZ);
    const all = await dashboard(t.deps, { businessId, from: addDays(today, -150), to: today });
    const loc = all.perLocation[0];
    if (!loc?.locationId) throw new Error('no location');
    const d = await dashboard(t.deps, { businessId, from: addDays(today, -150), to: today, locationId: loc.locationId });
    const from = startOfLocalDay(addDays(today, -150), TZ);
    const to = startOfLocalDay(addDays(today, 1), TZ);
    const buys = (await t.db.selectFrom('purchases').select(['amount', 'occurred_at', 'earned_points', 'redeemed_points']).where('business_id', '=', businessId).where('location_id', '=', loc.locationId).execute())
      .filter((b) => b.occurred_at >= from && b.occurred_at < to);
    expect(d.totals.purchases).toBe(buys.length);
    expect(d.totals.purchaseAmount).toBe(buys.reduce((s, b) => s + b.amount, 0));
    expect(d.totals.earnedOnPurchases).toBe(buys.reduce((s, b) => s + b.earned_points, 0));
    expect(d.totals.redeemed).toBe(buys.reduce((s, b) => s + b.redeemed_points, 0));
    expect(d.totals.adjusted).toBe(0);
    expect(d.totals.expired).toBe(0);
    expect(d.perLocation).toEqual([loc]);
    expect(d.totals.purchases).toBeLessThan(all.totals.purchases);
  });

  it('refuses bad periods and unknown locations', async () => {
    const err = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof DomainError ? e.code : e));
    expect(await err(dashboard(t.deps, { businessId, from: '2026-03-10', to: '2026-03-01' }))).toBe('validation_failed');
    expect(await err(dashboard(t.deps, { businessId, from: '2026-13-01' }))).toBe('validation_failed');
    expect(await err(dashboard(t.deps, { businessId, from: '2020-01-01', to: '2026-01-01' }))).toBe('validation_failed');
    expect(await err(dashboard(t.deps, { businessId, locationId: '01a20771-32a6-7b76-a0fd-74d4d388d090' }))).toBe('location_not_found');
  });
});

describe('week buckets across a daylight-saving change (Europe/Berlin, 29 March 2026)', () => {
  it('puts each event in its local day and week; card opens by local weekday and hour; per-staff figures', async () => {
    const deps = at(t.deps, '2026-03-01T10:00:00Z');
    const b = await aBusiness(deps, { welcomeBonus: 0, earnRateBp: 1000 }, { timezone: 'Europe/Berlin' });
    const { staffId } = await inviteAndJoin(b.id);
    // Sunday 22 March 23:30 CET (UTC+1) → week of 16 March; Monday 23 March 00:30 CET → week of 23 March;
    // Sunday 29 March 23:30 CEST (UTC+2, the clocks moved that night) → still week of 23 March; Monday 30 March 00:30 CEST → week of 30 March.
    const moments = ['2026-03-22T22:30:00Z', '2026-03-22T23:30:00Z', '2026-03-29T21:30:00Z', '2026-03-29T22:30:00Z'];
    const ids: string[] = [];
    for (const [i, when] of moments.entries()) {
      const actor = i === 2 ? { type: 'staff' as const, id: staffId } : undefined;
      const { member } = await createMember(at(t.deps, when), { businessId: b.id, phone: nextPhone(), ...(actor ? { actor } : {}) });
      ids.push(member.id);
      await recordPurchase(at(t.deps, when), { businessId: b.id, member: { id: member.id }, amount: 1000_00 * (i + 1) });
      await recordCardOpen(at(t.deps, when), { businessId: b.id, memberId: member.id, source: i % 2 ? 'telegram' : 'web' });
    }
    await adjustPoints(at(t.deps, '2026-03-29T21:40:00Z'), { businessId: b.id, member: { id: ids[0] ?? '' }, points: 70, reason: 'gift', actor: { type: 'staff', id: staffId } });

    const now = at(t.deps, '2026-04-06T10:00:00Z');
    const w = await dashboard(now, { businessId: b.id, from: '2026-03-16', to: '2026-04-05', bucket: 'week' });
    expect(w.series.map((s) => [s.bucket, s.newMembers, s.purchases, s.revenue, s.earned])).toEqual([
      ['2026-03-16', 1, 1, 1000_00, 100],
      ['2026-03-23', 2, 2, 5000_00, 500],
      ['2026-03-30', 1, 1, 4000_00, 400],
    ]);
    expect(w.series.map((s) => s.members)).toEqual([1, 3, 4]);
    expect(w.series.map((s) => s.adjusted)).toEqual([0, 70, 0]);

    const d = await dashboard(now, { businessId: b.id, from: '2026-03-28', to: '2026-03-30' });
    expect(d.series.map((s) => [s.bucket, s.newMembers])).toEqual([['2026-03-28', 0], ['2026-03-29', 1], ['2026-03-30', 1]]);
    // The 29th has 23 hours; its last open is at 23:30 local, the next at 00:30 on the 30th.
    expect(d.cardOpens.total).toBe(2);
    expect(d.cardOpens.byWeekdayHour[6]?.[23]).toBe(1); // Sunday 23:00
    expect(d.cardOpens.byWeekdayHour[0]?.[0]).toBe(1); // Monday 00:00
    expect(w.cardOpens.total).toBe(4);
    expect(w.cardOpens.byWeekdayHour.flat().reduce((s, x) => s + x, 0)).toBe(4);

    expect(w.perStaff).toEqual([expect.objectContaining({ staffId, membersRegistered: 1, pointsIssued: 70 })]);
    expect(w.perLocation).toEqual([{ locationId: null, name: null, purchases: 4, revenue: 10_000_00, pointsEarned: 1000 }]);
  });
});

async function inviteAndJoin(businessId: string): Promise<{ staffId: string }> {
  const { token } = await inviteStaff(t.deps, { cli: true }, { businessId, role: 'manager', name: 'Mia' });
  const s = await acceptInviteWithPassword(t.deps, { inviteToken: token, name: 'Mia', email: `mia.${process.pid}@shop.test`, password: 'a long enough password' });
  const staff = await authenticateStaff(t.deps, s.sessionToken);
  if (!staff) throw new Error('no staff');
  return { staffId: staff.id };
}
