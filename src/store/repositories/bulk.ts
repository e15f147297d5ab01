// Set-based writes for imports: many members inserted, locked, or credited per statement, each row as the one-member
// write (MemberRepository.insert, .lock, LedgerRepository.write) would have left it.
import { sql, type Kysely } from 'kysely';
import type { LedgerCredits, Member } from '../../core/index.js';
import type { Database } from '../schema.js';
import { json, newLotRows, postingRows, transactionRows } from './ledgerWrite.js';


/** MemberRepository.insertMany: one insert; the rows it left out are told apart by a second look at the phones. */
export async function insertMembers(db: Kysely<Database>, members: readonly Member[], credited: ReadonlySet<string> = new Set()): Promise<('ok' | 'phone_taken' | 'card_taken')[]> {
  if (members.length === 0) return [];
  const rows = members.map((m) => ({
    business_id: m.businessId,
    id: m.id,
    card_number: m.cardNumber,
    phone: m.phone,
    name: m.name,
    birthday: m.birthday,
    email: m.email,
    blocked: m.blocked,
    telegram_user_id: m.telegramUserId,
    telegram_username: m.telegramUsername,
    answers: m.answers,
    referred_by: m.referredBy,
    ledger_seq: credited.has(m.id) ? 1 : 0,
    created_at: m.createdAt.toISOString(),
  }));
  const inserted = await sql<{ id: string }>`
    insert into members (business_id, id, card_number, phone, name, birthday, email, blocked, telegram_user_id, telegram_username, answers, referred_by,
                         ledger_seq, created_at)
    select x.business_id, x.id, x.card_number, x.phone, x.name, x.birthday, x.email, x.blocked, x.telegram_user_id, x.telegram_username,
           x.answers, x.referred_by, x.ledger_seq, x.created_at
      from rows from (json_to_recordset(${json(rows)}::json)
        as (business_id uuid, id uuid, card_number text, phone text, name text, birthday date, email text, blocked boolean,
            telegram_user_id bigint, telegram_username text, answers jsonb, referred_by uuid, ledger_seq bigint, created_at timestamptz)) with ordinality as x
     order by x.ordinality
    on conflict do nothing
    returning id`.execute(db);
  const done = new Set(inserted.rows.map((r) => r.id));
  if (done.size === members.length) return members.map(() => 'ok');
  const left = members.filter((m) => !done.has(m.id));
  const taken = await sql<{ business_id: string; phone: string }>`
    select m.business_id, m.phone from members m
      join json_to_recordset(${json(left.map((m) => ({ business_id: m.businessId, phone: m.phone })))}::json) as x(business_id uuid, phone text)
        on m.business_id = x.business_id and m.phone = x.phone`.execute(db);
  const phones = new Set(taken.rows.map((r) => `${r.business_id}/${r.phone}`));
  return members.map((m) => (done.has(m.id) ? 'ok' : phones.has(`${m.businessId}/${m.phone}`) ? 'phone_taken' : 'card_taken'));
}

/** MemberRepository.lockMany: FOR NO KEY UPDATE as `lock` takes it, in id order. */
export async function lockMembers(db: Kysely<Database>, businessId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const r = await sql<{ id: string }>`
    select m.id from members m
     where m.business_id = ${businessId} and m.id = any(${[...ids]}::uuid[])
     order by m.id
       for no key update of m`.execute(db);
  return r.rows.map((row) => row.id);
}

/** LedgerRepository.writeMany: transactions, lots, postings, the members' ledger_seq and the events in one statement. */
export async function writeCredits(db: Kysely<Database>, w: LedgerCredits): Promise<void> {
  if (w.transactions.some((t) => t.debits.length > 0)) throw new Error('ledger: writeMany only credits (no debits)');
  // Each member's sequence once, but not a member inserted with the sequence already counting this write.
  const members = new Map<string, { business_id: string; member_id: string }>();
  for (const t of w.transactions) if (!w.inserted?.has(t.memberId)) members.set(`${t.businessId}/${t.memberId}`, { business_id: t.businessId, member_id: t.memberId });
  const txs = transactionRows(w.transactions);
  const lots = newLotRows(w.transactions);
  const postings = postingRows(w.transactions);
  const events = w.events.map((e) => ({ business_id: e.businessId, type: e.type, payload: e.payload }));
  const r = await sql<{ bumped: number }>`
    with ins_tx as (
      insert into ledger_transactions
      select * from json_populate_recordset(null::ledger_transactions, ${json(txs)}::json)
      returning 1
    ), ins_lots as (
      insert into lots (business_id, id, member_id, transaction_id, purchase_id, amount, remaining, activates_at, expires_at, created_at)
      select x.business_id, x.id, x.member_id, x.transaction_id, x.purchase_id, x.amount, x.amount, x.activates_at, x.expires_at, x.created_at
        from json_populate_recordset(null::lots, ${json(lots)}::json) as x
      returning 1
    ), ins_postings as (
      insert into postings (business_id, transaction_id, member_id, lot_id, source, destination, amount)
      select p.business_id, p.transaction_id, p.member_id, p.lot_id, p.source, p.destination, p.amount
        from rows from (json_to_recordset(${json(postings)}::json)
          as (business_id uuid, transaction_id uuid, member_id uuid, lot_id uuid, source text, destination text, amount bigint)) with ordinality as p
       order by p.ordinality
      returning 1
    ), bump as (
      update members set ledger_seq = members.ledger_seq + 1
        from json_to_recordset(${json([...members.values()])}::json) as b(business_id uuid, member_id uuid)
       where members.business_id = b.business_id and members.id = b.member_id
      returning 1
    ), ins_events as (
      -- In the given order, so the outbox ids follow it (as one write per member, one after another, numbered them).
      insert into outbox_events (business_id, type, payload, created_at)
      select e.business_id, e.type, e.payload, ${w.at}
        from rows from (json_to_recordset(${json(events)}::json) as (business_id uuid, type text, payload jsonb)) with ordinality as e
       order by e.ordinality
      returning 1
    )
    select (select count(*) from bump)::int as bumped,
           (select count(*) from ins_tx) + (select count(*) from ins_lots) + (select count(*) from ins_postings) + (select count(*) from ins_events) as written`.execute(db);
  // A member that is not there would keep credits its sequence does not count; fail the whole transaction instead.
  if ((r.rows[0]?.bumped ?? 0) !== members.size) throw new Error(`ledger: ${members.size - (r.rows[0]?.bumped ?? 0)} credited member(s) not found`);
}
