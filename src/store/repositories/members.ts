import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { ConsentKind, MemberLot, MemberRepository } from '../../core/index.js';
import type { Database, MembersTable } from '../schema.js';
import { insertMembers, lockMembers } from './bulk.js';
import { claimOutcome } from './idempotency.js';
import { lotRepository } from './ledger.js';
import { toBusiness, toMember } from './rows.js';

export function memberRepository(db: Kysely<Database>): MemberRepository {
  const base = () => db.selectFrom('members').selectAll();
  return {
    async insert(m) {
      const inserted = await db
        .insertInto('members')
        .values({
          business_id: m.businessId,
          id: m.id,
          card_number: m.cardNumber,
          phone: m.phone,
          name: m.name,
          birthday: m.birthday,
          email: m.email,
          blocked: m.blocked,
          telegram_user_id: m.telegramUserId,
          telegram_username: m.telegramUsername,
          answers: JSON.stringify(m.answers) as unknown as Record<string, string>,
          referred_by: m.referredBy,
          created_at: m.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) return 'ok';
      const byPhone = await base().where('business_id', '=', m.businessId).where('phone', '=', m.phone).executeTakeFirst();
      return byPhone ? 'phone_taken' : 'card_taken';
    },
    insertMany: (members, o) => insertMembers(db, members, o?.credited),
    async get(businessId, id) {
      const row = await base().where('business_id', '=', businessId).where('id', '=', id).executeTakeFirst();
      return row ? toMember(row) : null;
    },
    async findByPhone(businessId, phone) {
      const row = await base().where('business_id', '=', businessId).where('phone', '=', phone).executeTakeFirst();
      return row ? toMember(row) : null;
    },
    async findByCard(businessId, cardNumber) {
      const row = await base().where('business_id', '=', businessId).where('card_number', '=', cardNumber).executeTakeFirst();
      return row ? toMember(row) : null;
    },
    async findByLast4(businessId, last4, limit) {
      const rows = await base()
        .where('business_id', '=', businessId)
        .where('phone_last4', '=', last4)
        .where('erased_at', 'is', null)
        .orderBy('created_at')
        .limit(limit)
        .execute();
      return rows.map(toMember);
    },
    async search(businessId, q, limit) {
      const text = q.text.replace(/[\\%_]/g, (c) => `\\${c}`);
      const rows = await base()
        .where('business_id', '=', businessId)
        .where('erased_at', 'is', null)
        .where((eb) =>
          eb.or([
            ...(text ? [eb('name', 'ilike', `%${text}%`)] : []),
            ...(q.digits.length >= 3 ? [eb('phone', 'like', `%${q.digits}%`), eb('card_number', 'like', `${q.digits}%`)] : []),
          ]),
        )
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toMember);
    },
    async findByTelegram(businessId, telegramUserId) {
      const row = await base().where('business_id', '=', businessId).where('telegram_user_id', '=', telegramUserId).executeTakeFirst();
      return row ? toMember(row) : null;
    },
    async linkTelegram(businessId, memberId, telegramUserId, username) {
      await db
        .updateTable('members')
        .set({ telegram_user_id: null, telegram_username: null })
        .where('business_id', '=', businessId)
        .where('telegram_user_id', '=', telegramUserId)
        .where('id', '<>', memberId)
        .execute();
      await db
        .updateTable('members')
        .set({ telegram_user_id: telegramUserId, telegram_username: username })
        .where('business_id', '=', businessId)
        .where('id', '=', memberId)
        .execute();
    },
    async findByVk(businessId, vkUserId) {
      const row = await base().where('business_id', '=', businessId).where('vk_user_id', '=', vkUserId).executeTakeFirst();
      return row ? toMember(row) : null;
    },
    async setVkUser(businessId, memberId, vkUserId, o = {}) {
      if (vkUserId !== null && o.takeFromOthers) {
        await db.updateTable('members').set({ vk_user_id: null }).where('business_id', '=', businessId).where('vk_user_id', '=', vkUserId).where('id', '<>', memberId).execute();
      }
      const r = await sql<{ id: string }>`
        update members m set vk_user_id = ${vkUserId}::bigint,
               dead_channels = case when ${vkUserId}::bigint is not null and (${o.reachable ?? false} or m.vk_user_id is distinct from ${vkUserId}::bigint)
                                    then array_remove(m.dead_channels, 'vk') else m.dead_channels end
         where m.business_id = ${businessId} and m.id = ${memberId}
           and (${vkUserId}::bigint is null or not exists (
                 select 1 from members o where o.business_id = ${businessId} and o.vk_user_id = ${vkUserId}::bigint and o.id <> ${memberId}))
        returning m.id`.execute(db);
      return r.rows.length > 0;
    },
    async addConsent(c) {
      await db
        .insertInto('member_consents')
        .values({ business_id: c.businessId, member_id: c.memberId, kind: c.kind, granted: c.granted, text_version: c.textVersion, channel: c.channel, at: c.at })
        .execute();
    },
    async consents(businessId, memberId) {
      const rows = await db
        .selectFrom('member_consents')
        .selectAll()
        .distinctOn('kind')
        .where('business_id', '=', businessId)
        .where('member_id', '=', memberId)
        .orderBy('kind')
        .orderBy('id', 'desc')
        .execute();
      return rows.map((r) => ({ businessId: r.business_id, memberId: r.member_id, kind: r.kind as ConsentKind, granted: r.granted, textVersion: r.text_version, channel: r.channel, at: r.at }));
    },
    async update(m, at) {
      // A changed birthday is dated, so a birthday moved to "today" does not bring the birthday bonus (anti-abuse).
      const changedAt = at ? { birthday_changed_at: sql<Date>`case when birthday is distinct from ${m.birthday}::date then ${at}::timestamptz else birthday_changed_at end` } : {};
      await db
        .updateTable('members')
        .set({ name: m.name, birthday: m.birthday, email: m.email, blocked: m.blocked, answers: JSON.stringify(m.answers) as unknown as Record<string, string>, ...changedAt })
        .where('business_id', '=', m.businessId)
        .where('id', '=', m.id)
        .execute();
    },
    async setReferralCode(businessId, memberId, code) {
      const r = await sql<{ referral_code: string | null }>`
        update members set referral_code = coalesce(referral_code, ${code})
         where business_id = ${businessId} and id = ${memberId} and erased_at is null
           and not exists (select 1 from members o where o.business_id = ${businessId} and o.referral_code = ${code})
        returning referral_code`.execute(db);
      if (r.rows[0]) return r.rows[0].referral_code;
      const row = await db.selectFrom('members').select('referral_code').where('business_id', '=', businessId).where('id', '=', memberId).executeTakeFirst();
      return row?.referral_code ?? null;
    },
    async activeIds(businessId, afterId, limit) {
      let q = db.selectFrom('members').select('id').where('business_id', '=', businessId).where('blocked', '=', false);
      if (afterId) q = q.where('id', '>', afterId);
      return (await q.orderBy('id').limit(limit).execute()).map((r) => r.id);
    },
    async findByReferralCode(businessId, code) {
      const r = await base().where('business_id', '=', businessId).where('referral_code', '=', code).executeTakeFirst();
      return r ? toMember(r) : null;
    },
    async markReferralRewarded(businessId, memberId, at) {
      await db.updateTable('members').set({ referral_rewarded_at: at }).where('business_id', '=', businessId).where('id', '=', memberId).execute();
    },
    async erase(businessId, memberId, at) {
      await sql`
        update members set name = null, birthday = null, email = null, answers = '{}', telegram_user_id = null, telegram_username = null, vk_user_id = null,
               referral_code = null, blocked = true, erased_at = ${at},
               -- the phone column is required and unique: an id-based placeholder frees the number for a new card
               phone = 'erased:' || id::text
         where business_id = ${businessId} and id = ${memberId}`.execute(db);
    },
    async lock(businessId, id) {
      // One round trip: lock the member (FOR NO KEY UPDATE OF m: serialises points writes without blocking inserts
      // that reference the member), read its business, and its open lots as JSON. The lots subquery reads the
      // statement's snapshot, taken before any wait for the lock; if the previous lock holder changed the lots, it
      // also bumped ledger_seq, so the locked row's seq differs from the snapshot's and the lots are read again.
      const r = await sql<LockRow>`${lockedMemberSelect(businessId, id, sql`true`)}`.execute(db);
      return r.rows[0] ? fromLockRow(db, businessId, id, r.rows[0]) : null;
    },
    lockMany: (businessId, ids) => lockMembers(db, businessId, ids),
    async lockWithClaim(businessId, id, claim) {
      // The idempotency claim (see IdempotencyRepository.claim) and the member lock in one statement: the member is
      // locked only when the key is free; otherwise the statement reports what holds it.
      const r = await sql<LockRow & ClaimColumns>`
        with k as materialized (
          select pg_try_advisory_xact_lock(hashtextextended(${businessId}::text || '/' || ${claim.key}::text, 7)) as got
        ), prior as materialized (
          select i.request_hash, i.result from k join idempotency_keys i on k.got and i.business_id = ${businessId} and i.key = ${claim.key}
        ), locked as materialized (
          ${lockedMemberSelect(businessId, id, sql`(select got from k) and not exists (select 1 from prior)`)}
        )
        select (select got from k) as got, (select request_hash from prior) as request_hash, (select result from prior) as result, locked.*
          from (select 1) as one left join locked on true
      `.execute(db);
      const row = r.rows[0];
      const outcome = claimOutcome(claim.key, claim.requestHash, row);
      return { claim: outcome, locked: outcome.status === 'new' && row?.id ? await fromLockRow(db, businessId, id, row) : null };
    },
  };
}

