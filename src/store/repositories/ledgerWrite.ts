// LedgerRepository.write: a whole points write as one SQL statement (data-modifying CTEs), so a purchase with a
// redemption and an accrual costs one round trip, not eight.
import { sql, type Kysely } from 'kysely';
import type { LedgerWrite, NewLedgerTransaction } from '../../core/index.js';
import type { Database } from '../schema.js';
import { COMMIT_AFTER } from '../preparingClient.js';

export const json = (rows: unknown[]) => JSON.stringify(rows);

/** The rows of ledger_transactions for a write, as jsonb_to_recordset reads them. */
export const transactionRows = (transactions: readonly NewLedgerTransaction[]) =>
  transactions.map((t) => ({
    business_id: t.businessId,
    id: t.id,
    member_id: t.memberId,
    type: t.type,
    points: t.points,
    balance_after: t.balanceAfter,
    reason: t.reason,
    actor_type: t.actor.type,
    actor_id: t.actor.id,
    purchase_id: t.purchaseId,
    meta: t.meta,
    created_at: t.createdAt.toISOString(),
  }));

/** The new lots of a write's transactions. */
export const newLotRows = (transactions: readonly NewLedgerTransaction[]) =>
  transactions.flatMap((t) =>
    t.newLots.map((l) => ({
      business_id: t.businessId,
      id: l.id,
      member_id: t.memberId,
      transaction_id: t.id,
      purchase_id: l.purchaseId,
      amount: l.amount,
      activates_at: l.activatesAt.toISOString(),
      expires_at: l.expiresAt?.toISOString() ?? null,
      created_at: t.createdAt.toISOString(),
    })),
  );

/** The postings of a write's transactions. */
export const postingRows = (transactions: readonly NewLedgerTransaction[]) =>
  transactions.flatMap((t) =>
    t.postings.map((p) => ({ business_id: t.businessId, transaction_id: t.id, member_id: t.memberId, lot_id: p.lotId, source: p.source, destination: p.destination, amount: p.amount })),
  );

