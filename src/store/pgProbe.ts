// One-off pg connections: waiting until a server accepts us, and reading its version.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { maskUrl } from '../config/config.js';
import { StorageError } from './storageError.js';

type PgError = Error & { code?: string };

// Errors that mean "not up yet": refused, reset, or the server is still starting / shutting down.
const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P03', 'ETIMEDOUT']);

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {}); // a server shutting down may reset an idle client; that is not a crash
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export interface WaitOptions {
  timeoutMs: number;
  /** Called between attempts; returns a reason to give up at once (e.g. the server process exited). */
  abort?: () => string | null;
}

/** Polls until the server accepts a connection; permanent errors (bad password, no database) fail at once. */
export async function waitUntilAccepting(url: string, { timeoutMs, abort }: WaitOptions): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await withClient(url, (c) => c.query('select 1'), 2_000);
      return;
    } catch (e) {
      const err = e as PgError;
      const transient = TRANSIENT.has(err.code ?? '') || /timeout|terminat|starting up/i.test(err.message);
      if (!transient) throw connectionError(url, err);
      const reason = abort?.();
      if (reason) throw new StorageError(reason);
      if (Date.now() >= deadline) {
        throw new StorageError(`PostgreSQL at ${where(url)} did not accept connections within ${timeoutMs / 1000} s (${err.message})`);
      }
      await sleep(100);
    }
  }
}

/** The server's version as a number, e.g. 170004 for 17.4. */
export async function serverVersionNum(url: string): Promise<number> {
  try {
    return await withClient(url, async (c) => {
      const r = await c.query<{ v: string }>('select current_setting($1) as v', ['server_version_num']);
      return Number(r.rows[0]?.v);
    });
  } catch (e) {
    throw connectionError(url, e as PgError);
  }
}

export function connectionError(url: string, err: PgError): StorageError {
  const code = err.code ? ` [${err.code}]` : '';
  return new StorageError(`cannot connect to PostgreSQL at ${where(url)}: ${err.message || String(err)}${code}`);
}

/** host:port/db of a URL, never its password. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return maskUrl(url);
  }
}
