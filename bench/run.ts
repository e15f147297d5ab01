// `npm run bench [-- --quick] [-- --only accrual|embedded|expiry|api|notify|data]` (or `npm run bench -- api`): the benchmarks of
// issue 2, of the Integration API, of the notifications engine (issue 6) and of exports, imports and backups (issue 7). Each part writes bench/results/<ISO date>-<part>.json (…-<part>-quick.json for
// --quick) and the run ends with a summary.
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { accrualWorkload, type AccrualResult } from './accrual.js';
import { apiWorkload, type ApiResult } from './api.js';
import { dataWorkload, type DataResult } from './data.js';
import { startEmbeddedServer } from './embedded.js';
import { expiryWorkload, type ExpiryResult } from './expiry.js';
import { busyPercent, machineInfo, serverInfo, type ServerInfo } from './machine.js';
import { notifyWorkload, type NotifyResult } from './notify.js';
import { pgbenchAvailable, runPgbench, type PgbenchResult } from './pgbench.js';

const PARTS = ['accrual', 'embedded', 'expiry', 'api', 'notify', 'data'] as const;
type Part = (typeof PARTS)[number];

const { values: flags, positionals } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, help: { type: 'boolean', default: false } },
  allowPositionals: true,
});
if (flags.help) {
  console.log(`usage: npm run bench [-- --quick] [-- --only ${PARTS.join('|')}]   (\`npm run bench -- api\` is --only api)`);
  process.exit(0);
}
const only = flags.only ?? positionals[0];
if ((only !== undefined && !PARTS.includes(only as Part)) || positionals.length > 1 || (flags.only !== undefined && positionals.length > 0)) {
  console.error(`name one part, one of ${PARTS.join(', ')}`);
  process.exit(2);
}
const parts: readonly Part[] = only ? [only as Part] : PARTS;
const quick = flags.quick;
const mode = quick ? 'quick' : 'full';
const settings = {
  accrual: { members: quick ? 1_000 : 10_000, clients: 8, processes: 2, warmupSeconds: quick ? 1 : 5, seconds: quick ? 5 : 30, profileOps: quick ? 100 : 500 },
  pgbench: { scale: 10, clients: 8, threads: 2, seconds: quick ? 5 : 30 },
  expiry: { members: quick ? 10_000 : 100_000, lotsPerMember: 10 },
  api: {
    members: quick ? 1_000 : 10_000,
    seedConcurrency: 8,
    warmupSeconds: quick ? 2 : 5,
    seconds: quick ? 5 : 20,
    probeConnections: [8, 16, 32],
    probeSeconds: quick ? 3 : 5,
    paceGroups: 50,
    rateLimit: 1_000_000,
  },
  notify: {
    members: quick ? 2_000 : 100_000,
    limitPerSecond: 300,
    clientFraction: 0.98,
    // 4 × 50 messages in flight cover ~0.7 s of slots at 300/s, so a slow fetch or claim does not leave slots unused.
    workers: 4,
    batchSize: 50,
    reminderMembers: quick ? 2_000 : 100_000,
    lotsPerMember: 10,
  },
  data: { members: quick ? 20_000 : 1_000_000, importRows: quick ? 5_000 : 100_000 },
};
const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const machine = machineInfo();
/** The code measured: a benchmark of a moving tree is only meaningful with its commit. */
const code = (() => {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim() !== '';
    return { commit, srcModified: dirty };
  } catch {
    return null;
  }
})();
const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
const resultsDir = path.resolve('bench/results');
const log = (line: string) => console.log(line);
const masked = (u: string) => u.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

/** Other work on the machine skews every figure: measure it before each part and say so. */
async function checkQuiet(): Promise<number> {
  const busy = await busyPercent();
  if (busy > 15) log(`  WARNING: the machine was ${busy}% busy before this part started; figures will be low`);
  return busy;
}

