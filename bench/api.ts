// The Integration API under load: `node bin/kopilka.js start` (a process of its own) on a fresh database of seeded
// members, driven by autocannon from this process with POST /api/v1/purchases, a unique Idempotency-Key per request.
// Phases: connection probes, peak (closed loop), half the peak rate (paced), and a hot account (every request on one
// member). Afterwards the database is checked against the 201 answers, the server stopped and the database dropped.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Instance, type Request, type Result } from 'autocannon';
import { sql } from 'kysely';
import { createBusiness } from '../src/app/createBusiness.js';
import { createMember } from '../src/app/createMember.js';
import { makeDeps } from '../src/cli/makeDeps.js';
import { freePort } from '../src/store/embedded/freePort.js';
import { freshDatabase, withClient, type BenchDatabase } from './db.js';
import { exited, healthy } from './embedded.js';
import { backendCpuMeter, cpuMeter, processCpuMeter } from './machine.js';

export interface ApiOptions {
  members: number;
  /** Members created at once while seeding (createMember through a pool of this size). */
  seedConcurrency: number;
  warmupSeconds: number;
  seconds: number;
  /** Closed-loop connection counts tried before the peak run; the peak uses the best of them. */
  probeConnections: number[];
  probeSeconds: number;
  /** autocannon instances (one connection each, started evenly over a second) that pace the half-peak phase. */
  paceGroups: number;
  /** KOPILKA_API_RATE_LIMIT for the server: high enough never to answer 429. */
  rateLimit: number;
}

export interface PhaseResult {
  name: string;
  /** Closed loop: this many connections, each sending its next request when the last is answered. */
  connections: number;
  /** Paced: the target requests per second (null for closed loop). */
  targetRate: number | null;
  warmupSeconds: number;
  seconds: number;
  /** 201 answers per second completed inside the measured window. */
  requestsPerSec: number;
  /** Latency of every answer inside the window: from the request written to the response read (autocannon's clock). */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  answersInWindow: number;
  /** Over the whole phase, warm-up included: status code → answers, and connection errors / timeouts. */
  statusCounts: Record<string, number>;
  non201: number;
  errors: number;
  timeouts: number;
  /** 201s completed in each second of the window: a steady run is flat. */
  perSecond: number[];
  /** The same for the warm-up before it (where a run starts from). */
  warmupPerSecond: number[];
  cpu: {
    /** Whole machine, percent of all cores. */
    machinePercent: number;
    /** CPU time per answered request: the `kopilka start` process, the PostgreSQL backends of its database, autocannon. */
    serverMsPerRequest: number | null;
    postgresMsPerRequest: number | null;
    loadGeneratorMsPerRequest: number;
    /** The server process in percent of one core (a Node process runs JavaScript on one). */
    serverPercentOfOneCore: number | null;
    /** Machine CPU used by none of the three (WAL writer, kernel, other work on the machine), percent of all cores. */
    otherPercent: number | null;
  } | null;
}

export interface ApiResult {
  members: number;
  seedSeconds: number;
  seedMethod: string;
  server: { command: string; startSeconds: number; rateLimit: number; pool: string };
  loadGenerator: string;
  request: string;
  probes: PhaseResult[];
  peakConnections: number;
  peak: PhaseResult;
  halfPeak: PhaseResult & { pacing: string };
  hot: PhaseResult & { member: string; openLotsAfter: number };
  /** Hot-account requests/s ÷ spread-out peak requests/s. */
  hotToSpread: number;
  verification: Verification;
  /** Every request of the bench (probes and warm-ups included). */
  totals: { sent: number; answered: number; answered201: number; non201: number; errors: number; replayed: number; failureSamples: string[] };
}

