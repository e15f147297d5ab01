// The first-run wizard's API (/api/setup: status, a live bot token check, the set-up itself, which signs the owner
// in) and the platform operator's (/api/operator: sign-in, the businesses with their health, a new business with
// its owner's invitation). Neither is part of /api/v1: an operator's cookie opens no business's API.
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppDeps } from '../app/deps.js';
import { authenticateOperator, endOperatorSession, lastInstanceBackup, listBusinessHealth, operatorCreateBusiness, signInOperator } from '../app/operators.js';
import { checkSetupBot, completeSetup, setupStatus } from '../app/setup.js';
import type { Logger } from '../config/logger.js';
import type { TelegramGateway } from '../core/index.js';
import { CSRF_COOKIE, checkCsrf, isHttps, ownOrigin, setSessionCookies } from './adminSession.js';
import { HttpError, errorResponse, toProblem } from './errors.js';
import { failureGate, tokenBucket } from './rateLimit.js';
import { jsonBody } from './jsonBody.js';

export const OPERATOR_COOKIE = 'kopilka_operator';

export interface SetupApiOptions {
  deps: AppDeps;
  log: Logger;
  /** Checks bot tokens with getMe; null: Telegram is out of reach, tokens are kept and connected later. */
  telegram?: TelegramGateway | null;
  /** The public address for the links in answers (cashier, card, invitations); default: the request's origin. */
  publicUrl?: string | null;
  /** Milliseconds for the per-address limit (tests use the test clock); default performance.now. */
  rateClock?: () => number;
}

