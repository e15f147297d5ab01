// The two-way chat on PostgreSQL: chat_messages (migration 007), threads from the newest message per member.
import { sql, type Kysely } from 'kysely';
import type { Channel, ChatDirection, ChatMessageRecord, ChatRepository } from '../../core/index.js';
import type { Database } from '../schema.js';

interface Row {
  business_id: string;
  id: string;
  member_id: string;
  direction: string;
  text: string;
  channel: string;
  staff_id: string | null;
  staff_name: string | null;
  at: Date;
  read_at: Date | null;
}

const toMessage = (r: Row): ChatMessageRecord => ({
  businessId: r.business_id,
  id: r.id,
  memberId: r.member_id,
  direction: r.direction as ChatDirection,
  text: r.text,
  channel: r.channel as Channel,
  staffId: r.staff_id,
  staffName: r.staff_name,
  at: r.at,
  readAt: r.read_at,
});

export function chatRepository(db: Kysely<Database>): ChatRepository {
  return {
    async add(m) {
      await db
        .insertInto('chat_messages')
        .values({ business_id: m.businessId, id: m.id, member_id: m.memberId, direction: m.direction, text: m.text, channel: m.channel, staff_id: m.staffId, at: m.at, read_at: m.readAt })
        .execute();
      if (m.direction === 'in') {
        await sql`
          update members set dead_channels = array_remove(dead_channels, ${m.channel}::text)
           where business_id = ${m.businessId} and id = ${m.memberId} and ${m.channel}::text = any(dead_channels)`.execute(db);
      }
    },

    async threads(businessId, q) {
      const r = await sql<Row & { unread: number; card_number: string; member_name: string | null; blocked: boolean }>`
        with last as (
          select distinct on (c.member_id) c.*
            from chat_messages c
           where c.business_id = ${businessId}
           order by c.member_id, c.at desc, c.id desc
        ), unread as (
          select member_id, count(*)::int as n
            from chat_messages
           where business_id = ${businessId} and direction = 'in' and read_at is null
           group by member_id
        )
        select last.*, s.name as staff_name, coalesce(unread.n, 0) as unread,
               m.card_number, m.name as member_name, m.blocked
          from last
          join members m on m.business_id = last.business_id and m.id = last.member_id
          left join unread on unread.member_id = last.member_id
          left join staff s on s.business_id = last.business_id and s.id = last.staff_id
         where (${!q.unreadOnly} or unread.n > 0)
           and (${q.before === null} or (last.at, last.member_id) < (${q.before?.at ?? null}::timestamptz, ${q.before?.memberId ?? null}::uuid))
         order by last.at desc, last.member_id desc
         limit ${q.limit}`.execute(db);
      return r.rows.map((x) => ({ member: { id: x.member_id, name: x.member_name, cardNumber: x.card_number, blocked: x.blocked }, last: toMessage(x), unread: x.unread }));
    },

    async messages(businessId, memberId, q) {
      const r = await sql<Row>`
        select c.*, s.name as staff_name
          from chat_messages c
          left join staff s on s.business_id = c.business_id and s.id = c.staff_id
         where c.business_id = ${businessId} and c.member_id = ${memberId}
           and (${q.before === null} or (c.at, c.id) < (select b.at, b.id from chat_messages b where b.business_id = ${businessId} and b.member_id = ${memberId} and b.id = ${q.before}::uuid))
         order by c.at desc, c.id desc
         limit ${q.limit}`.execute(db);
      return r.rows.map(toMessage);
    },

    async markRead(businessId, memberId, at) {
      const r = await db
        .updateTable('chat_messages')
        .set({ read_at: at })
        .where('business_id', '=', businessId)
        .where('member_id', '=', memberId)
        .where('direction', '=', 'in')
        .where('read_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    async forget(businessId, memberId) {
      const r = await db.deleteFrom('chat_messages').where('business_id', '=', businessId).where('member_id', '=', memberId).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
