import { sql, type Kysely, type Selectable } from 'kysely';
import type { BotConnection, BotRepository, BotRole, BotSessionRepository } from '../../core/index.js';
import type { BotsTable, Database } from '../schema.js';

const toBot = (r: Selectable<BotsTable>): BotConnection => ({
  id: r.id,
  businessId: r.business_id,
  role: r.role as BotRole,
  token: r.token,
  telegramId: r.telegram_id,
  username: r.username,
  webhookSecret: r.webhook_secret,
  createdAt: r.created_at,
});

export function botRepository(db: Kysely<Database>): BotRepository {
  return {
    async connect(b, at) {
      // One statement: retire the business's current bot of this role, then add the new one, unless the Telegram
      // bot is live for another business (then nothing changes).
      const r = await sql<{ added: number }>`
        with taken as (
          select 1 from bots where telegram_id = ${b.telegramId} and disconnected_at is null and business_id <> ${b.businessId}
        ), retired as (
          update bots set disconnected_at = ${at}
           where business_id = ${b.businessId} and disconnected_at is null
             and (role = ${b.role} or telegram_id = ${b.telegramId}) and not exists (select 1 from taken)
          returning 1
        )
        select count(*)::int as added from taken`.execute(db);
      if ((r.rows[0]?.added ?? 0) > 0) return false;
      await db
        .insertInto('bots')
        .values({ business_id: b.businessId, id: b.id, role: b.role, token: b.token, telegram_id: b.telegramId, username: b.username, webhook_secret: b.webhookSecret, created_at: b.createdAt })
        .execute();
      return true;
    },
    async disconnect(businessId, role, at) {
      const r = await db.updateTable('bots').set({ disconnected_at: at }).where('business_id', '=', businessId).where('role', '=', role).where('disconnected_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async live(businessId) {
      let q = db.selectFrom('bots').selectAll().where('disconnected_at', 'is', null);
      if (businessId) q = q.where('business_id', '=', businessId);
      return (await q.orderBy('created_at').execute()).map(toBot);
    },
  };
}

export function botSessionRepository(db: Kysely<Database>): BotSessionRepository {
  return {
    async get(businessId, telegramUserId) {
      const row = await db.selectFrom('bot_sessions').select('state').where('business_id', '=', businessId).where('telegram_user_id', '=', telegramUserId).executeTakeFirst();
      return (row?.state as Record<string, unknown> | undefined) ?? null;
    },
    async set(businessId, telegramUserId, state, at) {
      if (state === null) {
        await db.deleteFrom('bot_sessions').where('business_id', '=', businessId).where('telegram_user_id', '=', telegramUserId).execute();
        return;
      }
      await db
        .insertInto('bot_sessions')
        .values({ business_id: businessId, telegram_user_id: telegramUserId, state: JSON.stringify(state), updated_at: at })
        .onConflict((oc) => oc.columns(['business_id', 'telegram_user_id']).doUpdateSet({ state: JSON.stringify(state), updated_at: at }))
        .execute();
    },
  };
}
