// Fuzzing the Integration API: thousands of malformed bodies, headers, paths and methods against a real server.
// Every request in properties 1–3 must be refused; for all of them: never a 5xx, every 4xx a problem document with a
// string code, every answer as the served OpenAPI document says, and not one row of the database changed (checked
// after every request, so a change shrinks to the one request that made it, and once more at the end).
//   KOPILKA_FUZZ_RUNS=n   scales the number of requests (5·n in all; default 1000)
//   KOPILKA_FUZZ_SEED=s   replays a failing run
import fc from 'fast-check';
import { sql, type RawBuilder } from 'kysely';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLocation } from '../src/app/addLocation.js';
import { createApiKey, revokeApiKey } from '../src/app/apiKeys.js';
import { dispatchEvents } from '../src/app/deliverWebhooks.js';
import { openApiChecker, startApi, type ApiHarness } from './support/apiServer.js';

const RUNS = Math.max(1, Number(process.env.KOPILKA_FUZZ_RUNS ?? 1000));
const SEED = process.env.KOPILKA_FUZZ_SEED === undefined ? undefined : Number(process.env.KOPILKA_FUZZ_SEED);
const params = <T>(numRuns: number): fc.Parameters<T> => ({ numRuns: Math.max(1, Math.round(numRuns)), ...(SEED === undefined ? {} : { seed: SEED }) });
const timeoutFor = (numRuns: number) => 60_000 + numRuns * 200;

// ── JSON with what JSON.stringify cannot write: raw number tokens, duplicate keys, "__proto__" as a key ─────────────

/** A JSON token written as is (1e400 parses to Infinity, -0 to -0). */
class Raw {
  constructor(readonly json: string) {}
}
/** An object written entry by entry: keys may repeat (the last wins in JSON.parse) and may be "__proto__". */
class Obj {
  constructor(readonly entries: ReadonlyArray<readonly [string, unknown]>) {}
}

function toJson(v: unknown): string {
  if (v instanceof Raw) return v.json;
  if (v instanceof Obj) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (v !== null && typeof v === 'object') return toJson(new Obj(Object.entries(v).filter(([, x]) => x !== undefined)));
  return JSON.stringify(v) ?? 'null';
}

/** Percent-encodes a path segment; a lone surrogate becomes an invalid UTF-8 escape instead of throwing. */
function segment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\ud800-\udfff]/g, '\u0000').split('\u0000').map((p) => encodeURIComponent(p)).join('%ED%A0%80');
  }
}

// ── the world the requests are aimed at ─────────────────────────────────────────────────────────────────────────

interface World {
  key: string;
  /** A key tied to a location: it may record purchases only there. */
  locationKey: string;
  revokedKey: string;
  /** A valid key of another business. */
  otherKey: string;
  ann: { id: string; phone: string; card: string };
  bob: { id: string };
  /** Blocked: no purchases, quotes, accruals or QR tokens (a write-off is allowed). */
  blocked: { id: string };
  purchase: { id: string; externalId: string; amount: number; refunded: number };
  webhookId: string;
  other: { memberId: string; purchaseId: string };
  takenPhones: Set<string>;
  knownIds: Set<string>;
}

let h: ApiHarness;
let w: World;
let checker: ReturnType<typeof openApiChecker>;
let templates: { path: string; re: RegExp; methods: Set<string> }[];
let snapshotQuery: RawBuilder<{ name: string; n: number; digest: string }>;
let baseline: Record<string, string>;
let current: Record<string, string>;
let sent = 0;
/** How often each answer (status and code) came back. */
const answers = new Map<string, number>();
const count = (answer: string) => answers.set(answer, (answers.get(answer) ?? 0) + 1);

async function snapshot(): Promise<Record<string, string>> {
  const r = await snapshotQuery.execute(h.t.db);
  return Object.fromEntries(r.rows.map((row) => [row.name, `${row.n} rows, md5 ${row.digest}`]));
}

function changedTables(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((t) => a[t] !== b[t]).map((t) => `${t}: ${a[t]} → ${b[t]}`);
}

beforeAll(async () => {
  h = await startApi();
  const shop = await h.business({ welcomeBonus: 100 });
  const api = shop.api;
  const ann = await api.members.create({ phone: '+79161234567', name: 'Ann', email: 'ann@example.com', birthday: '1990-05-01' });
  const bob = await api.members.create({ phone: '+79161234568' });
  const blocked = await api.members.create({ phone: '+79161234569', name: 'Blocked' });
  await api.members.update(blocked.id, { blocked: true });
  const location = await addLocation(h.t.deps, { businessId: shop.id, name: 'Till 1', address: 'Main st. 1' });
  const purchase = await api.purchases.create(
    { member: { id: ann.id }, amount: 100_000, externalId: 'R-1', locationId: location.id, items: [{ sku: 'A-1', name: 'Coffee', category: 'drinks', quantity: 2, price: 50_000 }] },
    { idempotencyKey: 'setup-purchase' },
  );
  await api.purchases.refund(purchase.purchaseId, { amount: 10_000 });
  await api.members.adjust(bob.id, { points: 50, reason: 'gift' }, { idempotencyKey: 'setup-adjust' });
  const webhook = await api.webhooks.create({ url: 'https://example.com/hook', events: ['member.created', 'points.earned'] });
  await dispatchEvents(h.t.deps); // the outbox events become pending deliveries
  const locationKey = await createApiKey(h.t.deps, { businessId: shop.id, name: 'till', locationId: location.id });
  const revoked = await createApiKey(h.t.deps, { businessId: shop.id, name: 'old' });
  await revokeApiKey(h.t.deps, { businessId: shop.id, keyId: revoked.id });
  const other = await h.business();
  const otherMember = await other.api.members.create({ phone: '+79161234570' });
  const otherPurchase = await other.api.purchases.create({ member: { id: otherMember.id }, amount: 5_000 });

  w = {
    key: shop.apiKey,
    locationKey: locationKey.key,
    revokedKey: revoked.key,
    otherKey: other.apiKey,
    ann: { id: ann.id, phone: ann.phone, card: ann.cardNumber },
    bob: { id: bob.id },
    blocked: { id: blocked.id },
    purchase: { id: purchase.purchaseId, externalId: 'R-1', amount: 100_000, refunded: 10_000 },
    webhookId: webhook.id,
    other: { memberId: otherMember.id, purchaseId: otherPurchase.purchaseId },
    takenPhones: new Set(['+79161234567', '+79161234568', '+79161234569', '+79161234570']),
    knownIds: new Set([shop.id, other.id, ann.id, bob.id, blocked.id, purchase.purchaseId, webhook.id, location.id, otherMember.id, otherPurchase.purchaseId].map((s) => s.toLowerCase())),
  };

  const doc = (await (await fetch(`${h.url}/api/v1/openapi.json`)).json()) as Record<string, any>;
  checker = openApiChecker(doc);
  templates = Object.entries(doc.paths as Record<string, Record<string, unknown>>).map(([path, ops]) => ({
    path,
    re: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    methods: new Set(Object.keys(ops)),
  }));

  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = ${h.t.schema} and table_type = 'BASE TABLE' order by table_name
  `.execute(h.t.db);
  snapshotQuery = sql.join(
    tables.rows.map(({ table_name: name }) => sql`
      select ${name}::text as name, count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest
      from ${sql.table(`${h.t.schema}.${name}`)} t`),
    sql` union all `,
  ) as RawBuilder<{ name: string; n: number; digest: string }>;
  baseline = await snapshot();
  current = baseline;
  h.checked.failures.length = 0;
}, 120_000);

afterAll(async () => {
  const counts = [...answers].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}×${n}`).join(', ');
  const empty = Object.entries(baseline ?? {}).filter(([, v]) => v.startsWith('0 rows')).map(([t]) => t);
  console.log(`api fuzz: ${sent} requests; answers: ${counts}; tables empty before fuzzing: ${empty.join(', ') || 'none'}`);
  await h?.close();
});

