import { sql, type Kysely } from 'kysely';
import type { LedgerRepository, LotRepository } from '../../core/index.js';
import type { Database } from '../schema.js';
import { toLedgerEntry, toLot } from './rows.js';

export function lotRepository(db: Kysely<Database>): LotRepository {
  return {
    // Lots are only changed under their member's lock (see MemberRepository.lock), so they need no row locks here.
    async open(businessId, memberId) {
      const rows = await db
        .selectFrom('lots')
        .selectAll()
        .where('business_id', '=', businessId)
        .where('member_id', '=', memberId)
        .where('remaining', '>', 0)
        .execute();
      return rows.map(toLot);
    },
    async get(businessId, lotId) {
      const row = await db.selectFrom('lots').selectAll().where('business_id', '=', businessId).where('id', '=', lotId).executeTakeFirst();
      return row ? toLot(row) : null;
    },
  };
}

export function ledgerRepository(db: Kysely<Database>): LedgerRepository {
  return {
    // One statement: the transaction row, its new lots, the debits on existing lots and all postings.
    async record(tx) {
      const lots = tx.newLots.map((l) => ({
        id: l.id,
        purchase_id: l.purchaseId,
        amount: l.amount,
        activates_at: l.activatesAt.toISOString(),
        expires_at: l.expiresAt?.toISOString() ?? null,
      }));
      const debits = tx.debits.filter((d) => d.points > 0).map((d) => ({ lot_id: d.lotId, points: d.points }));
      const postings = tx.postings.map((p, i) => ({ seq: i, lot_id: p.lotId, source: p.source, destination: p.destination, amount: p.amount }));
      const result = await sql<{ debited: number }>`
        with t as (
          insert into ledger_transactions (business_id, id, member_id, type, points, balance_after, reason, actor_type, actor_id, purchase_id, meta, created_at)
          values (${tx.businessId}, ${tx.id}, ${tx.memberId}, ${tx.type}, ${tx.points}, ${tx.balanceAfter}, ${tx.reason},
                  ${tx.actor.type}, ${tx.actor.id}, ${tx.purchaseId}, ${JSON.stringify(tx.meta)}::jsonb, ${tx.createdAt})
          returning id
        ), new_lots as (
          insert into lots (business_id, id, member_id, transaction_id, purchase_id, amount, remaining, activates_at, expires_at, created_at)
          select ${tx.businessId}, x.id, ${tx.memberId}, ${tx.id}, x.purchase_id, x.amount, x.amount, x.activates_at, x.expires_at, ${tx.createdAt}
          from jsonb_to_recordset(${JSON.stringify(lots)}::jsonb)
            as x(id uuid, purchase_id uuid, amount bigint, activates_at timestamptz, expires_at timestamptz)
          returning id
        ), debited as (
          update lots set remaining = lots.remaining - d.points
          from jsonb_to_recordset(${JSON.stringify(debits)}::jsonb) as d(lot_id uuid, points bigint)
          where lots.business_id = ${tx.businessId} and lots.id = d.lot_id and lots.member_id = ${tx.memberId}
          returning lots.id
        ), posted as (
          insert into postings (business_id, transaction_id, member_id, lot_id, source, destination, amount)
          select ${tx.businessId}, ${tx.id}, ${tx.memberId}, p.lot_id, p.source, p.destination, p.amount
          from jsonb_to_recordset(${JSON.stringify(postings)}::jsonb)
            as p(seq int, lot_id uuid, source text, destination text, amount bigint)
          order by p.seq
          returning id
        )
        select (select count(*) from debited)::int as debited, (select count(*) from t)::int as t,
               (select count(*) from new_lots)::int as l, (select count(*) from posted)::int as p
      `.execute(db);
      const debited = result.rows[0]?.debited ?? 0;
      if (debited !== debits.length) throw new Error(`ledger: ${debits.length - debited} debited lot(s) not found`);
    },
    async history(businessId, memberId, limit, before) {
      let q = db
        .selectFrom('ledger_transactions')
        .selectAll()
        .where('business_id', '=', businessId)
        .where('member_id', '=', memberId);
      if (before) {
        q = q.where((eb) =>
          eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)])]),
        );
      }
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toLedgerEntry);
    },
  };
}
