// Each test file gets its own schema in the test database, migrated from scratch, and drops it at the end.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { inject } from 'vitest';
import { ManualClock } from '../../src/core/index.js';
import type { AppDeps } from '../../src/app/deps.js';
import { makeDeps } from '../../src/cli/makeDeps.js';
import { createDb } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { Database } from '../../src/store/schema.js';

export interface TestDatabase {
  db: Kysely<Database>;
  deps: AppDeps;
  clock: ManualClock;
  url: string;
  schema: string;
  close(): Promise<void>;
}

export function testDatabaseUrl(): string {
  return inject('databaseUrl');
}

export async function openTestDatabase(opts: { max?: number; clock?: ManualClock } = {}): Promise<TestDatabase> {
  const url = testDatabaseUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = createDb(url, { schema, max: opts.max ?? 10 });
  await migrateToLatest(db);
  const clock = opts.clock ?? new ManualClock('2026-03-10T09:00:00Z');
  return {
    db,
    deps: makeDeps(db, clock),
    clock,
    url,
    schema,
    async close() {
      await db.destroy();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.query(`drop schema if exists ${schema}_boss cascade`); // the job queue's, when a test started one
      await c.end();
    },
  };
}
