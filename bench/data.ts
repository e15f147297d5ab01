// Exports, an import and a backup with its restore over a large business (issue 7: "streamed, so 1,000,000 rows work in
// bounded memory"). A fresh database gets `members` members with one open lot each (so as many ledger transactions);
// then, in this process and through the same use cases the API and the CLI call:
//   members and transactions exported as CSV and as XLSX to files (time, size, rows, peak RSS above the baseline);
//   an import of `importRows` new customers with balances: a dry run, the run, and the same file again (adds nothing);
//   a backup of the whole database (our own logical dump) and its restore over it (the ledger checksum must match).
// Memory is sampled every 20 ms; "bounded" means the peak above the baseline stays flat however many rows there are.
import { fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { sql } from 'kysely';
import { exportMembers, exportTransactions, type ByteSink, type ExportFormat } from '../src/app/exports.js';
import { importMembers } from '../src/app/imports.js';
import { makeDeps } from '../src/cli/makeDeps.js';
import { backupStore } from '../src/store/backup.js';
import { createPool } from '../src/store/database.js';
import { freshDatabase, seedBusiness, seedMembers, seedOpenLots } from './db.js';

export interface DataOptions {
  members: number;
  importRows: number;
}

export interface PhaseFigures {
  seconds: number;
  rows: number;
  bytes: number;
  rowsPerSecond: number;
  /** Highest RSS during the phase minus RSS just before it. */
  peakRssAboveBaselineMB: number;
  baselineRssMB: number;
}

/** An export in a child process whose V8 heap is capped at `heapLimitMB`: it finishes only if memory stays bounded. */
export interface CappedExport {
  heapLimitMB: number;
  rows: number;
  seconds: number;
  peakHeapMB: number;
  peakRssMB: number;
}

export interface DataResult {
  members: number;
  transactions: number;
  seedSeconds: number;
  exports: Record<`${'members' | 'transactions'}.${ExportFormat}`, PhaseFigures>;
  cappedExports: Record<string, CappedExport>;
  import: { rows: number; dryRun: PhaseFigures; run: PhaseFigures; again: { seconds: number; replayed: boolean; pointsAdded: number } };
  backup: PhaseFigures & { tables: number };
  restore: PhaseFigures & { checksumBefore: string; checksumAfter: string; matches: boolean };
  checks: { exportRowsMatch: boolean; cappedExportsFinished: boolean; importAddedAll: boolean; importIdempotent: boolean; restoreChecksumMatches: boolean };
}

const MB = 1024 * 1024;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** Runs `fn` while sampling RSS; returns its result with the time and the peak above the RSS before it. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakMB: number; baselineMB: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, seconds: (performance.now() - started) / 1000, peakMB: (peak - baseline) / MB, baselineMB: baseline / MB };
  } finally {
    clearInterval(timer);
  }
}

/** A file sink that waits for the stream to drain, as an HTTP response body would. */
function fileSink(file: string): ByteSink & { close(): Promise<void> } {
  const out = createWriteStream(file);
  return {
    async write(chunk) {
      if (!out.write(chunk)) await once(out, 'drain');
    },
    async close() {
      out.end();
      await once(out, 'finish');
    },
  };
}

function figures(m: { seconds: number; peakMB: number; baselineMB: number }, rows: number, bytes: number): PhaseFigures {
  return {
    seconds: round(m.seconds),
    rows,
    bytes,
    rowsPerSecond: Math.round(rows / Math.max(m.seconds, 1e-6)),
    peakRssAboveBaselineMB: round(m.peakMB, 1),
    baselineRssMB: round(m.baselineMB, 1),
  };
}

const HEAP_LIMIT_MB = 48;

