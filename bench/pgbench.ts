// pgbench tpcb-like against the same server, in a database of its own (bench_pgbench), dropped afterwards.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { withClient as admin } from './db.js';
import { backendCpuMeter, cpuMeter, processCpuMeter } from './machine.js';

const run = promisify(execFile);

export interface PgbenchOptions {
  scale: number;
  clients: number;
  threads: number;
  seconds: number;
}

export interface PgbenchResult {
  command: string;
  database: string;
  initSeconds: number;
  tps: number;
  latencyAvgMs: number;
  transactions: number;
  failed: number;
  /** Whole machine during the run, percent of all cores. */
  machineCpuPercent: number;
  /** CPU time per transaction in the PostgreSQL backends and in the pgbench client. */
  serverCpuMsPerTx: number | null;
  clientCpuMsPerTx: number | null;
}

/** libpq environment for a postgres:// URL, so pgbench needs no password on its command line. */
function libpqEnv(url: URL, database: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username) || 'postgres',
    PGDATABASE: database,
    ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}),
  };
}

export async function pgbenchAvailable(): Promise<string | null> {
  try {
    const { stdout } = await run('pgbench', ['--version']);
    return stdout.trim();
  } catch {
    return null;
  }
}

/** Parses pgbench's report: "tps = 1234.5 (without initial connection time)", "latency average = 6.4 ms". */
export function parsePgbench(out: string): { tps: number; latencyAvgMs: number; transactions: number; failed: number } {
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out) ?? /tps = ([\d.]+) \(excluding connections establishing\)/.exec(out);
  const lat = /latency average = ([\d.]+) ms/.exec(out);
  const done = /number of transactions actually processed: (\d+)/.exec(out);
  const failed = /number of failed transactions: (\d+)/.exec(out);
  if (!tps || !lat) throw new Error(`cannot read pgbench output:\n${out}`);
  return { tps: Number(tps[1]), latencyAvgMs: Number(lat[1]), transactions: Number(done?.[1] ?? NaN), failed: Number(failed?.[1] ?? 0) };
}

/**
 * Runs `pgbench -i -s <scale>` then `pgbench -c -j -T` (tpcb-like) against the server of `url`. Uses a new database
 * bench_pgbench_<random> (dropped afterwards); if the user may not create databases, the url's own database, whose
 * pgbench_* tables are then dropped.
 */
export async function runPgbench(urlText: string, o: PgbenchOptions): Promise<PgbenchResult> {
  const url = new URL(urlText);
  let database = `bench_pgbench_${randomBytes(4).toString('hex')}`;
  let ownDatabase = true;
  try {
    await admin(urlText, (c) => c.query(`create database ${database}`));
  } catch {
    database = decodeURIComponent(url.pathname.slice(1));
    ownDatabase = false;
  }
  const env = libpqEnv(url, database);
  try {
    const t0 = performance.now();
    await run('pgbench', ['-i', '-q', '-s', String(o.scale)], { env });
    const initSeconds = Math.round(performance.now() - t0) / 1000;
    // Start from a clean slate: the initial load's dirty pages are written now, not during the measured run.
    await admin(urlText, (c) => c.query('checkpoint')).catch(() => undefined);
    const args = ['-c', String(o.clients), '-j', String(o.threads), '-T', String(o.seconds)];
    const machine = cpuMeter();
    const server = await backendCpuMeter(urlText, database);
    const child = execFile('pgbench', args, { env, maxBuffer: 16 << 20 });
    const client = processCpuMeter(async () => (child.pid ? [child.pid] : []));
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    const machineCpuPercent = machine();
    const [serverCpu, clientCpu] = [await server.stop(), await client.stop()];
    if (code !== 0) throw new Error(`pgbench exited with code ${code}: ${stderr}`);
    const parsed = parsePgbench(stdout);
    const perTx = (s: number | null) => (s === null ? null : Math.round((s * 1e6) / parsed.transactions) / 1000);
    return {
      command: `pgbench ${args.join(' ')} (tpcb-like, after pgbench -i -s ${o.scale})`,
      database,
      initSeconds,
      ...parsed,
      machineCpuPercent,
      serverCpuMsPerTx: perTx(serverCpu),
      clientCpuMsPerTx: perTx(clientCpu),
    };
  } finally {
    if (ownDatabase) {
      await admin(urlText, (c) => c.query(`drop database if exists ${database} with (force)`));
    } else {
      await admin(urlText, (c) => c.query('drop table if exists pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers')).catch(() => undefined);
    }
  }
}