export async function writeLedger(db: Kysely<Database>, w: LedgerWrite): Promise<void> {
  // One write is about one member: the member whose lock the caller holds, and whose ledger_seq and counters are bumped.
  const owner = w.transactions[0] ?? w.purchase ?? w.refund;
  if (w.transactions.some((t) => t.businessId !== owner?.businessId || t.memberId !== owner?.memberId)) {
    throw new Error('ledger: one write may only change one member');
  }
  const txs = transactionRows(w.transactions);
  const lots = newLotRows(w.transactions);
  const debitByLot = new Map<string, { business_id: string; member_id: string; lot_id: string; points: number }>();
  for (const t of w.transactions) {
    for (const d of t.debits) {
      if (d.points <= 0) continue;
      const prev = debitByLot.get(d.lotId);
      debitByLot.set(d.lotId, { business_id: t.businessId, member_id: t.memberId, lot_id: d.lotId, points: (prev?.points ?? 0) + d.points });
    }
  }
  const debits = [...debitByLot.values()];
  const postings = postingRows(w.transactions);
  const purchases = w.purchase
    ? [
        {
          business_id: w.purchase.businessId,
          id: w.purchase.id,
          member_id: w.purchase.memberId,
          amount: w.purchase.amount,
          redeemed_points: w.purchase.redeemedPoints,
          redeem_value: w.purchase.redeemValue,
          earned_points: w.purchase.earnedPoints,
          payable_amount: w.purchase.payableAmount,
          earn_lot_id: w.purchase.earnLotId,
          tier_id: w.purchase.tierId,
          external_id: w.purchase.externalId,
          location_id: w.purchase.locationId,
          occurred_at: w.purchase.occurredAt.toISOString(),
          created_at: w.purchase.createdAt.toISOString(),
        },
      ]
    : [];
  const refunds = w.refund
    ? [
        {
          business_id: w.refund.businessId,
          id: w.refund.id,
          purchase_id: w.refund.purchaseId,
          member_id: w.refund.memberId,
          amount: w.refund.amount,
          clawed_back_points: w.refund.clawedBackPoints,
          returned_points: w.refund.returnedPoints,
          absorbed_by_expiry: w.refund.absorbedByExpiry,
          shortfall: w.refund.shortfall,
          transaction_id: w.refund.transactionId,
          created_at: w.refund.createdAt.toISOString(),
        },
      ]
    : [];
  const items = w.purchase
    ? (w.items ?? []).map((it, line) => ({ business_id: w.purchase?.businessId, purchase_id: w.purchase?.id, line, sku: it.sku, name: it.name, category: it.category, quantity: it.quantity, price: it.price }))
    : [];
  const spentDelta = (w.purchase?.amount ?? 0) - (w.refund?.amount ?? 0);
  const countDelta = w.purchase ? 1 : 0;
  const events = w.events.map((e) => ({ business_id: e.businessId, type: e.type, payload: e.payload }));

  const r = await sql<{ debited: number; key_done: number }>`${sql.raw(w.last ? COMMIT_AFTER : '')}
    with ins_purchase as (
      insert into purchases
      select * from json_populate_recordset(null::purchases, ${json(purchases)}::json)
      returning 1
    ), ins_items as (
      insert into purchase_items
      select * from json_populate_recordset(null::purchase_items, ${json(items)}::json)
      returning 1
    ), ins_tx as (
      insert into ledger_transactions
      select * from json_populate_recordset(null::ledger_transactions, ${json(txs)}::json)
      returning 1
    ), ins_lots as (
      insert into lots (business_id, id, member_id, transaction_id, purchase_id, amount, remaining, activates_at, expires_at, created_at)
      select x.business_id, x.id, x.member_id, x.transaction_id, x.purchase_id, x.amount, x.amount, x.activates_at, x.expires_at, x.created_at
        from json_populate_recordset(null::lots, ${json(lots)}::json) as x
      returning 1
    ), debited as (
      update lots set remaining = lots.remaining - d.points
        from json_to_recordset(${json(debits)}::json) as d(business_id uuid, member_id uuid, lot_id uuid, points bigint)
       where lots.business_id = d.business_id and lots.id = d.lot_id and lots.member_id = d.member_id
      returning 1
    ), ins_postings as (
      insert into postings (business_id, transaction_id, member_id, lot_id, source, destination, amount)
      select p.business_id, p.transaction_id, p.member_id, p.lot_id, p.source, p.destination, p.amount
        from json_to_recordset(${json(postings)}::json)
          as p(business_id uuid, transaction_id uuid, member_id uuid, lot_id uuid, source text, destination text, amount bigint)
      returning 1
    ), ins_refund as (
      insert into purchase_refunds
      select * from json_populate_recordset(null::purchase_refunds, ${json(refunds)}::json)
      returning 1
    ), bump as (
      update members set ledger_seq = members.ledger_seq + 1, total_spent = members.total_spent + ${spentDelta},
                         purchases_count = members.purchases_count + ${countDelta}
       where members.business_id = ${owner?.businessId ?? null} and members.id = ${owner?.memberId ?? null}
      returning 1
    ), key_done as (
      insert into idempotency_keys (business_id, key, request_hash, result, created_at)
      select ${owner?.businessId ?? null}::uuid, ${w.idempotency?.key ?? null}::text, ${w.idempotency?.requestHash ?? null}::text,
             ${w.idempotency ? JSON.stringify(w.idempotency.result) : null}::json, ${w.at}::timestamptz
       where ${w.idempotency !== undefined}
      returning 1
    ), ins_events as (
      insert into outbox_events (business_id, type, payload, created_at)
      select e.business_id, e.type, e.payload, ${w.at}
        from json_to_recordset(${json(events)}::json) as e(business_id uuid, type text, payload jsonb)
      returning 1
    )
    select (select count(*) from debited)::int as debited,
           (select count(*) from ins_purchase) + (select count(*) from ins_items) + (select count(*) from ins_tx) + (select count(*) from ins_lots)
         + (select count(*) from ins_postings) + (select count(*) from ins_refund) + (select count(*) from ins_events)
         + (select count(*) from bump) as written, (select count(*) from key_done)::int as key_done,
           -- Checks that fail the statement itself (it may be committed together with its transaction): a debit that
           -- found no lot would lose points, and a key result must land on the key this transaction claimed.
           case when (select count(*) from debited) = ${debits.length} then 0
                else ('ledger: debited lots not found: ' || (select count(*) from debited))::int end as debit_check,
           case when not ${w.idempotency !== undefined} or (select count(*) from key_done) = 1 then 0
                else ('ledger: idempotency key not stored: ' || (select count(*) from key_done))::int end as key_check
  `.execute(db);
  const debited = r.rows[0]?.debited ?? 0;
  // A debit that found no lot would silently lose points; fail the whole transaction instead.
  if (debited !== debits.length) throw new Error(`ledger: ${debits.length - debited} debited lot(s) not found`);
  if (w.idempotency && r.rows[0]?.key_done !== 1) throw new Error(`ledger: idempotency key ${w.idempotency.key} was not stored`);
}