async function save(part: Part, figures: unknown, server: ServerInfo | null, busyBefore: number): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${stamp}-${part}${quick ? '-quick' : ''}.json`);
  const doc = { part, mode, date: new Date().toISOString(), command, code, machine: { ...machine, cpuBusyPercentBeforePart: busyBefore }, server, settings, figures };
  await writeFile(file, JSON.stringify(doc, null, 2) + '\n');
  return path.relative(process.cwd(), file);
}

const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;

async function pgbenchOrNull(target: string): Promise<PgbenchResult | { skipped: string }> {
  if (!(await pgbenchAvailable())) return { skipped: 'pgbench is not installed' };
  try {
    log(`  pgbench -i -s ${settings.pgbench.scale}, then -c ${settings.pgbench.clients} -j ${settings.pgbench.threads} -T ${settings.pgbench.seconds} …`);
    const r = await runPgbench(target, settings.pgbench);
    log(`  pgbench: ${r.tps.toFixed(1)} tps, latency average ${r.latencyAvgMs} ms; CPU per transaction: PostgreSQL ${r.serverCpuMsPerTx} ms, pgbench ${r.clientCpuMsPerTx} ms`);
    return r;
  } catch (e) {
    log(`  pgbench failed: ${(e as Error).message.split('\n')[0]}`);
    return { skipped: (e as Error).message.slice(0, 500) };
  }
}

interface AccrualFigures {
  target: string;
  pgbench: PgbenchResult | { skipped: string };
  accrual: AccrualResult;
  ratioToPgbench: { oneProcess: number | null; multiProcess: number | null; goal: 0.5; headline: 'oneProcess' };
}

function accrualFigures(target: string, pg: PgbenchResult | { skipped: string }, accrual: AccrualResult): AccrualFigures {
  const tps = 'tps' in pg ? pg.tps : null;
  return {
    target,
    pgbench: pg,
    accrual,
    ratioToPgbench: {
      oneProcess: tps ? ratio(accrual.oneProcess.opsPerSec, tps) : null,
      multiProcess: tps ? ratio(accrual.multiProcess.opsPerSec, tps) : null,
      goal: 0.5,
      headline: 'oneProcess',
    },
  };
}

/** The external-server accrual figures of this run, or of the latest saved run of the same mode. */
async function externalAccrual(current: AccrualFigures | null): Promise<{ opsPerSec: number; from: string } | null> {
  if (current) return { opsPerSec: current.accrual.oneProcess.opsPerSec, from: 'this run' };
  const suffix = `-accrual${quick ? '-quick' : ''}.json`;
  const files = (await readdir(resultsDir).catch(() => [] as string[])).filter((f) => f.endsWith(suffix)).sort();
  const last = files.at(-1);
  if (!last) return null;
  const doc = JSON.parse(await readFile(path.join(resultsDir, last), 'utf8')) as { figures: AccrualFigures };
  return { opsPerSec: doc.figures.accrual.oneProcess.opsPerSec, from: `bench/results/${last}` };
}

const summary: string[] = [];
let external: AccrualFigures | null = null;

console.log(`Kopilka benchmark (${mode}) of ${code ? `commit ${code.commit}${code.srcModified ? ' with src/ modified' : ''}` : 'this tree'} on ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`);

if (parts.includes('accrual')) {
  log(`\n[accrual] PostgreSQL at ${masked(url)}`);
  const busy = await checkQuiet();
  const server = await serverInfo(url);
  log(`  ${server.version}`);
  const pg = await pgbenchOrNull(url);
  const accrual = await accrualWorkload(url, settings.accrual, log);
  external = accrualFigures(masked(url), pg, accrual);
  const file = await save('accrual', external, server, busy);
  const r = external.ratioToPgbench;
  summary.push(
    `Accrual on ${server.version} (${accrual.members} members, ${accrual.clients} clients, ${accrual.seconds} s):`,
    `  ${accrual.oneProcess.layout}: ${accrual.oneProcess.opsPerSec} ops/s, p50 ${accrual.oneProcess.p50Ms} ms, p99 ${accrual.oneProcess.p99Ms} ms, errors ${accrual.oneProcess.errors}  [headline]`,
    `  ${accrual.multiProcess.layout}: ${accrual.multiProcess.opsPerSec} ops/s, p50 ${accrual.multiProcess.p50Ms} ms, p99 ${accrual.multiProcess.p99Ms} ms, errors ${accrual.multiProcess.errors}`,
    'tps' in pg ? `  pgbench tpcb-like -c 8 -j 2: ${pg.tps.toFixed(1)} tps, latency ${pg.latencyAvgMs} ms` : `  pgbench: skipped (${pg.skipped.split('\n')[0]})`,
    `  ratio accrual ÷ pgbench: ${r.oneProcess ?? 'n/a'} (one process), ${r.multiProcess ?? 'n/a'} (two processes); goal ≥ 0.5 → ${r.oneProcess !== null && r.oneProcess >= 0.5 ? 'met' : 'NOT met'}`,
    `  one recordPurchase = ${accrual.profile.statementsPerOp} SQL statements (${accrual.profile.meanOpMs} ms alone); seeding ${accrual.seedSeconds} s`,
    `  → ${file}`,
  );
}

if (parts.includes('embedded')) {
  log('\n[embedded] node bin/kopilka.js start on a temporary data dir');
  const busy = await checkQuiet();
  const srv = await startEmbeddedServer();
  try {
    log(`  healthy after ${srv.startSeconds} s (data in ${srv.dataDir})`);
    const server = await serverInfo(srv.url);
    log(`  ${server.version}`);
    const pg = await pgbenchOrNull(srv.url);
    const accrual = await accrualWorkload(srv.url, settings.accrual, log);
    const figures = accrualFigures('embedded (kopilka start)', pg, accrual);
    const ext = await externalAccrual(external);
    const vsExternal = ext ? { ratio: ratio(accrual.oneProcess.opsPerSec, ext.opsPerSec), externalOpsPerSec: ext.opsPerSec, from: ext.from } : null;
    const file = await save('embedded', { ...figures, startSeconds: srv.startSeconds, vsExternal }, server, busy);
    summary.push(
      `Embedded server (${server.version}, started by kopilka start in ${srv.startSeconds} s):`,
      `  ${accrual.oneProcess.layout}: ${accrual.oneProcess.opsPerSec} ops/s, p50 ${accrual.oneProcess.p50Ms} ms, p99 ${accrual.oneProcess.p99Ms} ms  [headline]`,
      `  ${accrual.multiProcess.layout}: ${accrual.multiProcess.opsPerSec} ops/s, p50 ${accrual.multiProcess.p50Ms} ms, p99 ${accrual.multiProcess.p99Ms} ms`,
      'tps' in pg ? `  pgbench on it: ${pg.tps.toFixed(1)} tps (ratio ${figures.ratioToPgbench.oneProcess})` : `  pgbench: skipped (${pg.skipped.split('\n')[0]})`,
      vsExternal ? `  ratio to the external server's accrual: ${vsExternal.ratio} (${vsExternal.externalOpsPerSec} ops/s, ${vsExternal.from})` : '  ratio to the external server: n/a (run the accrual part)',
      `  → ${file}`,
    );
  } finally {
    await srv.stop();
  }
}

