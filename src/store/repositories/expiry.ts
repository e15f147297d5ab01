import { sql, type Kysely } from 'kysely';
import type { ExpiryRepository } from '../../core/index.js';
import type { Database } from '../schema.js';

export function expiryRepository(db: Kysely<Database>): ExpiryRepository {
  return {
    async nextDue(businessId) {
      const r = await sql<{ at: Date | null }>`
        select min(expires_at) as at from lots where business_id = ${businessId} and remaining > 0 and expires_at is not null`.execute(db);
      return r.rows[0]?.at ?? null;
    },
    async expireBatch(now, memberLimit, businessId) {
      const onlyBusiness = businessId ? sql`and business_id = ${businessId}` : sql``;
      // Statement 1 locks the members (skipping those busy with a purchase right now). Statement 2 reads their lots
      // with a fresh snapshot, taken after the locks, so it sees every change their last writers committed.
      const locked = await sql<{ business_id: string; id: string }>`
        select m.business_id, m.id from members m
        join (select distinct business_id, member_id from (
                select business_id, member_id from lots
                 where remaining > 0 and expires_at is not null and expires_at <= ${now} ${onlyBusiness}
                 order by expires_at limit ${memberLimit}) due) d
          on m.business_id = d.business_id and m.id = d.member_id
        for no key update of m skip locked
      `.execute(db);
      if (locked.rows.length === 0) return { members: 0, lots: 0, points: 0 };
      const keys = JSON.stringify(locked.rows.map((r) => ({ b: r.business_id, m: r.id })));
      const r = await sql<{ members: number; lots: number; points: number }>`
        with locked as (
          select k.b as business_id, k.m as member_id from jsonb_to_recordset(${keys}::jsonb) as k(b uuid, m uuid)
        ), due as (
          select l.business_id, l.id, l.member_id, l.remaining
            from lots l join locked k on l.business_id = k.business_id and l.member_id = k.member_id
           where l.remaining > 0 and l.expires_at is not null and l.expires_at <= ${now}
        ), txs as materialized (
          select business_id, member_id, gen_random_uuid() as id, sum(remaining)::bigint as points, count(*)::int as lots
            from due group by business_id, member_id
        ), bal as materialized (
          select k.business_id, k.member_id,
                 coalesce(sum(l.remaining) filter (where l.activates_at <= ${now} and (l.expires_at is null or l.expires_at > ${now})), 0)::bigint as available
            from locked k left join lots l on l.business_id = k.business_id and l.member_id = k.member_id and l.remaining > 0
           group by k.business_id, k.member_id
        ), ins_tx as (
          insert into ledger_transactions (business_id, id, member_id, type, points, balance_after, reason, actor_type, actor_id, meta, created_at)
          select t.business_id, t.id, t.member_id, 'expire', -t.points, b.available, 'Points expired', 'system', 'expiry-job',
                 jsonb_build_object('lots', t.lots), ${now}
            from txs t join bal b using (business_id, member_id)
          returning id
        ), ins_postings as (
          insert into postings (business_id, transaction_id, member_id, lot_id, source, destination, amount)
          select d.business_id, t.id, d.member_id, d.id, 'member', 'expired', d.remaining
            from due d join txs t using (business_id, member_id)
          returning id
        ), upd as (
          update lots set remaining = 0, expired_points = lots.expired_points + d.remaining
            from due d where lots.business_id = d.business_id and lots.id = d.id
          returning lots.id
        ), bump as (
          update members set ledger_seq = members.ledger_seq + 1
            from locked k where members.business_id = k.business_id and members.id = k.member_id
          returning 1
        ), events as (
          insert into outbox_events (business_id, type, payload, created_at)
          select t.business_id, 'points.expired',
                 jsonb_build_object('memberId', t.member_id, 'transactionId', t.id, 'points', t.points, 'balance', b.available), ${now}
            from txs t join bal b using (business_id, member_id)
          returning id
        )
        select (select count(*) from ins_tx)::int as members, (select count(*) from upd)::int as lots,
               (select coalesce(sum(points), 0) from txs)::bigint as points, (select count(*) from ins_postings) as p,
               (select count(*) from events) as e, (select count(*) from bump) as b
      `.execute(db);
      const row = r.rows[0];
      return { members: row?.members ?? 0, lots: row?.lots ?? 0, points: row?.points ?? 0 };
    },
  };
}
