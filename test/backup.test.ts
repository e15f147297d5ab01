// Backups without pg_dump (issue 7), on the real PostgreSQL: a database filled through the use cases is backed up and
// restored into fresh schemas — every table row for row, every balance — and damaged, foreign or mismatched files,
// or a database that already holds data, are refused with nothing restored. Then the CLI round trip.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyBackup, DAILY_BACKUPS_KEPT, listBackups, makeBackup, restoreBackup, startBackup, type BackupDeps } from '../src/app/backups.js';
import { createBroadcast, planDueBroadcasts } from '../src/app/broadcasts.js';
import { receiveMemberMessage } from '../src/app/chat.js';
import { recordConsent } from '../src/app/consents.js';
import { getMember } from '../src/app/getMember.js';
import { uuidv7 } from '../src/app/ids.js';
import { recordPurchase } from '../src/app/recordPurchase.js';
import { inviteStaff } from '../src/app/staff.js';
import { runDemo } from '../src/cli/demo.js';
import { ManualClock, isDomainError } from '../src/core/index.js';
import { backupStore } from '../src/store/backup.js';
import { createPool } from '../src/store/database.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';
import { startApi, type ApiHarness } from './support/apiServer.js';
import { aMember } from './support/factories.js';
import { makeTempDir, removeTempDir } from './support/tempDir.js';

const quiet = { info: () => undefined };
let dir: string;
let src: TestDatabase;
const opened: TestDatabase[] = [];
const pools: pg.Pool[] = [];
let businessId: string;
let queued: number;

function backupDepsFor(t: TestDatabase, clock = t.clock): BackupDeps {
  const pool = createPool(t.url, { schema: t.schema, max: 3 });
  pools.push(pool);
  return { backups: backupStore(pool), clock, newId: uuidv7, dir, kopilkaVersion: '0.1.0-test' };
}

async function freshDatabase(): Promise<TestDatabase> {
  const t = await openTestDatabase();
  opened.push(t);
  return t;
}

