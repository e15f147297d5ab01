// A real HTTP server on the test database, a typed client per business, and a check of every response against
// the OpenAPI document the server itself serves.
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { createBusiness } from '../../src/app/createBusiness.js';
import type { ChannelTestSend } from '../../src/app/notificationChannels.js';
import { createClient, type KopilkaClient } from '../../src/client/index.js';
import { createLogger, silentLogger } from '../../src/config/logger.js';
import type { Program } from '../../src/core/index.js';
import { createHttpApp, startHttpServer, type HttpDeps } from '../../src/http/server.js';
import { createTestClocks, expiryJob, type SteppedJob } from '../../src/jobs/testClock.js';
import type { TestClocks } from '../../src/app/testClocks.js';
import { freePort } from '../../src/store/embedded/freePort.js';
import { testClockStore } from '../../src/store/testClocks.js';
import { openTestDatabase, type TestDatabase } from './testDatabase.js';

type Json = Record<string, any>;

export interface ApiHarness {
  t: TestDatabase;
  url: string;
  /** A new business and a client with its API key. */
  business(program?: Partial<Program>): Promise<{ id: string; apiKey: string; api: KopilkaClient }>;
  client(apiKey: string): KopilkaClient;
  /** fetch that checks the answer against the served OpenAPI document. */
  fetch: typeof fetch;
  /** Responses checked so far, and every mismatch found. */
  checked: { count: number; failures: string[] };
  /** Card sign-in codes the server "sent" (the stand-in for the member's channel). */
  sentCodes: { businessId: string; memberId: string; code: string; link: string | null }[];
  /** Redemption confirmation codes "sent" to members, and limit alerts "sent" to owners. */
  redeemCodes: { businessId: string; memberId: string; code: string }[];
  alerts: { businessId: string; staffId: string; limit: string; action: string }[];
  close(): Promise<void>;
}

export const CARD_LINK_BASE = 'https://card.test/card/';

/** More to run beside the server on its database (the notifications engine): its stepped jobs, and its stop. */
export interface ApiExtras {
  jobs?: SteppedJob[];
  /** Told the test clocks once they exist (null without --test-clock). */
  clocks?: (clocks: TestClocks | null) => void;
  close?: () => Promise<void>;
  /** Sends the API's test messages through VK, SMS and e-mail channels (POST /notification-channels/:channel/test). */
  channelTest?: ChannelTestSend;
  /** The VK communities' replies and staff notices for /vk/callback/<secret>. */
  vk?: HttpDeps['vk'];
  /** The Telegram check (getMe) for the set-up wizard and PUT /bots/{role}. */
  setup?: HttpDeps['setup'];
  /** Backups for /api/v1/backups (without: 404 backups_unavailable). */
  backups?: NonNullable<HttpDeps['api']>['backups'];
}

export async function startApi(opts: { setup?: (t: TestDatabase) => Promise<ApiExtras>; rateLimit?: number; testClock?: boolean; authCacheMs?: number; rateClock?: () => number; /** serve the built card app at /card/, the cashier screen at /cashier/ and the admin panel at /admin/ */ cardApp?: boolean } = {}): Promise<ApiHarness> {
  const t = await openTestDatabase();
  const extras = (await opts.setup?.(t)) ?? {};
  const testClocks = opts.testClock ? await createTestClocks(t.deps, testClockStore(t.db), { jobs: [expiryJob, ...(extras.jobs ?? [])] }) : null;
  extras.clocks?.(testClocks);
  // KOPILKA_TEST_LOG=1 shows the server's errors.
  const log = process.env.KOPILKA_TEST_LOG ? createLogger('error') : silentLogger;
  const sentCodes: ApiHarness['sentCodes'] = [];
  const card = { codes: { send: async (to: { businessId: string; member: { id: string } }, m: { code: string; link: string | null }) => void sentCodes.push({ businessId: to.businessId, memberId: to.member.id, code: m.code, link: m.link }) }, linkBase: CARD_LINK_BASE, rateClock: () => t.clock.now().getTime() };
  const redeemCodes: ApiHarness['redeemCodes'] = [];
  const alerts: ApiHarness['alerts'] = [];
  const staff = {
    cashierBase: 'https://shop.test/cashier/',
    rateClock: () => t.clock.now().getTime(),
    till: {
      codes: { send: async (to: { businessId: string; member: { id: string } }, m: { code: string }) => void redeemCodes.push({ businessId: to.businessId, memberId: to.member.id, code: m.code }) },
      alerts: { limitExceeded: async (businessId: string, s: { id: string }, b: { limit: string; action: string }) => void alerts.push({ businessId, staffId: s.id, limit: b.limit, action: b.action }) },
    },
  };
  const cardApp = opts.cardApp ? { distDir: path.resolve(import.meta.dirname, '../../web/card/dist') } : undefined;
  const cashierApp = opts.cardApp ? { distDir: path.resolve(import.meta.dirname, '../../web/cashier/dist') } : undefined;
  const adminApp = opts.cardApp ? { distDir: path.resolve(import.meta.dirname, '../../web/admin/dist') } : undefined;
  const app = createHttpApp({ app: t.deps, db: t.db, log, card, staff, ...(cardApp ? { cardApp } : {}), ...(cashierApp ? { cashierApp } : {}), ...(adminApp ? { adminApp } : {}), ...(extras.vk ? { vk: extras.vk } : {}), ...(extras.setup ? { setup: extras.setup } : {}), api: { rateLimit: opts.rateLimit ?? 10_000, testClocks, authCacheMs: opts.authCacheMs ?? 0, ...(opts.rateClock ? { rateClock: opts.rateClock } : {}), ...(extras.channelTest ? { channelTest: extras.channelTest } : {}), ...(extras.backups ? { backups: extras.backups } : {}) } });
  const server = await startHttpServer(app, { host: '127.0.0.1', port: await freePort() });
  const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as Json;
  const checker = openApiChecker(doc);
  const checked = { count: 0, failures: [] as string[] };

  const checkingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? 'GET').toLowerCase();
    const text = await res.clone().text();
    const problem = checker(method, url.pathname, res.status, res.headers.get('content-type'), text);
    checked.count += 1;
    if (problem) checked.failures.push(`${method.toUpperCase()} ${url.pathname} → ${res.status}: ${problem}`);
    return res;
  };
  const client = (apiKey: string) => createClient({ baseUrl: server.url, apiKey, fetch: checkingFetch, retries: 0 });
  return {
    t,
    url: server.url,
    fetch: checkingFetch,
    checked,
    sentCodes,
    redeemCodes,
    alerts,
    client,
    async business(program = {}) {
      const { business, apiKey } = await createBusiness(t.deps, { name: 'API test shop', program });
      return { id: business.id, apiKey, api: client(apiKey) };
    },
    async close() {
      await server.close();
      await extras.close?.();
      await t.close();
    },
  };
}