if (parts.includes('expiry')) {
  log(`\n[expiry] PostgreSQL at ${masked(url)}`);
  const busy = await checkQuiet();
  const server = await serverInfo(url);
  const r: ExpiryResult = await expiryWorkload(url, settings.expiry, log);
  const file = await save('expiry', r, server, busy);
  const failed = Object.entries(r.checks).filter(([, ok]) => !ok).map(([name]) => name);
  summary.push(
    `Expiry over ${r.lots.toLocaleString('en')} lots of ${r.members.toLocaleString('en')} members (seeded in ${r.seedSeconds} s):`,
    `  ${r.first.seconds} s (goal < 60: ${r.goals.underSixtySeconds ? 'met' : 'NOT met'}), peak RSS ${r.first.peakRssMB} MB (goal < 300: ${r.goals.under300MB ? 'met' : 'NOT met'}; ${r.first.rssBeforeMB} MB before the job), ${r.first.run.batches} batches`,
    `  second run: ${r.second.run.lots} lots in ${r.second.seconds} s; checks: ${failed.length === 0 ? 'all passed' : `FAILED ${failed.join(', ')}`}`,
    `  → ${file}`,
  );
  if (failed.length > 0) process.exitCode = 1;
}

if (parts.includes('api')) {
  log(`\n[api] kopilka start on a fresh database at ${masked(url)}, autocannon from this process`);
  const busy = await checkQuiet();
  const server = await serverInfo(url);
  log(`  ${server.version}`);
  const pg = await pgbenchOrNull(url);
  const api: ApiResult = await apiWorkload(url, settings.api, log);
  const tps = 'tps' in pg ? pg.tps : null;
  const ratioToPgbench = { peak: tps ? ratio(api.peak.requestsPerSec, tps) : null, goal: 0.3 };
  const halfPeakP99 = { ms: api.halfPeak.p99Ms, atRate: api.halfPeak.targetRate, goalMs: 50 };
  const failures = api.totals.non201 + api.totals.errors;
  const file = await save('api', { target: masked(url), pgbench: pg, api, ratioToPgbench, halfPeakP99, hotToSpread: api.hotToSpread }, server, busy);
  const phase = (p: ApiResult['peak']) =>
    `${p.requestsPerSec} req/s, p50 ${p.p50Ms} ms, p90 ${p.p90Ms} ms, p99 ${p.p99Ms} ms; CPU per request: server ${p.cpu?.serverMsPerRequest} ms, PostgreSQL ${p.cpu?.postgresMsPerRequest} ms, autocannon ${p.cpu?.loadGeneratorMsPerRequest} ms`;
  summary.push(
    `API: POST /api/v1/purchases on ${server.version} (${api.members} members, kopilka start in its own process, autocannon in this one):`,
    `  peak, spread, ${api.peakConnections} connections: ${phase(api.peak)}  [headline]`,
    `  half peak, ${api.halfPeak.targetRate}/s paced: ${phase(api.halfPeak)}`,
    `  hot account, ${api.peakConnections} connections: ${phase(api.hot)}; ${api.hot.openLotsAfter} open lots on it afterwards`,
    'tps' in pg ? `  pgbench tpcb-like -c 8 -j 2: ${pg.tps.toFixed(1)} tps, latency ${pg.latencyAvgMs} ms` : `  pgbench: skipped (${pg.skipped.split('\n')[0]})`,
    `  ratio API peak ÷ pgbench: ${ratioToPgbench.peak ?? 'n/a'}; goal ≥ 0.3 → ${ratioToPgbench.peak !== null && ratioToPgbench.peak >= 0.3 ? 'met' : 'NOT met'}`,
    `  p99 at half peak: ${halfPeakP99.ms} ms; goal < 50 ms → ${halfPeakP99.ms < 50 ? 'met' : 'NOT met'}`,
    `  hot ÷ spread: ${api.hotToSpread}`,
    `  requests: ${api.totals.sent} sent, ${api.totals.answered201} answered 201, ${api.totals.non201} other answers, ${api.totals.errors} errors; ` +
      `${api.verification.purchasesInDatabase} purchases in the database → check ${api.verification.passed ? 'passed' : 'FAILED'}`,
    ...(failures > 0 ? [`  *** FAILURES: ${api.totals.non201} non-201 answers and ${api.totals.errors} errors; the figures above are not valid. First: ${api.totals.failureSamples[0] ?? 'a connection error'} ***`] : []),
    `  → ${file}`,
  );
  if (failures > 0 || !api.verification.passed) process.exitCode = 1;
}

