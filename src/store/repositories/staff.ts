import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditEntry, StaffLimits, StaffMember, StaffRepository, StaffRole, StaffStatus } from '../../core/index.js';
import type { AuditLogTable, Database, StaffTable } from '../schema.js';

const toStaff = (r: Selectable<StaffTable>): StaffMember => ({
  id: r.id,
  businessId: r.business_id,
  name: r.name,
  role: r.role as StaffRole,
  locationIds: r.location_ids ?? [],
  email: r.email,
  passwordHash: r.password_hash,
  telegramUserId: r.telegram_user_id,
  telegramUsername: r.telegram_username,
  limits: r.limits as StaffLimits,
  status: r.status as StaffStatus,
  createdAt: r.created_at,
});

export const toAudit = (r: Selectable<AuditLogTable>): AuditEntry & { id: number } => ({
  id: r.id,
  businessId: r.business_id,
  at: r.at,
  staffId: r.staff_id,
  staffRole: r.staff_role,
  action: r.action,
  memberId: r.member_id,
  points: r.points,
  issuedPoints: r.issued_points,
  amount: r.amount,
  channel: r.channel,
  details: (r.details ?? {}) as Record<string, unknown>,
});

const json = (v: unknown) => JSON.stringify(v) as unknown as Record<string, unknown>;

