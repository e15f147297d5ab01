// A fresh, migrated database per benchmark (so nothing else on the server is touched), and bulk member seeding.
import { randomBytes, randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { createBusiness } from '../src/app/createBusiness.js';
import { makeDeps } from '../src/cli/makeDeps.js';
import { cardNumberFromRandom } from '../src/core/index.js';
import { createDb } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import type { Database } from '../src/store/schema.js';

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  /** The URL of the new database. */
  url: string;
  name: string;
  db: Kysely<Database>;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * A new database bench_<random> on the server of `serverUrl`, migrated with the project's migrateToLatest.
 * A database rather than a schema: Kysely's migrator looks for its kopilka_migrations table in every schema of the
 * database, so a migrated schema beside another one fails ("relation kopilka_migrations_lock does not exist") and a
 * benchmark schema would break test runs that migrate their own schemas in the same database meanwhile.
 */
export async function freshDatabase(serverUrl: string, max = 8): Promise<BenchDatabase> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  await withClient(serverUrl, (c) => c.query(`create database ${name}`));
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb(url, { max });
  const drop = async () => {
    await db.destroy();
    await withClient(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
  };
  try {
    await migrateToLatest(db);
  } catch (e) {
    await drop();
    throw e;
  }
  return { url, name, db, drop };
}

export async function seedBusiness(db: Kysely<Database>): Promise<string> {
  const { business } = await createBusiness(makeDeps(db), { name: 'Benchmark coffee', timezone: 'Europe/Moscow' });
  return business.id;
}

/**
 * Inserts `count` members in bulk (10,000 rows per statement): distinct E.164 phones, distinct card numbers with a
 * valid check digit, exactly as createMember would store them, minus the per-member transaction. Returns their ids.
 */
export async function seedMembers(db: Kysely<Database>, businessId: string, count: number): Promise<string[]> {
  const cards = new Set<string>();
  const rand = () => randomInt(0, 1_000_000_000) / 1_000_000_000;
  while (cards.size < count) cards.add(cardNumberFromRandom(rand));
  const cardList = [...cards];
  const ids: string[] = [];
  const CHUNK = 10_000;
  for (let from = 0; from < count; from += CHUNK) {
    const n = Math.min(CHUNK, count - from);
    const phones = Array.from({ length: n }, (_, i) => `+7900${String(from + i).padStart(7, '0')}`);
    const r = await sql<{ id: string }>`
      insert into members (business_id, id, card_number, phone, created_at)
      select ${businessId}::uuid, gen_random_uuid(), c, p, now()
        from unnest(${cardList.slice(from, from + n)}::text[], ${phones}::text[]) as u(c, p)
      returning id
    `.execute(db);
    for (const row of r.rows) ids.push(row.id);
  }
  await sql`analyze members`.execute(db);
  return ids;
}
