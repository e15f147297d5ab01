// The notifications engine under load. (a) A broadcast to every member, through the real engine (planning into the
// outbox, release into pg-boss, its workers, our Telegram sender) against the Bot API stand-in enforcing Telegram's
// flood control with 429s at `limitPerSecond`: the sustained rate as a fraction of the limit, lost and duplicated
// messages counted in the stand-in's chats, and the planning + enqueue time. (b) Expiry reminders for many lots:
// time to plan them into the outbox (planAllExpiryReminders) and to release them into the queue.
import { sql, type Kysely } from 'kysely';
import { createBroadcast, planDueBroadcasts } from '../src/app/broadcasts.js';
import { planAllExpiryReminders } from '../src/app/expiryReminders.js';
import { makeDeps } from '../src/cli/makeDeps.js';
import { createLogger } from '../src/config/logger.js';
import type { Clock } from '../src/core/index.js';
import { releaseDueMessages, startNotificationEngine } from '../src/jobs/notifications.js';
import { bossSchemaFor, startQueue } from '../src/jobs/queue.js';
import { channelDirectory } from '../src/notify/channelDirectory.js';
import { DEFAULT_PROVIDER_ENDPOINTS } from '../src/notify/channels/endpoints.js';
import type { Database } from '../src/store/schema.js';
import { startTelegramApi } from '../test/support/telegramApi.js';
import { freshDatabase, seedBusiness, seedMembers, seedOpenLots } from './db.js';
import { cpuMeter } from './machine.js';

export interface NotifyOptions {
  /** Broadcast recipients (all consented, all in Telegram). */
  members: number;
  /** The stand-in's per-bot limit (429s past it in any sliding second). */
  limitPerSecond: number;
  /** Our bot limiter's rate as a fraction of that limit (requests land a millisecond or two off their slots). */
  clientFraction: number;
  workers: number;
  batchSize: number;
  /** Expiry reminders: members and open lots per member (expiring within the reminder horizon). */
  reminderMembers: number;
  lotsPerMember: number;
}

export interface BroadcastFigures {
  members: number;
  limitPerSecond: number;
  clientPerSecond: number;
  seedSeconds: number;
  /** planDueBroadcasts: recipients and messages written into the outbox. */
  planSeconds: number;
  /** The release of the planned messages into pg-boss (one transaction per 1,000). */
  enqueueSeconds: number;
  /** From the broadcast's creation to the last message accepted by the stand-in. */
  totalSeconds: number;
  /** Between the first and the last accepted message. */
  deliverySeconds: number;
  ratePerSecond: number;
  fractionOfLimit: number;
  /** The same over the middle 90 % of the messages (without the start and the tail). */
  middleFractionOfLimit: number;
  /** The most messages the stand-in accepted in any one second (it refuses past the limit). */
  peakPerSecond: number;
  tooManyRequests: number;
  /** Gaps of 50 ms or more between accepted messages (at the limit they are ~3 ms apart): the queue ran dry. */
  stalls: { count: number; seconds: number };
  lost: number;
  duplicated: number;
  outbox: Record<string, number>;
  machineCpuPercent: number;
  goals: { fractionAtLeast095: boolean; zeroLost: boolean; zeroDuplicated: boolean };
}

export interface ReminderFigures {
  members: number;
  lots: number;
  seedSeconds: number;
  planSeconds: number;
  messages: number;
  days: number;
  /** Releasing them all into pg-boss (as if every send time had come). */
  enqueueSeconds: number;
  released: number;
}

