// The demo produces a believable coffee shop through the real use cases, and the ledger stays consistent.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cardView } from '../src/app/cardView.js';
import { DEMO_NAME, runDemo } from '../src/cli/demo.js';
import { DomainError } from '../src/core/index.js';
import { checkLedgerInvariants } from './support/invariants.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  t.clock.set('2026-11-20T12:00:00Z');
});
afterAll(async () => {
  await t?.close();
});

it('fills six months of a coffee shop and refuses to run twice', async () => {
  const lines: string[] = [];
  const summary = await runDemo(t.deps, { info: (l) => lines.push(l) }, { members: 60 });
  expect(summary.members).toBe(60);
  expect(summary.purchases).toBeGreaterThan(200);
  expect(summary.redemptions).toBeGreaterThan(10);
  expect(summary.expiredPoints).toBeGreaterThan(0);
  const types = await sql<{ type: string; n: number }>`select type, count(*)::int as n from ledger_transactions group by type`.execute(t.db);
  const seen = new Set(types.rows.map((r) => r.type));
  for (const ty of ['welcome', 'earn', 'redeem', 'expire', 'refund', 'adjust']) expect(seen).toContain(ty);
  const span = await sql<{ first: Date; last: Date }>`select min(occurred_at) as first, max(occurred_at) as last from purchases`.execute(t.db);
  const days = (span.rows[0]!.last.getTime() - span.rows[0]!.first.getTime()) / 86_400_000;
  expect(days).toBeGreaterThan(150);
  expect(span.rows[0]!.last.getTime()).toBeLessThanOrEqual(t.clock.now().getTime());
  await checkLedgerInvariants(t.db);
  await expect(runDemo(t.deps, { info: () => undefined }, { members: 5 })).rejects.toBeInstanceOf(DomainError);
});

it("has a business profile and a formatted Info page, as the card app's info screen shows them", async () => {
  const business = await t.deps.uow.run((repos) => repos.businesses.findByName(DEMO_NAME));
  const member = (await sql<{ id: string }>`select id from members where business_id = ${business!.id} and blocked = false limit 1`.execute(t.db)).rows[0]!;
  const { info } = await cardView(t.deps, { businessId: business!.id, memberId: member.id });
  expect(info).toMatchObject({ address: expect.stringContaining('ул. Ленина, 12'), mapUrl: expect.stringMatching(/^https:\/\//), phone: '+74951234567' });
  expect(info.socialLinks.map((l) => l.kind)).toEqual(['vk', 'telegram']);
  expect(info.hours?.days.mon).toMatchObject({ open: '08:00', close: '22:00' });
  expect(info.hours?.days.sun).toMatchObject({ open: '10:00', close: '20:00' });
  for (const tag of ['<h2>', '<strong>', '<ul>', '<li>', '<a href="https://vk.com/kopilka_demo_coffee"']) expect(info.html).toContain(tag);
});
