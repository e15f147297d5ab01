// Model-based property test: random sequences of earn / redeem / refund / adjust / clock moves / expiry runs on
// PostgreSQL, each step checked against a simple in-memory model of the member's lots.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adjustPoints } from '../src/app/adjustPoints.js';
import { expirePoints } from '../src/app/expirePoints.js';
import { recordPurchase, type PurchaseResult } from '../src/app/recordPurchase.js';
import { refundPurchase } from '../src/app/refundPurchase.js';
import { DomainError, lotSchedule, type Program } from '../src/core/index.js';
import { aBusiness, aMember } from './support/factories.js';
import { checkLedgerInvariants } from './support/invariants.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

const RUNS = Number(process.env.KOPILKA_PROPERTY_RUNS ?? 1000);

type Op =
  | { kind: 'earn'; amount: number }
  | { kind: 'redeem'; share: number; extra: number }
  | { kind: 'refund'; purchase: number; share: number }
  | { kind: 'adjust'; points: number }
  | { kind: 'writeOff'; share: number }
  | { kind: 'advance'; hours: number }
  | { kind: 'expire' }
  | { kind: 'replay' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('earn' as const), amount: fc.integer({ min: 1, max: 5_000_00 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('redeem' as const), share: fc.integer({ min: 1, max: 120 }), extra: fc.integer({ min: 0, max: 500_00 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), purchase: fc.nat(20), share: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('adjust' as const), points: fc.integer({ min: 1, max: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('writeOff' as const), share: fc.integer({ min: 1, max: 120 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 24 * 6 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'expire' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'replay' as const }) },
);

const seedArb: fc.Arbitrary<Op[]> = fc.tuple(
  fc.integer({ min: 1, max: 300 }),
  fc.integer({ min: 1, max: 72 }),
  fc.integer({ min: 100_00, max: 5_000_00 }),
  fc.integer({ min: 25, max: 96 }),
).map(([points, h1, amount, h2]) => [
  { kind: 'adjust', points },
  { kind: 'advance', hours: h1 },
  { kind: 'earn', amount },
  { kind: 'advance', hours: h2 },
]);

interface ModelLot {
  amount: number;
  remaining: number;
  expired: number;
  activatesAt: number;
  expiresAt: number;
  seq: number;
}
interface ModelPurchase {
  id: string;
  amount: number;
  refunded: number;
  earned: number;
  redeemed: number;
  lot: ModelLot | null;
  absorbed: number;
}

const program: Partial<Program> = { earnRateBp: 1000, maxRedeemBp: 10000, pointsLifetimeDays: 10, activationDelayDays: 1, welcomeBonus: 0 };
const TZ = 'Asia/Yekaterinburg';

let t: TestDatabase;
let businessId: string;
beforeAll(async () => {
  t = await openTestDatabase();
  businessId = (await aBusiness(t.deps, program, { timezone: TZ })).id;
});
afterAll(async () => {
  await t?.close();
});

class Model {
  lots: ModelLot[] = [];
  purchases: ModelPurchase[] = [];
  seq = 0;
  constructor(private readonly fullProgram: Program) {}

  active(now: number) {
    return this.lots.filter((l) => l.remaining > 0 && l.activatesAt <= now && l.expiresAt > now);
  }
  available(now: number) {
    return this.active(now).reduce((s, l) => s + l.remaining, 0);
  }
  addLot(amount: number, now: number): ModelLot {
    const s = lotSchedule(this.fullProgram, TZ, new Date(now));
    const lot = { amount, remaining: amount, expired: 0, activatesAt: s.activatesAt.getTime(), expiresAt: s.expiresAt!.getTime(), seq: this.seq++ };
    this.lots.push(lot);
    return lot;
  }
  /** Soonest-expiring first, then oldest. */
  spend(points: number, now: number) {
    let left = points;
    for (const l of this.active(now).sort((a, b) => a.expiresAt - b.expiresAt || a.seq - b.seq)) {
      const take = Math.min(left, l.remaining);
      l.remaining -= take;
      left -= take;
    }
    if (left !== 0) throw new Error('model overspent');
  }
  expire(now: number) {
    for (const l of this.lots) {
      if (l.remaining > 0 && l.expiresAt <= now) {
        l.expired += l.remaining;
        l.remaining = 0;
      }
    }
  }
}

async function dbLots(memberId: string) {
  return t.db
    .selectFrom('lots')
    .select(['amount', 'remaining', 'expired_points', 'activates_at', 'expires_at'])
    .where('business_id', '=', businessId)
    .where('member_id', '=', memberId)
    .execute();
}

async function snapshot(memberId: string) {
  const lots = await dbLots(memberId);
  const tx = await t.db.selectFrom('ledger_transactions').select(sql<number>`count(*)`.as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow();
  return { lots: lots.map((l) => `${l.amount}/${l.remaining}/${l.expires_at!.getTime()}`).sort(), tx: Number(tx.n) };
}

async function check(model: Model, memberId: string, now: number) {
  const lots = await dbLots(memberId);
  const key = (a: number, r: number, e: number, x: number) => `${a}/${r}/${e}/${x}`;
  expect(lots.map((l) => key(l.amount, l.remaining, l.expires_at!.getTime(), l.expired_points)).sort()).toEqual(
    model.lots.map((l) => key(l.amount, l.remaining, l.expiresAt, l.expired)).sort(),
  );
  const available = lots
    .filter((l) => l.remaining > 0 && l.activates_at.getTime() <= now && l.expires_at!.getTime() > now)
    .reduce((s, l) => s + l.remaining, 0);
  expect(available).toBe(model.available(now));
  const postings = await sql<{ net: number }>`
    select coalesce(sum(case when destination = 'member' then amount else -amount end), 0)::bigint as net
      from postings where business_id = ${businessId} and member_id = ${memberId}`.execute(t.db);
  expect(postings.rows[0]?.net).toBe(lots.reduce((s, l) => s + l.remaining, 0));
  expect(lots.every((l) => l.remaining >= 0)).toBe(true);
}

it(`${RUNS} random sequences of ledger operations agree with the model`, async () => {
  const fullProgram = (await t.db.selectFrom('businesses').select('program').where('id', '=', businessId).executeTakeFirstOrThrow()).program as Program;
  let runNo = 0;
  await fc.assert(
    // Every sequence starts with points earned on different days, so spend order across lots is exercised.
    fc.asyncProperty(seedArb, fc.array(opArb, { minLength: 1, maxLength: 16 }), async (seed, rest) => {
      const ops = [...seed, ...rest];
      runNo++;
      const member = await aMember(t.deps, businessId);
      const model = new Model(fullProgram);
      const ref = { id: member.id };
      let last: { input: Parameters<typeof recordPurchase>[1]; result: PurchaseResult } | null = null;
      let keyNo = 0;
      for (const op of ops) {
        const now = t.clock.now().getTime();
        if (op.kind === 'earn') {
          const input = { businessId, member: ref, amount: op.amount, idempotencyKey: `r${runNo}-${keyNo++}` };
          const result = await recordPurchase(t.deps, input);
          const earned = Math.floor(op.amount / 1000);
          expect(result.earnedPoints).toBe(earned);
          model.purchases.push({ id: result.purchaseId, amount: op.amount, refunded: 0, earned, redeemed: 0, lot: earned ? model.addLot(earned, now) : null, absorbed: 0 });
          last = { input, result };
        } else if (op.kind === 'redeem') {
          // Redeem a share of the balance; over 100% must be refused.
          const available = model.available(now);
          const points = Math.max(1, Math.floor((available * op.share) / 100));
          const amount = points * 100 + op.extra;
          const outcome = await recordPurchase(t.deps, { businessId, member: ref, amount, redeemPoints: points }).catch((e: unknown) => e);
          if (points > available) {
            expect(outcome).toBeInstanceOf(DomainError);
            expect((outcome as DomainError).code).toBe('insufficient_points');
          } else {
            const result = outcome as PurchaseResult;
            model.spend(points, now);
            const earned = Math.floor(op.extra / 1000);
            expect(result).toMatchObject({ redeemedPoints: points, earnedPoints: earned });
            model.purchases.push({ id: result.purchaseId, amount, refunded: 0, earned, redeemed: points, lot: earned ? model.addLot(earned, now) : null, absorbed: 0 });
          }
        } else if (op.kind === 'adjust') {
          await adjustPoints(t.deps, { businessId, member: ref, points: op.points, reason: 'model' });
          model.addLot(op.points, now);
        } else if (op.kind === 'writeOff') {
          const available = model.available(now);
          const points = Math.max(1, Math.floor((available * op.share) / 100));
          const outcome = await adjustPoints(t.deps, { businessId, member: ref, points: -points, reason: 'model' }).catch((e: unknown) => e);
          if (points > available) {
            expect((outcome as DomainError).code).toBe('insufficient_points');
          } else {
            expect(outcome).toMatchObject({ points: -points });
            model.spend(points, now);
          }
        } else if (op.kind === 'refund') {
          const p = model.purchases[op.purchase % Math.max(1, model.purchases.length)];
          if (!p) continue;
          const rest = p.amount - p.refunded;
          const amount = Math.max(1, Math.floor((rest * op.share) / 100));
          const outcome = await refundPurchase(t.deps, { businessId, purchaseId: p.id, amount }).catch((e: unknown) => e);
          if (rest === 0) {
            expect((outcome as DomainError).code).toBe('purchase_fully_refunded');
            continue;
          }
          const after = p.refunded + amount;
          let claw = Math.floor((p.earned * after) / p.amount) - Math.floor((p.earned * p.refunded) / p.amount);
          const ret = Math.ceil((p.redeemed * after) / p.amount) - Math.ceil((p.redeemed * p.refunded) / p.amount);
          p.refunded = after;
          // Model of the clawback: own lot, then what of it expired, then other unexpired lots in spend order.
          let taken = 0;
          if (p.lot && p.lot.remaining > 0) {
            const x = Math.min(claw, p.lot.remaining);
            p.lot.remaining -= x;
            claw -= x;
            taken += x;
          }
          let absorbed = 0;
          if (p.lot) {
            absorbed = Math.min(claw, p.lot.expired - p.absorbed);
            p.absorbed += absorbed;
            claw -= absorbed;
          }
          for (const l of model.lots.filter((x) => x.remaining > 0 && x.expiresAt > now).sort((a, b) => a.expiresAt - b.expiresAt || a.seq - b.seq)) {
            const x = Math.min(claw, l.remaining);
            l.remaining -= x;
            claw -= x;
            taken += x;
          }
          if (ret > 0) model.addLot(ret, now);
          expect(outcome).toMatchObject({ clawedBackPoints: taken, returnedPoints: ret, absorbedByExpiry: absorbed, shortfall: claw });
        } else if (op.kind === 'advance') {
          t.clock.advance(op.hours * 3_600_000);
        } else if (op.kind === 'expire') {
          await expirePoints(t.deps);
          model.expire(now);
        } else if (op.kind === 'replay' && last) {
          const before = await snapshot(member.id);
          const again = await recordPurchase(t.deps, last.input);
          expect(again).toEqual(last.result);
          expect(await snapshot(member.id)).toEqual(before);
        }
        await check(model, member.id, t.clock.now().getTime());
      }
    }),
    { numRuns: RUNS, seed: process.env.KOPILKA_PROPERTY_SEED ? Number(process.env.KOPILKA_PROPERTY_SEED) : undefined },
  );
  await checkLedgerInvariants(t.db);
}, 600_000);
