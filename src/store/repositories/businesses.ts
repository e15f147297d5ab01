import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyRecord, ApiKeyRepository, BusinessRepository } from '../../core/index.js';
import type { BusinessProfile } from '../../core/businessProfile.js';
import type { ApiKeysTable, Database } from '../schema.js';
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
    async locations(businessId) {
      return db.selectFrom('locations').select(['id', 'name']).where('business_id', '=', businessId).orderBy('name').orderBy('id').execute();
    },
    async qrSecret(businessId) {
      const row = await db.selectFrom('businesses').select('qr_secret').where('id', '=', businessId).executeTakeFirst();
      return row?.qr_secret ?? null;
    },
    async hasPurchases(businessId) {
      const row = await db.selectFrom('purchases').select('id').where('business_id', '=', businessId).limit(1).executeTakeFirst();
      return row !== undefined;
    },
    async profile(businessId) {
      const row = await db.selectFrom('businesses').select('profile').where('id', '=', businessId).executeTakeFirst();
      return (row?.profile ?? null) as BusinessProfile | null;
    },
    async setProfile(businessId, profile) {
      await db.updateTable('businesses').set({ profile: JSON.stringify(profile) }).where('id', '=', businessId).execute();
    },
    async insertLocation(l) {
      await db.insertInto('locations').values({ business_id: l.businessId, id: l.id, name: l.name, address: l.address }).execute();
    },
  };
}

const toApiKey = (r: Selectable<ApiKeysTable>): ApiKeyRecord => ({
  id: r.id,
  businessId: r.business_id,
  name: r.name,
  prefix: r.prefix,
  secretHash: r.secret_hash,
  locationId: r.location_id,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export function apiKeyRepository(db: Kysely<Database>): ApiKeyRepository {
  return {
    async list(businessId) {
      const rows = await db.selectFrom('api_keys').selectAll().where('business_id', '=', businessId).orderBy('created_at').execute();
      return rows.map(toApiKey);
    },
    async findByPrefix(prefix) {
      const row = await db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
      return row ? toApiKey(row) : null;
    },
    async revoke(businessId, id, at) {
      const r = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('business_id', '=', businessId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async insert(k) {
      await db
        .insertInto('api_keys')
        .values({ business_id: k.businessId, id: k.id, name: k.name, prefix: k.prefix, secret_hash: k.secretHash, location_id: k.locationId, created_at: k.createdAt })
        .execute();
    },
  };
}
