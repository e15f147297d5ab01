// One Kysely instance over a pg pool. bigint and numeric come back as JS numbers (our values stay far below 2^53);
// SQL dates stay 'YYYY-MM-DD' strings so no time zone shifts a birthday.
import pg from 'pg';
import Cursor from 'pg-cursor';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.js';
import { PreparingClient } from './preparingClient.js';

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v);
    if (oid === pg.types.builtins.DATE) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  },
};

export interface DbOptions {
  max?: number;
  /** Sets search_path on every connection (tests use one schema per test file). */
  schema?: string;
}

export function createPool(url: string, options: DbOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types,
    Client: PreparingClient,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // A client losing its connection (server restart or shutdown) must not crash the process: the pool replaces idle
  // ones, and a checked-out one's query promise still rejects; only the stray 'error' event is swallowed.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export function createDb(url: string, options: DbOptions = {}): Kysely<Database> {
  // cursor: .stream() reads big results (exports) a chunk at a time instead of all at once.
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(url, options), cursor: Cursor }) });
}
