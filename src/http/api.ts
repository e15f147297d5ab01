// The integration API under /api/v1: authentication, rate limits, the routes, the OpenAPI document and its page.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getConnInfo } from '@hono/node-server/conninfo';
import { getCookie } from 'hono/cookie';
import type { AppDeps } from '../app/deps.js';
import type { Logger } from '../config/logger.js';
import type { TestClocks } from '../app/testClocks.js';
import { apiKeyAuthenticator } from './auth.js';
import { apiDocsHtml } from './docsPage.js';
import type { ApiEnv, Caller } from './env.js';
import { SESSION_COOKIE, cookieCaller } from './adminSession.js';
import { HttpError, errorResponse, toProblem } from './errors.js';
import { memberRoutes } from './api/members.js';
import { programRoutes } from './api/program.js';
import { businessRoutes } from './api/business.js';
import { purchaseRoutes } from './api/purchases.js';
import { testClockRoutes } from './api/testClock.js';
import { webhookRoutes } from './api/webhooks.js';
import { notificationChannelRoutes } from './api/notificationChannels.js';
import type { ChannelTestSend } from '../app/notificationChannels.js';
import type { StaffAlerts } from '../app/till.js';
import { broadcastRoutes } from './api/broadcasts.js';
import { dataRoutes } from './api/dataExchange.js';
import { adminReadRoutes } from './api/adminReads.js';
import { chatRoutes } from './api/chats.js';
import { memberActionRoutes } from './api/memberActions.js';
import { posterRoutes } from './api/poster.js';
import { teamRoutes } from './api/team.js';
import { backupRoutes } from './api/backups.js';
import { revenueRoutes } from './api/revenue.js';
import type { BackupDeps } from '../app/backups.js';
import type { TelegramGateway } from '../core/index.js';
import { openApiDocument } from './openapi.js';
import { tokenBucket } from './rateLimit.js';
import type { ApiRouter } from './route.js';

export interface ApiOptions {
  deps: AppDeps;
  log: Logger;
  /** Requests per second per API key. */
  rateLimit: number;
  /** Milliseconds for the rate limiter (tests freeze it); default: performance.now. */
  rateClock?: () => number;
  /** How long a verified key is trusted without asking the database again (a revoked key stops within this). */
  authCacheMs?: number;
  /** Present only when the server runs with --test-clock. */
  testClocks?: TestClocks | null;
  version?: string;
  /** Sends a test message through a business's VK, SMS or e-mail channel; without it the test endpoint answers 404. */
  channelTest?: ChannelTestSend | null;
  /** Owners' alerts when a signed-in staff member goes over a limit; default: a warning in the log. */
  staffAlerts?: StaffAlerts;
  /** The card app's public address for the poster's sign-up link; default: this server's /card/. */
  cardLinkBase?: string | null;
  /** Checks bot tokens (getMe) for PUT /bots/{role}; without it that answers telegram_unavailable. */
  telegram?: TelegramGateway | null;
  /** The cashier screen's address for invitation links; default /cashier/. */
  cashierBase?: string;
  /** Backups on demand (POST /backups …); without it those answer 404 backups_unavailable. */
  backups?: BackupDeps | null;
}