if (parts.includes('notify')) {
  log(`\n[notify] the notifications engine on fresh databases at ${masked(url)}, the Bot API stand-in in this process`);
  const busy = await checkQuiet();
  const server = await serverInfo(url);
  const r: NotifyResult = await notifyWorkload(url, settings.notify, log);
  const file = await save('notify', r, server, busy);
  const b = r.broadcast;
  const m = r.reminders;
  const ok = b.goals.fractionAtLeast095 && b.goals.zeroLost && b.goals.zeroDuplicated;
  summary.push(
    `Notifications: broadcast to ${b.members.toLocaleString('en')} members through pg-boss workers and the Telegram sender, stand-in limit ${b.limitPerSecond}/s with 429s (sender paced at ${b.clientPerSecond}/s):`,
    `  ${b.ratePerSecond} messages/s = ${b.fractionOfLimit} of the limit (goal ≥ 0.95 → ${b.goals.fractionAtLeast095 ? 'met' : 'NOT met'}; middle 90 %: ${b.middleFractionOfLimit}); peak ${b.peakPerSecond} in a second, ${b.tooManyRequests} answered 429, ${b.stalls.count} stalls ≥ 50 ms (${b.stalls.seconds} s)  [headline]`,
    `  lost ${b.lost}, duplicated ${b.duplicated} (goal 0 and 0 → ${b.goals.zeroLost && b.goals.zeroDuplicated ? 'met' : 'NOT met'}); outbox ${JSON.stringify(b.outbox)}`,
    `  planning ${b.planSeconds} s + enqueue into pg-boss ${b.enqueueSeconds} s; all delivered ${b.totalSeconds} s after the broadcast was created; machine CPU ${b.machineCpuPercent} %`,
    `Expiry reminders for ${m.lots.toLocaleString('en')} lots of ${m.members.toLocaleString('en')} members: ${m.messages.toLocaleString('en')} planned over ${m.days} days in ${m.planSeconds} s, released into pg-boss in ${m.enqueueSeconds} s`,
    `  → ${file}`,
  );
  if (!ok) process.exitCode = 1;
}

