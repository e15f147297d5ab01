// /revenue (issue 7, R31): the business's total takings per local day and location, and the dashboard's share of
// revenue from members built on them. Setting is idempotent by nature and audited once per change; bad input (a day
// in the future or too old, a negative or fractional amount, an unknown or foreign location, a till's key naming
// another location, a day mixing whole-business and per-location takings) is refused with every bad row listed and
// nothing changed; cashiers may not read or enter takings; each business sees only its own.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addLocation } from '../src/app/addLocation.js';
import { createApiKey } from '../src/app/apiKeys.js';
import { addDays, type TakingsDay } from '../src/core/index.js';
import { failure, useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';
import { panelCall, panelSession, type Json, type PanelSession } from './support/panel.js';
import { aStaff } from './support/staff.js';

const h = useApi();

type Session = PanelSession;
const session = (businessId: string, email: string) => panelSession(h, businessId, email);
const call = (who: Session, method: string, path: string, body?: unknown) => panelCall(h, who, method, path, body);

async function raw(apiKey: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await h.fetch(`${h.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
}

/** Every stored row of the business, straight from the table. */
async function stored(businessId: string): Promise<{ day: string; location_id: string | null; amount: number; source: string; updated_by: string }[]> {
  const r = await sql<{ day: string; location_id: string | null; amount: string; source: string; updated_by: string }>`
    select to_char(day, 'YYYY-MM-DD') as day, location_id, amount, source, updated_by from revenue_days where business_id = ${businessId} order by day, location_id nulls first`.execute(h.t.db);
  return r.rows.map((x) => ({ ...x, amount: Number(x.amount) }));
}

const auditOf = async (businessId: string) =>
  (await sql<{ details: Json; amount: number | null; staff_role: string }>`select details, amount, staff_role from audit_log where business_id = ${businessId} and action = 'revenue.takings_set' order by id`.execute(h.t.db)).rows;

describe('PUT/GET /revenue', () => {
  it('a business without locations sets a day, the same amount again changes nothing, a change is audited with the amount before', async () => {
    const shop = await h.business();
    const { today } = await shop.api.revenue.list();
    const yesterday = addDays(today, -1);

    const first = await shop.api.revenue.set(yesterday, { amount: 45_000_00 });
    expect(first).toMatchObject({ day: yesterday, locationId: null, locationName: null, amount: 45_000_00, source: 'api', changed: true });
    expect(first.updatedBy).toMatch(/^api_key:/);
    expect(await shop.api.revenue.set(yesterday, { amount: 45_000_00 })).toMatchObject({ amount: 45_000_00, changed: false });
    expect(await shop.api.revenue.set(yesterday, { amount: 47_500_50 })).toMatchObject({ amount: 47_500_50, changed: true });
    await shop.api.revenue.set(today, { amount: 0 });

    expect(await stored(shop.id)).toEqual([
      { day: yesterday, location_id: null, amount: 47_500_50, source: 'api', updated_by: first.updatedBy },
      { day: today, location_id: null, amount: 0, source: 'api', updated_by: first.updatedBy },
    ]);
    const audit = await auditOf(shop.id);
    expect(audit.map((a) => [a.details.day, a.details.before, a.amount])).toEqual([[yesterday, null, 45_000_00], [yesterday, 45_000_00, 47_500_50], [today, null, 0]]);
    const list = await shop.api.revenue.list({ from: addDays(today, -7), to: today });
    expect(list.items.map((i) => [i.day, i.amount])).toEqual([[yesterday, 47_500_50], [today, 0]]);
    expect((await shop.api.revenue.list({ from: addDays(today, -7), to: addDays(today, -2) })).items).toEqual([]);
  });

  it('refuses bad input with a clear problem and changes nothing', async () => {
    const shop = await h.business();
    const { today } = await shop.api.revenue.list();
    await shop.api.revenue.set(today, { amount: 100_00 });
    const before = await stored(shop.id);

    const cases: [string, unknown, number, string][] = [
      [addDays(today, 1), { amount: 100 }, 400, 'validation_failed'], // the future
      [addDays(today, -401), { amount: 100 }, 400, 'validation_failed'], // too old
      ['2026-02-30', { amount: 100 }, 400, 'validation_failed'], // no such date
      ['yesterday', { amount: 100 }, 400, 'validation_failed'],
      [today, { amount: -1 }, 400, 'validation_failed'],
      [today, { amount: 10.5 }, 400, 'validation_failed'],
      [today, { amount: '100' }, 400, 'validation_failed'],
      [today, {}, 400, 'validation_failed'],
      [today, { amount: 100, extra: 1 }, 400, 'validation_failed'],
      [today, { amount: 100, locationId: '01a20771-32a6-7b76-a0fd-74d4d388d090' }, 404, 'location_not_found'],
      [today, { amount: 100, locationId: 'not-a-uuid' }, 404, 'location_not_found'],
    ];
    for (const [day, body, status, code] of cases) {
      const r = await raw(shop.apiKey, 'PUT', `/revenue/${day}`, body);
      expect([day, body, r.status, r.body.code]).toEqual([day, body, status, code]);
      expect(r.body.detail).toEqual(expect.any(String));
    }
    const future = await raw(shop.apiKey, 'PUT', `/revenue/${addDays(today, 1)}`, { amount: 100 });
    expect(future.body.detail).toMatch(/future/);
    expect((await raw(shop.apiKey, 'GET', '/revenue?from=2026-13-01')).status).toBe(400);
    expect((await raw(shop.apiKey, 'GET', `/revenue?from=${today}&to=${addDays(today, -1)}`)).body.code).toBe('validation_failed');
    expect(await stored(shop.id)).toEqual(before);
    expect(await auditOf(shop.id)).toHaveLength(1);
  });

  it('bulk: all days or none, every bad row listed', async () => {
    const shop = await h.business();
    const lenina = await addLocation(h.t.deps, { businessId: shop.id, name: 'Ленина' });
    const mira = await addLocation(h.t.deps, { businessId: shop.id, name: 'Мира' });
    const { today } = await shop.api.revenue.list();
    const d = (n: number) => addDays(today, -n);

    const bad = await failure(shop.api.revenue.setMany({ days: [
      { day: d(1), locationId: lenina.id, amount: 30_000_00 },
      { day: addDays(today, 2), locationId: lenina.id, amount: 30_000_00 },
      { day: d(2), locationId: '01a20771-32a6-7b76-a0fd-74d4d388d090', amount: 1 },
      { day: d(1), locationId: lenina.id, amount: 5 },
      { day: d(3), locationId: mira.id, amount: 20_000_00 },
      { day: d(3), amount: 50_000_00 }, // the whole business on a day that has per-location takings
    ] }));
    expect(bad).toMatchObject({ status: 400, code: 'validation_failed' });
    const rows = (bad.problem.rows as { index: number; message: string }[]);
    expect(rows.map((r) => r.index)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.message).toMatch(/future/);
    expect(rows[1]!.message).toMatch(/no such location/);
    expect(rows[2]!.message).toMatch(/twice/);
    expect(rows[3]!.message).toMatch(/whole business/);
    expect(String(bad.problem.detail)).toMatch(/5 of 6 rows are wrong, nothing was saved/);
    // Schema-level errors (a negative amount) are listed per row too.
    const neg = await raw(shop.apiKey, 'POST', '/revenue', { days: [{ day: d(1), amount: -5 }, { day: d(2), amount: 1.5 }] });
    expect(neg.status).toBe(400);
    expect(neg.body.errors.map((e: { path: string }) => e.path)).toEqual(['days.0.amount', 'days.1.amount']);
    expect((await raw(shop.apiKey, 'POST', '/revenue', { days: [] })).status).toBe(400);
    expect(await stored(shop.id)).toEqual([]);

    const ok = await shop.api.revenue.setMany({ days: [
      { day: d(1), locationId: lenina.id, amount: 30_000_00 },
      { day: d(1), locationId: mira.id, amount: 20_000_00 },
      { day: d(2), locationId: lenina.id, amount: 31_000_00 },
    ] });
    expect(ok.changed).toBe(3);
    expect(ok.items.map((i) => i.locationName)).toEqual(['Ленина', 'Мира', 'Ленина']);
    const again = await shop.api.revenue.setMany({ days: [{ day: d(1), locationId: lenina.id, amount: 30_000_00 }, { day: d(2), locationId: lenina.id, amount: 32_000_00 }] });
    expect(again.items.map((i) => i.changed)).toEqual([false, true]);
    expect((await stored(shop.id)).map((r) => [r.day, r.location_id, r.amount])).toEqual(
      [[d(2), lenina.id, 32_000_00], [d(1), lenina.id, 30_000_00], [d(1), mira.id, 20_000_00]].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))),
    );
    // The whole business's takings for a day that has a location's are refused on the single form too.
    expect(await failure(shop.api.revenue.set(d(1), { amount: 1 }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((await shop.api.revenue.list({ from: d(1), to: d(1), locationId: mira.id })).items.map((i) => i.amount)).toEqual([20_000_00]);
  });

  it('a till\'s key tied to a location enters and reads that location\'s takings only', async () => {
    const shop = await h.business();
    const here = await addLocation(h.t.deps, { businessId: shop.id, name: 'Тверская' });
    const other = await addLocation(h.t.deps, { businessId: shop.id, name: 'Арбат' });
    const till = h.client((await createApiKey(h.t.deps, { businessId: shop.id, name: 'till', locationId: here.id })).key);
    const { today } = await shop.api.revenue.list();
    expect(await till.revenue.set(today, { amount: 12_345_00 })).toMatchObject({ locationId: here.id, locationName: 'Тверская', changed: true });
    expect(await failure(till.revenue.set(today, { amount: 1, locationId: other.id }))).toMatchObject({ status: 403, code: 'forbidden' });
    const bulk = await failure(till.revenue.setMany({ days: [{ day: today, locationId: other.id, amount: 1 }] }));
    expect(bulk).toMatchObject({ status: 400, code: 'validation_failed' });
    await shop.api.revenue.set(today, { amount: 9_000_00, locationId: other.id });
    expect((await till.revenue.list()).items.map((i) => i.locationId)).toEqual([here.id]);
    expect((await shop.api.revenue.list()).items).toHaveLength(2);
    expect((await stored(shop.id)).map((r) => r.amount).sort()).toEqual([9_000_00, 12_345_00].sort());
  });

  it('staff: a manager enters takings from the panel; a cashier may neither read nor enter them', async () => {
    const shop = await h.business();
    const { today } = await shop.api.revenue.list();
    const manager = await aStaff(h, shop.id, 'manager');
    const m = await session(shop.id, manager.email);
    const set = await call(m, 'PUT', `/revenue/${today}`, { amount: 5_000_00 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ source: 'panel', updatedBy: `staff:${manager.id}`, changed: true });
    expect((await call(m, 'GET', '/revenue')).body.items).toHaveLength(1);
    expect((await auditOf(shop.id))[0]?.staff_role).toBe('manager');

    const cashier = await aStaff(h, shop.id, 'cashier');
    const c = await session(shop.id, cashier.email);
    for (const [method, path, body] of [['PUT', `/revenue/${today}`, { amount: 1 }], ['POST', '/revenue', { days: [{ day: today, amount: 1 }] }], ['GET', '/revenue', undefined]] as const) {
      const r = await call(c, method, path, body);
      expect([method, r.status, r.body.code]).toEqual([method, 403, 'forbidden']);
    }
    expect((await stored(shop.id)).map((r) => r.amount)).toEqual([5_000_00]);
  });

  it('each business sees and changes only its own', async () => {
    const a = await h.business();
    const b = await h.business();
    const loc = await addLocation(h.t.deps, { businessId: a.id, name: 'A' });
    const { today } = await a.api.revenue.list();
    await a.api.revenue.set(today, { amount: 7_000_00, locationId: loc.id });
    expect((await b.api.revenue.list()).items).toEqual([]);
    expect(await failure(b.api.revenue.set(today, { amount: 1, locationId: loc.id }))).toMatchObject({ status: 404, code: 'location_not_found' });
    expect(await failure(b.api.revenue.list({ locationId: loc.id }))).toMatchObject({ status: 404, code: 'location_not_found' });
    expect(await stored(b.id)).toEqual([]);
    expect((await stored(a.id)).map((r) => r.amount)).toEqual([7_000_00]);
  });
});

describe('the dashboard\'s share of revenue from members', () => {
  it('members\' purchases less refunds on the days with takings ÷ those takings, per location, honest about coverage', async () => {
    const shop = await h.business();
    const lenina = await addLocation(h.t.deps, { businessId: shop.id, name: 'Ленина' });
    const mira = await addLocation(h.t.deps, { businessId: shop.id, name: 'Мира' });
    const { today } = await shop.api.revenue.list();

    const none = await shop.api.admin.dashboard();
    expect(none.memberShare).toEqual({ days: 30, daysWithTakings: 0, takings: 0, memberRevenue: 0, share: null });

    const m1 = await shop.api.members.create({ phone: nextPhone() });
    const m2 = await shop.api.members.create({ phone: nextPhone() });
    await shop.api.purchases.create({ member: { id: m1.id }, amount: 1_000_00, locationId: lenina.id });
    const p2 = await shop.api.purchases.create({ member: { id: m2.id }, amount: 600_00, locationId: lenina.id });
    await shop.api.purchases.create({ member: { id: m2.id }, amount: 400_00, locationId: mira.id });
    await shop.api.purchases.refund(p2.purchaseId, { amount: 100_00 });

    // Only Lenina's takings are entered today: Mira's member purchase is left out (its takings are unknown).
    await shop.api.revenue.set(today, { amount: 3_000_00, locationId: lenina.id });
    const d = await shop.api.admin.dashboard();
    expect(d.memberShare).toEqual({ days: 30, daysWithTakings: 1, takings: 3_000_00, memberRevenue: 1_500_00, share: 0.5 });
    expect(d.totals.revenue).toBe(1_900_00);

    await shop.api.revenue.set(today, { amount: 1_600_00, locationId: mira.id });
    expect((await shop.api.admin.dashboard()).memberShare).toEqual({ days: 30, daysWithTakings: 1, takings: 4_600_00, memberRevenue: 1_900_00, share: 1_900_00 / 4_600_00 });
    expect((await shop.api.admin.dashboard({ locationId: mira.id })).memberShare).toEqual({ days: 30, daysWithTakings: 1, takings: 1_600_00, memberRevenue: 400_00, share: 0.25 });
    // A day with takings but no member purchases counts in the coverage and the takings.
    await shop.api.revenue.set(addDays(today, -3), { amount: 2_000_00, locationId: lenina.id });
    expect((await shop.api.admin.dashboard({ from: addDays(today, -6), to: today })).memberShare).toEqual({ days: 7, daysWithTakings: 2, takings: 6_600_00, memberRevenue: 1_900_00, share: 1_900_00 / 6_600_00 });
    // A period without takings days.
    expect((await shop.api.admin.dashboard({ from: addDays(today, -2), to: addDays(today, -1) })).memberShare).toMatchObject({ days: 2, daysWithTakings: 0, share: null });
    const rows: TakingsDay[] = await h.t.deps.uow.run((repos) => repos.reports.listTakings(shop.id, { from: addDays(today, -30), to: today }));
    expect(rows).toHaveLength(3);
  });
});
