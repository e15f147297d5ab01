// The accrual workload: recordPurchase for random members with random amounts from N concurrent clients, either as
// async workers in this process (one shared pool) or spread over forked Node processes (a pool each).
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { recordPurchase } from '../src/app/recordPurchase.js';
import { makeDeps } from '../src/cli/makeDeps.js';
import type { Database } from '../src/store/schema.js';
import { freshDatabase, seedBusiness, seedMembers, withClient } from './db.js';
import { backendCpuMeter, cpuMeter } from './machine.js';
import { profileStatements, type StatementProfile } from './statements.js';

export interface DriveOptions {
  url: string;
  businessId: string;
  memberIds: string[];
  clients: number;
  warmupMs: number;
  durationMs: number;
}

export interface DriveResult {
  ops: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  latenciesMs: number[];
  /** Purchases completed in each second of the measured window. */
  perSecond: number[];
  /** CPU time (user + system) the benchmark's Node process(es) used during the measured window. */
  nodeCpuSeconds: number;
}

const randomMember = (ids: string[]) => ids[Math.floor(Math.random() * ids.length)]!;
/** 100.00 to 5,000.00 roubles in kopecks, so every purchase earns points (5% by default). */
const randomAmount = () => 10_000 + Math.floor(Math.random() * 490_001);

/** `clients` async loops over one pool of `clients` connections; counts what starts inside the measured window. */
export async function drive(o: Omit<DriveOptions, 'url'>, db: Kysely<Database>): Promise<DriveResult> {
  const deps = makeDeps(db);
  const start = performance.now() + o.warmupMs;
  const end = start + o.durationMs;
  const latenciesMs: number[] = [];
  const perSecond = new Array<number>(Math.ceil(o.durationMs / 1000)).fill(0);
  let errors = 0;
  let firstError: string | null = null;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  const startTimer = setTimeout(() => (cpuAtStart = process.cpuUsage()), o.warmupMs);
  const client = async () => {
    for (let t0 = performance.now(); t0 < end; t0 = performance.now()) {
      try {
        await recordPurchase(deps, { businessId: o.businessId, member: { id: randomMember(o.memberIds) }, amount: randomAmount() });
        if (t0 >= start) {
          const t1 = performance.now();
          latenciesMs.push(t1 - t0);
          perSecond[Math.min(perSecond.length - 1, Math.floor((t1 - start) / 1000))]!++;
        }
      } catch (e) {
        if (t0 >= start) errors++;
        firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: o.clients }, client));
  clearTimeout(startTimer);
  const cpu = process.cpuUsage(cpuAtStart);
  return { ops: latenciesMs.length, errors, firstError, seconds: o.durationMs / 1000, latenciesMs, perSecond, nodeCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** The same loops in `processes` forked Node processes of `clients` each, started together after they connect. */
export async function driveInProcesses(o: DriveOptions, processes: number, onGo?: () => void): Promise<DriveResult> {
  const runTs = path.resolve('bin/run-ts.js');
  const children = Array.from({ length: processes }, () =>
    fork(runTs, [path.resolve('bench/accrual-worker.ts')], { serialization: 'advanced', stdio: 'inherit' }),
  );
  const message = <T>(child: (typeof children)[number], type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { type: string; result?: T; error?: string }) => {
        if (m.type === 'error') reject(new Error(m.error));
        if (m.type !== type) return;
        child.off('message', onMessage);
        resolve(m.result as T);
      };
      child.on('message', onMessage);
      // 'exit' may overtake the last message; give it a moment before calling the worker lost.
      child.once('exit', (code) => setTimeout(() => reject(new Error(`accrual worker exited with code ${code} before "${type}"`)), 1_000));
    });
  try {
    const ready = children.map((c) => message<void>(c, 'ready'));
    for (const c of children) c.send({ type: 'init', options: o });
    await Promise.all(ready);
    const done = children.map((c) => message<DriveResult>(c, 'done'));
    for (const c of children) c.send({ type: 'go' });
    onGo?.();
    const results = await Promise.all(done);
    return {
      ops: results.reduce((s, r) => s + r.ops, 0),
      errors: results.reduce((s, r) => s + r.errors, 0),
      firstError: results.find((r) => r.firstError)?.firstError ?? null,
      seconds: o.durationMs / 1000,
      latenciesMs: results.flatMap((r) => r.latenciesMs),
      perSecond: results[0]!.perSecond.map((_, i) => results.reduce((sum, r) => sum + (r.perSecond[i] ?? 0), 0)),
      nodeCpuSeconds: results.reduce((s, r) => s + r.nodeCpuSeconds, 0),
    };
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
  }
}