// ── sending and judging ─────────────────────────────────────────────────────────────────────────────────────────

type Body = string | { bytes: number[] } | { size: number; streamed: boolean };

interface Req {
  /** Why the request must be refused (or, for random paths, what it is). */
  why: string;
  method: string;
  /** The whole path and query, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: Body;
}

interface Res {
  status: number;
  type: string | null;
  text: string;
}

const bigBody = (size: number) => `{"phone":"${'9'.repeat(Math.max(0, size - 12))}"}`;

function requestBody(body: Body | undefined): { body?: RequestInit['body']; duplex?: 'half' } {
  if (body === undefined) return {};
  if (typeof body === 'string') return { body };
  if ('bytes' in body) return { body: new Uint8Array(body.bytes) };
  if (!body.streamed) return { body: bigBody(body.size) };
  // Chunked, without a Content-Length: the limit must hold while reading.
  const chunk = new TextEncoder().encode('9'.repeat(64 * 1024));
  let left = body.size;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= part.length;
      controller.enqueue(part);
    },
  });
  return { body: stream, duplex: 'half' };
}

/** Through the harness's fetch (every answer checked against the OpenAPI document). */
async function send(r: Req): Promise<Res> {
  const init = { method: r.method, headers: r.headers, signal: AbortSignal.timeout(20_000), ...requestBody(r.body) } as RequestInit;
  const res = await h.fetch(`${h.url}${r.path}`, init);
  sent += 1;
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** Through node:http, so the path goes out byte for byte (fetch would resolve "..", drop "#", re-encode). */
function sendRaw(r: Req): Promise<Res> {
  const url = new URL(h.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers: r.headers, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        sent += 1;
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? null, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 20 s')));
    req.on('error', reject);
    req.end(typeof r.body === 'string' ? r.body : undefined);
  });
}

/** Paths the server answers but the OpenAPI document does not describe. */
const UNDOCUMENTED = new Set(['/api/v1/openapi.json', '/api/docs', '/healthz']);

/** The path the router sees: resolved as a URL (dot segments go, "#…" is a fragment), then decodeURI'd escape by escape. */
function routedPath(raw: string): string {
  let path: string;
  try {
    path = new URL(`http://host${raw}`).pathname;
  } catch {
    path = raw.split(/[?#]/)[0]!;
  }
  const decode = (s: string) => decodeURI(s.replace(/%25/g, '%2525'));
  try {
    return decode(path);
  } catch {
    return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (m) => {
      try {
        return decode(m);
      } catch {
        return m;
      }
    });
  }
}

/**
 * The harness's checker takes the first path template that matches, whatever the method: GET /purchases/quote would
 * be judged as POST-only /purchases/quote though the router serves it as GET /purchases/{purchaseId}. Like the
 * router, prefer a template that has the method, and hand the checker a path only that template matches.
 */
function checkedPath(method: string, routed: string): string {
  const matching = templates.filter((t) => t.re.test(routed));
  const chosen = matching.find((t) => t.methods.has(method)) ?? matching[0];
  return chosen && matching.length > 1 ? chosen.path.replace(/\{[^}]+\}/g, '~param') : routed;
}

/**
 * Sends the request and throws (so fast-check shrinks it) on: a 5xx, a refused request that was not refused, a 4xx
 * that is not a problem document with a code, an answer the OpenAPI document does not allow, a changed database.
 */
async function judge(r: Req, o: { mustRefuse: boolean; raw?: boolean }): Promise<void> {
  const failuresBefore = h.checked.failures.length;
  const res = o.raw ? await sendRaw(r) : await send(r);
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`a ${res.status}`);
  if (o.mustRefuse && res.status < 400) problems.push(`not refused (${res.status})`);
  const routed = routedPath(r.path);
  if (res.status >= 400 && res.status < 500) {
    if (!res.type?.startsWith('application/problem+json')) problems.push(`content-type ${res.type} for a ${res.status}`);
    else if (r.method !== 'HEAD') {
      let body: any;
      try {
        body = JSON.parse(res.text);
      } catch {
        problems.push('a problem document that is not JSON');
      }
      if (body !== undefined && typeof body?.code !== 'string') problems.push('a problem document without a string code');
      if (body !== undefined) count(`${res.status} ${body?.code ?? '(no code)'}`);
    }
  } else count(String(res.status));
  if (o.raw && r.method !== 'HEAD' && !UNDOCUMENTED.has(routed)) {
    const mismatch = checker(r.method.toLowerCase(), checkedPath(r.method.toLowerCase(), routed), res.status, res.type, res.text);
    if (mismatch) h.checked.failures.push(`${r.method} ${r.path} → ${res.status}: ${mismatch}`);
  }
  if (h.checked.failures.length > failuresBefore) problems.push(`OpenAPI: ${h.checked.failures.slice(failuresBefore).join('; ')}`);
  const now = await snapshot();
  const changed = changedTables(current, now);
  if (changed.length > 0) {
    current = now; // later (shrunk) requests are judged by what they change themselves
    problems.push(`the database changed: ${changed.join('; ')}`);
  }
  if (problems.length > 0) {
    const shown = res.text.length > 600 ? `${res.text.slice(0, 600)}…` : res.text;
    throw new Error(`${r.method} ${r.path.slice(0, 300)} → ${res.status} ${shown}\n  ${problems.join('\n  ')}`);
  }
}

// ── values ──────────────────────────────────────────────────────────────────────────────────────────────────────

const EVENTS = ['member.created', 'points.earned', 'points.redeemed', 'points.expired', 'points.adjusted', 'purchase.refunded'];
const MAX_AMOUNT = 100_000_000_000;
const MAX_POINTS = 1_000_000_000;