const text = (max: number) => z.string().max(max);
const percent = z.union([z.number(), z.string().max(10)]);
const SetupBody = z.strictObject({
  token: text(100),
  business: z.strictObject({ name: text(300), logoUrl: z.string().max(200_000).nullish(), address: text(1000).nullish(), timezone: text(100), currency: text(10), accentColor: text(20).nullish(), cardColor: text(20).nullish(), cardTextColor: text(20).nullish() }),
  program: z.strictObject({
    pointsName: text(100),
    earnPercent: percent,
    maxRedeemPercent: percent,
    welcomeBonus: z.number(),
    pointsLifetimeDays: z.number().nullable(),
    expiryReminderDays: z.array(z.number()).max(10),
  }),
  bots: z.strictObject({ customer: text(200).nullish(), staff: text(200).nullish() }).optional(),
  owner: z.strictObject({ name: text(300), email: text(300), password: text(300) }),
});
const CheckBotBody = z.strictObject({ setupToken: text(100), token: text(200), role: z.enum(['customer', 'staff']) });
const SignIn = z.strictObject({ email: text(254), password: text(200) });
const NewBusiness = z.strictObject({ name: text(300), timezone: text(100).optional(), currency: text(10).optional(), ownerName: text(300) });

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function errors(api: Hono, log: Logger): void {
  api.notFound((c) => errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`));
  api.onError((err, c) => {
    const known = toProblem(c, err);
    if (known) return known;
    log.error(`${c.req.method} ${c.req.path} failed: ${err.stack ?? err.message}`);
    return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side');
  });
}

const baseOf = (o: SetupApiOptions, c: Context) => (o.publicUrl ?? ownOrigin(c)).replace(/\/+$/, '');

export function mountSetupApi(http: Hono, o: SetupApiOptions): void {
  const api = new Hono();
  // Per address: the wizard needs a handful of calls; guessing set-up links gets nowhere.
  const perAddress = tokenBucket(0.2, o.rateClock, 30);
  api.use('*', async (c, next) => {
    const wait = perAddress.take(clientAddress(c));
    if (wait !== null) throw new HttpError(429, 'rate_limited', 'Too many set-up requests from this address; wait and retry', {}, { 'Retry-After': String(wait) });
    c.header('Cache-Control', 'no-store');
    await next();
  });

  api.get('/status', async (c) => c.json(await setupStatus(o.deps, c.req.query('token'))));

  api.post('/check-bot', async (c) => {
    const body = await jsonBody(c, CheckBotBody);
    return c.json({ role: body.role, ...(await checkSetupBot(o.deps, o.telegram ?? null, body)) });
  });

  api.post('/', async (c) => {
    const body = await jsonBody(c, SetupBody);
    const r = await completeSetup(o.deps, o.telegram ?? null, { ...body, device: c.req.header('user-agent')?.slice(0, 200) ?? null });
    setSessionCookies(c, r.session, o.deps.clock.now());
    const base = baseOf(o, c);
    const botLinks = Object.fromEntries(r.bots.flatMap((b) => (b.status === 'connected' ? [[b.role, b.link]] : [])));
    return c.json(
      {
        businessId: r.businessId,
        ownerId: r.ownerId,
        adminUrl: `${base}/admin/`,
        cashierUrl: `${base}/cashier/?b=${r.businessId}`,
        cardUrl: `${base}/card/?b=${r.businessId}`,
        posterUrls: { png: `${base}/api/v1/poster.png`, pdf: `${base}/api/v1/poster.pdf` },
        botLinks,
        bots: r.bots,
      },
      201,
    );
  });
  errors(api, o.log);
  http.route('/api/setup', api);
}

export function mountOperatorApi(http: Hono, o: SetupApiOptions): void {
  const api = new Hono();
  // Failed sign-ins per address: once over, refused before the password is checked.
  const failures = failureGate(1, 10, o.rateClock);
  const cookie = { path: '/api/operator', httpOnly: true, sameSite: 'Strict' as const };

  const operatorOf = async (c: Context) => {
    const op = await authenticateOperator(o.deps, getCookie(c, OPERATOR_COOKIE));
    if (!op) throw new HttpError(401, 'unauthorized', 'Sign in as the platform operator (POST /api/operator/session)');
    checkCsrf(c);
    return op;
  };

  api.post('/session', async (c) => {
    const address = clientAddress(c);
    const body = await jsonBody(c, SignIn);
    const wait = failures.wait(address);
    if (wait !== null) throw new HttpError(429, 'rate_limited', 'Too many failed sign-ins; wait and retry', {}, { 'Retry-After': String(wait) });
    let session;
    try {
      session = await signInOperator(o.deps, body);
    } catch (e) {
      failures.fail(address);
      throw e;
    }
    const maxAge = Math.max(0, Math.floor((Date.parse(session.expiresAt) - o.deps.clock.now().getTime()) / 1000));
    const secure = isHttps(c);
    setCookie(c, OPERATOR_COOKIE, session.sessionToken, { ...cookie, secure, maxAge });
    setCookie(c, CSRF_COOKIE, randomBytes(32).toString('base64url'), { path: '/', sameSite: 'Strict', secure, maxAge });
    c.header('Cache-Control', 'no-store');
    return c.body(null, 204);
  });

  api.get('/session', async (c) => c.json(await operatorOf(c)));

  api.delete('/session', async (c) => {
    const token = getCookie(c, OPERATOR_COOKIE);
    if (token !== undefined) {
      checkCsrf(c);
      await endOperatorSession(o.deps, token);
    }
    deleteCookie(c, OPERATOR_COOKIE, { ...cookie, secure: isHttps(c) });
    return c.body(null, 204);
  });

  api.get('/businesses', async (c) => {
    await operatorOf(c);
    c.header('Cache-Control', 'no-store');
    return c.json({ businesses: await listBusinessHealth(o.deps), lastBackup: await lastInstanceBackup(o.deps) });
  });

  api.post('/businesses', async (c) => {
    await operatorOf(c);
    const body = await jsonBody(c, NewBusiness);
    const r = await operatorCreateBusiness(o.deps, body);
    const base = baseOf(o, c);
    const inviteUrl = `${base}/cashier/?b=${r.businessId}#invite=${r.invite.token}`;
    // The owner accepts on the cashier screen (name, e-mail, password), then signs in to the panel at adminUrl.
    return c.json({ businessId: r.businessId, name: r.name, ownerInvitation: { url: inviteUrl, expiresAt: r.invite.expiresAt }, adminUrl: `${base}/admin/?b=${r.businessId}` }, 201);
  });
  errors(api, o.log);
  http.route('/api/operator', api);
}
