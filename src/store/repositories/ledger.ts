import { sql, type Kysely } from 'kysely';
import type { ActorType, LedgerRepository, LotRepository } from '../../core/index.js';
import type { Database } from '../schema.js';
import { writeCredits } from './bulk.js';
import { writeLedger } from './ledgerWrite.js';
import { toLot } from './rows.js';

export function lotRepository(db: Kysely<Database>): LotRepository {
  return {
    // Lots are only changed under their member's lock (see MemberRepository.lock), so they need no row locks here.
    async open(businessId, memberId) {
      const rows = await db
        .selectFrom('lots')
        .selectAll()
        .where('business_id', '=', businessId)
        .where('member_id', '=', memberId)
        .where(sql<boolean>`remaining > 0`) // a literal, so a cached plan can still use the partial index lots_open
        .execute();
      return rows.map(toLot);
    },
    async openMany(businessId, memberIds) {
      if (memberIds.length === 0) return [];
      const rows = await db
        .selectFrom('lots')
        .selectAll()
        .where('business_id', '=', businessId)
        .where('member_id', 'in', [...memberIds])
        .where(sql<boolean>`remaining > 0`)
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
    write: (w) => writeLedger(db, w),
    writeMany: (w) => writeCredits(db, w),
    async history(businessId, memberId, limit, before) {
      let q = db
        .selectFrom('ledger_transactions')
        .selectAll()
        // Who did it by name: the staff member's or the API key's (as they are named now).
        .select(sql<string | null>`case ledger_transactions.actor_type
            when 'staff' then (select s.name from staff s where s.business_id = ledger_transactions.business_id and s.id::text = ledger_transactions.actor_id)
            when 'api_key' then (select k.name from api_keys k where k.business_id = ledger_transactions.business_id and k.id::text = ledger_transactions.actor_id)
          end`.as('actor_name'))
        .where('business_id', '=', businessId)
        .where('member_id', '=', memberId);
      if (before) q = q.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(before.createdAt, before.id)));
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        id: r.id,
        memberId: r.member_id,
        type: r.type,
        points: r.points,
        balanceAfter: r.balance_after,
        reason: r.reason,
        actor: { type: r.actor_type as ActorType, id: r.actor_id },
        actorName: r.actor_name,
        purchaseId: r.purchase_id,
        createdAt: r.created_at,
      }));
    },
  };
}
