// A fresh, migrated database per benchmark (so nothing else on the server is touched), and bulk member seeding.
import { randomBytes, randomInt } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
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

/**
 * Open lots for every member of the business, `lotsPerMember` each (1–500 points), earned at `earnedAt` and
 * expiring at `expiresAt` (an SQL expression, evaluated per lot), with their ledger transactions and postings.
 * Unlogged scratch tables draw the ids once for all three inserts. Returns how many lots and points.
 */
export async function seedOpenLots(
  db: Kysely<Database>,
  businessId: string,
  o: { lotsPerMember: number; earnedAt: Date; expiresAt: RawBuilder<unknown>; reason: string },
): Promise<{ lots: number; points: number }> {
  await sql`create unlogged table seed_members as select id as member_id, gen_random_uuid() as tx_id from members where business_id = ${businessId}`.execute(db);
  await sql`
    create unlogged table seed_lots as
    select s.member_id, s.tx_id, gen_random_uuid() as lot_id, (1 + floor(random() * 500))::bigint as amount, ${o.expiresAt} as expires_at
      from seed_members s cross join generate_series(1, ${o.lotsPerMember})
  `.execute(db);
  await sql`
    insert into ledger_transactions (business_id, id, member_id, type, points, balance_after, reason, actor_type, actor_id, meta, created_at)
    select ${businessId}, tx_id, member_id, 'earn', sum(amount), sum(amount), ${o.reason}, 'system', 'bench', '{}', ${o.earnedAt}
      from seed_lots group by tx_id, member_id
  `.execute(db);
  await sql`
    insert into lots (business_id, id, member_id, transaction_id, purchase_id, amount, remaining, activates_at, expires_at, created_at)
    select ${businessId}, lot_id, member_id, tx_id, null, amount, amount, ${o.earnedAt}, expires_at, ${o.earnedAt} from seed_lots
  `.execute(db);
  await sql`
    insert into postings (business_id, transaction_id, member_id, lot_id, source, destination, amount)
    select ${businessId}, tx_id, member_id, lot_id, 'issued', 'member', amount from seed_lots
  `.execute(db);
  const seeded = await sql<{ lots: number; points: string | null }>`select count(*)::int as lots, sum(amount)::bigint as points from seed_lots`.execute(db);
  await sql`drop table seed_lots, seed_members`.execute(db);
  const row = seeded.rows[0]!;
  return { lots: row.lots, points: Number(row.points ?? 0) };
}