interface ClaimColumns {
  got: boolean | null;
  request_hash: string | null;
  result: unknown;
}

/** The locking read of a member with business and open lots (only when `when` holds). */
function lockedMemberSelect(businessId: string, id: string, when: RawBuilder<unknown>) {
  return sql`
    select m.*, b.name as b_name, b.timezone as b_timezone, b.currency as b_currency, b.region as b_region,
           b.program as b_program, b.created_at as b_created_at,
           (select s.ledger_seq from members s where s.business_id = m.business_id and s.id = m.id) as snapshot_seq,
           (select coalesce(json_agg(json_build_object(
                     'id', l.id, 'amount', l.amount, 'remaining', l.remaining, 'expired', l.expired_points,
                     'purchaseId', l.purchase_id,
                     'activatesAt', (extract(epoch from l.activates_at) * 1000)::bigint,
                     'expiresAt', (extract(epoch from l.expires_at) * 1000)::bigint,
                     'createdAt', (extract(epoch from l.created_at) * 1000)::bigint)), '[]'::json)
              from lots l where l.business_id = m.business_id and l.member_id = m.id and l.remaining > 0) as lots
      from members m join businesses b on b.id = m.business_id
     where m.business_id = ${businessId} and m.id = ${id} and ${when}
       for no key update of m`;
}

