// The dashboard equals the ledger for the demo data: `kopilka demo`'s coffee shop (the same runDemo, fewer members),
// its owner signs in to the panel with the demo's printed password, and every figure the page shows (members, new,
// active 30/90, points earned / redeemed / expired in the period, outstanding points and their money, expiring in
// 30 days, repeat-purchase rate, members' revenue, purchases, the per-location and per-staff rows, the points chart's
// accessible summary) is read from the DOM and compared with the same figure computed here straight from the ledger
// tables (postings, lots, transactions, purchases, refunds) by SQL of its own — never through the dashboard use case.
// Then the period and the location filters change, and the comparison is made again. Every request the page makes is
// to its own server. The share of revenue from members is compared too: the demo enters the till's total takings per
// location for most days (revenue_days), and the page's share and "based on N of M days" are recomputed here from
// those rows and the purchases and refunds on the same local days and locations. Screenshots: test-results/screenshots/admin-dashboard-demo-*.png.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoSummary } from '../../src/cli/demo.js';
import { useApi } from '../support/apiServer.js';
import { launchChromium, SCREENSHOTS } from '../support/chromium.js';

const h = useApi({ cardApp: true });
let browser: Browser;
let demo: DemoSummary;
const TZ = 'Europe/Moscow';

beforeAll(async () => {
  browser = await launchChromium();
  demo = await runDemo(h.t.deps, { info: () => undefined }, { members: 80 });
}, 240_000);
afterAll(async () => {
  await browser?.close();
});

const n = (v: unknown): number => Number(v ?? 0);

/** A number as the page shows it ("12 345", "1 234,5 %", "−3"), in either language. */
const numOf = (text: string): number => {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(/\u2212/g, '-').replace(',', '.').replace(/[^0-9.-]/g, '');
  expect(cleaned, `"${text}" is not a number`).toMatch(/^-?\d+(\.\d+)?$/);
  return Number(cleaned);
};
/** Money as the page shows it ("12 345,67 ₽"), in minor units. */
const moneyOf = (text: string): number => Math.round(numOf(text) * 100);

interface Expected {
  members: number;
  newMembers: number;
  active30: number;
  active90: number;
  earned: number;
  redeemed: number;
  expired: number;
  outstanding: number;
  outstandingMoney: number;
  expiring: number;
  repeatPct: number | null;
  revenue: number;
  purchases: number;
  perLocation: Map<string | null, [number, number, number]>;
  perStaff: Map<string, [number, number]>;
  /** Share of revenue from members in % (one decimal), and the days with takings of the period's days. */
  share: { pct: number | null; covered: number; days: number };
}

/** The local date (YYYY-MM-DD) of an instant in the demo's time zone. */
const localDay = (at: Date): string => new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/**
 * The dashboard's figures for the last `days` local days up to today (and one location), from the ledger's own
 * tables: points from postings (lot balances for what is outstanding), money from purchases and refunds.
 */
