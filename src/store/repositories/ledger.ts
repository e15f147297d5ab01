import { sql, type Kysely } from 'kysely';
import type { LedgerRepository, LotRepository } from '../../core/index.js';
import type { Database } from '../schema.js';
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
