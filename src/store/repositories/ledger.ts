import { sql, type Kysely, type Selectable } from 'kysely';
import type { LedgerRepository, LotRepository } from '../../core/index.js';
import type { Database, LotsTable } from '../schema.js';
import { totalSpentQuery } from './purchases.js';
import { writeLedger } from './ledgerWrite.js';
import { toLot } from './rows.js';

export function lotRepository(db: Kysely<Database>): LotRepository {
  return {
    // Lots are only changed under their member's lock (see MemberRepository.lock), so they need no row locks here.
    async open(businessId, memberId, spentSince) {
      if (spentSince === undefined) {
        const rows = await db
          .selectFrom('lots')
          .selectAll()
          .where('business_id', '=', businessId)
          .where('member_id', '=', memberId)
          .where(sql<boolean>`remaining > 0`) // a literal, so a cached plan can still use the partial index lots_open
          .execute();
        return { lots: rows.map(toLot), totalSpent: 0 };
      }
      // The total rides along on every row (and on a lone row when there are no lots).
      const rows = await sql<Selectable<LotsTable> & { total_spent: number; id: string | null }>`
        select l.*, s.total_spent from (${totalSpentQuery(businessId, memberId, spentSince)}) s
        left join lots l on l.business_id = ${businessId} and l.member_id = ${memberId} and l.remaining > 0
      `.execute(db);
      const lots = rows.rows.filter((r) => r.id !== null).map((r) => toLot(r));
      return { lots, totalSpent: rows.rows[0]?.total_spent ?? 0 };
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
  };
}
