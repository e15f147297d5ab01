// The admin panel's customer reads over real HTTP: the members list (every sort both ways, paged with no repeats or
// gaps; each filter), a member's lots, messages and purchases, the audit log, card opens, and tenant isolation.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { issueSignInToken } from '../src/app/cardSessions.js';
import type { MemberListItem, MemberListQuery } from '../src/client/adminReads.js';
import type { KopilkaClient } from '../src/client/index.js';
import { failure, useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';

const h = useApi();

async function all(api: KopilkaClient, query: MemberListQuery, limit = 2): Promise<MemberListItem[]> {
  const out: MemberListItem[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await api.admin.members.list({ ...query, limit, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error('too many pages');
}

async function shop() {
  const b = await h.business({ welcomeBonus: 0, earnRateBp: 1000, tiers: [{ id: 'silver', name: 'Silver', minTotalSpent: 3000_00, earnRateBp: 1000, maxRedeemBp: 3000 }, { id: 'gold', name: 'Gold', minTotalSpent: 8000_00, earnRateBp: 1000, maxRedeemBp: 3000 }] });
  const specs = [
    { name: 'Вера', birthday: '1990-05-01', email: 'vera@x.test', spend: [1000_00, 2500_00] },
    { name: 'anna', birthday: '1985-05-20', email: null, spend: [9000_00] },
    { name: 'Boris', birthday: '1970-12-03', email: 'b@x.test', spend: [] },
    { name: 'Анна', birthday: null, email: null, spend: [500_00] },
    { name: null, birthday: null, email: null, spend: [200_00, 200_00, 200_00] },
    { name: 'Carl', birthday: '2000-01-09', email: 'c@x.test', spend: [] },
    { name: 'boris', birthday: null, email: null, spend: [4000_00] },
  ];
  const members = [];
  for (const [i, s] of specs.entries()) {
    h.t.clock.advance(60_000);
    const m = await b.api.members.create({ phone: nextPhone(), name: s.name, birthday: s.birthday, email: s.email });
    for (const amount of s.spend) {
      h.t.clock.advance(60_000);
      await b.api.purchases.create({ member: { id: m.id }, amount, items: [{ sku: `s${i}`, name: 'Latte', quantity: 1, price: amount }] });
    }
    members.push(m);
  }
  return { ...b, members };
}

describe('GET /members: the list', () => {
  it('every sort, both ways, pages through all members once, in order', async () => {
    const { api, members } = await shop();
    const everyone = await api.admin.members.list({ limit: 100 });
    expect(everyone.items).toHaveLength(members.length);
    expect(everyone.nextCursor).toBeNull();
    const key: Record<NonNullable<MemberListQuery['sort']>, (m: MemberListItem) => number | string> = {
      created: (m) => new Date(m.createdAt).getTime(),
      lastPurchase: (m) => (m.lastPurchaseAt ? new Date(m.lastPurchaseAt).getTime() : -1),
      balance: (m) => m.balance.available,
      totalSpent: (m) => m.totalSpent,
      name: (m) => (m.name ?? '').toLowerCase(),
    };
    for (const sort of Object.keys(key) as (keyof typeof key)[]) {
      for (const order of ['asc', 'desc'] as const) {
        for (const limit of [1, 2, 3, 100]) {
          const got = await all(api, { sort, order }, limit);
          expect(new Set(got.map((m) => m.id)).size).toBe(members.length);
          // Neighbours are in order (ties by id, the same way).
          for (let i = 1; i < got.length; i++) {
            const [a, b] = [got[i - 1] as MemberListItem, got[i] as MemberListItem];
            const [ka, kb] = [key[sort](a), key[sort](b)];
            if (ka === kb) continue;
            if (sort === 'name') continue; // the database's collation decides; checked below
            expect(order === 'asc' ? ka < kb : ka > kb, `${sort} ${order} at ${i}`).toBe(true);
          }
        }
      }
    }
    const byName = await all(api, { sort: 'name', order: 'asc' }, 3);
    expect(byName[0]?.name).toBeNull(); // no name sorts first
    expect(byName.map((m) => m.totalSpent)).toEqual((await all(api, { sort: 'name', order: 'desc' }, 2)).reverse().map((m) => m.totalSpent));
  });

  it('filters: tier, last purchase, balance, birthday month, marketing consent, channel', async () => {
    const { api, id, members } = await shop();
    const ids = async (query: MemberListQuery) => (await all(api, query, 3)).map((m) => m.id).sort();
    const pick = (...i: number[]) => i.map((x) => members[x]?.id).sort();
    expect(await ids({ tier: 'gold' })).toEqual(pick(1));
    expect(await ids({ tier: 'silver' })).toEqual(pick(0, 6));
    expect(await ids({ tier: 'none' })).toEqual(pick(2, 3, 4, 5));
    expect(await ids({ birthdayMonth: 5 })).toEqual(pick(0, 1));
    expect(await ids({ balanceMin: 400 })).toEqual(pick(1, 6));
    expect(await ids({ balanceMin: 1, balanceMax: 100 })).toEqual(pick(3, 4));
    expect(await ids({ channel: 'email' })).toEqual(pick(0, 2, 5));
    const today = new Date(h.t.clock.now().getTime() + 3 * 3_600_000).toISOString().slice(0, 10); // Moscow date
    expect(await ids({ lastPurchaseAfter: today })).toEqual(pick(0, 1, 3, 4, 6));
    expect(await ids({ lastPurchaseBefore: today })).toEqual([]);
    // Marketing consent: the latest answer counts.
    await h.t.deps.uow.run(async (repos) => {
      const at = h.t.clock.now();
      await repos.members.addConsent({ businessId: id, memberId: members[2]?.id ?? '', kind: 'marketing', granted: true, textVersion: 'v1', channel: 'card', at });
      await repos.members.addConsent({ businessId: id, memberId: members[3]?.id ?? '', kind: 'marketing', granted: true, textVersion: 'v1', channel: 'card', at });
      await repos.members.addConsent({ businessId: id, memberId: members[3]?.id ?? '', kind: 'marketing', granted: false, textVersion: 'v1', channel: 'card', at });
    });
    expect(await ids({ marketing: true })).toEqual(pick(2));
    expect((await ids({ marketing: false })).length).toBe(6);
    expect(await ids({ marketing: true, channel: 'email', birthdayMonth: 12 })).toEqual(pick(2));
  });

  it('refuses bad parameters and cursors; lookups work as before', async () => {
    const { api, members } = await shop();
    for (const query of [{ sort: 'phone' }, { birthdayMonth: '13' }, { balanceMin: '-1' }, { tier: 'platinum' }, { cursor: 'nonsense' }, { lastPurchaseBefore: '2026-02-30x' }, { marketing: 'yes' }]) {
      expect(await failure(api.request('GET', '/members', { query }))).toMatchObject({ status: 400, code: 'validation_failed' });
    }
    const page = await api.admin.members.list({ sort: 'balance', limit: 2 });
    expect(await failure(api.admin.members.list({ sort: 'name', cursor: page.nextCursor ?? '' }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((await api.members.find({ phone: members[0]?.phone ?? '' })).map((m) => m.id)).toEqual([members[0]?.id]);
  });
});

describe('a member\'s lots, messages and purchases; the audit log; card opens', () => {
  it('shows them, pages them, and keeps other businesses out', async () => {
    const { api, id, members } = await shop();
    const vera = members[0];
    if (!vera) throw new Error('no member');
    await api.members.adjust(vera.id, { points: -50, reason: 'test' });
    const lots = await api.admin.members.lots(vera.id);
    expect(lots.map((l) => l.amount).sort((a, b) => a - b)).toEqual([100, 250]);
    expect(lots.reduce((s, l) => s + l.remaining, 0)).toBe(300);
    expect(lots.every((l) => l.state === 'active' && l.expiresAt === null || l.state === 'active')).toBe(true);

    const purchases = await api.admin.members.purchases(vera.id, { limit: 1 });
    expect(purchases.items).toHaveLength(1);
    expect(purchases.items[0]).toMatchObject({ amount: 2500_00, earnedPoints: 250, items: [{ sku: 's0', name: 'Latte', quantity: 1, price: 2500_00 }], refunds: [] });
    const rest = await api.admin.members.purchases(vera.id, { cursor: purchases.nextCursor ?? '' });
    expect(rest.items.map((p) => p.amount)).toEqual([1000_00]);
    expect(rest.nextCursor).toBeNull();

    await sql`insert into messages (business_id, id, key, member_id, kind, purpose, status, channel, send_after, body, created_at, sent_at)
              values (${id}, gen_random_uuid(), 'k1', ${vera.id}, 'earned', 'service', 'sent', 'telegram', now(), 'You earned 100 points', now() - interval '1 minute', now()),
                     (${id}, gen_random_uuid(), 'k2', ${vera.id}, 'broadcast', 'marketing', 'scheduled', null, now(), null, now(), null)`.execute(h.t.db);
    const messages = await api.admin.members.messages(vera.id, { limit: 1 });
    expect(messages.items).toMatchObject([{ kind: 'broadcast', status: 'scheduled', text: null }]);
    expect((await api.admin.members.messages(vera.id, { cursor: messages.nextCursor ?? '' })).items).toMatchObject([{ kind: 'earned', channel: 'telegram', text: 'You earned 100 points' }]);

    // Another business sees none of it.
    const other = await h.business();
    for (const path of ['lots', 'messages', 'purchases']) {
      expect(await failure(other.api.request('GET', `/members/${vera.id}/${path}`))).toMatchObject({ status: 404, code: 'member_not_found' });
    }
    expect((await other.api.admin.members.list()).items).toEqual([]);

    // Audit: filters by member, action and day; pages newest first.
    await h.t.deps.uow.run(async (repos) => {
      for (const [i, action] of ['points.adjust', 'chat.reply', 'points.adjust'].entries()) {
        await repos.staff.addAudit({ businessId: id, at: new Date(h.t.clock.now().getTime() + i), staffId: null, staffRole: 'owner', action, memberId: i < 2 ? vera.id : null, points: 5, issuedPoints: 5, amount: null, channel: 'admin', details: { i } });
      }
    });
    const adjustments = await api.admin.audit({ action: 'points.adjust', limit: 1 });
    expect(adjustments.items.map((e) => e.details.i)).toEqual([2]);
    expect((await api.admin.audit({ action: 'points.adjust', cursor: adjustments.nextCursor ?? '' })).items.map((e) => e.details.i)).toEqual([0]);
    expect((await api.admin.audit({ memberId: vera.id })).items.map((e) => e.details.i)).toEqual([1, 0]);
    expect((await api.admin.audit({ from: '2020-01-01', to: '2020-01-02' })).items).toEqual([]);
    expect((await other.api.admin.audit()).items).toEqual([]);

    // The card app's first screen records one card open.
    const { token } = await issueSignInToken(h.t.deps, { businessId: id, phone: vera.phone });
    const session = (await (await fetch(`${h.url}/api/card/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signInToken: token }) })).json()) as { sessionToken: string };
    const me = await fetch(`${h.url}/api/card/me`, { headers: { authorization: `Bearer ${session.sessionToken}` } });
    expect(me.status).toBe(200);
    const opens = await sql<{ source: string }>`select source from card_opens where business_id = ${id} and member_id = ${vera.id}`.execute(h.t.db);
    expect(opens.rows).toEqual([{ source: 'web' }]);
    const d = await api.admin.dashboard();
    expect(d.cardOpens.total).toBe(1);
    expect(d.totals.purchases).toBe(8);
  });
});
