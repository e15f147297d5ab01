import { sql, type Kysely } from 'kysely';
import type { PurchaseRepository } from '../../core/index.js';
import type { Database } from '../schema.js';
import { toPurchase, toRefund } from './rows.js';

export function purchaseRepository(db: Kysely<Database>): PurchaseRepository {
  return {
    async totals(businessId, from, to) {
      const r = await sql<{ purchases: number; amount: number; earned: number; redeemed: number; new_members: number }>`
        select count(*)::int as purchases, coalesce(sum(amount), 0)::bigint as amount,
               coalesce(sum(earned_points), 0)::bigint as earned, coalesce(sum(redeemed_points), 0)::bigint as redeemed,
               (select count(*)::int from members m where m.business_id = ${businessId} and m.created_at >= ${from} and m.created_at < ${to}) as new_members
          from purchases where business_id = ${businessId} and created_at >= ${from} and created_at < ${to}`.execute(db);
      const row = r.rows[0];
      return { purchases: Number(row?.purchases ?? 0), amount: Number(row?.amount ?? 0), earned: Number(row?.earned ?? 0), redeemed: Number(row?.redeemed ?? 0), newMembers: Number(row?.new_members ?? 0) };
    },
    async get(businessId, id) {
      const row = await db.selectFrom('purchases').selectAll().where('business_id', '=', businessId).where('id', '=', id).executeTakeFirst();
      return row ? toPurchase(row) : null;
    },
    async findByExternalId(businessId, externalId) {
      const row = await db
        .selectFrom('purchases')
        .selectAll()
        .where('business_id', '=', businessId)
        .where('external_id', '=', externalId)
        .executeTakeFirst();
      return row ? toPurchase(row) : null;
    },
    async totalSpent(businessId, memberId, since) {
      const r = await sql<{ total_spent: number }>`${totalSpentQuery(businessId, memberId, since)}`.execute(db);
      return r.rows[0]?.total_spent ?? 0;
    },
    async refunds(businessId, purchaseId) {
      const rows = await db
        .selectFrom('purchase_refunds')
        .selectAll()
        .where('business_id', '=', businessId)
        .where('purchase_id', '=', purchaseId)
        .orderBy('created_at')
        .execute();
      return rows.map(toRefund);
    },
    async items(businessId, purchaseId) {
      const rows = await db
        .selectFrom('purchase_items')
        .selectAll()
        .where('business_id', '=', businessId)
        .where('purchase_id', '=', purchaseId)
        .orderBy('line')
        .execute();
      return rows.map((r) => ({ sku: r.sku, name: r.name, category: r.category, quantity: r.quantity, price: r.price }));
    },
  };
}

/** Purchases less their refunds since `since` (null: all time), as one row with `total_spent`. */
export function totalSpentQuery(businessId: string, memberId: string, since: Date | null) {
  const from = since ?? new Date(0);
  return sql`
    select (coalesce((select sum(amount) from purchases
                       where business_id = ${businessId} and member_id = ${memberId} and occurred_at >= ${from}), 0)
          - coalesce((select sum(r.amount) from purchase_refunds r
                       join purchases p on p.business_id = r.business_id and p.id = r.purchase_id
                      where r.business_id = ${businessId} and r.member_id = ${memberId} and p.occurred_at >= ${from}), 0))::bigint
           as total_spent`;
}