export interface Verification {
  purchasesInDatabase: number;
  answered201: number;
  /** Requests written but never answered because autocannon closes its connections when a phase ends. */
  unanswered: number;
  /** Purchases whose request was never answered (each must be one of the unanswered requests). */
  purchasesWithoutAnswer: number;
  /** Every 201's idempotency key has a stored result naming a purchase that exists. */
  every201Stored: boolean;
  /** Every stored key of this bench names a purchase that exists, and there is no purchase without a key. */
  keysMatchPurchases: boolean;
  passed: boolean;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
/** 100.00 to 5,000.00 roubles in kopecks, as in the accrual benchmark, so every purchase earns points. */
const randomAmount = () => 10_000 + Math.floor(Math.random() * 490_001);

interface ServerProcess {
  pid: number;
  baseUrl: string;
  startSeconds: number;
  command: string;
  /** The tail of the server's stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

/** `node bin/kopilka.js start` against `databaseUrl`, on a free port, with the rate limit raised; waits for /healthz. */
async function startServer(databaseUrl: string, rateLimit: number, timeoutMs = 60_000): Promise<ServerProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kopilka-bench-api-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    KOPILKA_DATA_DIR: dataDir, // unused with DATABASE_URL; kept away from ./data all the same
    HOST: '127.0.0.1',
    PORT: String(port),
    KOPILKA_API_RATE_LIMIT: String(rateLimit),
    LOG_LEVEL: 'warn',
  };
  delete env.KOPILKA_TEST_CLOCK;
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.resolve('bin/kopilka.js'), 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-8_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  // Whatever happens to this process, the server must not outlive it.
  const killNow = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killNow);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const done = await Promise.race([exited(child).then(() => true), sleep(30_000).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited(child);
      }
    }
    process.off('exit', killNow);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`kopilka start exited with code ${child.exitCode}:\n${output}`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`kopilka start did not answer /healthz within ${timeoutMs / 1000} s:\n${output}`);
      await sleep(100);
    }
    return {
      pid: child.pid!,
      baseUrl: `http://127.0.0.1:${port}`,
      startSeconds: round((performance.now() - t0) / 1000),
      command: `node bin/kopilka.js start (DATABASE_URL=<fresh database>, KOPILKA_API_RATE_LIMIT=${rateLimit}, LOG_LEVEL=warn)`,
      output: () => output,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A business with its API key and `count` members, all through the use cases (createBusiness, createMember). */
async function seed(bench: BenchDatabase, count: number, concurrency: number) {
  const deps = makeDeps(bench.db);
  const { business, apiKey } = await createBusiness(deps, { name: 'Benchmark coffee', timezone: 'Europe/Moscow' });
  const memberIds = new Array<string>(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const created = await createMember(deps, { businessId: business.id, phone: `+7900${String(i).padStart(7, '0')}` });
      memberIds[i] = created.member.id;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await withClient(bench.url, (c) => c.query('analyze'));
  return { businessId: business.id, apiKey, memberIds };
}

/** Every request of the run: keys sent, keys answered 201, everything else. */
interface Tally {
  prefix: string;
  seq: number;
  sent: number;
  answered: number;
  ok: Set<string>;
  non201: number;
  errors: number;
  replayed: number;
  failureSamples: string[];
}

interface Context {
  server: ServerProcess;
  apiKey: string;
  tally: Tally;
  bench: BenchDatabase;
  adminUrl: string;
  log: (line: string) => void;
}

interface PhaseSpec {
  name: string;
  connections: number;
  /** null: closed loop; a number: paced at that many requests per second over `paceGroups` instances. */
  rate: number | null;
  paceGroups?: number;
  member: () => string;
  warmupSeconds: number;
  seconds: number;
}

/** The autocannon request: a fresh Idempotency-Key and member per request; the key travels in the connection's context. */
function purchaseRequest(member: () => string, tally: Tally): Request {
  return {
    setupRequest: (req, context) => {
      const key = `${tally.prefix}-${++tally.seq}`;
      context.key = key;
      tally.sent++;
      return { ...req, headers: { ...req.headers, 'idempotency-key': key }, body: JSON.stringify({ member: { id: member() }, amount: randomAmount() }) };
    },
    onResponse: (status, body, context, headers) => {
      tally.answered++;
      if (status === 201) tally.ok.add(context.key as string);
      else {
        tally.non201++;
        if (tally.failureSamples.length < 5) tally.failureSamples.push(`${status} ${body.slice(0, 300)}`);
      }
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'idempotent-replayed') tally.replayed++;
    },
  };
}

function percentiles(latencies: number[]) {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    p50Ms: round(at(0.5)),
    p90Ms: round(at(0.9)),
    p99Ms: round(at(0.99)),
    meanMs: round(sorted.reduce((s, x) => s + x, 0) / sorted.length),
    maxMs: round(sorted.at(-1) ?? NaN),
  };
}

/**
 * One phase: `warmupSeconds` then `seconds` measured, in one continuous autocannon run (so nothing stops between the
 * warm-up and the window). Answers are counted by the time they complete; CPU is metered over the window only.
 */
