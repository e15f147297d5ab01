// The platform operator's API through its typed client (src/client/operator.ts): sign-in and sign-out, each
// business's health with the figures the operator's page shows (time zone, currency, points outstanding — expired
// lots not counted —, last activity, staff and whether the owner has joined), the instance's latest backup, and a new
// business with its owner's invitation and panel links; a bad owner's name is said of that field and makes nothing.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createBusiness } from '../src/app/createBusiness.js';
import { createOperator } from '../src/app/operators.js';
import { createOperatorClient, OperatorError } from '../src/client/operator.js';
import type { FetchLike } from '../src/client/sessionCall.js';
import { useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';
import { aStaff } from './support/staff.js';

const h = useApi();

/** fetch with a cookie jar, as a browser keeps the operator's cookies. */
function browserLike(): { fetch: FetchLike; jar: Map<string, string> } {
  const jar = new Map<string, string>();
  const f: FetchLike = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      const value = pair!.slice(i + 1);
      if (value && !/max-age=0\b/i.test(line)) jar.set(pair!.slice(0, i), value);
      else jar.delete(pair!.slice(0, i));
    }
    return res;
  };
  return { fetch: f, jar };
}

const businessCount = async () => Number((await sql<{ n: string }>`select count(*) as n from businesses`.execute(h.t.db)).rows[0]!.n);

describe('the operator\'s API', () => {
  it('lists each business\'s health as its ledger has it, the latest backup, and makes a business with its owner\'s links', async () => {
    await createOperator(h.t.deps, { email: 'ops@platform.test', password: 'operator password 1' });
    const b = browserLike();
    const op = createOperatorClient({ baseUrl: h.url, fetch: b.fetch, csrfToken: () => b.jar.get('kopilka_csrf') });
    expect(await op.me()).toBeNull();
    const wrong = await op.signIn({ email: 'ops@platform.test', password: 'nope nope nope' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OperatorError);
    expect(wrong).toMatchObject({ status: 401, code: 'invalid_credentials' });
    await op.signIn({ email: 'OPS@platform.test', password: 'operator password 1' });
    expect(await op.me()).toMatchObject({ email: 'ops@platform.test' });

    // A: points that live 30 days, two members, one purchase, an owner. B: points that never expire, no owner.
    const a = await createBusiness(h.t.deps, { name: 'Кофейня', timezone: 'Asia/Yekaterinburg', currency: 'KZT', program: { welcomeBonus: 100, pointsLifetimeDays: 30, earnRateBp: 500 } });
    const aApi = h.client(a.apiKey);
    const aMembers = [(await aApi.members.create({ phone: nextPhone(), name: 'Ира' })).id, (await aApi.members.create({ phone: nextPhone(), name: 'Олег' })).id];
    await aApi.purchases.create({ member: { id: aMembers[0]! }, amount: 100_000 });
    await aStaff(h, a.business.id, 'owner', 'Анна');
    await aStaff(h, a.business.id, 'cashier', 'Касса');
    h.t.clock.advance(60_000);
    const bz = await createBusiness(h.t.deps, { name: 'Пекарня', program: { welcomeBonus: 50, pointsLifetimeDays: null } });
    const bApi = h.client(bz.apiKey);
    await bApi.members.create({ phone: nextPhone(), name: 'Пётр' });
    const activityB = h.t.clock.now().toISOString();

    let balanceA = 0;
    for (const id of aMembers) {
      const m = await aApi.members.get(id);
      balanceA += m.balance.available + m.balance.pending;
    }
    expect(balanceA).toBe(250); // two welcome bonuses and 5 % of 1,000.00
    const list = await op.businesses();
    expect(list.lastBackup).toBeNull();
    expect(list.businesses).toHaveLength(2);
    const [ha, hb] = list.businesses;
    expect(ha).toMatchObject({ id: a.business.id, name: 'Кофейня', timezone: 'Asia/Yekaterinburg', currency: 'KZT', members: 2, purchasesLast30Days: 1, outstandingPoints: balanceA, activeStaff: 2, ownerJoined: true });
    expect(Date.parse(ha!.lastActivityAt!)).toBeLessThan(Date.parse(activityB));
    expect(hb).toMatchObject({ id: bz.business.id, timezone: 'Europe/Moscow', currency: 'RUB', members: 1, purchasesLast30Days: 0, lastPurchaseAt: null, lastActivityAt: activityB, outstandingPoints: 50, activeStaff: 0, ownerJoined: false });

    // 31 days on (no expiry run yet): A's points have lapsed and are no longer outstanding; B's never lapse; a backup.
    h.t.clock.advanceDays(31);
    expect(await op.me()).toBeNull(); // the operator's session lasts 12 hours
    await op.signIn({ email: 'ops@platform.test', password: 'operator password 1' });
    await sql`insert into backups (id, kind, status, file, size, created_at, finished_at) values (gen_random_uuid(), 'daily', 'done', '/tmp/x.backup.gz', 10, ${h.t.clock.now()}, ${h.t.clock.now()})`.execute(h.t.db);
    const later = await op.businesses();
    expect(later.businesses.map((x) => [x.name, x.outstandingPoints, x.purchasesLast30Days])).toEqual([['Кофейня', 0, 0], ['Пекарня', 50, 0]]);
    expect(later.lastBackup).toEqual({ status: 'done', kind: 'daily', createdAt: h.t.clock.now().toISOString(), finishedAt: h.t.clock.now().toISOString() });

    // A bad owner's name is said of that field, and nothing is made.
    const before = await businessCount();
    const bad = await op.createBusiness({ name: 'Цветы', ownerName: '   ' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OperatorError);
    expect((bad as OperatorError).status).toBeLessThan(500);
    expect((bad as OperatorError).problem.errors?.map((e) => e.path)).toEqual(['ownerName']);
    const badZone = await op.createBusiness({ name: 'Цветы', timezone: 'Mars/Olympus', ownerName: 'Ирина' }).catch((e: unknown) => e);
    expect((badZone as OperatorError).problem.errors?.map((e) => e.path)).toEqual(['timezone']);
    expect(await businessCount()).toBe(before);

    const made = await op.createBusiness({ name: 'Цветы', timezone: 'Asia/Novosibirsk', currency: 'rub', ownerName: 'Ирина' });
    expect(made.adminUrl).toBe(`${h.url}/admin/?b=${made.businessId}`);
    expect(made.ownerInvitation.url).toMatch(new RegExp(`/cashier/\\?b=${made.businessId}#invite=ksi_`));
    expect(await businessCount()).toBe(before + 1);
    const third = (await op.businesses()).businesses.find((x) => x.id === made.businessId);
    expect(third).toMatchObject({ name: 'Цветы', timezone: 'Asia/Novosibirsk', currency: 'RUB', members: 0, outstandingPoints: 0, activeStaff: 0, ownerJoined: false, lastActivityAt: null });

    // Signed out: the cookie is gone and the list is closed.
    await op.signOut();
    expect(await op.me()).toBeNull();
    expect(await op.businesses().catch((e: unknown) => (e as OperatorError).status)).toBe(401);
  });
});