async function fromLockRow(db: Kysely<Database>, businessId: string, id: string, row: LockRow) {
  const business = toBusiness({ id: businessId, name: row.b_name, timezone: row.b_timezone, currency: row.b_currency, region: row.b_region, program: row.b_program, created_at: row.b_created_at });
  const member = toMember(row);
  const lots = row.snapshot_seq === row.ledger_seq ? row.lots.map((l) => lotFromJson(l, member.id)) : await lotRepository(db).open(businessId, id);
  return { member, business, lots };
}

interface LotJson {
  id: string;
  amount: number;
  remaining: number;
  expired: number;
  purchaseId: string | null;
  activatesAt: number;
  expiresAt: number | null;
  createdAt: number;
}

type LockRow = Selectable<MembersTable> & {
  b_name: string;
  b_timezone: string;
  b_currency: string;
  b_region: string;
  b_program: unknown;
  b_created_at: Date;
  snapshot_seq: number;
  lots: LotJson[];
};

const lotFromJson = (l: LotJson, memberId: string): MemberLot => ({
  id: l.id,
  memberId,
  purchaseId: l.purchaseId,
  amount: l.amount,
  remaining: l.remaining,
  expiredPoints: l.expired,
  activatesAt: new Date(l.activatesAt),
  expiresAt: l.expiresAt === null ? null : new Date(l.expiresAt),
  createdAt: new Date(l.createdAt),
});