async function runPhase(s: PhaseSpec, ctx: Context): Promise<PhaseResult> {
  await withClient(ctx.adminUrl, (c) => c.query('checkpoint')).catch(() => undefined);
  const W = s.warmupSeconds * 1000;
  const S = s.seconds * 1000;
  const t0 = performance.now();
  const windowStart = t0 + W;
  const windowEnd = windowStart + S;
  const latencies: number[] = [];
  const perSecond = new Array<number>(Math.ceil(s.seconds)).fill(0);
  const warmupPerSecond = new Array<number>(Math.ceil(s.warmupSeconds)).fill(0);
  const statusCounts: Record<string, number> = {};
  let errors = 0;
  let firstError: string | null = null;

  const base = {
    url: `${ctx.server.baseUrl}/api/v1/purchases`,
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.apiKey}`, 'content-type': 'application/json' },
    requests: [purchaseRequest(s.member, ctx.tally)],
    timeout: 10,
    // Past the window's end: autocannon stops on its next one-second tick.
    duration: (W + S) / 1000 + 0.5,
  };
  const attach = (instance: Instance) =>
    instance
      .on('response', (_client, status, _bytes, ms) => {
        const now = performance.now();
        statusCounts[status] = (statusCounts[status] ?? 0) + 1;
        if (now < windowStart) {
          if (status === 201) warmupPerSecond[Math.min(warmupPerSecond.length - 1, Math.floor((now - t0) / 1000))]!++;
          return;
        }
        if (now >= windowEnd) return;
        latencies.push(ms);
        if (status === 201) perSecond[Math.min(perSecond.length - 1, Math.floor((now - windowStart) / 1000))]!++;
      })
      .on('reqError', (e) => {
        errors++;
        firstError ??= e.message;
      });

  const runs: Promise<Result>[] = [];
  let pacing = '';
  if (s.rate === null) {
    runs.push(Promise.resolve(attach(autocannon({ ...base, connections: s.connections }))));
  } else {
    // autocannon's connectionRate sends a connection's quota back to back at the start of each second, then pauses;
    // with all connections of an instance aligned, that is a burst at full concurrency, not a rate. So: `groups`
    // instances of one connection each, started 1000/groups ms apart, each with a small quota.
    const groups = Math.min(s.paceGroups ?? 50, s.rate);
    pacing = `${groups} autocannon instances of 1 connection, started ${round(1000 / groups, 1)} ms apart, each with connectionRate ${Math.floor(s.rate / groups)}–${Math.ceil(s.rate / groups)}/s`;
    for (let i = 0; i < groups; i++) {
      const rate = Math.floor(s.rate / groups) + (i < s.rate % groups ? 1 : 0);
      const offset = (i * 1000) / groups;
      runs.push(
        sleep(offset).then((): PromiseLike<Result> =>
          attach(autocannon({ ...base, connections: 1, connectionRate: rate, ignoreCoordinatedOmission: true, duration: base.duration + 1 - offset / 1000 })),
        ),
      );
    }
  }

  // What autovacuum would do on a server that runs it (this machine's PostgreSQL has autovacuum off).
  const analyzed = sleep(W / 2).then(() => withClient(ctx.bench.url, (c) => c.query('analyze')).catch(() => undefined));
  const metered =
    S === 0
      ? Promise.resolve(null)
      : sleep(W).then(async () => {
          const machine = cpuMeter();
          const node = process.cpuUsage();
          const server = processCpuMeter(async () => [ctx.server.pid]);
          const postgres = await backendCpuMeter(ctx.adminUrl, ctx.bench.name);
          await sleep(Math.max(0, windowEnd - performance.now()));
          const machinePercent = machine();
          const generator = process.cpuUsage(node);
          return { machinePercent, server: await server.stop(), postgres: await postgres.stop(), generator: (generator.user + generator.system) / 1e6 };
        });

  const results = await Promise.all(runs);
  const cpu = await metered;
  await analyzed;

  const ok = perSecond.reduce((a, b) => a + b, 0);
  const non201 = Object.entries(statusCounts).reduce((sum, [code, n]) => sum + (code === '201' ? 0 : n), 0);
  const timeouts = results.reduce((sum, r) => sum + r.timeouts, 0);
  ctx.tally.errors += errors;
  const perMs = (seconds: number | null) => (seconds === null || ok === 0 ? null : round((seconds * 1000) / ok, 3));
  const result: PhaseResult = {
    name: s.name,
    connections: s.rate === null ? s.connections : results.length,
    targetRate: s.rate,
    warmupSeconds: s.warmupSeconds,
    seconds: s.seconds,
    requestsPerSec: S === 0 ? 0 : round(ok / s.seconds, 1),
    ...percentiles(latencies),
    answersInWindow: latencies.length,
    statusCounts,
    non201,
    errors,
    timeouts,
    perSecond,
    warmupPerSecond,
    cpu: cpu && {
      machinePercent: cpu.machinePercent,
      serverMsPerRequest: perMs(cpu.server),
      postgresMsPerRequest: perMs(cpu.postgres),
      loadGeneratorMsPerRequest: perMs(cpu.generator)!,
      serverPercentOfOneCore: cpu.server === null ? null : round((cpu.server / s.seconds) * 100, 1),
      otherPercent:
        cpu.server === null || cpu.postgres === null
          ? null
          : round(cpu.machinePercent - ((cpu.server + cpu.postgres + cpu.generator) / (s.seconds * os.availableParallelism())) * 100, 1),
    },
  };
  const failed = non201 + errors > 0 ? `  *** ${non201} non-201 answers, ${errors} errors (${timeouts} timeouts)${firstError ? `, first: ${firstError}` : ''} ***` : '';
  const shape = s.rate === null ? `${s.connections} connections` : `${s.rate}/s paced`;
  ctx.log(
    `  ${s.name} (${shape}): ${result.requestsPerSec} req/s, p50 ${result.p50Ms} ms, p90 ${result.p90Ms} ms, p99 ${result.p99Ms} ms` +
      (result.cpu ? `; CPU per request: server ${result.cpu.serverMsPerRequest} ms, PostgreSQL ${result.cpu.postgresMsPerRequest} ms, autocannon ${result.cpu.loadGeneratorMsPerRequest} ms; machine ${result.cpu.machinePercent}% busy (${result.cpu.otherPercent}% by other work)` : '') +
      failed,
  );
  return Object.assign(result, pacing ? { pacing } : {});
}

/** The purchases in the database against the 201s: each 201 stored, and nothing stored that was not sent. */
async function verify(bench: BenchDatabase, businessId: string, tally: Tally): Promise<Verification> {
  const purchases = await sql<{ n: number }>`select count(*)::int as n from purchases where business_id = ${businessId}::uuid`.execute(bench.db);
  const keys = await sql<{ key: string; has_purchase: boolean }>`
    select k.key, p.id is not null as has_purchase
      from idempotency_keys k
      left join purchases p on p.business_id = k.business_id and p.id = (k.result->>'purchaseId')::uuid
     where k.business_id = ${businessId}::uuid and k.key like ${`api:${tally.prefix}-%`}
  `.execute(bench.db);
  const stored = new Map(keys.rows.map((r) => [r.key.slice('api:'.length), r.has_purchase]));
  const purchasesInDatabase = purchases.rows[0]!.n;
  const every201Stored = [...tally.ok].every((k) => stored.get(k) === true);
  const keysMatchPurchases = keys.rows.every((r) => r.has_purchase) && keys.rows.length === purchasesInDatabase;
  const purchasesWithoutAnswer = [...stored.keys()].filter((k) => !tally.ok.has(k)).length;
  const unanswered = tally.sent - tally.answered;
  return {
    purchasesInDatabase,
    answered201: tally.ok.size,
    unanswered,
    purchasesWithoutAnswer,
    every201Stored,
    keysMatchPurchases,
    passed: every201Stored && keysMatchPurchases && purchasesInDatabase === tally.ok.size + purchasesWithoutAnswer && purchasesWithoutAnswer <= unanswered,
  };
}

/** A fresh database, seeding, the server, the phases, the check; the server is stopped and the database dropped. */
export async function apiWorkload(adminUrl: string, o: ApiOptions, log: (line: string) => void): Promise<ApiResult> {
  const bench = await freshDatabase(adminUrl, o.seedConcurrency);
  let server: ServerProcess | null = null;
  try {
    const t0 = performance.now();
    const { businessId, apiKey, memberIds } = await seed(bench, o.members, o.seedConcurrency);
    const seedSeconds = round((performance.now() - t0) / 1000);
    log(`  seeded a business, its API key and ${o.members} members through createBusiness/createMember in ${seedSeconds} s (database ${bench.name})`);

    server = await startServer(bench.url, o.rateLimit);
    log(`  kopilka start (pid ${server.pid}) answers /healthz at ${server.baseUrl} after ${server.startSeconds} s`);
    const tally: Tally = { prefix: `bench-${randomBytes(4).toString('hex')}`, seq: 0, sent: 0, answered: 0, ok: new Set(), non201: 0, errors: 0, replayed: 0, failureSamples: [] };
    const ctx: Context = { server, apiKey, tally, bench, adminUrl, log };

    // One request by hand first: a misconfigured run should fail here, with the server's answer, not as 100,000 errors.
    const key = `${tally.prefix}-0`;
    tally.sent++;
    const res = await fetch(`${server.baseUrl}/api/v1/purchases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ member: { id: memberIds[0] }, amount: 150_000 }),
    });
    const text = await res.text();
    tally.answered++;
    if (res.status !== 201) throw new Error(`POST /api/v1/purchases answered ${res.status}: ${text}\n${server.output()}`);
    tally.ok.add(key);

    const spread = () => memberIds[Math.floor(Math.random() * memberIds.length)]!;
    const probes: PhaseResult[] = [];
    for (const [i, connections] of o.probeConnections.entries()) {
      probes.push(await runPhase({ name: `probe ${connections}`, connections, rate: null, member: spread, warmupSeconds: i === 0 ? o.warmupSeconds : 1, seconds: o.probeSeconds }, ctx));
    }
    // The most throughput; within 3% of it, the fewest connections (the same rate at lower latency).
    const best = Math.max(...probes.map((p) => p.requestsPerSec));
    const peakConnections = probes.filter((p) => p.requestsPerSec >= best * 0.97).sort((a, b) => a.connections - b.connections)[0]!.connections;
    log(`  peak connections: ${peakConnections} (probes: ${probes.map((p) => `${p.connections} → ${p.requestsPerSec}/s`).join(', ')})`);

    const peak = await runPhase({ name: 'peak, spread', connections: peakConnections, rate: null, member: spread, warmupSeconds: o.warmupSeconds, seconds: o.seconds }, ctx);
    const halfRate = Math.max(1, Math.round(peak.requestsPerSec / 2));
    const halfPeak = (await runPhase(
      { name: 'half peak, spread', connections: 1, rate: halfRate, paceGroups: o.paceGroups, member: spread, warmupSeconds: o.warmupSeconds, seconds: o.seconds },
      ctx,
    )) as ApiResult['halfPeak'];
    const hotMember = memberIds[memberIds.length - 1]!;
    const hotPhase = await runPhase({ name: 'peak, hot account', connections: peakConnections, rate: null, member: () => hotMember, warmupSeconds: o.warmupSeconds, seconds: o.seconds }, ctx);
    const lots = await sql<{ n: number }>`select count(*)::int as n from lots where member_id = ${hotMember}::uuid and remaining > 0`.execute(bench.db);
    const hot = { ...hotPhase, member: hotMember, openLotsAfter: lots.rows[0]!.n };

    // Let the server finish what autocannon cut off, then compare.
    await sleep(1_000);
    const verification = await verify(bench, businessId, tally);
    log(
      `  check: ${verification.purchasesInDatabase} purchases in the database = ${verification.answered201} answered 201 + ${verification.purchasesWithoutAnswer} whose answer was cut off ` +
        `(${verification.unanswered} requests left unanswered when phases stopped) → ${verification.passed ? 'passed' : 'FAILED'}`,
    );

    return {
      members: o.members,
      seedSeconds,
      seedMethod: `createBusiness, then createMember ${o.members} times, ${o.seedConcurrency} at a time`,
      server: { command: server.command, startSeconds: server.startSeconds, rateLimit: o.rateLimit, pool: 'the default pg pool of 10 connections (createDb)' },
      loadGenerator: 'autocannon 9, in the benchmark process (a process separate from the server), HTTP/1.1 keep-alive, no pipelining',
      request: 'POST /api/v1/purchases, Authorization: Bearer <key>, a unique Idempotency-Key, {"member":{"id":<uuid>},"amount":<10,000–500,000>}',
      probes,
      peakConnections,
      peak,
      halfPeak,
      hot,
      hotToSpread: round(hot.requestsPerSec / peak.requestsPerSec, 3),
      verification,
      totals: {
        sent: tally.sent,
        answered: tally.answered,
        answered201: tally.ok.size,
        non201: tally.non201,
        errors: tally.errors,
        replayed: tally.replayed,
        failureSamples: tally.failureSamples,
      },
    };
  } finally {
    await server?.stop();
    await bench.drop();
  }
}
