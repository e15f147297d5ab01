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
      const row = await db.selectFrom('member_sessions').select(['business_id', 'member_id', 'channel']).where('secret_hash', '=', secretHash).where('expires_at', '>', at).executeTakeFirst();
      return row ? { businessId: row.business_id, memberId: row.member_id, channel: row.channel } : null;
    },
    async endSession(secretHash) {
      await db.deleteFrom('member_sessions').where('secret_hash', '=', secretHash).execute();
    },
    async endAll(businessId, memberId) {
      await db.deleteFrom('member_sessions').where('business_id', '=', businessId).where('member_id', '=', memberId).execute();
      await db.deleteFrom('sign_in_tokens').where('business_id', '=', businessId).where('member_id', '=', memberId).execute();
      await db.deleteFrom('sign_in_codes').where('business_id', '=', businessId).where('member_id', '=', memberId).execute();
    },
    async addCode(c) {
      await db
        .insertInto('sign_in_codes')
        .values({ business_id: c.businessId, member_id: c.memberId, id: c.id, code_hash: c.codeHash, created_at: c.createdAt, expires_at: c.expiresAt })
        .execute();
    },
    async codesSince(businessId, memberId, since) {
      const r = await db
        .selectFrom('sign_in_codes')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('business_id', '=', businessId)
        .where('member_id', '=', memberId)
        .where('created_at', '>=', since)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async liveCode(businessId, memberId, at) {
      const r = await db
        .selectFrom('sign_in_codes')
        .select(['id', 'code_hash', 'attempts'])
        .where('business_id', '=', businessId)
        .where('member_id', '=', memberId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .orderBy('created_at', 'desc')
        .limit(1)
        .forUpdate()
        .executeTakeFirst();
      return r ? { id: r.id, codeHash: r.code_hash, attempts: r.attempts } : null;
    },
    async codeTried(businessId, id, outcome, at) {
      const q = db.updateTable('sign_in_codes').where('business_id', '=', businessId).where('id', '=', id);
      await (outcome === 'used' ? q.set({ used_at: at }) : q.set((eb) => ({ attempts: eb('attempts', '+', 1) }))).execute();
    },
  };
}
