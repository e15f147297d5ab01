// Where one recordPurchase spends its time. (1) Client side: every statement it sends is counted and timed by
// wrapping the pool's client.query (pg_stat_statements needs a server restart to load, so it is not used).
// (2) Server side: one purchase's statements are replayed under EXPLAIN (ANALYZE, BUFFERS, WAL) and rolled back.
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { recordPurchase } from '../src/app/recordPurchase.js';
import { makeDeps } from '../src/cli/makeDeps.js';
import { createPool } from '../src/store/database.js';
import type { Database } from '../src/store/schema.js';

export interface Target {
  url: string;
  businessId: string;
  memberIds: string[];
}

export interface StatementProfile {
  ops: number;
  statementsPerOp: number;
  /** One client, one purchase after another: the latency with no queueing. */
  meanOpMs: number;
  /** `select 1` on the same connection: the bare round trip. */
  roundTripMs: number;
  /** Client-observed time per statement (round trip included), and from EXPLAIN ANALYZE on the server. */
  statements: {
    label: string;
    perOp: number;
    clientMs: number;
    clientSharePercent: number;
    serverPlanningMs: number | null;
    serverExecutionMs: number | null;
    walBytes: number | null;
  }[];
}

const LABELS: [RegExp, string][] = [
  [/^begin/i, 'BEGIN'],
  [/^commit/i, 'COMMIT'],
  [/from "?members"?.*for no key update/s, 'lock member, with its business'],
  [/total_spent/, 'open lots, with tier spend'],
  [/with ins_purchase as/, 'write purchase, transaction, lot, posting, event (one CTE)'],
  [/from "?businesses"?/, 'load business'],
  [/from "?lots"?/, 'open lots'],
];
const labelOf = (text: string) => LABELS.find(([re]) => re.test(text.trim()))?.[1] ?? text.trim().slice(0, 60);
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

type Query = (...args: unknown[]) => unknown;

/** A Kysely over a one-connection pool whose every query is reported to `tap` (text, parameters, promise). */
function tappedDb(t: Target, tap: (text: string, values: unknown[], result: unknown) => void) {
  const pool = createPool(t.url, { max: 1 });
  pool.on('connect', (client) => {
    const original = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (...args: unknown[]) => {
      const result = original(...args);
      if (typeof args[0] === 'string') tap(args[0], (args[1] as unknown[] | undefined) ?? [], result);
      return result;
    };
  });
  return { pool, db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }) };
}

const purchase = (t: Target, db: Kysely<Database>) =>
  recordPurchase(makeDeps(db), {
    businessId: t.businessId,
    member: { id: t.memberIds[Math.floor(Math.random() * t.memberIds.length)]! },
    amount: 10_000 + Math.floor(Math.random() * 490_001),
  });

/** `ops` purchases one after another on one connection, every statement counted and timed. */
async function clientSide(t: Target, ops: number) {
  const byLabel = new Map<string, { count: number; ms: number }>();
  let recording = false;
  const { pool, db } = tappedDb(t, (text, _values, result) => {
    if (!recording || !(result instanceof Promise)) return;
    const t0 = performance.now();
    const note = () => {
      const e = byLabel.get(labelOf(text)) ?? { count: 0, ms: 0 };
      e.count++;
      e.ms += performance.now() - t0;
      byLabel.set(labelOf(text), e);
    };
    result.then(note, note);
  });
  try {
    for (let i = 0; i < 50; i++) await purchase(t, db); // warm the connection and the caches
    recording = true;
    const t0 = performance.now();
    for (let i = 0; i < ops; i++) await purchase(t, db);
    const meanOpMs = (performance.now() - t0) / ops;
    recording = false;
    const client = await pool.connect();
    const r0 = performance.now();
    for (let i = 0; i < 200; i++) await client.query('select 1');
    const roundTripMs = (performance.now() - r0) / 200;
    client.release();
    return { byLabel, meanOpMs, roundTripMs };
  } finally {
    await db.destroy();
  }
}

type Plan = { 'Planning Time': number; 'Execution Time': number; Plan: { 'WAL Bytes'?: number } };

/** Mean planning and execution time and WAL bytes per statement over `samples` purchases, from EXPLAIN ANALYZE. */
async function serverSide(t: Target, samples: number) {
  const captured: { text: string; values: unknown[] }[] = [];
  const { pool, db } = tappedDb(t, (text, values) => captured.push({ text, values }));
  const totals = new Map<string, { planningMs: number; executionMs: number; walBytes: number }>();
  try {
    for (let i = 0; i < samples; i++) {
      captured.length = 0;
      await purchase(t, db);
      const replay = captured.filter((s) => !/^(begin|commit)/i.test(s.text.trim()));
      // The ids this purchase created get fresh ones, so the replayed inserts do not collide with what it committed.
      const keep = new Set([t.businessId, ...t.memberIds]);
      const fresh = new Map<string, string>();
      const renew = (v: unknown) =>
        typeof v === 'string' ? v.replace(UUIDS, (id) => (keep.has(id) ? id : (fresh.get(id) ?? fresh.set(id, randomUUID()).get(id)!))) : v;
      const client: pg.PoolClient = await pool.connect();
      try {
        await client.query('begin');
        for (const s of replay) {
          const r = await client.query<{ 'QUERY PLAN': [Plan] }>(`explain (analyze, buffers, wal, format json) ${s.text}`, s.values.map(renew));
          const plan = r.rows[0]!['QUERY PLAN'][0];
          const e = totals.get(labelOf(s.text)) ?? { planningMs: 0, executionMs: 0, walBytes: 0 };
          e.planningMs += plan['Planning Time'] / samples;
          e.executionMs += plan['Execution Time'] / samples;
          e.walBytes += (plan.Plan['WAL Bytes'] ?? 0) / samples;
          totals.set(labelOf(s.text), e);
        }
      } finally {
        await client.query('rollback');
        client.release();
      }
    }
    return totals;
  } finally {
    await db.destroy();
  }
}

export async function profileStatements(t: Target, ops: number): Promise<StatementProfile> {
  const { byLabel, meanOpMs, roundTripMs } = await clientSide(t, ops);
  const server = await serverSide(t, 20);
  const totalMs = [...byLabel.values()].reduce((s, e) => s + e.ms, 0);
  const statements = [...byLabel.entries()]
    .map(([label, e]) => {
      const s = server.get(label);
      return {
        label,
        perOp: round(e.count / ops, 2),
        clientMs: round(e.ms / e.count),
        clientSharePercent: round((e.ms / totalMs) * 100, 1),
        serverPlanningMs: s ? round(s.planningMs) : null,
        serverExecutionMs: s ? round(s.executionMs) : null,
        walBytes: s ? Math.round(s.walBytes) : null,
      };
    })
    .sort((a, b) => b.clientSharePercent - a.clientSharePercent);
  return {
    ops,
    statementsPerOp: round(statements.reduce((s, x) => s + x.perOp, 0), 2),
    meanOpMs: round(meanOpMs),
    roundTripMs: round(roundTripMs),
    statements,
  };
}
