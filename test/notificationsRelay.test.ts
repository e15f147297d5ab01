// The notifications relay on its own (no engine running): outbox events become messages once, with the business's
// settings, and stale events (more than a day old when seen) bring no notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchNotifications } from '../src/app/dispatchNotifications.js';
import { recordPurchase } from '../src/app/recordPurchase.js';
import { aBusiness, aMember } from './support/factories.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const messages = (businessId: string) => t.db.selectFrom('messages').select(['key', 'kind', 'status', 'vars']).where('business_id', '=', businessId).orderBy('key').execute();

describe('the notifications relay', () => {
  it('turns a purchase into its accrual notice once, however often it runs', async () => {
    const b = await aBusiness(t.deps, { welcomeBonus: 0 });
    const m = await aMember(t.deps, b.id);
    const p = await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 40_000 });
    await dispatchNotifications(t.deps, { businessId: b.id });
    await dispatchNotifications(t.deps, { businessId: b.id });
    const rows = await messages(b.id);
    expect(rows.filter((r) => r.kind === 'accrual')).toEqual([{ key: expect.stringMatching(/^earn:/), kind: 'accrual', status: 'scheduled', vars: { points: p.earnedPoints } }]);
  });

  it('an event seen more than a day after it happened brings no notice (bulk-loaded history, a long outage)', async () => {
    const b = await aBusiness(t.deps, { welcomeBonus: 0 });
    const m = await aMember(t.deps, b.id);
    await recordPurchase(t.deps, { businessId: b.id, member: { id: m.id }, amount: 40_000 });
    const dayLater = { ...t.deps, clock: { now: () => new Date(t.clock.now().getTime() + 25 * 3_600_000) } };
    const r = await dispatchNotifications(dayLater, { businessId: b.id });
    expect(r.events).toBeGreaterThan(0);
    expect((await messages(b.id)).filter((x) => x.kind === 'accrual' || x.kind === 'welcome')).toEqual([]);
  });
});