async function fromLedger(businessId: string, days: number, locationId: string | null): Promise<Expected> {
  const db = h.t.db;
  const now = h.t.clock.now();
  const b = (
    await sql<{ from: Date; to: Date }>`
      select ((((${now}::timestamptz at time zone ${TZ})::date - ${days - 1}::int))::timestamp at time zone ${TZ}) as from,
             ((((${now}::timestamptz at time zone ${TZ})::date + 1))::timestamp at time zone ${TZ}) as to`.execute(db)
  ).rows[0]!;
  const from = b.from;
  const to = b.to;
  const inPeriod = (x: Date) => x >= from && x < to;

  // (registered_by_staff is not in the Kysely schema: read with SQL.)
  const members = (await sql<{ created_at: Date; registered_by_staff: string | null }>`select created_at, registered_by_staff from members where business_id = ${businessId}`.execute(db)).rows;
  const purchases = await db.selectFrom('purchases').select(['id', 'member_id', 'amount', 'occurred_at', 'location_id']).where('business_id', '=', businessId).execute();
  const atLocation = (p: { location_id: string | null }) => locationId === null || p.location_id === locationId;
  const purchaseById = new Map(purchases.map((p) => [p.id, p]));
  const refunds = await db.selectFrom('purchase_refunds').select(['purchase_id', 'amount', 'created_at']).where('business_id', '=', businessId).execute();
  const postings = await sql<{ type: string; purchase_id: string | null; actor_type: string; actor_id: string | null; created_at: Date; source: string; destination: string; amount: number }>`
    select t.type, t.purchase_id, t.actor_type, t.actor_id, t.created_at, p.source, p.destination, p.amount
      from postings p join ledger_transactions t on t.business_id = p.business_id and t.id = p.transaction_id
     where p.business_id = ${businessId}`.execute(db);
  // With a location: the points of that location's purchases only.
  const flows = postings.rows.filter((p) => inPeriod(p.created_at) && (locationId === null || (p.purchase_id !== null && purchaseById.get(p.purchase_id)?.location_id === locationId)));
  const sumOf = (rows: typeof flows, f: (p: (typeof flows)[number]) => boolean) => rows.reduce((s, p) => s + (f(p) ? n(p.amount) : 0), 0);

  // Each lot's balance from its postings; what is not expired yet is the liability.
  const lots = await sql<{ id: string; activates_at: Date; expires_at: Date | null; balance: number }>`
    select l.id, l.activates_at, l.expires_at,
           (coalesce(sum(p.amount) filter (where p.destination = 'member'), 0) - coalesce(sum(p.amount) filter (where p.source = 'member'), 0))::bigint as balance
      from lots l join postings p on p.business_id = l.business_id and p.lot_id = l.id
     where l.business_id = ${businessId}
     group by l.id, l.activates_at, l.expires_at`.execute(db);
  const live = lots.rows.filter((l) => l.expires_at === null || l.expires_at > now);
  const outstanding = live.reduce((s, l) => s + n(l.balance), 0);
  const in30 = new Date(now.getTime() + 30 * 86_400_000);
  const expiring = live.filter((l) => l.expires_at !== null && l.expires_at <= in30).reduce((s, l) => s + n(l.balance), 0);

  const activeSince = (ms: number) => new Set(purchases.filter((p) => atLocation(p) && p.occurred_at.getTime() > now.getTime() - ms && p.occurred_at <= now).map((p) => p.member_id)).size;
  const bought = purchases.filter((p) => atLocation(p) && inPeriod(p.occurred_at));
  const perMember = new Map<string, number>();
  for (const p of bought) perMember.set(p.member_id, (perMember.get(p.member_id) ?? 0) + 1);
  const repeaters = [...perMember.values()].filter((k) => k >= 2).length;
  const refundedAt = (loc: (p: { location_id: string | null }) => boolean) =>
    refunds.filter((r) => inPeriod(r.created_at) && loc(purchaseById.get(r.purchase_id)!)).reduce((s, r) => s + r.amount, 0);

  const perLocation = new Map<string | null, [number, number, number]>();
  const locations = await db.selectFrom('locations').select(['id', 'name']).where('business_id', '=', businessId).execute();
  for (const l of [...locations.map((x) => ({ id: x.id as string | null, name: x.name as string | null })), { id: null, name: null }]) {
    if (locationId !== null && l.id !== locationId) continue;
    const here = (p: { location_id: string | null }) => p.location_id === l.id;
    const count = purchases.filter((p) => here(p) && inPeriod(p.occurred_at)).length;
    const revenue = purchases.filter((p) => here(p) && inPeriod(p.occurred_at)).reduce((s, p) => s + p.amount, 0) - refundedAt(here);
    const earned = sumOf(postings.rows.filter((p) => inPeriod(p.created_at)), (p) => p.type === 'earn' && p.source === 'issued' && p.purchase_id !== null && purchaseById.get(p.purchase_id)?.location_id === l.id);
    // A location is listed; "no location" only when something happened without one.
    if (l.id !== null || count > 0 || revenue !== 0 || earned > 0) perLocation.set(l.name, [count, revenue, earned]);
  }

  const perStaff = new Map<string, [number, number]>();
  const staff = await db.selectFrom('staff').select(['id', 'name', 'status']).where('business_id', '=', businessId).execute();
  for (const s of staff) {
    const registered = members.filter((m) => m.registered_by_staff === s.id && inPeriod(m.created_at)).length;
    const issued = sumOf(flows, (p) => p.actor_type === 'staff' && p.actor_id === s.id && p.source === 'issued');
    if (s.status !== 'removed' || registered > 0 || issued > 0) perStaff.set(s.name, [registered, issued]);
  }

  // Members' share: the takings rows of the period's local days (of the location, if one), and members' purchases less
  // refunds on exactly those days and locations (a row without a location would cover the whole day).
  const takingsRows = (await sql<{ day: string; location_id: string | null; amount: string }>`
    select to_char(day, 'YYYY-MM-DD') as day, location_id, amount from revenue_days where business_id = ${businessId}`.execute(db)).rows
    .filter((r) => r.day >= localDay(from) && r.day <= localDay(new Date(to.getTime() - 1)) && (locationId === null || r.location_id === locationId));
  const covers = (day: string, loc: string | null) => takingsRows.some((r) => r.day === day && (r.location_id === null || r.location_id === loc));
  const takings = takingsRows.reduce((s, r) => s + n(r.amount), 0);
  const memberRevenue = purchases.filter((p) => inPeriod(p.occurred_at) && covers(localDay(p.occurred_at), p.location_id)).reduce((s, p) => s + p.amount, 0)
    - refunds.filter((r) => inPeriod(r.created_at) && covers(localDay(r.created_at), purchaseById.get(r.purchase_id)!.location_id)).reduce((s, r) => s + r.amount, 0);
  const share = { pct: takings > 0 ? Math.round((memberRevenue / takings) * 1000) / 10 : null, covered: new Set(takingsRows.map((r) => r.day)).size, days };

  return {
    members: members.length,
    newMembers: members.filter((m) => inPeriod(m.created_at)).length,
    active30: activeSince(30 * 86_400_000),
    active90: activeSince(90 * 86_400_000),
    earned: sumOf(flows, (p) => p.source === 'issued' && p.type !== 'adjust'),
    redeemed: sumOf(flows, (p) => p.destination === 'redeemed'),
    expired: sumOf(flows, (p) => p.destination === 'expired'),
    outstanding,
    outstandingMoney: outstanding * (await h.client(demo.apiKey).program.get()).pointValue,
    expiring,
    repeatPct: perMember.size > 0 ? Math.round((repeaters / perMember.size) * 1000) / 10 : null,
    revenue: bought.reduce((s, p) => s + p.amount, 0) - refundedAt(atLocation),
    purchases: bought.length,
    perLocation,
    perStaff,
    share,
  };
}

