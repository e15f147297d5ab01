// The card app's own API (/api/card): sign in without a password (Telegram initData or a one-time link), then read
// the card. Not part of the published integration contract; the card front end is its only client.
import { Hono } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { authenticateCardSession, signInWithTelegram, signInWithToken } from '../app/cardSessions.js';
import { cardView } from '../app/cardView.js';
import type { AppDeps } from '../app/deps.js';
import { listTransactions } from '../app/listTransactions.js';
import type { Logger } from '../config/logger.js';
import { HttpError, errorResponse, toProblem } from './errors.js';
import { tokenBucket } from './rateLimit.js';
import { issuesOf } from './route.js';

const SignIn = z.union([
  z.strictObject({ signInToken: z.string().min(1).max(100) }),
  z.strictObject({ botId: z.string().min(1).max(100), initData: z.string().min(1).max(8192) }),
]);

const FAILED_SIGN_INS_PER_SECOND = 5;

export function mountCardApi(http: Hono, o: { deps: AppDeps; log: Logger }): void {
  const card = new Hono();
  const failures = tokenBucket(FAILED_SIGN_INS_PER_SECOND);
  const address = (c: Parameters<typeof getConnInfo>[0]) => {
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };
  const session = async (header: string | undefined) => {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? '';
    const s = await authenticateCardSession(o.deps, token);
    if (!s) throw new HttpError(401, 'unauthorized', 'Sign in again: the session is missing or has expired');
    return s;
  };

  card.post('/sessions', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new HttpError(400, 'validation_failed', 'The body is not valid JSON', { errors: [{ path: '', message: 'not valid JSON' }] });
    }
    const parsed = SignIn.safeParse(body);
    if (!parsed.success) throw new HttpError(400, 'validation_failed', 'Give signInToken, or botId and initData', { errors: issuesOf(parsed.error, '') });
    try {
      const s = 'signInToken' in parsed.data ? await signInWithToken(o.deps, parsed.data.signInToken) : await signInWithTelegram(o.deps, parsed.data);
      return c.json({ sessionToken: s.sessionToken, expiresAt: s.expiresAt }, 201);
    } catch (e) {
      // Guessing links or replaying data is slowed down per address.
      const wait = failures.take(address(c));
      if (wait !== null) throw new HttpError(429, 'rate_limited', 'Too many failed sign-ins; wait and retry', {}, { 'Retry-After': String(wait) });
      throw e;
    }
  });

  card.get('/me', async (c) => {
    const s = await session(c.req.header('authorization'));
    return c.json(await cardView(o.deps, s));
  });

  card.get('/transactions', async (c) => {
    const s = await session(c.req.header('authorization'));
    const limit = c.req.query('limit');
    return c.json(await listTransactions(o.deps, { ...s, limit: limit === undefined ? undefined : Number(limit), cursor: c.req.query('cursor') }));
  });

  card.onError((err, c) => {
    const known = toProblem(c, err);
    if (known) return known;
    o.log.error(`${c.req.method} ${c.req.path} failed: ${err.stack ?? err.message}`);
    return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side');
  });
  http.route('/api/card', card);
}