function cappedExport(o: { url: string; businessId: string; what: 'members' | 'transactions'; format: ExportFormat; file: string }): Promise<CappedExport> {
  const child = fork(path.resolve('bin/run-ts.js'), [path.resolve('bench/export-child.ts')], { stdio: 'inherit', execArgv: [`--max-old-space-size=${HEAP_LIMIT_MB}`] });
  return new Promise((resolve, reject) => {
    let settled = false;
    child.once('message', (m: { type: 'done'; rows: number; seconds: number; peakHeapMB: number; peakRssMB: number } | { type: 'error'; error: string }) => {
      settled = true;
      if (m.type === 'done') resolve({ heapLimitMB: HEAP_LIMIT_MB, rows: m.rows, seconds: m.seconds, peakHeapMB: m.peakHeapMB, peakRssMB: m.peakRssMB });
      else reject(new Error(m.error));
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`the export child exited with ${code} (out of memory under a ${HEAP_LIMIT_MB} MB heap?)`));
    });
    child.send(o);
  });
}

/** `rows` customers with phones no seeded member has (+7 999 …) and a balance each. */
function importCsv(rows: number): { content: Uint8Array; points: number } {
  const lines = ['phone;name;balance'];
  let points = 0;
  for (let i = 0; i < rows; i++) {
    const balance = 1 + (i % 700);
    points += balance;
    lines.push(`+7999${String(i).padStart(7, '0')};Customer ${i};${balance}`);
  }
  return { content: new TextEncoder().encode(lines.join('\r\n') + '\r\n'), points };
}

