// Exports read through a server-side cursor (pg-cursor, a chunk of rows at a time); imports keep one row each.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ExportRepository, ImportRecord, ImportRepository, MemberExportRow, TransactionExportRow, WorkProgressRecord, WorkProgressRepository } from '../../core/index.js';
import type { Database } from '../schema.js';

const CHUNK_ROWS = 1000;

async function* streamRows<R>(db: Kysely<Database>, query: RawBuilder<R>): AsyncIterable<R> {
  for await (const chunk of db.getExecutor().stream(query.compile(db), CHUNK_ROWS)) yield* chunk.rows;
}

interface MemberRow {
  id: string;
  card_number: string;
  phone: string;
  name: string | null;
  birthday: string | null;
  email: string | null;
  available: number;
  pending: number;
  total_spent: number;
  tier_spend: number;
  purchases_count: number;
  created_at: Date;
  marketing: boolean | null;
  telegram_user_id: number | null;
  vk_user_id: number | null;
  dead_channels: string[];
  blocked: boolean;
  erased: boolean;
}

interface TransactionRow {
  id: string;
  created_at: Date;
  card_number: string;
  type: string;
  points: number;
  balance_after: number;
  reason: string | null;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  purchase_id: string | null;
}

export function exportRepository(db: Kysely<Database>): ExportRepository {
  return {
    async *members(businessId, now, tierSince) {
      // Open lots are found through lots_open; the consent is the member's latest answer.
      const rows = streamRows(db, sql<MemberRow>`
        select m.id, m.card_number, m.phone, m.name, m.birthday, m.email, m.total_spent, m.purchases_count, m.created_at,
               m.telegram_user_id, m.vk_user_id, m.dead_channels, m.blocked, m.erased_at is not null as erased,
               coalesce(l.available, 0)::bigint as available, coalesce(l.pending, 0)::bigint as pending,
               ${tierSince === null
                 ? sql`m.total_spent`
                 : sql`(coalesce((select sum(p.amount) from purchases p where p.business_id = m.business_id and p.member_id = m.id and p.occurred_at >= ${tierSince}), 0)
                      - coalesce((select sum(r.amount) from purchase_refunds r join purchases p on p.business_id = r.business_id and p.id = r.purchase_id
                                   where r.business_id = m.business_id and r.member_id = m.id and p.occurred_at >= ${tierSince}), 0))::bigint`} as tier_spend,
               (select c.granted from member_consents c where c.business_id = m.business_id and c.member_id = m.id and c.kind = 'marketing'
                 order by c.id desc limit 1) as marketing
          from members m
          left join lateral (
            select sum(remaining) filter (where activates_at <= ${now} and (expires_at is null or expires_at > ${now})) as available,
                   sum(remaining) filter (where activates_at > ${now} and (expires_at is null or expires_at > ${now})) as pending
              from lots where business_id = m.business_id and member_id = m.id and remaining > 0
          ) l on true
         where m.business_id = ${businessId}
         order by m.id`);
      for await (const r of rows) {
        const row: MemberExportRow = {
          id: r.id,
          cardNumber: r.card_number,
          phone: r.erased ? '' : r.phone,
          name: r.name,
          birthday: r.birthday,
          email: r.email,
          available: Number(r.available),
          pending: Number(r.pending),
          totalSpent: Number(r.total_spent),
          tierSpend: Number(r.tier_spend),
          purchasesCount: Number(r.purchases_count),
          createdAt: r.created_at,
          marketingConsent: r.marketing,
          telegramUserId: r.telegram_user_id === null ? null : Number(r.telegram_user_id),
          vkUserId: r.vk_user_id === null ? null : Number(r.vk_user_id),
          deadChannels: r.dead_channels,
          blocked: r.blocked,
        };
        yield row;
      }
    },
    async *transactions(businessId, from, to) {
      const rows = streamRows(db, sql<TransactionRow>`
        select t.id, t.created_at, m.card_number, t.type, t.points, t.balance_after, t.reason, t.actor_type, t.actor_id, t.purchase_id,
               coalesce(s.name, k.name) as actor_name
          from ledger_transactions t
          join members m on m.business_id = t.business_id and m.id = t.member_id
          left join staff s on t.actor_type = 'staff' and s.business_id = t.business_id and s.id::text = t.actor_id
          left join api_keys k on t.actor_type = 'api_key' and k.business_id = t.business_id and k.id::text = t.actor_id
         where t.business_id = ${businessId} and t.created_at >= ${from} and t.created_at < ${to}
         order by t.created_at, t.id`);
      for await (const r of rows) {
        const row: TransactionExportRow = {
          id: r.id,
          createdAt: r.created_at,
          cardNumber: r.card_number,
          type: r.type,
          points: Number(r.points),
          balanceAfter: Number(r.balance_after),
          reason: r.reason,
          actorType: r.actor_type,
          actorId: r.actor_id,
          actorName: r.actor_name,
          purchaseId: r.purchase_id,
        };
        yield row;
      }
    },
    async countMembers(businessId) {
      const r = await sql<{ n: string }>`select count(*) as n from members where business_id = ${businessId}`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },
    async countTransactions(businessId, from, to) {
      const r = await sql<{ n: string }>`
        select count(*) as n from ledger_transactions where business_id = ${businessId} and created_at >= ${from} and created_at < ${to}`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },
  };
}

