// A business's VK, SMS and e-mail settings (one row per channel) and the SMS delivery reports recorded on messages.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AnyChannelSettings, ConfigurableChannel, NotificationChannelRepository, StoredChannel } from '../../core/index.js';
import type { Database, NotificationChannelsTable } from '../schema.js';

const toChannel = (r: Selectable<NotificationChannelsTable>): StoredChannel => ({
  businessId: r.business_id,
  channel: r.channel as ConfigurableChannel,
  settings: r.config as AnyChannelSettings,
  callbackSecret: r.callback_secret,
  updatedAt: r.updated_at,
});

export function notificationChannelRepository(db: Kysely<Database>): NotificationChannelRepository {
  return {
    async list(businessId) {
      const rows = await db.selectFrom('notification_channels').selectAll().where('business_id', '=', businessId).orderBy('channel').execute();
      return rows.map(toChannel);
    },

    async get(businessId, channel) {
      const r = await db.selectFrom('notification_channels').selectAll().where('business_id', '=', businessId).where('channel', '=', channel).executeTakeFirst();
      return r ? toChannel(r) : null;
    },

    async put(c) {
      await db
        .insertInto('notification_channels')
        .values({ business_id: c.businessId, channel: c.channel, config: JSON.stringify(c.settings), callback_secret: c.callbackSecret, updated_at: c.updatedAt })
        .onConflict((oc) => oc.columns(['business_id', 'channel']).doUpdateSet((eb) => ({ config: eb.ref('excluded.config'), updated_at: eb.ref('excluded.updated_at') })))
        .execute();
    },

    async delete(businessId, channel) {
      const r = await db.deleteFrom('notification_channels').where('business_id', '=', businessId).where('channel', '=', channel).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async findByCallbackSecret(secret) {
      const r = await db.selectFrom('notification_channels').selectAll().where('callback_secret', '=', secret).executeTakeFirst();
      return r ? toChannel(r) : null;
    },

    async recordDeliveryReport(businessId, channel, report) {
      // One statement (deliveryStatusMayChange in SQL): the row is locked, so two reports for one message cannot both win.
      const r = await sql<{ id: string; member_id: string; changed: boolean }>`
        with target as (
          select id, member_id, delivery_status from messages
           where business_id = ${businessId} and channel = ${channel} and provider_message_id = ${report.providerMessageId}
           order by created_at desc limit 1
           for update
        ), moved as (
          update messages m
             set delivery_status = ${report.status},
                 last_error = case when ${report.status} = 'failed' then ${`${channel}: ${report.detail}`} else m.last_error end
            from target t
           where m.business_id = ${businessId} and m.id = t.id
             and (t.delivery_status is null or (t.delivery_status = 'pending' and ${report.status} <> 'pending'))
          returning m.id
        )
        select t.id, t.member_id, exists (select 1 from moved) as changed from target t
      `.execute(db);
      const row = r.rows[0];
      return row ? { messageId: row.id, memberId: row.member_id, changed: row.changed } : null;
    },
  };
}
