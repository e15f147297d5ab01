import type { Kysely } from 'kysely';
import type { MemberRepository } from '../../core/index.js';
import type { Database } from '../schema.js';
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
          created_at: m.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) return 'ok';
      const byPhone = await base().where('business_id', '=', m.businessId).where('phone', '=', m.phone).executeTakeFirst();
      return byPhone ? 'phone_taken' : 'card_taken';
    },
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
        .orderBy('created_at')
        .limit(limit)
        .execute();
      return rows.map(toMember);
    },
    async lock(businessId, id) {
      // FOR NO KEY UPDATE OF m: serialises points writes on this member without blocking inserts that reference it;
      // the business row is only read.
      const row = await db
        .selectFrom('members as m')
        .innerJoin('businesses as b', 'b.id', 'm.business_id')
        .selectAll('m')
        .select(['b.name as b_name', 'b.timezone as b_timezone', 'b.currency as b_currency', 'b.region as b_region', 'b.program as b_program', 'b.created_at as b_created_at'])
        .where('m.business_id', '=', businessId)
        .where('m.id', '=', id)
        .forNoKeyUpdate(['m'])
        .executeTakeFirst();
      if (!row) return null;
      const business = toBusiness({ id: businessId, name: row.b_name, timezone: row.b_timezone, currency: row.b_currency, region: row.b_region, program: row.b_program, created_at: row.b_created_at });
      return { member: toMember(row), business };
    },
  };
}