interface ImportRow {
  business_id: string;
  id: string;
  content_hash: string;
  file_name: string;
  status: ImportRecord['status'];
  rows_total: number;
  rows_done: number;
  result: Record<string, unknown> | null;
  error: string | null;
  created_by: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const toImport = (r: ImportRow): ImportRecord => ({
  id: r.id,
  businessId: r.business_id,
  contentHash: r.content_hash,
  fileName: r.file_name,
  status: r.status,
  rowsTotal: Number(r.rows_total),
  rowsDone: Number(r.rows_done),
  result: r.result,
  error: r.error,
  createdBy: r.created_by,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

export function importRepository(db: Kysely<Database>): ImportRepository {
  return {
    async insert(r) {
      await sql`
        insert into imports (business_id, id, content_hash, file_name, status, rows_total, rows_done, result, error, created_by, created_at, finished_at)
        values (${r.businessId}, ${r.id}, ${r.contentHash}, ${r.fileName}, ${r.status}, ${r.rowsTotal}, ${r.rowsDone},
                ${r.result === null ? null : JSON.stringify(r.result)}::jsonb, ${r.error}, ${r.createdBy}, ${r.createdAt}, ${r.finishedAt})`.execute(db);
    },
    async get(businessId, id) {
      const r = await sql<ImportRow>`select * from imports where business_id = ${businessId} and id = ${id}`.execute(db);
      return r.rows[0] ? toImport(r.rows[0]) : null;
    },
    async recent(businessId, limit) {
      const r = await sql<ImportRow>`select * from imports where business_id = ${businessId} order by created_at desc, id desc limit ${limit}`.execute(db);
      return r.rows.map(toImport);
    },
    async findDone(businessId, contentHash) {
      const r = await sql<ImportRow>`select * from imports where business_id = ${businessId} and content_hash = ${contentHash} and status = 'done'`.execute(db);
      return r.rows[0] ? toImport(r.rows[0]) : null;
    },
    async lockContent(businessId, contentHash) {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`import:${businessId}:${contentHash}`}, 0))`.execute(db);
    },
    async existing(businessId, phones, cards) {
      if (phones.length === 0 && cards.length === 0) return [];
      const r = await sql<{ id: string; phone: string; card_number: string; blocked: boolean }>`
        select id, phone, card_number, blocked from members
         where business_id = ${businessId} and (phone = any(${phones}::text[]) or card_number = any(${cards}::text[]))`.execute(db);
      return r.rows.map((x) => ({ id: x.id, phone: x.phone, cardNumber: x.card_number, blocked: x.blocked }));
    },
    async progress(businessId, id, rowsDone) {
      await sql`update imports set rows_done = greatest(rows_done, ${rowsDone}) where business_id = ${businessId} and id = ${id} and status = 'running'`.execute(db);
    },
    async finish(businessId, id, o) {
      await sql`
        update imports set status = ${o.status}, rows_done = ${o.rowsDone}, result = ${o.result === null ? null : JSON.stringify(o.result)}::jsonb,
                           error = ${o.error}, finished_at = ${o.at}
         where business_id = ${businessId} and id = ${id}`.execute(db);
    },
  };
}

interface ProgressRow {
  business_id: string;
  id: string;
  kind: WorkProgressRecord['kind'];
  state: WorkProgressRecord['state'];
  done: number;
  total: number | null;
  bytes: string | number;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Progress rows, each written in a short transaction of its own so pollers see it while the work runs. */
export function workProgressRepository(db: Kysely<Database>): WorkProgressRepository {
  return {
    async start(r) {
      await sql`
        insert into work_progress (business_id, id, kind, state, done, total, bytes, error, created_at, updated_at)
        values (${r.businessId}, ${r.id}, ${r.kind}, 'running', 0, ${r.total}, 0, null, ${r.at}, ${r.at})
        on conflict (business_id, id) do update set kind = excluded.kind, state = 'running', done = 0, total = excluded.total, bytes = 0,
                                                  error = null, created_at = excluded.created_at, updated_at = excluded.updated_at`.execute(db);
    },
    async update(businessId, id, p) {
      await sql`
        update work_progress set done = ${p.done}, total = coalesce(${p.total}::integer, total), bytes = ${p.bytes}, updated_at = ${p.at}
         where business_id = ${businessId} and id = ${id} and state = 'running'`.execute(db);
    },
    async finish(businessId, id, p) {
      await sql`
        update work_progress set state = ${p.state}, done = ${p.done}, total = coalesce(${p.total}::integer, total), bytes = ${p.bytes},
                                 error = ${p.error}, updated_at = ${p.at}
         where business_id = ${businessId} and id = ${id}`.execute(db);
    },
    async get(businessId, id) {
      const r = await sql<ProgressRow>`select * from work_progress where business_id = ${businessId} and id = ${id}`.execute(db);
      const x = r.rows[0];
      if (!x) return null;
      return {
        id: x.id, businessId: x.business_id, kind: x.kind, state: x.state, done: Number(x.done), total: x.total === null ? null : Number(x.total),
        bytes: Number(x.bytes), error: x.error, createdAt: x.created_at, updatedAt: x.updated_at,
      };
    },
    async purge(before, limit) {
      const r = await sql`
        delete from work_progress where ctid = any(array(select ctid from work_progress where updated_at < ${before} limit ${limit}))`.execute(db);
      return Number(r.numAffectedRows ?? 0);
    },
  };
}
