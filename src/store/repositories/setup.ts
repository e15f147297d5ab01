// Set-up links, bot tokens waiting for Telegram, operators and their sessions; and the businesses' health figures.
import { sql, type Kysely } from 'kysely';
import type { BotRole, BusinessHealth, Operator, OperatorRepository, SetupRepository } from '../../core/index.js';
import type { Database } from '../schema.js';

export function setupRepository(db: Kysely<Database>): SetupRepository {
  return {
    async isFresh() {
      const r = await sql<{ n: number }>`select count(*)::int as n from (select 1 from businesses limit 1) b`.execute(db);
      return (r.rows[0]?.n ?? 0) === 0;
    },
    async replaceToken(tokenHash, createdAt, expiresAt) {
      await sql`update setup_tokens set expires_at = ${createdAt} where used_at is null and expires_at > ${createdAt}`.execute(db);
      await sql`insert into setup_tokens (token_hash, created_at, expires_at) values (${tokenHash}, ${createdAt}, ${expiresAt})`.execute(db);
    },
    async liveToken(tokenHash, at) {
      const r = await sql<{ expires_at: Date }>`select expires_at from setup_tokens where token_hash = ${tokenHash} and used_at is null and expires_at > ${at}`.execute(db);
      return r.rows[0] ? { expiresAt: r.rows[0].expires_at } : null;
    },
    async burnToken(tokenHash, at) {
      const r = await sql`update setup_tokens set used_at = ${at} where token_hash = ${tokenHash} and used_at is null and expires_at > ${at}`.execute(db);
      return Number(r.numAffectedRows ?? 0) === 1;
    },
    async savePendingBot(p) {
      await sql`insert into pending_bot_tokens (business_id, role, token, created_at) values (${p.businessId}, ${p.role}, ${p.token}, ${p.createdAt})
        on conflict (business_id, role) do update set token = excluded.token, created_at = excluded.created_at, last_error = null`.execute(db);
    },
    async pendingBots() {
      const r = await sql<{ business_id: string; role: BotRole; token: string }>`select business_id, role, token from pending_bot_tokens order by created_at`.execute(db);
      return r.rows.map((x) => ({ businessId: x.business_id, role: x.role, token: x.token }));
    },
    async dropPendingBot(businessId, role) {
      await sql`delete from pending_bot_tokens where business_id = ${businessId} and role = ${role}`.execute(db);
    },
    async notePendingBotError(businessId, role, error) {
      await sql`update pending_bot_tokens set last_error = ${error.slice(0, 500)} where business_id = ${businessId} and role = ${role}`.execute(db);
    },
  };
}

interface OperatorRow {
  id: string;
  email: string;
  password_hash: string;
  created_at: Date;
}

const operatorOf = (r: OperatorRow): Operator => ({ id: r.id, email: r.email, passwordHash: r.password_hash, createdAt: r.created_at });

export function operatorRepository(db: Kysely<Database>): OperatorRepository {
  return {
    async insert(o) {
      const r = await sql`insert into operators (id, email, password_hash, created_at) values (${o.id}, ${o.email}, ${o.passwordHash}, ${o.createdAt}) on conflict (email) do nothing`.execute(db);
      return Number(r.numAffectedRows ?? 0) === 1 ? 'ok' : 'taken';
    },
    async findByEmail(email) {
      const r = await sql<OperatorRow>`select id, email, password_hash, created_at from operators where email = ${email}`.execute(db);
      return r.rows[0] ? operatorOf(r.rows[0]) : null;
    },
    async addSession(s) {
      await sql`insert into operator_sessions (secret_hash, operator_id, created_at, expires_at) values (${s.secretHash}, ${s.operatorId}, ${s.createdAt}, ${s.expiresAt})`.execute(db);
    },
    async findSession(secretHash, at) {
      const r = await sql<OperatorRow>`select o.id, o.email, o.password_hash, o.created_at from operator_sessions s join operators o on o.id = s.operator_id
        where s.secret_hash = ${secretHash} and s.expires_at > ${at}`.execute(db);
      return r.rows[0] ? operatorOf(r.rows[0]) : null;
    },
    async endSession(secretHash) {
      await sql`delete from operator_sessions where secret_hash = ${secretHash}`.execute(db);
    },
    async health(since, now) {
      // Each figure from its own table, grouped once per table (no per-business queries); the last ledger entry by
      // its index (business_id, created_at) per business.
      const r = await sql<{
        id: string; name: string; timezone: string; currency: string; created_at: Date; members: number; purchases_30d: number; last_purchase_at: Date | null;
        last_activity_at: Date | null; outstanding: string; active_staff: number; owner_joined: boolean;
        bots: { role: BotRole; username: string }[]; pending_bots: BotRole[]; webhook_failures: number;
      }>`
        select b.id, b.name, b.timezone, b.currency, b.created_at,
          coalesce(m.n, 0)::int as members,
          coalesce(p.n, 0)::int as purchases_30d,
          p.last_at as last_purchase_at,
          greatest(p.last_at, lt.last_at) as last_activity_at,
          coalesce(l.points, 0)::bigint::text as outstanding,
          coalesce(s.n, 0)::int as active_staff,
          coalesce(s.owners, 0) > 0 as owner_joined,
          coalesce(bt.list, '[]'::json) as bots,
          coalesce(pb.list, '{}') as pending_bots,
          coalesce(w.n, 0)::int as webhook_failures
        from businesses b
        left join (select business_id, count(*) as n from members group by business_id) m on m.business_id = b.id
        left join (select business_id, count(*) filter (where occurred_at >= ${since}) as n, max(occurred_at) as last_at from purchases group by business_id) p on p.business_id = b.id
        left join lateral (select max(created_at) as last_at from ledger_transactions where business_id = b.id) lt on true
        left join (select business_id, sum(remaining) as points from lots where remaining > 0 and (expires_at is null or expires_at > ${now}) group by business_id) l on l.business_id = b.id
        left join (select business_id, count(*) as n, count(*) filter (where role = 'owner') as owners from staff where status = 'active' group by business_id) s on s.business_id = b.id
        left join (select business_id, json_agg(json_build_object('role', role, 'username', username) order by role) as list from bots where disconnected_at is null group by business_id) bt on bt.business_id = b.id
        left join (select business_id, array_agg(role order by role) as list from pending_bot_tokens group by business_id) pb on pb.business_id = b.id
        left join (select business_id, count(*) as n from webhook_deliveries where status = 'failed' or (status = 'pending' and attempts > 0) group by business_id) w on w.business_id = b.id
        order by b.created_at, b.id`.execute(db);
      return r.rows.map((x): BusinessHealth => ({
        id: x.id,
        name: x.name,
        timezone: x.timezone,
        currency: x.currency,
        createdAt: x.created_at,
        members: x.members,
        purchases30d: x.purchases_30d,
        lastPurchaseAt: x.last_purchase_at,
        lastActivityAt: x.last_activity_at,
        outstandingPoints: Number(x.outstanding),
        activeStaff: x.active_staff,
        ownerJoined: x.owner_joined,
        bots: x.bots,
        pendingBots: x.pending_bots,
        webhookFailures: x.webhook_failures,
      }));
    },
    async lastBackup() {
      const r = await sql<{ status: 'running' | 'done' | 'failed'; kind: 'manual' | 'daily'; created_at: Date; finished_at: Date | null }>`
        select status, kind, created_at, finished_at from backups order by created_at desc, id desc limit 1`.execute(db);
      const x = r.rows[0];
      return x ? { status: x.status, kind: x.kind, createdAt: x.created_at, finishedAt: x.finished_at } : null;
    },
  };
}
