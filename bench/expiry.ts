// The expiry job over many lots: seed past-due lots with a consistent ledger by SQL, run expirePoints in a child
// process (so its peak RSS is its own), then check the ledger with SQL and that a second run expires nothing.
import { fork } from 'node:child_process';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { ExpiryRun } from '../src/app/expirePoints.js';
import type { Database } from '../src/store/schema.js';
import { freshDatabase, seedBusiness, seedMembers, seedOpenLots } from './db.js';
import { cpuMeter } from './machine.js';

export interface ExpiryOptions {
  members: number;
  lotsPerMember: number;
}

export interface ChildRun {
  seconds: number;
  /** process.resourceUsage().maxRSS of the child at the end, MB. */
  peakRssMB: number;
  /** The same before expirePoints started (Node, tsx and the modules loaded), MB. */
  rssBeforeMB: number;
  run: ExpiryRun;
}

export interface ExpiryResult {
  members: number;
  lots: number;
  seededPoints: number;
  seedSeconds: number;
  seedMethod: string;
  first: ChildRun & { machineCpuPercent: number };
  second: ChildRun;
  checks: Record<string, boolean>;
  goals: { underSixtySeconds: boolean; under300MB: boolean };
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

function runChild(url: string, now: Date): Promise<ChildRun> {
  const child = fork(path.resolve('bin/run-ts.js'), [path.resolve('bench/expiry-child.ts')], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.on('message', (m: { type: string; result?: ChildRun; error?: string }) => {
      if (m.type === 'done') resolve(m.result!);
      else reject(new Error(m.error));
    });
    // 'exit' may overtake the last message; give it a moment before calling the child lost.
    child.on('exit', (code) => setTimeout(() => reject(new Error(`expiry child exited with code ${code}`)), 1_000));
    child.send({ url, now: now.toISOString() });
  });
}

/**
 * Seeds `o.members` members, each with one 'earn' ledger transaction crediting `o.lotsPerMember` lots (one
 * issued → member posting per lot), every lot due in the last 30 days before `now`.
 */
export async function seedDueLots(db: Kysely<Database>, o: ExpiryOptions, now: Date): Promise<{ lots: number; points: number }> {
  const earnedAt = new Date(now.getTime() - 210 * 86_400_000);
  const businessId = await seedBusiness(db);
  await seedMembers(db, businessId, o.members);
  const seeded = await seedOpenLots(db, businessId, {
    lotsPerMember: o.lotsPerMember,
    earnedAt,
    expiresAt: sql`${now}::timestamptz - interval '1 minute' - random() * interval '30 days'`,
    reason: 'Seeded for the expiry benchmark',
  });
  await sql`vacuum analyze members, ledger_transactions, lots, postings`.execute(db);
  return seeded;
}

export async function expiryWorkload(url: string, o: ExpiryOptions, log: (line: string) => void): Promise<ExpiryResult> {
  const bench = await freshDatabase(url, 4);
  const db = bench.db;
  try {
    const now = new Date();
    const t0 = performance.now();
    const { lots, points: seededPoints } = await seedDueLots(db, o, now);
    const seedSeconds = round((performance.now() - t0) / 1000, 1);
    log(`  seeded ${o.members} members, ${lots} due lots (${seededPoints} points) in ${seedSeconds} s (database ${bench.name})`);

    await sql`checkpoint`.execute(db).catch(() => undefined);
    const cpu = cpuMeter();
    const first = { ...(await runChild(bench.url, now)), machineCpuPercent: cpu() };
    log(`  expirePoints: ${first.run.lots} lots of ${first.run.members} members in ${first.seconds} s, ${first.run.batches} batches, peak RSS ${first.peakRssMB} MB`);
    const second = await runChild(bench.url, now);
    log(`  second run: ${second.run.lots} lots in ${second.seconds} s`);

    const v = await sql<{ open: number; expired_points: number; expiry_postings: number; expiry_tx_points: number; unbalanced: number; lot_mismatch: number }>`
      select (select count(*) from lots where remaining > 0)::int as open,
             (select coalesce(sum(expired_points), 0) from lots)::bigint as expired_points,
             (select coalesce(sum(amount), 0) from postings where source = 'member' and destination = 'expired')::bigint as expiry_postings,
             (select coalesce(-sum(points), 0) from ledger_transactions where type = 'expire')::bigint as expiry_tx_points,
             (select count(*) from (
                select member_id from postings group by member_id
                having sum(case when destination = 'member' then amount else 0 end) <> sum(case when source = 'member' then amount else 0 end)
              ) x)::int as unbalanced,
             (select count(*) from lots l
                left join (select lot_id, sum(amount) as expired from postings where destination = 'expired' group by lot_id) p
                       on p.lot_id = l.id
               where l.amount <> l.remaining + l.expired_points or l.expired_points <> coalesce(p.expired, 0))::int as lot_mismatch
    `.execute(db);
    const r = v.rows[0]!;
    const checks = {
      everyLotRemainingIsZero: r.open === 0,
      expiryPostingsEqualSeededPoints: r.expiry_postings === seededPoints,
      expiryTransactionsEqualSeededPoints: r.expiry_tx_points === seededPoints,
      lotsExpiredPointsEqualSeededPoints: r.expired_points === seededPoints,
      everyMemberBalanceIsZeroByPostings: r.unbalanced === 0,
      everyLotMatchesItsPostings: r.lot_mismatch === 0,
      firstRunExpiredEverySeededLot: first.run.lots === lots && first.run.points === seededPoints,
      secondRunExpiresNothing: second.run.lots === 0 && second.run.points === 0,
    };
    return {
      members: o.members,
      lots,
      seededPoints,
      seedSeconds,
      seedMethod: `bulk SQL: members by unnest; one 'earn' ledger transaction per member, ${o.lotsPerMember} lots each and one issued → member posting per lot via generate_series`,
      first,
      second,
      checks,
      goals: { underSixtySeconds: first.seconds < 60, under300MB: first.peakRssMB < 300 },
    };
  } finally {
    await bench.drop();
  }
}
