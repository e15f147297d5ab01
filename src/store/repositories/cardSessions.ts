import type { Kysely } from 'kysely';
import type { CardSessionRepository } from '../../core/index.js';
import type { Database } from '../schema.js';

export function cardSessionRepository(db: Kysely<Database>): CardSessionRepository {
  return {
    async addSignInToken(t) {
      await db.insertInto('sign_in_tokens').values({ token_hash: t.tokenHash, business_id: t.businessId, member_id: t.memberId, expires_at: t.expiresAt }).execute();
    },
    async useSignInToken(tokenHash, at) {
      const row = await db
        .updateTable('sign_in_tokens')
        .set({ used_at: at })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .returning(['business_id', 'member_id'])
        .executeTakeFirst();
      return row ? { businessId: row.business_id, memberId: row.member_id } : null;
    },
    async addSession(s) {
      await db
        .insertInto('member_sessions')
        .values({ secret_hash: s.secretHash, business_id: s.businessId, member_id: s.memberId, channel: s.channel, created_at: s.createdAt, expires_at: s.expiresAt })
        .execute();
    },
    async findSession(secretHash, at) {
      const row = await db.selectFrom('member_sessions').select(['business_id', 'member_id']).where('secret_hash', '=', secretHash).where('expires_at', '>', at).executeTakeFirst();
      return row ? { businessId: row.business_id, memberId: row.member_id } : null;
    },
  };
}
