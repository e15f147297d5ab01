// The composition root every command shares: config → database → Kysely → migrations → use-case deps; close() undoes it.
import type { Kysely } from 'kysely';
import type { AppDeps } from '../app/deps.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../config/logger.js';
import type { LockOwner } from '../store/embedded/lockFile.js';
import { createDb } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { openDatabase, type OpenedDatabase } from '../store/openDatabase.js';
import type { Database } from '../store/schema.js';
import { makeDeps } from './makeDeps.js';

export interface AppContext {
  config: Config;
  log: Logger;
  database: OpenedDatabase;
  db: Kysely<Database>;
  deps: AppDeps;
  /** Migrations applied by this start (empty when the schema was already current). */
  applied: string[];
  close(): Promise<void>;
}

export async function openApp(config: Config, log: Logger, owner: LockOwner): Promise<AppContext> {
  const database = await openDatabase(config, { owner, log });
  const db = createDb(database.url);
  const close = async () => {
    await db.destroy(); // our connections first, so PostgreSQL's fast shutdown has nobody to cut off
    await database.close();
  };
  try {
    const applied = await migrateToLatest(db);
    for (const name of applied) log.debug(`applied migration ${name}`);
    return { config, log, database, db, deps: makeDeps(db), applied, close };
  } catch (e) {
    await close();
    throw e;
  }
}

let interrupted = false;
/** True once Ctrl-C has stopped a command: the errors its cut-off work throws after that are noise. */
export const wasInterrupted = () => interrupted;

/** Runs a command's work with an opened app and always closes it; Ctrl-C stops the database before exiting. */
export async function withApp<T>(config: Config, log: Logger, fn: (app: AppContext) => Promise<T>): Promise<T> {
  const opening = openApp(config, log, 'cli');
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130); // a second Ctrl-C: now; the next command cleans up
    interrupted = true;
    log.warn(`${signal}: interrupted, stopping`);
    // Also while still opening: wait for it, then close. Closing the pool first makes the work in flight stop at
    // its next query (its errors are not reported) before PostgreSQL stops.
    void opening
      .then((app) => app.close(), () => undefined)
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    const app = await opening;
    if (interrupted) return await new Promise<never>(() => {}); // the signal handler exits
    try {
      return await fn(app);
    } finally {
      if (!interrupted) await app.close();
    }
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}
