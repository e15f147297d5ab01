// The set-based import (chunks of rows per statement) leaves exactly the ledger that the ordinary use cases, one row at
// a time, leave: the same members, balances, lots, postings, ledger sequences and events; the ledger invariants hold.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustPoints } from '../src/app/adjustPoints.js';
import { createMember } from '../src/app/createMember.js';
import { importMembers, type ImportResult } from '../src/app/imports.js';
import { cardNumberFromRandom, isValidCardNumber } from '../src/core/index.js';
import { seededRandom } from '../src/core/seededRandom.js';
import { aBusiness } from './support/factories.js';
import { checkLedgerInvariants } from './support/invariants.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const ROWS = 3000;
const phoneOf = (i: number) => `+7916555${String(i).padStart(4, '0')}`;
/** Every 5th row is a member already; every 11th row has no points; every 4th new row brings its own card. */
const isExisting = (i: number) => i % 5 === 0;
const pointsOf = (i: number) => (i % 11 === 0 ? 0 : ((i * 37) % 5000) + 1);

interface FileRow {
  phone: string;
  name: string;
  birthday: string;
  email: string;
  card: string;
  points: number;
}

function fileRows(): FileRow[] {
  const random = seededRandom(7);
  const cards = new Set<string>();
  return Array.from({ length: ROWS }, (_, i) => {
    let card = '';
    if (!isExisting(i) && i % 4 === 1) {
      do card = cardNumberFromRandom(random);
      while (cards.has(card));
      cards.add(card);
    }
    return { phone: phoneOf(i), name: i % 3 === 0 ? '' : `Клиент ${i}`, birthday: i % 7 === 0 ? '1990-05-17' : '', email: i % 6 === 0 ? `c${i}@example.com` : '', card, points: pointsOf(i) };
  });
}

const csvOf = (rows: FileRow[]) =>
  new TextEncoder().encode(['phone;name;birthday;email;card;points', ...rows.map((r) => [r.phone, r.name, r.birthday, r.email, r.card, r.points === 0 ? '' : String(r.points)].join(';'))].join('\n'));
const mapping = { phone: 'phone', name: 'name', birthday: 'birthday', email: 'email', card: 'card', balance: 'points' };

/** Members who were there before: some points, some of them partly written off (lots partly spent). */
async function seedExisting(businessId: string) {
  for (let i = 0; i < ROWS; i += 5) {
    await createMember(t.deps, { businessId, phone: phoneOf(i), name: `Был ${i}` });
    if (i % 10 === 0) await adjustPoints(t.deps, { businessId, member: { phone: phoneOf(i) }, points: 300 + i, reason: 'before' });
    if (i % 20 === 0) await adjustPoints(t.deps, { businessId, member: { phone: phoneOf(i) }, points: -120, reason: 'before' });
  }
}