export interface NotifyResult {
  broadcast: BroadcastFigures;
  reminders: ReminderFigures;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const seconds = (from: number) => round((performance.now() - from) / 1000);
const TELEGRAM_ID_BASE = 200_000_000;
const BOT_TOKEN = '9001:bench-broadcast-secret';

function peakPerSecond(times: readonly number[]): number {
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

/** Every member in Telegram (ids from TELEGRAM_ID_BASE + 1), consenting to marketing; no quiet hours. */
async function seedReachableMembers(db: Kysely<Database>, businessId: string, count: number): Promise<number[]> {
  await seedMembers(db, businessId, count);
  await sql`
    update members m set telegram_user_id = ${TELEGRAM_ID_BASE} + s.n
      from (select id, row_number() over (order by id) as n from members where business_id = ${businessId}) s
     where m.business_id = ${businessId} and m.id = s.id
  `.execute(db);
  await sql`
    insert into member_consents (business_id, member_id, kind, granted, text_version, channel, at)
    select business_id, id, 'marketing', true, 'bench', 'bench', now() from members where business_id = ${businessId}
  `.execute(db);
  await sql`
    update businesses set program = jsonb_set(program, '{notifications}', coalesce(program->'notifications', '{}'::jsonb) || '{"quietHours": null}'::jsonb)
     where id = ${businessId}
  `.execute(db);
  await sql`
    insert into bots (business_id, id, role, token, telegram_id, username, webhook_secret, created_at)
    values (${businessId}, gen_random_uuid(), 'customer', ${BOT_TOKEN}, 9001, 'kopilka_bench_bot', 'bench-webhook-secret', now())
  `.execute(db);
  await sql`analyze`.execute(db);
  const rows = await sql<{ t: string }>`select telegram_user_id::text as t from members where business_id = ${businessId}`.execute(db);
  return rows.rows.map((r) => Number(r.t));
}

async function broadcastWorkload(url: string, o: NotifyOptions, log: (line: string) => void): Promise<BroadcastFigures> {
  const bench = await freshDatabase(url, 12);
  const tg = await startTelegramApi({ rateLimit: { perBotPerSecond: o.limitPerSecond, perChatPerSecond: 1 }, recordCalls: false });
  const quiet = createLogger('warn');
  let stopEngine = async () => {};
  try {
    let t = performance.now();
    const businessId = await seedBusiness(bench.db);
    const chats = await seedReachableMembers(bench.db, businessId, o.members);
    tg.addBot({ token: BOT_TOKEN, username: 'kopilka_bench_bot' });
    for (const id of chats) tg.user(BOT_TOKEN, { id, first_name: `M${id - TELEGRAM_ID_BASE}` }, { started: true });
    const seedSeconds = seconds(t);
    log(`  seeded ${o.members.toLocaleString('en')} members in Telegram with marketing consent in ${seedSeconds} s`);

    const deps = makeDeps(bench.db);
    const queue = await startQueue({ url: bench.url, schema: bossSchemaFor('public'), log: quiet });
    const clientPerSecond = round(o.limitPerSecond * o.clientFraction, 1);
    const channels = channelDirectory(deps, { telegramApiRoot: tg.url, endpoints: DEFAULT_PROVIDER_ENDPOINTS, telegramRates: { perBotPerSecond: clientPerSecond, perChatPerSecond: 1 } });
    // The engine's own periodic relay + release is held back (an hour): the benchmark releases once and times it.
    const engine = await startNotificationEngine(deps, { queue, channels, log: quiet, cardUrl: () => 'https://bench.example/card', workers: o.workers, batchSize: o.batchSize, intervalSeconds: 3600 });
    stopEngine = async () => {
      await engine.stop();
      channels.close();
      await queue.stop();
    };

    const cpu = cpuMeter();
    const stats = tg.sendStats(BOT_TOKEN);
    const t0 = performance.now();
    const started = Date.now();
    const c = await createBroadcast(deps, { businessId, text: 'Двойные баллы в эти выходные, {name}! / Double points this weekend!' });
    t = performance.now();
    const plan = await planDueBroadcasts(deps, { businessId });
    const planSeconds = seconds(t);
    t = performance.now();
    await engine.tick(); // the relay (nothing to do) and the release of every due message into the queue, then wake the workers
    const enqueueSeconds = seconds(t);
    log(`  planned ${plan.messages.toLocaleString('en')} messages in ${planSeconds} s, released into pg-boss in ${enqueueSeconds} s; sending at ${clientPerSecond}/s against a ${o.limitPerSecond}/s limit …`);

    const deadline = Date.now() + ((o.members / o.limitPerSecond) * 2 + 120) * 1000;
    let lastReport = Date.now();
    const unfinished = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from messages where business_id = ${businessId} and campaign_id = ${c.id} and status in ('scheduled', 'queued', 'sending')`.execute(bench.db)).rows[0]!.n);
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      if (stats.accepted >= o.members && (await unfinished()) === 0) break;
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        log(`    ${stats.accepted.toLocaleString('en')} accepted, ${stats.tooManyRequests} answered 429 …`);
      }
    }
    const totalSeconds = seconds(t0);
    const machineCpuPercent = cpu();
    // Anything sent twice would arrive now (a job re-run after its worker was thought dead).
    await new Promise((r) => setTimeout(r, 3_000));

    const times = stats.acceptedAt.filter((at) => at >= started);
    const n = times.length;
    const deliverySeconds = n > 1 ? (times[n - 1]! - times[0]!) / 1000 : 0;
    const ratePerSecond = n > 1 ? (n - 1) / deliverySeconds : 0;
    const a = Math.floor(n * 0.05);
    const b = Math.max(a, Math.ceil(n * 0.95) - 1);
    const middleRate = b > a ? (b - a) / ((times[b]! - times[a]!) / 1000) : 0;
    const stalls = { count: 0, seconds: 0 };
    for (let i = 1; i < n; i++) {
      const gap = times[i]! - times[i - 1]!;
      if (gap >= 50) {
        stalls.count += 1;
        stalls.seconds += gap / 1000;
      }
    }
    stalls.seconds = round(stalls.seconds);
    let lost = 0;
    let duplicated = 0;
    for (const id of chats) {
      const k = stats.perChat.get(id) ?? 0;
      if (k === 0) lost += 1;
      else duplicated += k - 1;
    }
    const outbox = Object.fromEntries(
      (await sql<{ status: string; n: string }>`select status, count(*) as n from messages where business_id = ${businessId} group by status`.execute(bench.db)).rows.map((r) => [r.status, Number(r.n)]),
    );
    const fractionOfLimit = round(ratePerSecond / o.limitPerSecond, 3);
    return {
      members: o.members,
      limitPerSecond: o.limitPerSecond,
      clientPerSecond,
      seedSeconds,
      planSeconds,
      enqueueSeconds,
      totalSeconds,
      deliverySeconds: round(deliverySeconds),
      ratePerSecond: round(ratePerSecond, 1),
      fractionOfLimit,
      middleFractionOfLimit: round(middleRate / o.limitPerSecond, 3),
      peakPerSecond: peakPerSecond(times),
      tooManyRequests: stats.tooManyRequests,
      stalls,
      lost,
      duplicated,
      outbox,
      machineCpuPercent,
      goals: { fractionAtLeast095: fractionOfLimit >= 0.95, zeroLost: lost === 0, zeroDuplicated: duplicated === 0 },
    };
  } finally {
    await stopEngine();
    await tg.close();
    await bench.drop();
  }
}

/** Open lots expiring over the next days (within the default reminder horizon: 4 and 1 days before), `lotsPerMember` each. */
async function seedSoonLots(db: Kysely<Database>, businessId: string, o: NotifyOptions, now: Date, horizonDays: number): Promise<number> {
  await seedMembers(db, businessId, o.reminderMembers);
  const earnedAt = new Date(now.getTime() - 30 * 86_400_000);
  const { lots } = await seedOpenLots(db, businessId, {
    lotsPerMember: o.lotsPerMember,
    earnedAt,
    expiresAt: sql`${now}::timestamptz + interval '1 hour' + random() * (${horizonDays} * interval '1 day')`,
    reason: 'Seeded for the notifications benchmark',
  });
  await sql`analyze`.execute(db);
  return lots;
}

async function remindersWorkload(url: string, o: NotifyOptions, log: (line: string) => void): Promise<ReminderFigures> {
  const bench = await freshDatabase(url, 8);
  const quiet = createLogger('warn');
  let queue: Awaited<ReturnType<typeof startQueue>> | null = null;
  try {
    const now = new Date();
    let t = performance.now();
    const businessId = await seedBusiness(bench.db);
    const lots = await seedSoonLots(bench.db, businessId, o, now, 5);
    const seedSeconds = seconds(t);
    log(`  seeded ${lots.toLocaleString('en')} lots expiring within 5 days for ${o.reminderMembers.toLocaleString('en')} members in ${seedSeconds} s`);

    const deps = makeDeps(bench.db, { now: () => now });
    t = performance.now();
    const run = await planAllExpiryReminders(deps, { businessId, now });
    const planSeconds = seconds(t);
    log(`  planned ${run.messages.toLocaleString('en')} reminders over ${run.days} expiry days in ${planSeconds} s`);

    queue = await startQueue({ url: bench.url, schema: bossSchemaFor('public'), log: quiet });
    const later: Clock = { now: () => new Date(now.getTime() + 10 * 86_400_000) };
    t = performance.now();
    const released = await releaseDueMessages(makeDeps(bench.db, later), queue, { businessId });
    const enqueueSeconds = seconds(t);
    log(`  released ${released.released.toLocaleString('en')} into pg-boss in ${enqueueSeconds} s`);
    return { members: o.reminderMembers, lots, seedSeconds, planSeconds, messages: run.messages, days: run.days, enqueueSeconds, released: released.released };
  } finally {
    await queue?.stop();
    await bench.drop();
  }
}

export async function notifyWorkload(url: string, o: NotifyOptions, log: (line: string) => void): Promise<NotifyResult> {
  log(`  (a) broadcast to ${o.members.toLocaleString('en')} members through the engine (${o.workers} workers × batches of ${o.batchSize})`);
  const broadcast = await broadcastWorkload(url, o, log);
  log(`  (b) expiry reminders for ${(o.reminderMembers * o.lotsPerMember).toLocaleString('en')} lots`);
  const reminders = await remindersWorkload(url, o, log);
  return { broadcast, reminders };
}