/** Validates a response against the operation's documented responses; returns what is wrong, or null. */
export function openApiChecker(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: doc.components }, 'openapi.json');
  const cache = new Map<string, ValidateFunction>();
  const compile = (schema: Json): ValidateFunction => {
    const key = JSON.stringify(schema);
    let v = cache.get(key);
    if (!v) {
      // Component refs point into the document registered above.
      const rewritten = JSON.parse(key.replace(/"#\/components\//g, '"openapi.json#/components/')) as Json;
      v = ajv.compile(rewritten);
      cache.set(key, v);
    }
    return v;
  };
  const templates = Object.keys(doc.paths as Json).map((p) => ({ p, re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));

  return (method: string, path: string, status: number, contentType: string | null, text: string): string | null => {
    // The first path template that matches and has this method (e.g. /purchases/quote before /purchases/{id}).
    const template = templates.find((x) => x.re.test(path) && (doc.paths[x.p] as Json)[method]) ?? templates.find((x) => x.re.test(path));
    const op = template ? (doc.paths[template.p] as Json)[method] : undefined;
    if (!op) return status === 404 || status === 405 ? null : 'undocumented operation';
    const res = (op.responses as Json)[String(status)] ?? (op.responses as Json).default;
    if (!res) return `status ${status} is not documented`;
    if (!res.content) return text === '' ? null : 'a body where none is documented';
    const [mediaType, media] = Object.entries(res.content as Json)[0] as [string, Json];
    if (!contentType?.startsWith(mediaType)) return `content-type ${contentType}, documented ${mediaType}`;
    if (!/json/.test(mediaType)) return null; // a file (an export): its type is what can be checked here
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return 'body is not JSON';
    }
    const validate = compile(media.schema as Json);
    return validate(body) ? null : ajv.errorsText(validate.errors);
  };
}

/** The error a client call failed with (KopilkaError), for asserting on status and code. */
export async function failure(p: Promise<unknown>): Promise<{ status: number; code: string; problem: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status?: number; code?: string; problem?: Record<string, unknown> };
    if (typeof err.status === 'number' && typeof err.code === 'string') return { status: err.status, code: err.code, problem: err.problem ?? {} };
    throw e;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

/**
 * Starts the API for the test file (beforeAll) and, when the file is done, checks that every response matched the
 * served OpenAPI document, then stops it (afterAll).
 */
export function useApi(opts: Parameters<typeof startApi>[0] = {}): ApiHarness {
  let harness: ApiHarness | undefined;
  beforeAll(async () => {
    harness = await startApi(opts);
  });
  afterAll(async () => {
    if (!harness) return;
    try {
      expect(harness.checked.failures).toEqual([]);
      expect(harness.checked.count).toBeGreaterThan(0);
    } finally {
      await harness.close();
    }
  });
  return new Proxy({} as ApiHarness, {
    get(_, key) {
      if (!harness) throw new Error('the API server starts in beforeAll');
      return harness[key as keyof ApiHarness];
    },
  });
}