/** The same rows through the ordinary use cases, one at a time (a few at once, as separate requests would). */
async function rowByRow(businessId: string, rows: FileRow[], reason: string) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < rows.length; i = next++) {
      const r = rows[i] as FileRow;
      if (!isExisting(i)) await createMember(t.deps, { businessId, phone: r.phone, name: r.name || null, birthday: r.birthday || null, email: r.email || null });
      if (r.points > 0) await adjustPoints(t.deps, { businessId, member: { phone: r.phone }, points: r.points, reason });
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

/** Everything a member's ledger is, by phone (ids and times of writing left out). */
async function ledgerOf(businessId: string) {
  const members = await sql<{ phone: string; name: string | null; birthday: string | null; email: string | null; blocked: boolean; ledger_seq: string; card_number: string }>`
    select phone, name, birthday::text, email, blocked, ledger_seq::text, card_number from members where business_id = ${businessId} order by phone`.execute(t.db);
  const lots = await sql<{ phone: string; lots: string }>`
    select m.phone, string_agg(concat_ws('/', l.amount, l.remaining, l.expired_points, l.activates_at, l.expires_at), ' | ' order by l.amount, l.remaining, l.expires_at) as lots
      from lots l join members m on m.business_id = l.business_id and m.id = l.member_id
     where l.business_id = ${businessId} group by m.phone`.execute(t.db);
  const txs = await sql<{ phone: string; txs: string }>`
    select m.phone, string_agg(concat_ws('/', x.type, x.points, x.balance_after, x.reason, x.actor_type), ' ' order by x.reason, x.points, x.balance_after) as txs
      from ledger_transactions x join members m on m.business_id = x.business_id and m.id = x.member_id
     where x.business_id = ${businessId} group by m.phone`.execute(t.db);
  const postings = await sql<{ phone: string; source: string; destination: string; amount: string; n: number }>`
    select m.phone, p.source, p.destination, sum(p.amount)::text as amount, count(*)::int as n
      from postings p join members m on m.business_id = p.business_id and m.id = p.member_id
     where p.business_id = ${businessId} group by m.phone, p.source, p.destination order by 1, 2, 3`.execute(t.db);
  const byPhone = <T extends { phone: string }>(rows: T[]) => Object.fromEntries(rows.map(({ phone, ...rest }) => [phone, rest]));
  return {
    members: members.rows.map(({ card_number: _card, ...m }) => m),
    lots: byPhone(lots.rows),
    txs: byPhone(txs.rows),
    postings: postings.rows,
    available: await balances(businessId),
  };
}

async function balances(businessId: string) {
  const r = await sql<{ phone: string; available: string }>`
    select m.phone, coalesce(sum(l.remaining) filter (where l.activates_at <= ${t.clock.now()} and (l.expires_at is null or l.expires_at > ${t.clock.now()})), 0)::text as available
      from members m left join lots l on l.business_id = m.business_id and l.member_id = m.id
     where m.business_id = ${businessId} group by m.phone order by m.phone`.execute(t.db);
  return r.rows;
}

async function eventCounts(businessId: string, afterId: number) {
  const r = await sql<{ type: string; n: number }>`
    select type, count(*)::int as n from outbox_events where business_id = ${businessId} and id > ${afterId} group by type order by type`.execute(t.db);
  return Object.fromEntries(r.rows.map((e) => [e.type, e.n]));
}
const lastEventId = async () => Number((await sql<{ id: string | null }>`select max(id)::text as id from outbox_events`.execute(t.db)).rows[0]?.id ?? 0);

describe('a bulk import', () => {
  it('of 3,000 rows (new and matched members, zero balances, a card column) leaves the ledger the ordinary use cases leave', async () => {
    t.clock.set(new Date('2026-03-10T09:00:00Z'));
    const program = { welcomeBonus: 0, pointsLifetimeDays: 180 };
    const imported = await aBusiness(t.deps, program);
    const reference = await aBusiness(t.deps, program);
    await seedExisting(imported.id);
    await seedExisting(reference.id);
    const rows = fileRows();
    const newRows = rows.filter((_, i) => !isExisting(i));

    const importedFrom = await lastEventId();
    const progress: number[] = [];
    const result: ImportResult = await importMembers(t.deps, {
      businessId: imported.id, fileName: 'bulk.csv', content: csvOf(rows), mapping, expiresOn: null, dryRun: false, matchExisting: true, onProgress: (p) => progress.push(p.done),
    });
    const points = rows.reduce((s, r) => s + r.points, 0);
    expect(result.totals).toEqual({ rows: ROWS, ok: ROWS, bad: 0, newMembers: newRows.length, matchedMembers: ROWS - newRows.length, points });
    const importedEvents = await eventCounts(imported.id, importedFrom);

    const referenceFrom = await lastEventId();
    await rowByRow(reference.id, rows, 'import bulk.csv');
    const referenceEvents = await eventCounts(reference.id, referenceFrom);

    const a = await ledgerOf(imported.id);
    const b = await ledgerOf(reference.id);
    expect(a.members).toEqual(b.members);
    expect(a.available).toEqual(b.available);
    expect(a.lots).toEqual(b.lots);
    expect(a.txs).toEqual(b.txs);
    expect(a.postings).toEqual(b.postings);
    expect(importedEvents).toEqual(referenceEvents);
    expect(importedEvents).toEqual({ 'member.created': newRows.length, 'points.adjusted': rows.filter((r) => r.points > 0).length });
    // Not a vacuous comparison: matched members kept their earlier lots (some partly spent) and got one more.
    expect(Number(a.available.find((m) => m.phone === phoneOf(20))?.available)).toBe(300 + 20 - 120 + pointsOf(20));
    expect(a.lots[phoneOf(20)]?.lots.split(' | ')).toHaveLength(2);
    expect(Object.keys(a.lots)).toHaveLength(new Set([...rows.filter((r) => r.points > 0).map((r) => r.phone), ...rows.filter((_, i) => i % 10 === 0).map((r) => r.phone)]).size);

    // The card column's numbers are the members' cards; the others got new valid, distinct numbers.
    const cards = await sql<{ phone: string; card_number: string }>`select phone, card_number from members where business_id = ${imported.id}`.execute(t.db);
    const cardOf = new Map(cards.rows.map((m) => [m.phone, m.card_number]));
    for (const r of newRows.filter((x) => x.card)) expect(cardOf.get(r.phone)).toBe(r.card);
    expect(new Set(cardOf.values()).size).toBe(cardOf.size);
    expect([...cardOf.values()].every(isValidCardNumber)).toBe(true);

    // Each row's events as one row at a time records them: the member, then their points, with the payloads consumers read.
    const events = await sql<{ id: string; type: string; payload: Record<string, any> }>`
      select id::text, type, payload from outbox_events where business_id = ${imported.id} and id > ${importedFrom} order by id`.execute(t.db);
    const seen = events.rows.map((e) => (e.type === 'member.created' ? `c:${e.payload.member.phone}` : `p:${e.payload.memberId}`));
    const idOf = new Map((await t.db.selectFrom('members').select(['id', 'phone']).where('business_id', '=', imported.id).execute()).map((m) => [m.phone, m.id]));
    const expected = rows.flatMap((r, i) => [...(isExisting(i) ? [] : [`c:${r.phone}`]), ...(r.points > 0 ? [`p:${idOf.get(r.phone)}`] : [])]);
    expect(seen).toEqual(expected);
    const created = events.rows.find((e) => e.type === 'member.created' && e.payload.member.phone === phoneOf(7));
    const member7 = await t.db.selectFrom('members').selectAll().where('business_id', '=', imported.id).where('phone', '=', phoneOf(7)).executeTakeFirstOrThrow();
    expect(created?.payload).toEqual({
      member: { id: member7.id, cardNumber: member7.card_number, phone: phoneOf(7), name: 'Клиент 7', birthday: '1990-05-17', email: null, blocked: false, createdAt: '2026-03-10T09:00:00.000Z' },
      welcomeBonus: 0, joinedInTelegram: false, imported: true,
    });
    const adjusted = events.rows.find((e) => e.type === 'points.adjusted' && e.payload.memberId === idOf.get(phoneOf(20)));
    const tx20 = await t.db.selectFrom('ledger_transactions').selectAll().where('business_id', '=', imported.id).where('member_id', '=', idOf.get(phoneOf(20)) as string).where('reason', '=', 'import bulk.csv').executeTakeFirstOrThrow();
    expect(adjusted?.payload).toEqual({ memberId: idOf.get(phoneOf(20)), transactionId: tx20.id, points: pointsOf(20), reason: 'import bulk.csv', balance: 300 + 20 - 120 + pointsOf(20) });
    expect(tx20.meta).toEqual({ importId: result.importId, row: 22 });

    // Progress moved chunk by chunk, up to every row.
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toBe(ROWS);
    expect(progress.every((d, i) => i === 0 || d >= (progress[i - 1] as number))).toBe(true);
    const record = await sql<{ status: string; rows_done: number }>`select status, rows_done::int from imports where id = ${result.importId}`.execute(t.db);
    expect(record.rows).toEqual([{ status: 'done', rows_done: ROWS }]);
  }, 300_000);

  it('keeps the ledger invariants; a drawn card number already taken is drawn again for that row only; the same file twice, even at once, adds nothing', async () => {
    t.clock.set(new Date('2026-03-11T09:00:00Z'));
    const business = await aBusiness(t.deps, { welcomeBonus: 25 });
    await seedExisting(business.id);
    const holder = await createMember(t.deps, { businessId: business.id, phone: '+79165559999' });
    // The first card drawn is the holder's: the digits of their number, as cardNumberFromRandom reads them.
    const digits = [...holder.member.cardNumber.slice(0, 9)].map(Number);
    const replay = [(digits[0] as number) - 1 + 0.5, ...digits.slice(1).map((d) => d + 0.5)].map((x, i) => (i === 0 ? x / 9 : x / 10));
    const fallback = seededRandom(11);
    let draws = 0;
    const random = () => (draws < replay.length ? (replay[draws++] as number) : fallback());
    const rows = fileRows().map((r) => ({ ...r, card: '' }));
    const input = { businessId: business.id, fileName: 'again.csv', content: csvOf(rows), mapping, expiresOn: '2026-12-31', dryRun: false as const, matchExisting: true };
    const before = await balances(business.id);
    const result = await importMembers(t.deps, input, { random });
    expect(draws).toBe(replay.length);
    expect(result.totals).toMatchObject({ rows: ROWS, ok: ROWS, newMembers: 2400 });
    const holderNow = await t.db.selectFrom('members').select('phone').where('business_id', '=', business.id).where('card_number', '=', holder.member.cardNumber).execute();
    expect(holderNow).toEqual([{ phone: '+79165559999' }]);
    await checkLedgerInvariants(t.db);

    const added = new Map(rows.map((r) => [r.phone, r.points]));
    const was = new Map(before.map((m) => [m.phone, Number(m.available)]));
    const after = await balances(business.id);
    for (const m of after) expect(Number(m.available)).toBe((was.get(m.phone) ?? 0) + (added.get(m.phone) ?? 0));
    const seqs = await sql<{ bad: number }>`
      select count(*)::int as bad from members m
       where m.business_id = ${business.id}
         and m.ledger_seq <> (select count(*) from ledger_transactions x where x.business_id = m.business_id and x.member_id = m.id)`.execute(t.db);
    expect(seqs.rows[0]?.bad).toBe(0);

    // The same file again, twice at once: both replay the first result, nothing is added.
    const events = await lastEventId();
    const [x, y] = await Promise.all([importMembers(t.deps, input), importMembers(t.deps, input)]);
    expect([x.replayed, y.replayed]).toEqual([true, true]);
    expect([x.importId, y.importId]).toEqual([result.importId, result.importId]);
    expect(await balances(business.id)).toEqual(after);
    expect(await lastEventId()).toBe(events);
    await checkLedgerInvariants(t.db);
  }, 300_000);

  it('two imports of a new file at once: one writes it, the other waits and replays its result', async () => {
    t.clock.set(new Date('2026-03-12T09:00:00Z'));
    const business = await aBusiness(t.deps, {});
    const rows = fileRows().slice(0, 1200).map((r, i) => ({ ...r, phone: `+7916777${String(i).padStart(4, '0')}`, card: '' }));
    const input = { businessId: business.id, fileName: 'twice.csv', content: csvOf(rows), mapping, expiresOn: null, dryRun: false as const };
    const [x, y] = await Promise.all([importMembers(t.deps, input), importMembers(t.deps, input)]);
    expect([x.replayed, y.replayed].sort()).toEqual([false, true]);
    expect(y.importId).toBe(x.importId);
    const n = await sql<{ members: number; lots: number }>`
      select (select count(*) from members where business_id = ${business.id})::int as members,
             (select count(*) from lots where business_id = ${business.id})::int as lots`.execute(t.db);
    expect(n.rows[0]).toEqual({ members: 1200, lots: rows.filter((r) => r.points > 0).length });
    await checkLedgerInvariants(t.db);
  }, 120_000);
});
