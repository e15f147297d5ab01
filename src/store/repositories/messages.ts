// The messages outbox on PostgreSQL.
import { sql, CompiledQuery, type Kysely, type Selectable } from 'kysely';
import type { Channel, MessageRepository, MessageStatus, MessageType, MessagePurpose, StoredMessage, TransactionSql } from '../../core/index.js';
import type { Database, MessagesTable } from '../schema.js';
import { COMMIT_AFTER } from '../preparingClient.js';

const toMessage = (r: Selectable<MessagesTable>): StoredMessage => ({
  businessId: r.business_id,
  id: r.id,
  key: r.key,
  memberId: r.member_id,
  kind: r.kind as MessageType,
  purpose: r.purpose as MessagePurpose,
  campaignId: r.campaign_id,
  vars: (r.vars ?? {}) as Record<string, string | number>,
  text: r.text,
  status: r.status as MessageStatus,
  channel: r.channel as Channel | null,
  triedChannels: r.tried_channels as Channel[],
  sendAfter: r.send_after,
  attempts: r.attempts,
  body: r.body,
  providerMessageId: r.provider_message_id,
  deliveryStatus: r.delivery_status,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

const MAX_ERROR = 500;

export function messageRepository(db: Kysely<Database>): MessageRepository {
  return {
    async takeEvents(limit, businessId) {
      let q = db.selectFrom('outbox_events').select(['id', 'business_id', 'type', 'payload', 'created_at']).where('notified_at', 'is', null);
      if (businessId) q = q.where('business_id', '=', businessId);
      const rows = await q.orderBy('id').limit(limit).forUpdate().skipLocked().execute();
      return rows.map((r) => ({ id: r.id, businessId: r.business_id, type: r.type, payload: (r.payload ?? {}) as Record<string, unknown>, createdAt: r.created_at }));
    },

    async markEventsNotified(ids, at) {
      if (ids.length === 0) return;
      await db.updateTable('outbox_events').set({ notified_at: at }).where('id', 'in', [...ids]).execute();
    },

    async hasPendingEvents(businessId) {
      const r = await db.selectFrom('outbox_events').select('id').where('notified_at', 'is', null).where('business_id', '=', businessId).limit(1).executeTakeFirst();
      return r !== undefined;
    },

    async add(messages) {
      if (messages.length === 0) return 0;
      let added = 0;
      // Bounded statements: PostgreSQL takes at most 65,535 parameters in one.
      for (let i = 0; i < messages.length; i += 2000) {
        const rows = messages.slice(i, i + 2000).map((m) => ({
          business_id: m.businessId,
          id: m.id,
          key: m.key,
          member_id: m.memberId,
          kind: m.kind,
          purpose: m.purpose,
          campaign_id: m.campaignId,
          vars: JSON.stringify(m.vars),
          text: m.text,
          send_after: m.sendAfter,
          created_at: m.createdAt,
        }));
        const r = await db.insertInto('messages').values(rows).onConflict((oc) => oc.columns(['business_id', 'key']).doNothing()).executeTakeFirst();
        added += Number(r.numInsertedOrUpdatedRows ?? 0);
      }
      return added;
    },

    async releaseDue(now, limit, businessId, from) {
      const r = await sql<{ business_id: string; id: string; send_after: Date }>`
        update messages m set status = 'queued', queued_at = ${now}
          from (select business_id, id from messages
                 where status = 'scheduled' and send_after <= ${now} ${businessId ? sql`and business_id = ${businessId}` : sql``}
                   ${from ? sql`and send_after >= ${from}` : sql``}
                 order by send_after limit ${limit} for update skip locked) due
         where m.business_id = due.business_id and m.id = due.id
        returning m.business_id, m.id, m.send_after`.execute(db);
      return r.rows.map((x) => ({ businessId: x.business_id, id: x.id, sendAfter: x.send_after }));
    },

    sql(): TransactionSql {
      return { executeSql: async (text, values) => db.executeQuery(CompiledQuery.raw(text, values)) as Promise<{ rows: unknown[] }> };
    },

    async nextScheduledAt(businessId) {
      const r = await db.selectFrom('messages').select((e) => e.fn.min('send_after').as('at')).where('business_id', '=', businessId).where('status', '=', 'scheduled').executeTakeFirst();
      return (r?.at as Date | null | undefined) ?? null;
    },

    async claim(businessId, id, at) {
      void at;
      const r = await sql<Selectable<MessagesTable> & {
        m_name: string | null; m_phone: string; m_email: string | null; m_card: string; m_tg: number | null; m_vk: number | null;
        m_language: string | null; m_dead: string[]; m_blocked: boolean; m_erased: boolean; m_marketing: boolean | null;
      }>`
        with claimed as (
          update messages set status = 'sending', attempts = attempts + 1
           where business_id = ${businessId} and id = ${id} and status in ('queued', 'sending')
          returning *)
        select c.*, mb.name as m_name, mb.phone as m_phone, mb.email as m_email, mb.card_number as m_card,
               mb.telegram_user_id as m_tg, mb.vk_user_id as m_vk, mb.language as m_language, mb.dead_channels as m_dead,
               mb.blocked as m_blocked, (mb.erased_at is not null) as m_erased,
               (select mc.granted from member_consents mc
                 where mc.business_id = c.business_id and mc.member_id = c.member_id and mc.kind = 'marketing'
                 order by mc.at desc, mc.id desc limit 1) as m_marketing
          from claimed c join members mb on mb.business_id = c.business_id and mb.id = c.member_id`.execute(db);
      const row = r.rows[0];
      if (!row) return null;
      return {
        message: toMessage(row),
        member: {
          id: row.member_id,
          name: row.m_name,
          phone: row.m_phone,
          email: row.m_email,
          cardNumber: row.m_card,
          telegramUserId: row.m_tg,
          vkUserId: row.m_vk,
          language: row.m_language,
          deadChannels: row.m_dead as Channel[],
          blocked: row.m_blocked,
          erased: row.m_erased,
          marketingConsent: row.m_marketing === true,
        },
      };
    },

    async recordSent(businessId, id, r) {
      // BEGIN, this and COMMIT go as one batch: the shorter the time from the channel's answer to this commit, the
      // fewer messages a crash leaves in doubt (sent, not yet recorded).
      await sql`${sql.raw(COMMIT_AFTER)}update messages
           set status = 'sent', channel = ${r.channel}, body = ${r.body}, provider_message_id = ${r.providerMessageId},
               tried_channels = ${r.triedChannels}::text[], sent_at = ${r.at}, last_error = null
         where business_id = ${businessId} and id = ${id}`.execute(db);
    },

    async recordRetry(businessId, id, r) {
      await db.updateTable('messages')
        .set({ status: 'queued', last_error: r.error.slice(0, MAX_ERROR), tried_channels: r.triedChannels })
        .where('business_id', '=', businessId).where('id', '=', id).where('status', '=', 'sending').execute();
    },

    async recordFinal(businessId, id, r) {
      await db.updateTable('messages')
        .set({ status: r.status, last_error: r.error.slice(0, MAX_ERROR), tried_channels: r.triedChannels, sent_at: null })
        .where('business_id', '=', businessId).where('id', '=', id).where('status', 'in', ['queued', 'sending', 'scheduled']).execute();
      void r.at;
    },

    async markChannelDead(businessId, memberId, channel) {
      await sql`update members set dead_channels = array_append(dead_channels, ${channel}::text)
                 where business_id = ${businessId} and id = ${memberId} and not (${channel}::text = any(dead_channels))`.execute(db);
    },

    async markChannelAlive(businessId, memberId, channel) {
      await sql`update members set dead_channels = array_remove(dead_channels, ${channel}::text)
                 where business_id = ${businessId} and id = ${memberId} and ${channel}::text = any(dead_channels)`.execute(db);
    },

    async get(businessId, id) {
      const r = await db.selectFrom('messages').selectAll().where('business_id', '=', businessId).where('id', '=', id).executeTakeFirst();
      return r ? toMessage(r) : null;
    },

    async forgetMember(businessId, memberId) {
      await sql`update messages set text = null, body = null, vars = '{}',
                  status = case when status in ('scheduled', 'queued', 'sending') then 'skipped' else status end,
                  last_error = case when status in ('scheduled', 'queued', 'sending') then 'the member erased their data' else last_error end
                 where business_id = ${businessId} and member_id = ${memberId}`.execute(db);
    },

    async unfinished(businessId, ids) {
      if (ids.length === 0) return 0;
      const r = await db.selectFrom('messages').select((e) => e.fn.countAll<number>().as('n')).where('business_id', '=', businessId).where('id', 'in', [...ids]).where('status', 'in', ['queued', 'sending']).executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    async listForMember(businessId, memberId, limit) {
      const rows = await db.selectFrom('messages').selectAll().where('business_id', '=', businessId).where('member_id', '=', memberId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toMessage);
    },
  };
}