/** The figures as the page shows them. */
async function fromPage(page: Page) {
  const fig = (id: string) => page.locator(`[data-testid="${id}"] strong`).innerText();
  const [outPoints = '', outMoney = ''] = (await fig('fig-outstanding')).split('·');
  const repeat = await fig('fig-repeat');
  const rows = async (id: string) => page.locator(`[data-testid="${id}"] tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  const perLocation = new Map<string | null, [number, number, number]>();
  for (const [name = '', purchases = '', revenue = '', earned = ''] of await rows('per-location')) perLocation.set(name === 'Без точки' ? null : name, [numOf(purchases), moneyOf(revenue), numOf(earned)]);
  const perStaff = new Map<string, [number, number]>();
  for (const [name = '', registered = '', issued = ''] of await rows('per-staff')) perStaff.set(name, [numOf(registered), numOf(issued)]);
  const shareText = await fig('fig-member-share');
  const basis = page.locator('[data-testid="share-basis"]');
  const [covered = 0, days = 0] = (await basis.count()) > 0 ? ((await basis.innerText()).match(/\d+/g) ?? []).map(Number) : [0, 0];
  return {
    members: numOf(await fig('fig-members')),
    newMembers: numOf(await fig('fig-new')),
    active30: numOf(await fig('fig-active30')),
    active90: numOf(await fig('fig-active90')),
    earned: numOf(await fig('fig-earned')),
    redeemed: numOf(await fig('fig-redeemed')),
    expired: numOf(await fig('fig-expired')),
    outstanding: numOf(outPoints),
    outstandingMoney: moneyOf(outMoney),
    expiring: numOf(await fig('fig-expiring')),
    repeatPct: repeat.trim() === '—' ? null : numOf(repeat),
    revenue: moneyOf(await fig('fig-revenue')),
    purchases: numOf(await fig('fig-purchases')),
    perLocation,
    perStaff,
    share: { pct: shareText.trim() === '—' ? null : numOf(shareText), covered, days },
  };
}

/** Changes a filter and waits for the figures drawn from the new answer. */
async function choose(page: Page, name: 'period' | 'location', value: string): Promise<void> {
  const old = await page.locator('[data-testid="fig-members"]').elementHandle();
  await page.locator(`select[name="${name}"]`).selectOption(value);
  await page.waitForFunction((el) => !el?.isConnected, old, { timeout: 15_000 });
  await page.locator('[data-testid="fig-members"]').waitFor();
}

async function compare(page: Page, days: number, locationId: string | null, shotName: string): Promise<Expected> {
  const expected = await fromLedger(demo.businessId, days, locationId);
  const shown = await fromPage(page);
  expect(shown).toEqual(expected);
  // The points chart says its sums in words (role="img" + aria-label), and each bar has its own title.
  const chart = page.locator('svg.chart').first();
  const label = (await chart.getAttribute('aria-label')) ?? '';
  const sums = Object.fromEntries(label.split('. ').slice(1).join('. ').split('; ').map((part) => [part.split(':')[0]?.trim(), numOf(part.split(':')[1] ?? '')]));
  expect(sums).toEqual({ Начислено: expected.earned, Списано: expected.redeemed, Сгорело: expected.expired });
  const bars = await chart.locator('rect.bar').count();
  expect(bars).toBeGreaterThan(0);
  expect(await chart.locator('rect.bar > title').count()).toBe(bars);
  writeFileSync(path.join(SCREENSHOTS, `admin-dashboard-demo-${shotName}.png`), await page.screenshot({ fullPage: true }));
  return expected;
}

describe('the dashboard on the demo data', () => {
  it('shows the ledger\'s figures, for every period and location chosen', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // The demo's owner signs in with the password `kopilka demo` prints.
    await page.goto(`${h.url}/admin/?b=${demo.businessId}`);
    await page.getByLabel('Эл. почта').fill(demo.owner.email);
    await page.getByLabel('Пароль').fill(demo.owner.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.locator('[data-testid="fig-members"]').waitFor({ timeout: 15_000 });

    // The last 30 days, all locations: the demo's activity is all there.
    const all30 = await compare(page, 30, null, '30');
    expect(all30.members).toBe(80);
    for (const k of ['earned', 'redeemed', 'outstanding', 'outstandingMoney', 'expiring', 'revenue', 'purchases', 'active30'] as const) expect(all30[k], k).toBeGreaterThan(0);
    expect(all30.perLocation.size).toBe(2);
    // The demo's takings: most of the last days (not today's, not yet in), members about half of them.
    expect(all30.share.covered).toBeGreaterThan(20);
    expect(all30.share.covered).toBeLessThan(30);
    expect(all30.share.pct).toBeGreaterThanOrEqual(40);
    expect(all30.share.pct).toBeLessThanOrEqual(70);
    expect([...all30.perStaff.values()].filter(([, issued]) => issued > 0)).toHaveLength(2); // the two cashiers

    await choose(page, 'period', '90');
    const all90 = await compare(page, 90, null, '90');
    expect(all90.expired).toBeGreaterThan(0);
    expect(all90.newMembers).toBeGreaterThan(0);

    // One location, then a year of it in weeks.
    const locations = await h.t.db.selectFrom('locations').select(['id', 'name']).where('business_id', '=', demo.businessId).orderBy('name').execute();
    const mira = locations.find((l) => l.name === 'Мира, 3')!;
    await choose(page, 'location', mira.id);
    const mira90 = await compare(page, 90, mira.id, '90-mira');
    expect(mira90.purchases).toBeGreaterThan(0);
    expect(mira90.purchases).toBeLessThan(all90.purchases);
    expect([...mira90.perLocation.keys()]).toEqual(['Мира, 3']);
    await choose(page, 'period', '365');
    await compare(page, 365, mira.id, '365-mira');
    await choose(page, 'location', '');
    await choose(page, 'period', '7');
    await compare(page, 7, null, '7');

    // Nothing was fetched from anywhere but this server.
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((u) => new URL(u).origin !== h.url)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