if (parts.includes('data')) {
  log(`\n[data] exports, an import, a backup and its restore on a fresh database at ${masked(url)}`);
  const busy = await checkQuiet();
  const server = await serverInfo(url);
  const r: DataResult = await dataWorkload(url, settings.data, log);
  const file = await save('data', r, server, busy);
  const failed = Object.entries(r.checks).filter(([, ok]) => !ok).map(([name]) => name);
  const phase = (name: string, p: DataResult['import']['run']) =>
    `  ${name}: ${p.rows.toLocaleString('en')} rows, ${(p.bytes / 1048576).toFixed(1)} MB in ${p.seconds} s (${p.rowsPerSecond.toLocaleString('en')} rows/s), peak RSS +${p.peakRssAboveBaselineMB} MB`;
  summary.push(
    `Data: ${r.members.toLocaleString('en')} members, ${r.transactions.toLocaleString('en')} transactions (seeded in ${r.seedSeconds} s):`,
    ...Object.entries(r.exports).map(([name, p]) => phase(`export ${name}`, p)),
    ...Object.entries(r.cappedExports).map(([name, c]) => `  export ${name} in a process with a ${c.heapLimitMB} MB heap: ${c.rows.toLocaleString('en')} rows in ${c.seconds} s, peak heap ${c.peakHeapMB} MB, peak RSS ${c.peakRssMB} MB`),
    phase('import dry run', r.import.dryRun),
    phase('import', r.import.run),
    `  the same file again: ${r.import.again.replayed ? 'replayed' : 'NOT replayed'}, ${r.import.again.pointsAdded} points added, ${r.import.again.seconds} s`,
    phase(`backup (${r.backup.tables} tables)`, r.backup),
    phase('restore', r.restore) + `; ledger checksum ${r.restore.matches ? 'matches' : 'DIFFERS'}`,
    `  checks: ${failed.length === 0 ? 'all passed' : `FAILED ${failed.join(', ')}`}`,
    `  → ${file}`,
  );
  if (failed.length > 0) process.exitCode = 1;
}

console.log(`\n=== Summary (${mode}) ===\n${summary.join('\n')}`);