export function staffRepository(db: Kysely<Database>): StaffRepository {
  const base = () => db.selectFrom('staff').selectAll();
  return {
    async insert(s) {
      const r = await db
        .insertInto('staff')
        .values({
          business_id: s.businessId,
          id: s.id,
          name: s.name,
          role: s.role,
          location_ids: s.locationIds,
          email: s.email,
          password_hash: s.passwordHash,
          telegram_user_id: s.telegramUserId,
          telegram_username: s.telegramUsername,
          limits: json(s.limits),
          status: s.status,
          created_at: s.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      return r ? 'ok' : 'taken';
    },
    async get(businessId, id) {
      const r = await base().where('business_id', '=', businessId).where('id', '=', id).executeTakeFirst();
      return r ? toStaff(r) : null;
    },
    async lock(businessId, id) {
      const r = await base().where('business_id', '=', businessId).where('id', '=', id).forUpdate().executeTakeFirst();
      return r ? toStaff(r) : null;
    },
    async findByEmail(businessId, email) {
      const r = await base().where('business_id', '=', businessId).where(sql<string>`lower(email)`, '=', email.toLowerCase()).where('status', '<>', 'removed').executeTakeFirst();
      return r ? toStaff(r) : null;
    },
    async findByTelegram(businessId, telegramUserId) {
      const r = await base().where('business_id', '=', businessId).where('telegram_user_id', '=', telegramUserId).where('status', '<>', 'removed').executeTakeFirst();
      return r ? toStaff(r) : null;
    },
    async list(businessId) {
      return (await base().where('business_id', '=', businessId).where('status', '<>', 'removed').orderBy('created_at').execute()).map(toStaff);
    },
    async update(s) {
      await db
        .updateTable('staff')
        .set({
          name: s.name,
          role: s.role,
          location_ids: s.locationIds,
          email: s.email,
          password_hash: s.passwordHash,
          telegram_user_id: s.telegramUserId,
          telegram_username: s.telegramUsername,
          limits: json(s.limits),
          status: s.status,
        })
        .where('business_id', '=', s.businessId)
        .where('id', '=', s.id)
        .execute();
    },
    async addInvite(tokenHash, invite, createdAt, expiresAt) {
      await db
        .insertInto('staff_invites')
        .values({ token_hash: tokenHash, business_id: invite.businessId, role: invite.role, name: invite.name, location_ids: invite.locationIds, created_by: invite.createdBy, created_at: createdAt, expires_at: expiresAt })
        .execute();
    },
    async useInvite(tokenHash, at, staffId) {
      const r = await db
        .updateTable('staff_invites')
        .set({ used_at: at, used_by: staffId })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .returningAll()
        .executeTakeFirst();
      return r ? { businessId: r.business_id, role: r.role as StaffRole, name: r.name, locationIds: r.location_ids ?? [], createdBy: r.created_by } : null;
    },
    async addSession(s) {
      await db
        .insertInto('staff_sessions')
        .values({ secret_hash: s.secretHash, business_id: s.businessId, staff_id: s.staffId, channel: s.channel, device: s.device, created_at: s.createdAt, expires_at: s.expiresAt })
        .execute();
    },
    async findSession(secretHash, at) {
      const r = await db
        .selectFrom('staff_sessions as ss')
        .innerJoin('staff as s', (j) => j.onRef('s.business_id', '=', 'ss.business_id').onRef('s.id', '=', 'ss.staff_id'))
        .selectAll('s')
        .where('ss.secret_hash', '=', secretHash)
        .where('ss.expires_at', '>', at)
        .where('s.status', '=', 'active')
        .executeTakeFirst();
      return r ? toStaff(r) : null;
    },
    async endSession(secretHash) {
      await db.deleteFrom('staff_sessions').where('secret_hash', '=', secretHash).execute();
    },
    async endSessions(businessId, staffId) {
      const r = await db.deleteFrom('staff_sessions').where('business_id', '=', businessId).where('staff_id', '=', staffId).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async sessions(businessId, staffId, at) {
      const rows = await db
        .selectFrom('staff_sessions')
        .select(['secret_hash', 'channel', 'device', 'created_at', 'expires_at'])
        .where('business_id', '=', businessId)
        .where('staff_id', '=', staffId)
        .where('expires_at', '>', at)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map((r) => ({ id: r.secret_hash.slice(0, 16), channel: r.channel, device: r.device, createdAt: r.created_at, expiresAt: r.expires_at }));
    },
    async endSessionById(businessId, staffId, id) {
      if (!/^[0-9a-f]{16}$/.test(id)) return false;
      const r = await db
        .deleteFrom('staff_sessions')
        .where('business_id', '=', businessId)
        .where('staff_id', '=', staffId)
        .where(sql<string>`left(secret_hash, 16)`, '=', id)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async addAudit(e) {
      await db
        .insertInto('audit_log')
        .values({
          business_id: e.businessId,
          at: e.at,
          staff_id: e.staffId,
          staff_role: e.staffRole,
          action: e.action,
          member_id: e.memberId,
          points: e.points,
          issued_points: e.issuedPoints,
          amount: e.amount,
          channel: e.channel,
          details: json(e.details),
        })
        .execute();
    },
    async issuedSince(businessId, staffId, since) {
      const r = await db
        .selectFrom('audit_log')
        .select(sql<string>`coalesce(sum(issued_points), 0)`.as('n'))
        .where('business_id', '=', businessId)
        .where('staff_id', '=', staffId)
        .where('at', '>=', since)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async audit(businessId, q) {
      let query = db.selectFrom('audit_log').selectAll().where('business_id', '=', businessId);
      if (q.beforeId) query = query.where('id', '<', q.beforeId);
      if (q.staffId) query = query.where('staff_id', '=', q.staffId);
      if (q.memberId) query = query.where('member_id', '=', q.memberId);
      return (await query.orderBy('id', 'desc').limit(q.limit).execute()).map(toAudit);
    },
    async addTelegramLogin(l) {
      await db
        .insertInto('staff_telegram_logins')
        .values({ business_id: l.businessId, code: l.code, secret_hash: l.secretHash, created_at: l.createdAt, expires_at: l.expiresAt })
        .execute();
    },
    async approveTelegramLogin(businessId, code, staffId, at) {
      const r = await db
        .updateTable('staff_telegram_logins')
        .set({ staff_id: staffId, approved_at: at })
        .where('business_id', '=', businessId)
        .where('code', '=', code)
        .where('approved_at', 'is', null)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async telegramLoginBySecret(secretHash) {
      const r = await db
        .selectFrom('staff_telegram_logins')
        .select(['business_id', 'staff_id', 'expires_at', 'collected_at'])
        .where('secret_hash', '=', secretHash)
        .forUpdate()
        .executeTakeFirst();
      return r ? { businessId: r.business_id, staffId: r.staff_id, expiresAt: r.expires_at, collectedAt: r.collected_at } : null;
    },
    async markTelegramLoginCollected(secretHash, at) {
      await db.updateTable('staff_telegram_logins').set({ collected_at: at }).where('secret_hash', '=', secretHash).execute();
    },
    async addRedeemCode(c) {
      await db
        .insertInto('redeem_codes')
        .values({ business_id: c.businessId, id: c.id, member_id: c.memberId, staff_id: c.staffId, code_hash: c.codeHash, created_at: c.createdAt, expires_at: c.expiresAt })
        .execute();
    },
    async liveRedeemCode(businessId, memberId, at) {
      const r = await db
        .selectFrom('redeem_codes')
        .select(['id', 'code_hash', 'attempts', 'created_at'])
        .where('business_id', '=', businessId)
        .where('member_id', '=', memberId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .orderBy('created_at', 'desc')
        .limit(1)
        .forUpdate()
        .executeTakeFirst();
      return r ? { id: r.id, codeHash: r.code_hash, attempts: r.attempts, createdAt: r.created_at } : null;
    },
    async redeemCodeTried(businessId, id, outcome, at) {
      const q = db.updateTable('redeem_codes').where('business_id', '=', businessId).where('id', '=', id);
      await (outcome === 'used' ? q.set({ used_at: at }) : q.set((eb) => ({ attempts: eb('attempts', '+', 1) }))).execute();
    },
  };
}
