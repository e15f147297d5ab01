import type { Kysely } from 'kysely';
import type { ApiKeyRepository, BusinessRepository } from '../../core/index.js';
import type { Database } from '../schema.js';
import { toBusiness } from './rows.js';

export function businessRepository(db: Kysely<Database>): BusinessRepository {
  return {
    async insert(b) {
      await db
        .insertInto('businesses')
        .values({ id: b.id, name: b.name, timezone: b.timezone, currency: b.currency, region: b.region, program: JSON.stringify(b.program), created_at: b.createdAt })
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom('businesses').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toBusiness(row) : null;
    },
    async findByName(name) {
      const row = await db.selectFrom('businesses').selectAll().where('name', '=', name).orderBy('created_at').executeTakeFirst();
      return row ? toBusiness(row) : null;
    },
    async update(b) {
      await db
        .updateTable('businesses')
        .set({ name: b.name, timezone: b.timezone, currency: b.currency, region: b.region, program: JSON.stringify(b.program) })
        .where('id', '=', b.id)
        .execute();
    },
    async locationExists(businessId, locationId) {
      const row = await db.selectFrom('locations').select('id').where('business_id', '=', businessId).where('id', '=', locationId).executeTakeFirst();
      return row !== undefined;
    },
    async insertLocation(l) {
      await db.insertInto('locations').values({ business_id: l.businessId, id: l.id, name: l.name, address: l.address }).execute();
    },
  };
}

export function apiKeyRepository(db: Kysely<Database>): ApiKeyRepository {
  return {
    async insert(k) {
      await db
        .insertInto('api_keys')
        .values({ business_id: k.businessId, id: k.id, name: k.name, prefix: k.prefix, secret_hash: k.secretHash, location_id: k.locationId, created_at: k.createdAt })
        .execute();
    },
  };
}