export async function dataWorkload(url: string, o: DataOptions, log: (line: string) => void): Promise<DataResult> {
  const bench = await freshDatabase(url, 4);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kopilka-bench-data-'));
  const pool = createPool(bench.url, { max: 3 });
  try {
    const db = bench.db;
    const deps = makeDeps(db);
    const now = deps.clock.now();
    const seedStarted = performance.now();
    const businessId = await seedBusiness(db);
    await seedMembers(db, businessId, o.members);
    const seeded = await seedOpenLots(db, businessId, {
      lotsPerMember: 1,
      earnedAt: new Date(now.getTime() - 30 * 86_400_000),
      expiresAt: sql`${now}::timestamptz + interval '1 day' + random() * interval '300 days'`,
      reason: 'Seeded for the data benchmark',
    });
    await sql`vacuum analyze members, ledger_transactions, lots, postings`.execute(db);
    const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);
    const transactions = Number((await sql<{ n: string }>`select count(*) as n from ledger_transactions where business_id = ${businessId}`.execute(db)).rows[0]!.n);
    log(`  seeded ${o.members.toLocaleString('en')} members, ${seeded.lots.toLocaleString('en')} lots, ${transactions.toLocaleString('en')} transactions in ${seedSeconds} s`);

    const exportsOut = {} as DataResult['exports'];
    let exportRowsMatch = true;
    for (const what of ['members', 'transactions'] as const) {
      for (const format of ['csv', 'xlsx'] as const) {
        const file = path.join(dir, `${what}.${format}`);
        const sink = fileSink(file);
        const run = what === 'members' ? exportMembers : exportTransactions;
        const m = await measured(async () => {
          const r = await run(deps, { businessId, format, lang: 'ru' }, sink);
          await sink.close();
          return r;
        });
        const bytes = (await stat(file)).size;
        exportsOut[`${what}.${format}`] = figures(m, m.value.rows, bytes);
        const expected = what === 'members' ? o.members : transactions;
        if (m.value.rows !== expected) exportRowsMatch = false;
        log(`  export ${what}.${format}: ${m.value.rows.toLocaleString('en')} rows, ${round(bytes / MB, 1)} MB in ${round(m.seconds)} s, peak RSS +${round(m.peakMB, 1)} MB`);
        await rm(file);
      }
    }

    const cappedExports: Record<string, CappedExport> = {};
    let cappedExportsFinished = true;
    for (const [what, format] of [['members', 'csv'], ['transactions', 'xlsx']] as const) {
      const file = path.join(dir, `capped-${what}.${format}`);
      try {
        const r = await cappedExport({ url: bench.url, businessId, what, format, file });
        cappedExports[`${what}.${format}`] = r;
        if (r.rows !== (what === 'members' ? o.members : transactions)) cappedExportsFinished = false;
        log(`  export ${what}.${format} under a ${HEAP_LIMIT_MB} MB heap: ${r.rows.toLocaleString('en')} rows in ${r.seconds} s, peak heap ${r.peakHeapMB} MB, peak RSS ${r.peakRssMB} MB`);
      } catch (e) {
        cappedExportsFinished = false;
        log(`  export ${what}.${format} under a ${HEAP_LIMIT_MB} MB heap FAILED: ${(e as Error).message.split('\n')[0]}`);
      }
      await rm(file, { force: true });
    }

    const csv = importCsv(o.importRows);
    const input = { businessId, fileName: 'import.csv', content: csv.content, mapping: { phone: 'phone', name: 'name', balance: 'balance' }, expiresOn: null };
    const dry = await measured(() => importMembers(deps, { ...input, dryRun: true }));
    log(`  import dry run: ${dry.value.totals.rows.toLocaleString('en')} rows (${dry.value.totals.bad} bad) in ${round(dry.seconds)} s, peak RSS +${round(dry.peakMB, 1)} MB`);
    const run = await measured(() => importMembers(deps, { ...input, dryRun: false }));
    log(`  import: ${run.value.totals.newMembers.toLocaleString('en')} new members, ${run.value.totals.points.toLocaleString('en')} points in ${round(run.seconds)} s, peak RSS +${round(run.peakMB, 1)} MB`);
    const pointsBefore = Number((await sql<{ n: string }>`select coalesce(sum(remaining), 0) as n from lots where business_id = ${businessId}`.execute(db)).rows[0]!.n);
    const againStarted = performance.now();
    const again = await importMembers(deps, { ...input, dryRun: false });
    const againSeconds = round((performance.now() - againStarted) / 1000);
    const pointsAfter = Number((await sql<{ n: string }>`select coalesce(sum(remaining), 0) as n from lots where business_id = ${businessId}`.execute(db)).rows[0]!.n);
    log(`  the same file again: replayed ${again.replayed}, ${pointsAfter - pointsBefore} points added, ${againSeconds} s`);

    const store = backupStore(pool);
    const backupFile = path.join(dir, 'backup.kopilka.gz');
    const checksumBefore = await store.ledgerChecksum();
    const dump = await measured(() => store.dump(backupFile, { kopilkaVersion: 'bench', createdAt: new Date() }));
    const dumpRows = dump.value.tables.reduce((a, t) => a + t.rows, 0);
    log(`  backup: ${dumpRows.toLocaleString('en')} rows, ${round(dump.value.size / MB, 1)} MB in ${round(dump.seconds)} s, peak RSS +${round(dump.peakMB, 1)} MB`);
    const restore = await measured(() => store.restore(backupFile, { force: true }));
    const checksumAfter = await store.ledgerChecksum();
    log(`  restore: ${restore.value.rows.toLocaleString('en')} rows in ${round(restore.seconds)} s, peak RSS +${round(restore.peakMB, 1)} MB; ledger checksum ${checksumAfter === checksumBefore ? 'matches' : 'DIFFERS'}`);

    return {
      members: o.members,
      transactions,
      seedSeconds,
      exports: exportsOut,
      cappedExports,
      import: {
        rows: o.importRows,
        dryRun: figures(dry, dry.value.totals.rows, csv.content.length),
        run: figures(run, run.value.totals.rows, csv.content.length),
        again: { seconds: againSeconds, replayed: again.replayed, pointsAdded: pointsAfter - pointsBefore },
      },
      backup: { ...figures(dump, dumpRows, dump.value.size), tables: dump.value.tables.length },
      restore: { ...figures(restore, restore.value.rows, dump.value.size), checksumBefore, checksumAfter, matches: checksumAfter === checksumBefore },
      checks: {
        exportRowsMatch,
        cappedExportsFinished,
        importAddedAll: run.value.totals.newMembers === o.importRows && run.value.totals.points === csv.points,
        importIdempotent: again.replayed && pointsAfter === pointsBefore,
        restoreChecksumMatches: checksumAfter === checksumBefore,
      },
    };
  } finally {
    await pool.end();
    await rm(dir, { recursive: true, force: true });
    await bench.drop();
  }
}