/** Every table of the schema (but the migrator's and the backups' records), each as its rows in JSON, sorted. */
async function contents(t: TestDatabase): Promise<Record<string, string[]>> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE'
       and table_name not in ('kopilka_migrations', 'kopilka_migrations_lock', 'backups')`.execute(t.db);
  const out: Record<string, string[]> = {};
  for (const { name } of rows) {
    const r = await sql<{ j: string }>`select to_jsonb(x)::text as j from ${sql.table(name)} x`.execute(t.db);
    out[name] = r.rows.map((x) => x.j).sort();
  }
  return out;
}

async function expectRefused(p: Promise<unknown>, code: string): Promise<Error> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, `expected ${code}`).not.toBeNull();
  expect(isDomainError(e) ? e.code : String(e)).toBe(code);
  return e as Error;
}

const businessCount = async (t: TestDatabase) => (await sql<{ n: number }>`select count(*)::int as n from businesses`.execute(t.db)).rows[0]!.n;

beforeAll(async () => {
  dir = await makeTempDir();
  src = await freshDatabase();
  // Members, purchases, redemptions, refunds, expiries and an API key, over six months, through the use cases.
  const demo = await runDemo(src.deps, quiet, { members: 40 });
  businessId = demo.businessId;
  const { deps } = src;
  await inviteStaff(deps, { cli: true }, { businessId, role: 'manager', name: 'Мария' });
  const members = await sql<{ id: string; phone: string }>`select id, phone from members where business_id = ${businessId} order by id limit 3`.execute(src.db);
  await recordPurchase(deps, { businessId, member: { id: members.rows[0]!.id }, amount: 450_00, externalId: 'receipt "1"\n\ttab\\' });
  await receiveMemberMessage(deps, { businessId, memberId: members.rows[1]!.id, text: 'Привет!\nУ вас открыто в субботу?', channel: 'telegram' });
  const consenting = await sql<{ id: string }>`select id from members where business_id = ${businessId} order by id limit 12`.execute(src.db);
  for (const { id } of consenting.rows) await recordConsent(deps, { businessId, memberId: id, kind: 'marketing', granted: true, textVersion: 'v1', channel: 'card' });
  await createBroadcast(deps, { businessId, text: 'Новый сезонный кофе ☕', segment: {} });
  await planDueBroadcasts(deps);
  // Some messages were handed to the queue when the backup was made: restore schedules them again.
  const q = await sql`update messages set status = 'queued', queued_at = now() where id in (select id from messages order by id limit 5)`.execute(src.db);
  queued = Number(q.numAffectedRows);
}, 180_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  for (const t of opened) await t.close();
  if (dir) await removeTempDir(dir);
});

describe('backup and restore', () => {
  let file: string;
  let ledger: string;

  it('writes a gzip file whose manifest lists every table with its rows and checksum, and the ledger checksum', async () => {
    const deps = backupDepsFor(src);
    const progress: number[] = [];
    const r = await makeBackup(deps, { onProgress: (p) => progress.push(p.tablesDone) });
    expect(r.status).toBe('done');
    expect(r.size).toBeGreaterThan(1000);
    expect(path.dirname(r.file)).toBe(dir);
    expect(path.basename(r.file)).toMatch(/^kopilka-2026-03-10-090000-\w{6}\.backup\.gz$/);
    expect(progress.at(-1)).toBe(r.tablesTotal);
    expect(r.tablesTotal).toBeGreaterThan(25);
    file = r.file;
    ledger = await deps.backups.ledgerChecksum();
    const [listed] = await listBackups(deps);
    expect(listed).toMatchObject({ id: r.id, status: 'done', size: r.size, tablesDone: r.tablesTotal });
    const text = (await import('node:zlib')).gunzipSync(await readFile(file)).toString('utf8');
    expect(text.startsWith('KOPILKA-BACKUP 1\n')).toBe(true);
    const manifest = JSON.parse(text.split('\n')[1]!) as { tables: { name: string; rows: number }[]; ledgerChecksum: string; migrations: string[]; instanceId: string };
    expect(manifest.ledgerChecksum).toBe(ledger);
    expect(manifest.migrations).toContain('009_backups');
    const names = manifest.tables.map((t) => t.name);
    expect(names.indexOf('businesses')).toBeLessThan(names.indexOf('members'));
    expect(names.indexOf('members')).toBeLessThan(names.indexOf('purchases'));
    expect(names.indexOf('purchases')).toBeLessThan(names.indexOf('purchase_refunds'));
    expect(names).not.toContain('kopilka_migrations');
    expect(manifest.tables.find((t) => t.name === 'postings')!.rows).toBeGreaterThan(100);
  });

  it('restores into a fresh database: every table row for row, every balance, the instance id; queued messages scheduled again', async () => {
    const dst = await freshDatabase();
    const before = await sql<{ id: string }>`select id from instance`.execute(dst.db);
    const r = await restoreBackup(backupDepsFor(dst), file);
    expect(r.previousInstanceId).toBe(before.rows[0]!.id);
    const srcInstance = (await sql<{ id: string }>`select id from instance`.execute(src.db)).rows[0]!.id;
    expect(r.manifest.instanceId).toBe(srcInstance);
    expect(r.requeuedMessages).toBe(queued);

    const a = await contents(src);
    const b = await contents(dst);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const table of Object.keys(a)) {
      if (table === 'messages') continue;
      expect(b[table], table).toEqual(a[table]);
    }
    // Messages: the same, but those that were queued are scheduled again.
    const requeue = (j: string) => {
      const m = JSON.parse(j) as Record<string, unknown>;
      return JSON.stringify(m.status === 'queued' ? { ...m, status: 'scheduled', queued_at: null } : m);
    };
    expect(b.messages!.map(requeue).sort()).toEqual(a.messages!.map(requeue).sort());
    expect(a.messages!.length).toBeGreaterThan(queued);

    expect(await backupDepsFor(dst).backups.ledgerChecksum()).toBe(ledger);
    const ids = await sql<{ id: string }>`select id from members where business_id = ${businessId} order by id`.execute(src.db);
    for (const { id } of ids.rows) {
      const x = await getMember(src.deps, { businessId, memberId: id });
      const y = await getMember(dst.deps, { businessId, memberId: id });
      expect(y.balance, id).toEqual(x.balance);
    }
    // Sequences go on after the restored ids: new postings and outbox events are written as usual.
    await recordPurchase(dst.deps, { businessId, member: { id: ids.rows[0]!.id }, amount: 300_00 });
  });

  it('refuses to restore over a database that holds businesses, unless forced (then it wipes and restores)', async () => {
    const dst = await freshDatabase();
    await runDemo(dst.deps, quiet, { members: 5 });
    const mine = await backupDepsFor(dst).backups.ledgerChecksum();
    const e = await expectRefused(restoreBackup(backupDepsFor(dst), file), 'backup_target_not_empty');
    expect(e.message).toMatch(/--force/);
    expect(await backupDepsFor(dst).backups.ledgerChecksum()).toBe(mine);
    const r = await restoreBackup(backupDepsFor(dst), file, { force: true });
    expect(r.wipedBusinesses).toBe(1);
    expect(await backupDepsFor(dst).backups.ledgerChecksum()).toBe(ledger);
    expect(await businessCount(dst)).toBe(1);
  });

  it('refuses a file with any byte flipped, restoring nothing', async () => {
    const good = await readFile(file);
    const dst = await freshDatabase();
    await runDemo(dst.deps, quiet, { members: 5 });
    const mine = await contents(dst);
    // Positions across the header, the manifest and the data (the gzip magic itself is the foreign-file test).
    const positions = [12, 40, Math.floor(good.length / 3), Math.floor(good.length / 2), good.length - 30, good.length - 3];
    for (const [i, pos] of positions.entries()) {
      const bad = Buffer.from(good);
      bad[pos] = bad[pos]! ^ 0x5a;
      const damaged = path.join(dir, `damaged-${i}.backup.gz`);
      await writeFile(damaged, bad);
      const e = await expectRefused(restoreBackup(backupDepsFor(dst), damaged, { force: true }), 'backup_corrupt');
      expect(e.message).toMatch(/damaged/);
    }
    expect(await contents(dst)).toEqual(mine);
  });

  it('refuses a file that is not a Kopilka backup: random bytes, an empty file, another gzip file', async () => {
    const dst = await freshDatabase();
    const files = { random: randomBytes(5000), empty: Buffer.alloc(0), otherGzip: gzipSync('id,name\n1,coffee\n'), text: Buffer.from('KOPILKA but not really') };
    for (const [name, bytes] of Object.entries(files)) {
      const f = path.join(dir, `${name}.bin`);
      await writeFile(f, bytes);
      await expectRefused(restoreBackup(backupDepsFor(dst), f), 'backup_not_kopilka');
    }
    expect(await businessCount(dst)).toBe(0);
  });

  it('refuses a backup made with another list of migrations', async () => {
    const other = await freshDatabase();
    await runDemo(other.deps, quiet, { members: 3 });
    await sql`insert into kopilka_migrations (name, timestamp) values ('099_from_the_future', now())`.execute(other.db);
    const made = await makeBackup(backupDepsFor(other));
    const dst = await freshDatabase();
    const e = await expectRefused(restoreBackup(backupDepsFor(dst), made.file), 'backup_incompatible');
    expect(e.message).toMatch(/099_from_the_future/);
    expect(await businessCount(dst)).toBe(0);
  });

  it('refuses (rolls back) when the loaded ledger does not match the manifest\'s checksum', async () => {
    // A file whose data and checksums agree but whose ledger checksum is another: made by hand from a good one.
    const { gunzipSync } = await import('node:zlib');
    const text = gunzipSync(await readFile(file)).toString('utf8');
    const lines = text.split('\n');
    const manifest = JSON.parse(lines[1]!) as { ledgerChecksum: string };
    manifest.ledgerChecksum = '0'.repeat(64);
    lines[1] = JSON.stringify(manifest);
    const forged = path.join(dir, 'forged.backup.gz');
    await writeFile(forged, gzipSync(lines.join('\n')));
    const dst = await freshDatabase();
    await expectRefused(restoreBackup(backupDepsFor(dst), forged), 'backup_ledger_mismatch');
    expect(await businessCount(dst)).toBe(0);
  });

  it('startBackup answers at once and the record follows the progress to done', async () => {
    const deps = backupDepsFor(src);
    const run = await startBackup(deps, { kind: 'manual' });
    expect(run.record.status).toBe('running');
    const done = await run.done;
    expect(done.status).toBe('done');
    expect(await deps.backups.getRecord(run.record.id)).toMatchObject({ status: 'done', size: done.size, rowsDone: done.rowsDone });
  });

  it('daily: one backup a day, the last 7 kept (files too)', async () => {
    const t = await freshDatabase();
    await runDemo(t.deps, quiet, { members: 2 });
    const clock = new ManualClock('2026-04-01T02:00:00Z');
    const deps = backupDepsFor(t, clock);
    const first = await dailyBackup(deps);
    expect(first?.status).toBe('done');
    clock.advance(3600_000);
    expect(await dailyBackup(deps)).toBeNull();
    const files: string[] = [first!.file];
    for (let day = 0; day < 9; day++) {
      clock.advance(24 * 3600_000);
      files.push((await dailyBackup(deps))!.file);
    }
    const kept = (await listBackups(deps)).filter((r) => r.kind === 'daily');
    expect(kept.map((r) => r.file)).toEqual(files.slice(-DAILY_BACKUPS_KEPT).reverse());
    const exists = async (f: string) => readFile(f).then(() => true, () => false);
    expect(await exists(files[0]!)).toBe(false);
    expect(await exists(files.at(-1)!)).toBe(true);
  });
});

describe('kopilka backup / kopilka restore', () => {
  /** DATABASE_URL pointing at one test schema. */
  const urlFor = (t: TestDatabase) => {
    const u = new URL(t.url);
    u.searchParams.set('options', `-c search_path=${t.schema}`);
    return u.toString();
  };
  const cli = (args: string[], t: TestDatabase) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/kopilka.js', ...args], {
        env: { ...process.env, DATABASE_URL: urlFor(t), KOPILKA_DATA_DIR: dir, LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('backs up to a file with progress lines and restores it elsewhere; refuses over data without --force, and a foreign file', async () => {
    const out = path.join(dir, 'cli', 'shop.backup.gz');
    const b = await cli(['backup', '--out', out], src);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/\[1\/\d+\] reading businesses/);
    expect(b.stdout).toContain(`Backup written: ${out}`);

    const dst = await freshDatabase();
    const r = await cli(['restore', out], dst);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/loading members/);
    expect(r.stdout).toContain('the ledger checksum matches');
    expect(r.stdout).toContain('another installation');
    expect(await backupDepsFor(dst).backups.ledgerChecksum()).toBe(await backupDepsFor(src).backups.ledgerChecksum());

    const again = await cli(['restore', out], dst);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--force');
    expect(again.stderr).not.toMatch(/^\s+at /m);
    const forced = await cli(['restore', out, '--force', '--json'], dst);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ wipedBusinesses: 1, ledgerChecksum: expect.any(String) });

    const foreign = path.join(dir, 'photo.jpg');
    await writeFile(foreign, randomBytes(2000));
    const f = await cli(['restore', foreign], dst);
    expect(f.code).toBe(1);
    expect(f.stderr).toContain('not a Kopilka backup');
  }, 120_000);
});

describe('/api/v1/backups', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi({ setup: async (t) => ({ backups: backupDepsFor(t) }) });
  });
  afterAll(async () => h?.close());

  it('starts a backup (202 with its id), shows its progress and status, lists it, and downloads a file that restores', async () => {
    const shop = await h.business();
    await aMember(h.t.deps, shop.id);
    const auth = { authorization: `Bearer ${shop.apiKey}` };
    const started = await h.fetch(`${h.url}/api/v1/backups`, { method: 'POST', headers: auth });
    expect(started.status).toBe(202);
    const b = (await started.json()) as { id: string; status: string };
    expect(b.status).toBe('running');
    let one: { status: string; size: number | null; progress: { tablesDone: number; tablesTotal: number } } | undefined;
    for (let i = 0; i < 100; i++) {
      one = (await (await h.fetch(`${h.url}/api/v1/backups/${b.id}`, { headers: auth })).json()) as typeof one;
      if (one!.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(one).toMatchObject({ status: 'done', size: expect.any(Number) });
    expect(one!.progress.tablesDone).toBe(one!.progress.tablesTotal);
    const list = (await (await h.fetch(`${h.url}/api/v1/backups`, { headers: auth })).json()) as { items: { id: string }[] };
    expect(list.items.map((x) => x.id)).toContain(b.id);

    const file = await h.fetch(`${h.url}/api/v1/backups/${b.id}/download`, { headers: auth });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/gzip');
    expect(file.headers.get('content-disposition')).toMatch(/attachment; filename="kopilka-.*\.backup\.gz"/);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.length).toBe(one!.size);
    const downloaded = path.join(dir, 'downloaded.backup.gz');
    await writeFile(downloaded, bytes);
    const dst = await freshDatabase();
    const r = await restoreBackup(backupDepsFor(dst), downloaded);
    expect(r.manifest.businesses).toBe(1);
    expect(await backupDepsFor(dst).backups.ledgerChecksum()).toBe(await backupDepsFor(h.t).backups.ledgerChecksum());

    const missing = await h.fetch(`${h.url}/api/v1/backups/${uuidv7()}/download`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('backup_not_found');
  });

  it('refuses on a server holding several businesses: a backup would hold them all', async () => {
    const other = await h.business();
    const res = await h.fetch(`${h.url}/api/v1/backups`, { method: 'POST', headers: { authorization: `Bearer ${other.apiKey}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail?: string; code: string }).code).toBe('forbidden');
    expect(h.checked.failures).toEqual([]);
  });
});