/** Strings that have broken parsers, databases and templates before. */
const NASTY = [
  ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '💩', '👩‍👩‍👧‍👦', '\u202eevil', '\u200b', '\ufeff', 'ñ', 'Ω≈ç√', '𝕳𝖊𝖑𝖑𝖔', '\u2028\u2029',
  '\t\n\r', "' OR '1'='1", '"; drop table members; --', '%00', '%2F..%2F', '../../etc/passwd', '<script>alert(1)</script>',
  '${7*7}', '{{7*7}}', '\\', '\\u0000', 'null', 'undefined', 'NaN', 'Infinity', '-Infinity', '1e400', '0x10', 'true', '[]', '{}',
  '__proto__', 'constructor', 'prototype', 'ＭＡＸ', '١٢٣', '𝟙𝟚𝟛', 'max', 'a'.repeat(40), 'Ж'.repeat(40),
];
const nasty: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 19 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}\u0000${b}`) },
);
const text = (min: number, max: number) => nasty.filter((s) => s.length >= min && s.length <= max);

type Spec =
  | { t: 'str'; min: number; max: number; nullable?: boolean }
  | { t: 'int'; min: number; max?: number; nullable?: boolean; nonZero?: boolean }
  | { t: 'num'; min: number; max: number }
  | { t: 'bool' }
  | { t: 'date'; nullable?: boolean }
  | { t: 'datetime' }
  | { t: 'member' }
  | { t: 'redeem' }
  | { t: 'items' }
  | { t: 'tiers' }
  | { t: 'events' };

const item = { sku: 'A-1', name: 'Coffee', quantity: 1, price: 100 };
const tier = { name: 'Gold', minTotalSpent: 1_000_000, earnPercent: 7, maxRedeemPercent: 50 };

/** Values refused by any field: nesting, strings longer than any field allows, infinities, objects. */
const anyFieldBad: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 2, max: 3_000 }).map((n) => new Raw('['.repeat(n) + ']'.repeat(n))),
  fc.integer({ min: 2, max: 3_000 }).map((n) => new Raw(`${'{"a":'.repeat(n)}0${'}'.repeat(n)}`)),
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 100_000 }).map((n) => new Raw('['.repeat(n) + ']'.repeat(n))) },
  fc.integer({ min: 2_001, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom(new Raw('1e400'), new Raw('-1e400'), new Raw('1E999')),
  fc.constantFrom<unknown>({}, new Obj([['__proto__', { isAdmin: true }]]), new Obj([['constructor', { prototype: { isAdmin: true } }]]), { valueOf: 1, toString: 'x' }),
);
const notAString = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.constant(new Raw('-0')));
const notANumber = fc.constantFrom<unknown>('1', '0', '-1', 'NaN', 'Infinity', '-Infinity', '1e3', '0x10', ' 5', '', '١٢', '5 ', '+5', true, false, [1], [], ['1']);

/** A value the request schema refuses for a field of this kind. */
function badValue(s: Spec): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [anyFieldBad];
  if (!('nullable' in s && s.nullable)) options.push(fc.constant(null));
  switch (s.t) {
    case 'str':
      options.push(notAString, fc.integer({ min: s.max + 1, max: s.max + 40 }).chain((n) => fc.constantFrom('x'.repeat(n), '💩'.repeat(Math.ceil(n / 2)), ' '.repeat(n), '\u0000'.repeat(n))));
      if (s.min > 0) options.push(fc.string({ maxLength: s.min - 1 }));
      break;
    case 'int':
      options.push(
        notANumber,
        fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n + 0.5),
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
        fc.integer({ min: 1, max: 1_000_000 }).map((d) => s.min - d),
        fc.constantFrom(-1e300, -(2 ** 53), 2 ** 53, 1e300, Number.MAX_VALUE),
      );
      if (s.max !== undefined) options.push(fc.integer({ min: 1, max: 1_000_000 }).map((d) => s.max! + d));
      if (s.nonZero) options.push(fc.constantFrom(0, new Raw('-0'), new Raw('0.0'), new Raw('0e5')));
      break;
    case 'num':
      options.push(notANumber, fc.constantFrom(s.min - 0.001, s.min - 1, -1e300, s.max + 0.01, s.max + 1e6, 1e300));
      break;
    case 'bool':
      options.push(fc.constantFrom<unknown>('true', 'false', 0, 1, '', 'yes', [], [true], null));
      break;
    case 'date':
      options.push(notAString, fc.constantFrom('2020-13-01', '2020-00-10', '2020-1-1', '20200101', '01.02.2020', '2020-01-01T00:00:00Z', ' 2020-01-01', '2020-01-01 ', 'yesterday', '2021-02-29', '2020-02-30', '0000-00-00', '+002020-01-01', '２０２０-01-01'));
      break;
    case 'datetime':
      options.push(notAString, fc.constantFrom('2026-03-10', '2026-03-10T09:00:00', '2026-03-10 09:00:00Z', 'now', '2026-13-10T09:00:00Z', '2026-03-10T25:00:00Z', '2026-03-10T09:00:00+25:00', '2026-02-30T00:00:00Z', 'Tue, 10 Mar 2026 09:00:00 GMT'));
      break;
    case 'member':
      options.push(fc.constantFrom<unknown>(
        {}, { id: w.ann.id, phone: w.ann.phone }, { id: '' }, { id: 5 }, { phone: '' }, { card: '1'.repeat(41) }, { qrToken: '' }, { qrToken: 'x'.repeat(201) },
        { id: 'x'.repeat(101) }, { email: 'ann@example.com' }, w.ann.id, [], [{ id: w.ann.id }], { id: null }, { ID: w.ann.id }, { id: w.ann.id, extra: 1 },
        new Obj([['id', w.ann.id], ['__proto__', { phone: w.ann.phone }]]),
      ));
      break;
    case 'redeem':
      options.push(fc.constantFrom<unknown>('MAX', 'all', 'Max', ' max', 'max ', -1, 1.5, MAX_POINTS + 1, true, [], ['max'], '0', 'ｍａｘ'));
      break;
    case 'items':
      options.push(fc.constantFrom<unknown>(
        'x', [{}], [null], [[item]], [{ ...item, quantity: 0 }], [{ ...item, quantity: -1 }], [{ ...item, price: -1 }], [{ ...item, price: 0.5 }],
        [{ ...item, extra: 1 }], [{ ...item, sku: '' }], [{ sku: 'A' }], [{ ...item, name: 'x'.repeat(201) }], [{ ...item, quantity: 1_000_001 }], Array(501).fill(item),
      ));
      break;
    case 'tiers':
      options.push(fc.constantFrom<unknown>(
        'x', [{}], [null], [[tier]], [{ ...tier, earnPercent: 101 }], [{ ...tier, name: '' }], [{ ...tier, minTotalSpent: -1 }], [{ ...tier, extra: 1 }],
        [{ ...tier, id: 'x'.repeat(41) }], Array(21).fill(tier), [{ ...tier, maxRedeemPercent: '50' }],
      ));
      break;
    case 'events':
      options.push(fc.constantFrom<unknown>([], ['member.created', 'nope'], 'member.created', [1], [null], ['MEMBER.CREATED'], [['member.created']], ['member.created '], ['*']));
      break;
  }
  return fc.oneof(...options);
}

const validItem = fc.record(
  { sku: text(1, 100), name: text(1, 200), category: fc.option(text(1, 100)), quantity: fc.double({ min: 0.001, max: 1_000_000, noNaN: true }), price: fc.integer({ min: 0, max: 1_000_000_000 }) },
  { requiredKeys: ['sku', 'name', 'quantity', 'price'] },
);

/** A value the request schema accepts (the use case may still refuse it). */
function okValue(s: Spec): fc.Arbitrary<unknown> {
  const orNull = (a: fc.Arbitrary<unknown>, nullable?: boolean) => (nullable ? fc.oneof(a, fc.constant(null)) : a);
  switch (s.t) {
    case 'str':
      return orNull(text(s.min, s.max), s.nullable);
    case 'int':
      return orNull(fc.integer({ min: Math.max(s.min, -MAX_POINTS), max: Math.min(s.max ?? MAX_POINTS, MAX_POINTS) }).filter((n) => !s.nonZero || n !== 0), s.nullable);
    case 'num':
      return fc.double({ min: s.min, max: s.max, noNaN: true });
    case 'bool':
      return fc.boolean();
    case 'date':
      return orNull(fc.constantFrom('1990-05-01', '2000-02-29', '1900-01-01', '2026-03-10'), s.nullable);
    case 'datetime':
      return fc.constantFrom('2026-03-10T08:30:00Z', '2026-03-10T11:30:00+03:00', '2026-03-09T00:00:00.123Z');
    case 'member':
      return fc.constantFrom({ id: w.ann.id }, { phone: w.ann.phone }, { card: w.ann.card }, { id: w.bob.id });
    case 'redeem':
      return fc.oneof(fc.constant('max'), fc.integer({ min: 0, max: 100 }));
    case 'items':
      return fc.array(validItem, { maxLength: 3 });
    case 'tiers':
      return fc.constantFrom([], [tier]);
    case 'events':
      return fc.subarray(EVENTS, { minLength: 1 });
  }
}

// ── the state-changing endpoints ────────────────────────────────────────────────────────────────────────────────

interface Target {
  name: string;
  method: 'POST' | 'PATCH';
  /** Path under /api/v1; `id` is already encoded. */
  path: (id: string) => string;
  ids: 'member' | 'purchase' | null;
  idempotent: boolean;
  fields: Record<string, Spec>;
  required: string[];
  /** Schema-valid bodies the use case must refuse, with the path id and key to send them with. */
  refused: () => fc.Arbitrary<{ why: string; id?: string; body: unknown; key?: string; idem?: string }>;
  /** A body that would be accepted (and change the database) if nothing else refused the request. */
  wouldSucceed: () => fc.Arbitrary<Record<string, unknown>>;
}

const freshPhone = () => fc.integer({ min: 1_000_000, max: 9_999_999 }).map((n) => `+7916${n}`).filter((p) => !w.takenPhones.has(p));
const missingUuid = () => fc.uuid().filter((u) => !w.knownIds.has(u.toLowerCase()));

/** A body the request schema accepts, optional fields present or not. */
function baseBody(t: Pick<Target, 'fields' | 'required'>): fc.Arbitrary<Record<string, unknown>> {
  const model = Object.fromEntries(Object.entries(t.fields).map(([k, s]) => [k, okValue(s)]));
  return fc.record(model, { requiredKeys: t.required }) as fc.Arbitrary<Record<string, unknown>>;
}

const memberCreateFields: Record<string, Spec> = {
  phone: { t: 'str', min: 1, max: 40 },
  name: { t: 'str', min: 0, max: 100, nullable: true },
  birthday: { t: 'date', nullable: true },
  email: { t: 'str', min: 0, max: 254, nullable: true },
};
const purchaseFields: Record<string, Spec> = {
  member: { t: 'member' },
  amount: { t: 'int', min: 1, max: MAX_AMOUNT },
  redeemPoints: { t: 'redeem' },
  externalId: { t: 'str', min: 1, max: 200 },
  locationId: { t: 'str', min: 1, max: 100 },
  occurredAt: { t: 'datetime' },
  items: { t: 'items' },
};
const percent: Spec = { t: 'num', min: 0, max: 100 };
const days: Spec = { t: 'int', min: 0, max: 3650 };

/** A member the use cases cannot act on: unknown, of another business, or not an id at all. */
const noSuchMember = () =>
  fc.oneof(
    missingUuid().map((id) => ({ ref: { id }, why: 'unknown member id' })),
    fc.constant({ ref: { id: w.other.memberId }, why: "another business's member" }),
    freshPhone().map((phone) => ({ ref: { phone }, why: 'no member with this phone' })),
    fc.constantFrom('0000000000', '1234567890', '12345 67890', 'abc').map((card) => ({ ref: { card }, why: 'no member with this card' })),
    text(1, 200).map((qrToken) => ({ ref: { qrToken }, why: 'a forged QR token' })),
    fc.constant({ ref: { id: w.blocked.id }, why: 'a blocked member' }),
    fc.constant({ ref: { id: `${w.ann.id}0` }, why: 'a near-miss member id' }),
  );

function targets(): Target[] {
  return [
    {
      name: 'createMember', method: 'POST', path: () => '/members', ids: null, idempotent: true,
      fields: memberCreateFields, required: ['phone'],
      refused: () => {
        const profile = fc.record({ name: okValue(memberCreateFields.name!), email: okValue(memberCreateFields.email!), birthday: okValue({ t: 'date', nullable: true }) }, { requiredKeys: [] });
        return fc.oneof(
          fc.tuple(fc.constantFrom('+79161234567', '8 916 123-45-67', '8 (916) 123 45 67', '+7 916 123 45 67', '9161234567', '+7-916-123-45-67', '  +79161234567 '), profile)
            .map(([phone, p]) => ({ why: 'the phone is taken', body: { ...p, phone } })),
          fc.tuple(text(1, 39), profile).map(([s, p]) => ({ why: 'not a phone (a letter in it)', body: { ...p, phone: `${s.slice(0, 38)}z` } })),
          fc.tuple(freshPhone(), profile, fc.constantFrom('2030-01-01', '2026-03-11', '1899-12-31', '1000-01-01'))
            .map(([phone, p, birthday]) => ({ why: 'birthday in the future or before 1900', body: { ...p, phone, birthday } })),
          fc.tuple(freshPhone(), profile, fc.constantFrom('no-at-sign', 'a@b', 'a b@c.de', '@example.com', 'ann@', 'a@@b.c'))
            .map(([phone, p, email]) => ({ why: 'not an e-mail', body: { ...p, phone, email } })),
        );
      },
      wouldSucceed: () => freshPhone().map((phone) => ({ phone, name: 'Fuzz' })),
    },
    {
      name: 'recordPurchase', method: 'POST', path: () => '/purchases', ids: null, idempotent: true,
      fields: purchaseFields, required: ['member', 'amount'],
      refused: () => {
        const noise = baseBody({ fields: purchaseFields, required: ['member', 'amount'] });
        const ann = { id: w.ann.id };
        return fc.oneof(
          fc.tuple(noise, noSuchMember()).map(([b, m]) => ({ why: m.why, body: { ...b, member: m.ref } })),
          noise.map((b) => ({ why: 'the receipt was recorded before', body: { ...b, member: ann, externalId: w.purchase.externalId } })),
          fc.tuple(noise, fc.constantFrom('2026-03-11T09:00:00Z', '2027-01-01T00:00:00Z', '2026-03-01T00:00:00Z', '2000-01-01T00:00:00Z', '1970-01-01T00:00:00Z'))
            .map(([b, occurredAt]) => ({ why: 'occurredAt out of the window', body: { ...b, member: ann, occurredAt } })),
          fc.tuple(noise, fc.integer({ min: 10_000_000, max: MAX_POINTS })).map(([b, redeemPoints]) => ({ why: 'more points than the member has', body: { ...b, member: ann, redeemPoints } })),
          fc.tuple(noise, fc.oneof(missingUuid(), text(1, 100))).map(([b, locationId]) => ({ why: 'not a location of this business', body: { ...b, member: ann, locationId } })),
          fc.tuple(noise, missingUuid()).map(([b, locationId]) => ({ why: "a location key recording elsewhere", body: { ...b, locationId }, key: w.locationKey })),
          fc.tuple(noise, fc.integer({ min: 1, max: MAX_AMOUNT }).filter((a) => a !== w.purchase.amount))
            .map(([b, amount]) => ({ why: 'the idempotency key was used with another body', body: { ...b, member: ann, amount }, idem: 'setup-purchase' })),
        );
      },
      wouldSucceed: () => fc.integer({ min: 1, max: 1_000_000 }).map((amount) => ({ member: { id: w.bob.id }, amount })),
    },
    {
      name: 'quotePurchase', method: 'POST', path: () => '/purchases/quote', ids: null, idempotent: false,
      fields: { member: { t: 'member' }, amount: { t: 'int', min: 1, max: MAX_AMOUNT }, redeemPoints: { t: 'redeem' } }, required: ['member', 'amount'],
      refused: () =>
        fc.oneof(
          fc.tuple(noSuchMember(), fc.integer({ min: 1, max: MAX_AMOUNT }), okValue({ t: 'redeem' })).map(([m, amount, redeemPoints]) => ({ why: m.why, body: { member: m.ref, amount, redeemPoints } })),
          fc.tuple(fc.integer({ min: 1, max: MAX_AMOUNT }), fc.integer({ min: 10_000_000, max: MAX_POINTS })).map(([amount, redeemPoints]) => ({ why: 'more points than the member has', body: { member: { id: w.ann.id }, amount, redeemPoints } })),
        ),
      wouldSucceed: () => fc.constant({ member: { id: w.ann.id }, amount: 1000 }),
    },
    {
      name: 'refundPurchase', method: 'POST', path: (id) => `/purchases/${id}/refunds`, ids: 'purchase', idempotent: true,
      fields: { amount: { t: 'int', min: 1, max: MAX_AMOUNT } }, required: [],
      refused: () =>
        fc.oneof(
          fc.integer({ min: w.purchase.amount - w.purchase.refunded + 1, max: MAX_AMOUNT }).map((amount) => ({ why: 'more than is left to refund', id: w.purchase.id, body: { amount } })),
          fc.tuple(fc.oneof(missingUuid(), fc.constant(w.other.purchaseId), text(0, 100)), fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }))
            .map(([id, amount]) => ({ why: 'no such purchase', id, body: amount === undefined ? {} : { amount } })),
        ),
      wouldSucceed: () => fc.constantFrom({}, { amount: 1 }),
    },
    {
      name: 'adjustPoints', method: 'POST', path: (id) => `/members/${id}/adjustments`, ids: 'member', idempotent: true,
      fields: { points: { t: 'int', min: -MAX_POINTS, max: MAX_POINTS, nonZero: true }, reason: { t: 'str', min: 1, max: 500 } }, required: ['points', 'reason'],
      refused: () => {
        const points = fc.integer({ min: -MAX_POINTS, max: MAX_POINTS }).filter((n) => n !== 0);
        const reason = text(1, 500);
        return fc.oneof(
          fc.tuple(fc.oneof(missingUuid(), fc.constant(w.other.memberId), text(0, 100)), points, reason).map(([id, p, r]) => ({ why: 'no such member', id, body: { points: p, reason: r } })),
          // A write-off may hit a blocked member (to correct abuse); an accrual may not.
          fc.tuple(fc.integer({ min: 1, max: MAX_POINTS }), reason).map(([p, r]) => ({ why: 'an accrual for a blocked member', id: w.blocked.id, body: { points: p, reason: r } })),
          fc.tuple(fc.integer({ min: -MAX_POINTS, max: -10_000_000 }), reason).map(([p, r]) => ({ why: 'more points than the member has', id: w.ann.id, body: { points: p, reason: r } })),
          fc.tuple(points.filter((p) => p !== 50), reason).map(([p, r]) => ({ why: 'the idempotency key was used with another body', id: w.bob.id, body: { points: p, reason: r }, idem: 'setup-adjust' })),
        );
      },
      wouldSucceed: () => fc.constant({ points: 1, reason: 'fuzz' }),
    },
    {
      name: 'updateMember', method: 'PATCH', path: (id) => `/members/${id}`, ids: 'member', idempotent: false,
      fields: { name: { t: 'str', min: 0, max: 100, nullable: true }, birthday: { t: 'date', nullable: true }, email: { t: 'str', min: 0, max: 254, nullable: true }, blocked: { t: 'bool' } }, required: [],
      refused: () => {
        const noise = fc.record({ name: okValue({ t: 'str', min: 0, max: 100, nullable: true }), blocked: fc.boolean() }, { requiredKeys: [] });
        return fc.oneof(
          fc.tuple(fc.oneof(missingUuid(), fc.constant(w.other.memberId), text(0, 100)), noise).map(([id, b]) => ({ why: 'no such member', id, body: b })),
          fc.tuple(fc.constantFrom(w.ann.id, w.bob.id, w.blocked.id), noise, fc.constantFrom('2030-01-01', '2026-03-11', '1899-12-31'))
            .map(([id, b, birthday]) => ({ why: 'birthday in the future or before 1900', id, body: { ...b, birthday } })),
          fc.tuple(fc.constantFrom(w.ann.id, w.bob.id, w.blocked.id), noise, fc.constantFrom('no-at-sign', 'a@b', 'a b@c.de', '@example.com'))
            .map(([id, b, email]) => ({ why: 'not an e-mail', id, body: { ...b, email } })),
        );
      },
      wouldSucceed: () => fc.constantFrom({ name: 'Fuzzed' }, { blocked: true }, { email: null }),
    },
    {
      name: 'updateProgram', method: 'PATCH', path: () => '/program', ids: null, idempotent: false,
      fields: {
        pointsName: { t: 'str', min: 1, max: 40 }, currency: { t: 'str', min: 3, max: 3 }, timezone: { t: 'str', min: 1, max: 64 },
        earnPercent: percent, maxRedeemPercent: percent, minPurchaseToEarn: { t: 'int', min: 0 }, welcomeBonus: { t: 'int', min: 0, max: MAX_POINTS },
        pointsLifetimeDays: { t: 'int', min: 1, max: 3650, nullable: true }, activationDelayDays: days, pointValue: { t: 'int', min: 1, max: 1_000_000 },
        tierWindowDays: { t: 'int', min: 1, max: 3650, nullable: true }, lateReceiptWindowDays: days, tiers: { t: 'tiers' },
      },
      required: [],
      refused: () => {
        const noise = fc.record({ pointsName: fc.constantFrom('бонусы', 'pts', '💰'), welcomeBonus: fc.integer({ min: 0, max: 1000 }), earnPercent: fc.constantFrom(0, 2.5, 5, 100) }, { requiredKeys: [] });
        return fc.oneof(
          fc.tuple(noise, fc.integer({ min: 1, max: 3650 }), fc.nat(3650)).map(([b, life, extra]) => ({ why: 'activation not before expiry', body: { ...b, pointsLifetimeDays: life, activationDelayDays: Math.min(3650, life + (extra % (3651 - life))) } })),
          fc.tuple(noise, fc.constantFrom('USD', 'eur', 'KZT')).map(([b, currency]) => ({ why: 'currency change after purchases', body: { ...b, currency } })),
          fc.tuple(noise, fc.constantFrom('Mars/Olympus', 'UTC+3', 'Europe/Moskva', '../../etc/localtime', 'Ж', '+03:00')).map(([b, timezone]) => ({ why: 'not an IANA time zone', body: { ...b, timezone } })),
          fc.tuple(noise, fc.constantFrom('XXY', 'ABC', 'R$1', '   ', '123')).map(([b, currency]) => ({ why: 'not an ISO 4217 currency', body: { ...b, currency } })),
          fc.tuple(noise, fc.constantFrom(5.555, 0.001, 99.999)).map(([b, maxRedeemPercent]) => ({ why: 'a percent with three decimals', body: { ...b, maxRedeemPercent } })),
          fc.tuple(noise, fc.constantFrom(
            [tier, tier], [{ ...tier, name: 'A' }, { ...tier, name: 'B', minTotalSpent: 5 }], [{ ...tier, id: 'not ok' }], [{ ...tier, name: '   ' }],
          )).map(([b, tiers]) => ({ why: 'invalid tiers', body: { ...b, tiers } })),
        );
      },
      wouldSucceed: () => fc.constantFrom({ pointsName: 'fuzz' }, { welcomeBonus: 7 }, { earnPercent: 1.5 }),
    },
    {
      name: 'createWebhook', method: 'POST', path: () => '/webhooks', ids: null, idempotent: true,
      fields: { url: { t: 'str', min: 1, max: 2000 }, events: { t: 'events' } }, required: ['url', 'events'],
      refused: () =>
        fc.oneof(
          fc.tuple(fc.constantFrom('ftp://example.com/x', 'example.com', 'http://', 'javascript:alert(1)', 'http://exa mple.com', 'mailto:a@b.c', 'file:///etc/passwd', '//example.com', 'https://', ' https://example.com', 'data:text/plain,hi'), fc.subarray(EVENTS, { minLength: 1 }))
            .map(([url, events]) => ({ why: 'not an http(s) URL', body: { url, events } })),
          fc.constantFrom(...EVENTS).map((e) => ({ why: 'an event listed twice', body: { url: 'https://example.com/x', events: [e, e] } })),
        ),
      wouldSucceed: () => fc.constant({ url: 'https://example.com/fuzz', events: ['member.created'] }),
    },
    {
      name: 'issueQrToken', method: 'POST', path: (id) => `/members/${id}/qr-token`, ids: 'member', idempotent: false,
      fields: { ttlSeconds: { t: 'int', min: 10, max: 366 * 86_400 } }, required: [],
      refused: () =>
        fc.tuple(fc.oneof(missingUuid(), fc.constant(w.other.memberId), fc.constant(w.blocked.id), text(0, 100)), fc.option(fc.integer({ min: 10, max: 86_400 }), { nil: undefined }))
          .map(([id, ttl]) => ({ why: 'no such member, or blocked', id, body: ttl === undefined ? {} : { ttlSeconds: ttl } })),
      wouldSucceed: () => fc.constant({}),
    },
  ];
}

const existingId = (t: Target) => (t.ids === 'member' ? fc.constantFrom(w.ann.id, w.bob.id, w.blocked.id) : fc.constant(w.purchase.id));
const freshKey = fc.uuid().map((u) => `fuzz-${u}`);
const okHeaders = (key: string, idem: string | null) => ({
  authorization: `Bearer ${key}`,
  'content-type': 'application/json',
  ...(idem === null ? {} : { 'idempotency-key': idem }),
});

/** One field of a valid body made wrong: replaced, given twice (the wrong one last), left out, or an unknown one added. */
function mutated(t: Target): fc.Arbitrary<{ why: string; body: Obj }> {
  const fields = Object.keys(t.fields);
  const known = new Set(fields);
  const unknownKey = fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isAdmin', 'businessId', 'id', 'memberId', 'balance', 'points', 'amount', 'phone', 'Phone', 'AMOUNT', '', ' ', 'member.id', '$where'),
    fc.string({ maxLength: 20 }),
  ).filter((k) => !known.has(k));
  const kinds: fc.Arbitrary<{ why: string; edit: (e: [string, unknown][]) => [string, unknown][] }>[] = [
    fc.constantFrom(...fields).chain((f) => badValue(t.fields[f]!).map((v) => ({ why: `${f} is wrong`, edit: (e: [string, unknown][]) => [...e.filter(([k]) => k !== f), [f, v] as [string, unknown]] }))),
    fc.constantFrom(...fields).chain((f) => badValue(t.fields[f]!).map((v) => ({ why: `${f} twice, the last one wrong`, edit: (e: [string, unknown][]) => [...e, [f, v] as [string, unknown]] }))),
    fc.tuple(unknownKey, fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ isAdmin: true }))).map(([k, v]) => ({ why: `an unknown field ${JSON.stringify(k)}`, edit: (e: [string, unknown][]) => [...e, [k, v] as [string, unknown]] })),
  ];
  if (t.required.length > 0) {
    kinds.push(fc.constantFrom(...t.required).map((f) => ({ why: `${f} missing`, edit: (e: [string, unknown][]) => e.filter(([k]) => k !== f) })));
  }
  return fc.tuple(baseBody(t), fc.oneof(...kinds)).map(([base, k]) => ({ why: k.why, body: new Obj(k.edit(Object.entries(base).filter(([, v]) => v !== undefined))) }));
}

/** Any JSON but a plain object, or an object with a field no schema has. */
const randomJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue().map((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? new Obj([...Object.entries(v), ['x-fuzz-unknown', 1]]) : v)),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.constantFrom<unknown>(null, 0, -0, '', 'null', true, false, [], [{}], [[[]]], new Raw('1e400'), new Raw('-0')),
  fc.integer({ min: 2, max: 5_000 }).map((n) => new Raw('['.repeat(n) + ']'.repeat(n))),
);

// ── the properties ──────────────────────────────────────────────────────────────────────────────────────────────

describe('the Integration API under fuzzing', () => {
  const p1 = RUNS * 2;
  it(`(1) refuses malformed and near-valid JSON bodies on every state-changing endpoint (${p1} requests)`, async () => {
    const all = targets();
    const withId = all.filter((t) => t.ids !== null);
    const arb: fc.Arbitrary<Req> = fc.oneof(
      // A valid shape with one field wrong.
      { weight: 5, arbitrary: fc.constantFrom(...all).chain((t) => fc.tuple(mutated(t), existingId(t), freshKey).map(([m, id, idem]): Req => ({
        why: `${t.name}: ${m.why}`, method: t.method, path: `/api/v1${t.path(id)}`, headers: okHeaders(w.key, t.idempotent ? idem : null), body: toJson(m.body),
      }))) },
      // Random JSON values.
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...all), randomJson, freshKey).chain(([t, v, idem]) => existingId(t).map((id): Req => ({
        why: `${t.name}: not an object with only known fields`, method: t.method, path: `/api/v1${t.path(id)}`, headers: okHeaders(w.key, t.idempotent ? idem : null), body: toJson(v),
      }))) },
      // Schema-valid bodies (with nasty strings wherever they fit) that the use case must refuse.
      { weight: 4, arbitrary: fc.constantFrom(...all).chain((t) => fc.tuple(t.refused(), freshKey).chain(([r, idem]) => existingId(t).map((id): Req => ({
        why: `${t.name}: ${r.why}`, method: t.method, path: `/api/v1${t.path(segment(r.id ?? id))}`, headers: okHeaders(r.key ?? w.key, t.idempotent ? (r.idem ?? idem) : null), body: toJson(r.body),
      })))) },
      // Valid bodies aimed at something that does not exist.
      { weight: 2, arbitrary: fc.constantFrom(...withId).chain((t) => fc.tuple(baseBody(t), fc.oneof(missingUuid(), text(0, 120), fc.constant(w.other.memberId), fc.constant(w.other.purchaseId)), freshKey).map(([b, id, idem]): Req => ({
        why: `${t.name}: no such ${t.ids}`, method: t.method, path: `/api/v1${t.path(segment(id))}`, headers: okHeaders(w.key, t.idempotent ? idem : null), body: toJson(b),
      }))) },
    );
    await fc.assert(fc.asyncProperty(arb, (r) => judge(r, { mustRefuse: true })), params(p1));
  }, timeoutFor(p1));

  const p2 = RUNS / 2;
  it(`(2) refuses bodies that are not JSON, truncated, mislabelled, binary, empty or 2 MB (${Math.round(p2)} requests)`, async () => {
    const all = targets();
    const jsonTypes = ['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'APPLICATION/JSON'];
    const wrongTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json', 'application/jsonx', 'application/javascript', 'application/octet-stream', 'json', '*/*', 'text/html; charset=utf-8', 'application/ json', 'application'];
    /** When the body might be acceptable to this endpoint ({} or nothing), something else must refuse the request. */
    const refuseAnyway = (t: Target, id: string, idem: string): { why: string; id: string; idem: string | null; key: string } => {
      if (t.idempotent) return { why: 'and no Idempotency-Key', id, idem: null, key: w.key };
      if (t.ids !== null) return { why: 'for a member that does not exist', id: '00000000-0000-4000-8000-000000000000', idem, key: w.key };
      return { why: 'with a revoked key', id, idem, key: w.revokedKey };
    };
    const arb: fc.Arbitrary<Req> = fc.tuple(fc.constantFrom(...all), freshKey).chain(([t, idem]) => existingId(t).chain((id) => {
      const idemOf = (o: { idem?: string | null }) => (o.idem === undefined ? idem : o.idem);
      const at = (why: string, type: string | null, body: Body | undefined, o: { id?: string; idem?: string | null; key?: string } = {}): Req => ({
        why: `${t.name}: ${why}`,
        method: t.method,
        path: `/api/v1${t.path(o.id ?? id)}`,
        headers: { authorization: `Bearer ${o.key ?? w.key}`, ...(type === null ? {} : { 'content-type': type }), ...(t.idempotent && idemOf(o) !== null ? { 'idempotency-key': idemOf(o)! } : {}) },
        ...(body === undefined ? {} : { body }),
      });
      const notJson = fc.oneof(
        fc.constantFrom("{'phone':'1'}", '{phone:1}', 'NaN', 'undefined', '[1,]', '{"a":1,}', '"unterminated', '{"a":1}}', '{"a" 1}', '\u0000', '{"a":01}', '{"a":.5}', '{"a":+1}', '{"a":0x10}', "{\"a\":'x'}", '{"a":1}\u0000', '{"\\u":1}', '{"a":"\\x41"}', '<xml/>', 'phone=%2B79161234567', '{"a":Infinity}', '{"a":NaN}', '{}{}', '// {}'),
        // (The server's UTF-8 decoding drops leading byte order marks, as RFC 8259 allows: "\ufeff{}" is JSON to it.)
        fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }).filter((s) => { try { JSON.parse(s); return false; } catch { return !s.startsWith('\ufeff'); } }),
      );
      return fc.oneof(
        fc.tuple(notJson, fc.constantFrom(...jsonTypes)).map(([s, type]) => at('not JSON', type, s)),
        fc.tuple(t.wouldSucceed(), fc.nat(), fc.constantFrom(...jsonTypes)).map(([b, n, type]) => {
          const s = toJson(b);
          return at('truncated JSON', type, s.slice(0, 1 + (n % (s.length - 1))));
        }),
        fc.tuple(t.wouldSucceed(), fc.oneof(fc.constantFrom(...wrongTypes), fc.constant(null))).map(([b, type]) => at(`JSON sent as ${type ?? 'text/plain (fetch default)'}`, type, toJson(b))),
        t.wouldSucceed().map((b) => at('a valid body as bytes without a Content-Type', null, { bytes: [...new TextEncoder().encode(toJson(b))] })),
        fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 4_000 }), fc.constantFrom(...jsonTypes, 'application/octet-stream')).map(([bytes, type]) => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(new TextDecoder().decode(bytes));
          } catch {
            parsed = undefined;
          }
          const risky = parsed !== undefined && type !== 'application/octet-stream' && (parsed === null || (typeof parsed === 'object' && !Array.isArray(parsed)));
          const other = refuseAnyway(t, id, idem);
          return risky ? at(`binary bytes that happen to be JSON ${other.why}`, type, { bytes: [...bytes] }, other) : at('binary bytes', type, { bytes: [...bytes] });
        }),
        fc.constantFrom(...jsonTypes, null).map((type) => {
          const other = refuseAnyway(t, id, idem);
          const emptyOk = !['createMember', 'recordPurchase', 'quotePurchase', 'adjustPoints', 'createWebhook'].includes(t.name);
          return emptyOk ? at(`an empty body ${other.why}`, type, '', other) : at('an empty body', type, '');
        }),
        fc.tuple(fc.constantFrom(2 * 1024 * 1024, 1024 * 1024 + 1), fc.boolean(), fc.constantFrom(...jsonTypes, 'text/plain')).map(([size, streamed, type]) => at(`a body of ${size} bytes${streamed ? ', chunked' : ''}`, type, { size, streamed })),
      );
    }));
    await fc.assert(fc.asyncProperty(arb, (r) => judge(r, { mustRefuse: true })), params(p2));
  }, timeoutFor(p2));

  const p3 = RUNS;
  it(`(3) refuses requests with a missing, malformed, revoked or foreign API key, or a bad Idempotency-Key (${p3} requests)`, async () => {
    const all = targets();
    const secretChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const printable = fc.constantFrom(...Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i)));
    const latin1 = fc.constantFrom(...Array.from({ length: 96 }, (_, i) => String.fromCharCode(0xa0 + i)));
    const badAuth: fc.Arbitrary<{ why: string; header: string | null }> = fc.oneof(
      fc.constant({ why: 'no Authorization', header: null }),
      fc.constantFrom(
        '', 'Bearer', 'Bearer ', 'Basic a2V5OnNlY3JldA==', `Token ${w.key}`, w.key, `Bearer ${w.key} ${w.key}`, `Bearer ${w.key}x`, `Bearer ${w.key.slice(0, -1)}`,
        `Bearer ${w.key.toUpperCase()}`, `Bearer ${w.revokedKey}`, `bearer ${w.revokedKey}`, `Bearer kop_0000000000_${'A'.repeat(32)}`, `Bearer ${w.key},Bearer ${w.key}`,
        `Bearer "${w.key}"`, `Bearer <${w.key}>`, `Bearer ${'x'.repeat(201)}`, 'Bearer null', 'Bearer undefined', `Bearer ${w.key}é`, `Bearer: ${w.key}`, `Bearer=${w.key}`,
        `BearerX ${w.key}`, `Bearer ${w.key.replace('kop_', 'kop-')}`, `Bearer ${w.key.replace(/^kop_/, '')}`, `Bearer ${encodeURIComponent(w.key)}x`, `Bearer ${Buffer.from(w.key).toString('base64')}`,
      ).map((header) => ({ why: `Authorization: ${header.slice(0, 60)}`, header })),
      fc.tuple(fc.nat(), fc.constantFrom(...secretChars)).map(([i, c]) => {
        // One character of the secret changed: the prefix still finds the key, the hash does not match.
        const start = w.key.lastIndexOf('_') + 1;
        const at = start + (i % (w.key.length - start));
        const ch = w.key[at] === c ? (c === 'A' ? 'B' : 'A') : c;
        return { why: 'the key with one secret character changed', header: `Bearer ${w.key.slice(0, at)}${ch}${w.key.slice(at + 1)}` };
      }),
      fc.string({ unit: printable, minLength: 1, maxLength: 300 }).filter((s) => s !== w.key).map((s) => ({ why: 'printable garbage', header: `Bearer ${s}` })),
      fc.string({ unit: fc.oneof(printable, latin1), minLength: 1, maxLength: 300 }).filter((s) => !s.includes(w.key)).map((s) => ({ why: 'garbage', header: s })),
    );
    const badIdem: fc.Arbitrary<{ why: string; value: string | null }> = fc.oneof(
      fc.constantFrom<string | null>(null, '', ' ', '   ').map((value) => ({ why: 'no Idempotency-Key', value })),
      fc.integer({ min: 201, max: 4_000 }).map((n) => ({ why: 'an Idempotency-Key of 201+ characters', value: 'k'.repeat(n) })),
      fc.tuple(fc.string({ unit: printable, maxLength: 50 }), fc.string({ unit: latin1, minLength: 1, maxLength: 5 }), fc.string({ unit: printable, maxLength: 50 }))
        .map(([a, b, c]) => ({ why: 'an Idempotency-Key with non-ASCII characters', value: `${a}${b}${c}` })),
      fc.tuple(fc.string({ unit: printable, minLength: 1, maxLength: 50 }), fc.string({ unit: printable, minLength: 1, maxLength: 50 }))
        .map(([a, b]) => ({ why: 'an Idempotency-Key with a tab in it', value: `${a}\t${b}` })),
    );
    const noise = fc.dictionary(
      fc.oneof(fc.constantFrom('x-forwarded-for', 'x-real-ip', 'x-http-method-override', 'content-encoding', 'accept', 'accept-encoding', 'accept-language', 'cookie', 'origin', 'range', 'if-none-match', 'x-request-id', 'forwarded', 'prefer'), fc.stringMatching(/^x-[a-z0-9-]{1,20}$/)),
      fc.string({ unit: printable, maxLength: 100 }),
      { maxKeys: 4 },
    );
    const reads: { name: string; method: string; path: () => string }[] = [
      { name: 'getProgram', method: 'GET', path: () => '/program' },
      { name: 'findMembers', method: 'GET', path: () => `/members?phone=${encodeURIComponent(w.ann.phone)}` },
      { name: 'getMember', method: 'GET', path: () => `/members/${w.ann.id}` },
      { name: 'listTransactions', method: 'GET', path: () => `/members/${w.ann.id}/transactions?limit=5` },
      { name: 'getPurchase', method: 'GET', path: () => `/purchases/${w.purchase.id}` },
      { name: 'listWebhooks', method: 'GET', path: () => '/webhooks' },
      { name: 'deleteWebhook', method: 'DELETE', path: () => `/webhooks/${w.webhookId}` },
    ];
    const withIdTargets = all.filter((t) => t.ids !== null);
    const arb: fc.Arbitrary<Req> = fc.oneof(
      // A request that would succeed, but for its Authorization.
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...all), badAuth, freshKey, noise).chain(([t, auth, idem, extra]) => fc.tuple(t.wouldSucceed(), existingId(t)).map(([b, id]): Req => ({
        why: `${t.name}: ${auth.why}`, method: t.method, path: `/api/v1${t.path(id === w.blocked.id ? w.bob.id : id)}`,
        headers: { ...extra, 'content-type': 'application/json', ...(auth.header === null ? {} : { authorization: auth.header }), ...(t.idempotent ? { 'idempotency-key': idem } : {}) }, body: toJson(b),
      }))) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...reads), badAuth, noise).map(([r, auth, extra]): Req => ({
        why: `${r.name}: ${auth.why}`, method: r.method, path: `/api/v1${r.path()}`, headers: { ...extra, ...(auth.header === null ? {} : { authorization: auth.header }) },
      })) },
      // A request that would succeed, but for its Idempotency-Key.
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...all.filter((t) => t.idempotent)), badIdem, noise).chain(([t, idem, extra]) => fc.tuple(t.wouldSucceed(), existingId(t)).map(([b, id]): Req => ({
        why: `${t.name}: ${idem.why}`, method: t.method, path: `/api/v1${t.path(id === w.blocked.id ? w.bob.id : id)}`,
        headers: { ...extra, authorization: `Bearer ${w.key}`, 'content-type': 'application/json', ...(idem.value === null ? {} : { 'idempotency-key': idem.value }) }, body: toJson(b),
      }))) },
      // Another business's valid key, aimed at this business's members and purchases.
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...withIdTargets), freshKey).chain(([t, idem]) => fc.tuple(t.wouldSucceed(), existingId(t)).map(([b, id]): Req => ({
        why: `${t.name}: another business's key`, method: t.method, path: `/api/v1${t.path(id)}`, headers: okHeaders(w.otherKey, t.idempotent ? idem : null), body: toJson(b),
      }))) },
    );
    await fc.assert(fc.asyncProperty(arb, (r) => judge(r, { mustRefuse: true })), params(p3));
  }, timeoutFor(p3));

  const p4 = RUNS * 1.5;
  it(`(4) answers random paths, methods and queries, inside /api/v1 and out, without a 5xx (${Math.round(p4)} requests)`, async () => {
    const words = ['members', 'purchases', 'quote', 'refunds', 'adjustments', 'transactions', 'qr-token', 'webhooks', 'program', 'openapi.json', 'test-clock', 'docs', 'healthz', 'api', 'v1'];
    const weird = [
      '..', '.', '%2e%2e', '%2E%2E%2F', '%2F', '%252F', '%00', '%', '%E0%A4%A', '%ZZ', '%C0%AF', '%ED%A0%80', '%FF', '%u002F', ';', ';jsessionid=1', '~', '*', '!', "'", '$', '@',
      ':memberId', '{memberId}', '%5C', '%C3%A9', '%E9', '%F0%9F%92%A9', encodeURIComponent('Жёлудь'), encodeURIComponent('💩'), '#frag', 'a#b', 'null', 'undefined', '__proto__', 'constructor',
    ];
    const seg = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...words) },
      { weight: 2, arbitrary: fc.constantFrom(w.ann.id, w.bob.id, w.blocked.id, w.purchase.id, w.other.memberId, w.ann.id.toUpperCase()) },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 3, arbitrary: fc.constantFrom(...weird) },
      { weight: 1, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.integer({ min: 100, max: 6_000 }).map((n) => 'a'.repeat(n)) },
      { weight: 2, arbitrary: nasty.map(segment) },
    );
    const prefix = fc.constantFrom('/api/v1', '/api/v1', '/api/v1', '/api/v1/', '/api/v2', '/api', '', '/API/V1', '//api/v1', '/api/v1/../v1', '/api//v1', '/api/v1%2F', '/%61pi/v1', '/api/v1/./', '/api/v1;x', '/./api/v1');
    const query = fc.oneof(
      { weight: 3, arbitrary: fc.constant('') },
      { weight: 3, arbitrary: fc.constantFrom(
        '?phone=1&phone=2', `?phone=${encodeURIComponent(w.ann.phone)}&phone=2`, '?phone[]=1', '?phone[0]=x', '?limit=-1', '?limit=1e3', '?limit=999', '?limit=0', '?limit=1.5', '?cursor=%00',
        '?q=%', '?q=%25', `?q=${'a'.repeat(101)}`, '?__proto__[x]=1', '?constructor[prototype][x]=1', '?a=1&a=2&a=3', '?=', '?&&&', '?%', '?card=0000000000', '?last4=%00%00%00%00',
        '?q=%00', `?q=${encodeURIComponent("' OR 1=1 --")}`, '?last4=12345678901', '?phone=&card=', `?cursor=${'x'.repeat(300)}`, '?cursor=eyJ9', '?limit=5&limit=6', '?q=%E0%A4%A', '??', '?#',
      ) },
      { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('phone', 'card', 'last4', 'q', 'limit', 'cursor', 'x'), nasty), { minLength: 1, maxLength: 3 }).map((kv) => `?${kv.map(([k, v]) => `${k}=${segment(v)}`).join('&')}`) },
    );
    const method = fc.constantFrom('GET', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH', 'PURGE', 'MKCOL', 'LOCK');
    const auth = fc.constantFrom<string | null>(`Bearer ${w.key}`, `Bearer ${w.key}`, null, `Bearer ${w.revokedKey}`, 'Bearer x');
    // The documented routes with their parameters replaced, and a suffix sometimes: near misses of real requests.
    const nearRoute = fc.tuple(fc.constantFrom(...templates.map((t) => t.path)), seg, fc.option(seg, { nil: undefined }))
      .map(([tpl, s, extra]) => `${tpl.replace(/\{[^}]+\}/g, s)}${extra === undefined ? '' : `/${extra}`}`);
    const randomPath = fc.tuple(prefix, fc.array(seg, { minLength: 0, maxLength: 5 }))
      .map(([pre, segs]) => `${pre}${segs.length > 0 && !pre.endsWith('/') ? '/' : ''}${segs.join('/')}`);
    const randomRequest = fc.tuple(method, fc.oneof(randomPath, nearRoute), query, auth).map(([m, p, q, a]): Req => {
      const path = `${p}${q}`;
      const headers: Record<string, string> = a === null ? {} : { authorization: a };
      // Never an Idempotency-Key, and any body carries a field no schema has: whatever route this reaches, it must not write.
      const withBody = ['POST', 'PUT', 'PATCH'].includes(m);
      if (withBody) headers['content-type'] = 'application/json';
      return { why: 'a random request', method: m, path: path.startsWith('/') ? path : `/${path}`, headers, ...(withBody ? { body: '{"x-fuzz-unknown":1}' } : {}) };
    });
    // The read endpoints with a valid key and fuzzed query strings: repeated keys, bracket syntax, nasty values.
    const queryValue = fc.oneof(nasty, fc.stringMatching(/^[0-9+() -]{0,20}$/), fc.constantFrom(w.ann.phone, w.ann.card, w.ann.phone.slice(-4), 'Ann', '20', '100', '101', '0', '-1'));
    const queryKey = fc.constantFrom('phone', 'card', 'last4', 'q', 'limit', 'cursor', 'phone[]', 'q[0]', 'limit[x]', '__proto__', 'constructor', 'x', '');
    const readRoute = fc.constantFrom('/api/v1/members', '/api/v1/members', `/api/v1/members/${w.ann.id}/transactions`, `/api/v1/members/${w.bob.id}/transactions`, '/api/v1/program', '/api/v1/webhooks', `/api/v1/purchases/${w.purchase.id}`, `/api/v1/members/${w.ann.id}`);
    const fuzzedRead = fc.tuple(fc.constantFrom('GET', 'GET', 'GET', 'HEAD'), readRoute, fc.array(fc.tuple(queryKey, queryValue), { minLength: 0, maxLength: 4 }))
      .map(([m, route, kv]): Req => ({
        why: 'a read with a fuzzed query', method: m, path: `${route}${kv.length > 0 ? '?' : ''}${kv.map(([k, v]) => `${segment(k)}=${segment(v)}`).join('&')}`, headers: { authorization: `Bearer ${w.key}` },
      }));
    const arb: fc.Arbitrary<Req> = fc.oneof({ weight: 3, arbitrary: randomRequest }, { weight: 2, arbitrary: fuzzedRead });
    await fc.assert(fc.asyncProperty(arb, (r) => judge(r, { mustRefuse: false, raw: true })), params(p4));
  }, timeoutFor(p4));

  it('leaves the database exactly as it was, and every answer as documented', async () => {
    expect(changedTables(baseline, await snapshot())).toEqual([]);
    expect(h.checked.failures).toEqual([]);
    expect(sent).toBeGreaterThan(0);
  });
});