const MAX_BODY_BYTES = 1024 * 1024;
const IMPORT_BODY_BYTES = 28 * 1024 * 1024;
const FAILED_AUTH_PER_SECOND = 10;

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Mounts the API on `http` (paths /api/v1/… and /api/docs). */
export function mountApi(http: Hono, o: ApiOptions): ApiRouter {
  const hono = new Hono<ApiEnv>();
  const auth = apiKeyAuthenticator(o.deps, o.authCacheMs ?? 5_000);
  const perKey = tokenBucket(o.rateLimit, o.rateClock);
  const failures = tokenBucket(FAILED_AUTH_PER_SECOND, o.rateClock);
  const clocks = o.testClocks ?? null;

  const router: ApiRouter = {
    hono,
    specs: [],
    staffAlerts: o.staffAlerts ?? { limitExceeded: async (_, staff, b) => o.log.warn(`staff ${staff.id} over the ${b.limit} limit (${b.action})`) },
    async guard(c) {
      const authorization = c.req.header('authorization');
      // No API key but the admin panel's session cookie: a signed-in staff member (CSRF checked on writes).
      const caller: Caller | null = authorization === undefined && getCookie(c, SESSION_COOKIE) !== undefined ? await cookieCaller(o.deps, c) : await auth.authenticate(authorization);
      if (!caller) {
        const wait = failures.take(clientAddress(c));
        if (wait !== null) throw new HttpError(429, 'rate_limited', 'Too many failed sign-ins; wait and retry', {}, { 'Retry-After': String(wait) });
        throw new HttpError(401, 'unauthorized', 'Send a valid API key as Authorization: Bearer <key>, or sign in to the admin panel again', {}, { 'WWW-Authenticate': 'Bearer realm="kopilka"' });
      }
      const wait = perKey.take(caller.keyId);
      if (wait !== null) throw new HttpError(429, 'rate_limited', `More than ${o.rateLimit} requests per second with this key; retry after ${wait} s`, {}, { 'Retry-After': String(wait) });
      c.set('caller', caller);
      c.set('deps', clocks ? { ...o.deps, clock: clocks.clockFor(caller.businessId) } : o.deps);
    },
  };

  const tooLarge = () => {
    throw new HttpError(413, 'payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes`, {}, { Connection: 'close' });
  };
  const streamedLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  // With a Content-Length the header decides, and the body is later read straight from Node's stream; hono's
  // bodyLimit would build a WHATWG Request for every request (about a tenth of the server's CPU per purchase).
  // An import carries its file (base64, up to 20 MB of file): the one body allowed to be bigger (its inspect too).
  const importLimit = bodyLimit({ maxSize: IMPORT_BODY_BYTES, onError: () => { throw new HttpError(413, 'payload_too_large', `The import is larger than ${IMPORT_BODY_BYTES} bytes`, {}, { Connection: 'close' }); } });
  hono.use('*', async (c, next) => {
    if (c.req.path === '/api/v1/imports' || c.req.path === '/api/v1/imports/inspect') return importLimit(c, next);
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (!/^\d+$/.test(length) || Number(length) > MAX_BODY_BYTES) tooLarge();
      return next();
    }
    return streamedLimit(c, next);
  });
  programRoutes(router);
  businessRoutes(router);
  memberRoutes(router);
  purchaseRoutes(router);
  webhookRoutes(router);
  notificationChannelRoutes(router, o.channelTest ?? null);
  broadcastRoutes(router);
  dataRoutes(router);
  adminReadRoutes(router);
  chatRoutes(router);
  memberActionRoutes(router);
  posterRoutes(router, o.cardLinkBase ?? null);
  teamRoutes(router, { telegram: o.telegram ?? null, cashierBase: o.cashierBase ?? '/cashier/' });
  backupRoutes(router, o.backups ?? null);
  revenueRoutes(router);
  if (clocks) testClockRoutes(router, clocks);

  let document: Record<string, unknown> | null = null;
  hono.get('/openapi.json', (c) => {
    document ??= openApiDocument(router.specs, { version: o.version ?? '1' });
    return c.json(document);
  });

  // Last: a path the API has, asked with another method, is 405 with Allow; anything else 404.
  const patterns = router.specs.map((r) => ({ re: new RegExp(`^/api/v1${r.path.replace(/:[A-Za-z]+/g, '[^/]+')}/?$`), method: r.method.toUpperCase() }));
  hono.all('*', (c) => {
    const allowed = [...new Set(patterns.filter((p) => p.re.test(c.req.path)).map((p) => p.method))];
    if (c.req.path === '/api/v1/openapi.json') allowed.push('GET');
    if (allowed.length > 0) {
      return errorResponse(c, 405, 'method_not_allowed', `${c.req.method} is not allowed here; use ${allowed.join(', ')}`, {}, { Allow: allowed.join(', ') });
    }
    return errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`);
  });
  hono.onError((err, c) => {
    const known = toProblem(c, err);
    if (known) return known;
    o.log.error(`${c.req.method} ${c.req.path} failed: ${err.stack ?? err.message}`);
    return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side; the request may be retried with the same Idempotency-Key');
  });

  http.route('/api/v1', hono);
  const page = apiDocsHtml({ specUrl: '/api/v1/openapi.json', title: 'Kopilka Integration API' });
  http.get('/api/docs', (c) => c.html(page));
  return router;
}