export interface LatencySummary {
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  ops: number;
  errors: number;
  firstError: string | null;
  /** Whole machine, all cores. */
  machineCpuPercent: number;
  /** The benchmark's Node process(es), in percent of one core. */
  nodeCpuPercentOfOneCore: number;
  /** CPU time per purchase in the benchmark's Node process(es) and in the PostgreSQL backends serving them. */
  nodeCpuMsPerOp: number;
  serverCpuMsPerOp: number | null;
  /** Machine CPU not used by the benchmark's Node process(es) or its backends (WAL writer, kernel, other work). */
  otherCpuPercent: number | null;
  /** Purchases completed in each second of the window: a steady run is flat. */
  perSecond: number[];
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export function summarise(r: DriveResult, machineCpuPercent: number, serverCpuSeconds: number | null): LatencySummary {
  const sorted = Float64Array.from(r.latenciesMs).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    opsPerSec: round(r.ops / r.seconds, 1),
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
    meanMs: round(sorted.reduce((s, x) => s + x, 0) / sorted.length),
    maxMs: round(sorted.at(-1) ?? NaN),
    ops: r.ops,
    errors: r.errors,
    firstError: r.firstError,
    machineCpuPercent,
    nodeCpuPercentOfOneCore: round((r.nodeCpuSeconds / r.seconds) * 100, 1),
    nodeCpuMsPerOp: round((r.nodeCpuSeconds * 1000) / r.ops, 3),
    serverCpuMsPerOp: serverCpuSeconds === null ? null : round((serverCpuSeconds * 1000) / r.ops, 3),
    otherCpuPercent:
      serverCpuSeconds === null ? null : round(machineCpuPercent - ((r.nodeCpuSeconds + serverCpuSeconds) / (r.seconds * os.availableParallelism())) * 100, 1),
    perSecond: r.perSecond,
  };
}

export interface AccrualOptions {
  members: number;
  clients: number;
  processes: number;
  warmupSeconds: number;
  seconds: number;
  profileOps: number;
}

export interface AccrualResult {
  members: number;
  seedSeconds: number;
  seedMethod: string;
  clients: number;
  warmupSeconds: number;
  seconds: number;
  /** Headline: 8 async clients in one Node process, one pool of 8 connections. */
  oneProcess: LatencySummary & { layout: string };
  /** The same 8 clients as `processes` Node processes × clients/processes, a pool each. */
  multiProcess: LatencySummary & { layout: string };
  profile: StatementProfile;
}

const checkpoint = (url: string) => withClient(url, (c) => c.query('checkpoint')).catch(() => undefined);

/** A fresh database, a business, members; a statement profile; then the timed runs; the database is dropped at the end. */
export async function accrualWorkload(url: string, o: AccrualOptions, log: (line: string) => void): Promise<AccrualResult> {
  const bench = await freshDatabase(url, o.clients);
  try {
    const t0 = performance.now();
    const businessId = await seedBusiness(bench.db);
    const memberIds = await seedMembers(bench.db, businessId, o.members);
    const seedSeconds = round((performance.now() - t0) / 1000);
    log(`  seeded a business and ${o.members} members in ${seedSeconds} s (database ${bench.name})`);
    const base = { url: bench.url, businessId, memberIds };

    const profile = await profileStatements(base, o.profileOps);
    log(`  one recordPurchase = ${profile.statementsPerOp} statements, ${profile.meanOpMs} ms alone (round trip ${profile.roundTripMs} ms)`);

    const timing = { clients: o.clients, warmupMs: o.warmupSeconds * 1000, durationMs: o.seconds * 1000 };
    /** Runs one layout with the machine and the server's backends metered over the measured window only. */
    const measured = async (layout: string, run: (started: () => void) => Promise<DriveResult>) => {
      await checkpoint(url);
      let meters: Promise<{ cpu: () => number; server: { stop(): Promise<number | null> } }> | undefined;
      let analyzed: Promise<unknown> | undefined;
      const started = () => {
        // Halfway through the warm-up, ANALYZE: what autovacuum would do on a server that runs it (this machine's
        // PostgreSQL has autovacuum off, and without statistics the ledger statement scans all of a business's lots).
        analyzed = sleep(timing.warmupMs / 2).then(() => withClient(bench.url, (c) => c.query('analyze')));
        meters = sleep(timing.warmupMs).then(async () => ({ cpu: cpuMeter(), server: await backendCpuMeter(url, bench.name) }));
      };
      const result = await run(started);
      await analyzed;
      const { cpu, server } = await meters!;
      const summary = { layout, ...summarise(result, cpu(), await server.stop()) };
      log(`  ${layout}: ${summary.opsPerSec} ops/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms; CPU per op: Node ${summary.nodeCpuMsPerOp} ms, PostgreSQL ${summary.serverCpuMsPerOp} ms`);
      return summary;
    };
    const oneProcess = await measured(`1 process × ${o.clients} async clients, one pool of ${o.clients}`, (started) => {
      started();
      return drive({ ...base, ...timing }, bench.db);
    });
    const per = Math.ceil(o.clients / o.processes);
    const multiProcess = await measured(`${o.processes} processes × ${per} async clients, a pool of ${per} each`, (started) =>
      driveInProcesses({ ...base, ...timing, clients: per }, o.processes, started),
    );

    return {
      members: o.members,
      seedSeconds,
      seedMethod: 'business via createBusiness; members by bulk SQL insert (10,000 rows a statement)',
      clients: o.clients,
      warmupSeconds: o.warmupSeconds,
      seconds: o.seconds,
      oneProcess,
      multiProcess,
      profile,
    };
  } finally {
    await bench.drop();
  }
}
