// The card app's own API (/api/card): sign in without a password (Telegram initData, a one-time link, or a code
// sent by phone), then read the card, refresh its QR, edit the profile, sign out or erase one's data. Not part of
// the published integration contract; the card front end (through src/client/card.ts) is its only client.
import { Hono, type Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { updateCardProfile } from '../app/cardProfile.js';
import { authenticateCardSession, endCardSession, signInWithTelegram, signInWithToken } from '../app/cardSessions.js';
import { recordCardOpen } from '../app/cardOpens.js';
import { cardBusiness, cardQr, cardView, type CardBusinessView, type CardProfileView, type CardViewResult } from '../app/cardView.js';
import type { AppDeps } from '../app/deps.js';
import type { TestClocks } from '../app/testClocks.js';
import { eraseMember } from '../app/eraseMember.js';
import { UUID_RE } from '../app/ids.js';
import { listTransactions } from '../app/listTransactions.js';
import { requestSignInCode, signInWithCode, type SignInCodeSender } from '../app/signInCodes.js';
import type { CardBusiness, CardProfile, CardView } from '../client/card.js';
import type { Logger } from '../config/logger.js';
import { HttpError, errorResponse, toProblem } from './errors.js';
import { tokenBucket } from './rateLimit.js';
import { jsonBody } from './jsonBody.js';

// The client's types and the use cases' results must stay the same shape (checked when compiling).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proofs: [Same<CardViewResult, CardView>, Same<CardBusinessView, CardBusiness>, Same<CardProfileView, CardProfile>] = [true, true, true];
void proofs;

const text = (max: number) => z.string().min(1).max(max).refine((s) => !s.includes('\u0000'), 'must not contain NUL');
const SignIn = z.union([
  z.strictObject({ signInToken: text(100) }),
  z.strictObject({ botId: text(100), initData: text(8192) }),
  z.strictObject({ businessId: text(100), phone: text(40), code: text(20) }),
]);
const CodeRequest = z.strictObject({ businessId: text(100), phone: text(40) });
const ProfileChange = z.strictObject({
  name: z.string().max(100).nullable().optional(),
  birthday: z.string().max(10).nullable().optional().describe('YYYY-MM-DD'),
  email: z.string().max(254).nullable().optional(),
  answers: z.record(z.string().max(40), z.string().max(500).nullable()).optional(),
  marketing: z.boolean().optional(),
});

const FAILED_SIGN_INS_PER_SECOND = 5;
/** Code requests per address: 10 a minute. Per phone the use case allows one a minute. */
const CODE_REQUESTS_PER_SECOND = 10 / 60;

export interface CardApiOptions {
  deps: AppDeps;
  log: Logger;
  codes: SignInCodeSender;
  /** The public address of the card app (PUBLIC_URL + /card/), for links sent with codes; null: codes only. */
  linkBase: string | null;
  /** Milliseconds for the rate limits (tests drive it with their clock). */
  rateClock?: () => number;
  /** With --test-clock, a business's card lives in that business's time, like its API calls (QR tokens, history). */
  testClocks?: TestClocks | null;
}

export function mountCardApi(http: Hono, o: CardApiOptions): void {
  const card = new Hono();
  const clocks = o.testClocks ?? null;
  const depsFor = (businessId: string): AppDeps => (clocks && UUID_RE.test(businessId) ? { ...o.deps, clock: clocks.clockFor(businessId) } : o.deps);
  const failures = tokenBucket(FAILED_SIGN_INS_PER_SECOND, o.rateClock);
  const codeRequests = tokenBucket(CODE_REQUESTS_PER_SECOND, o.rateClock, 10);
  const address = (c: Context) => {
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };
  const limited = (wait: number | null, what: string) => {
    if (wait !== null) throw new HttpError(429, 'rate_limited', `Too many ${what}; wait and retry`, {}, { 'Retry-After': String(wait) });
  };
  const session = async (c: Context) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    const s = await authenticateCardSession(o.deps, token);
    if (!s) throw new HttpError(401, 'unauthorized', 'Sign in again: the session is missing or has expired');
    return { ...s, token };
  };
  const body = <T extends z.ZodType>(c: Context, schema: T, hint: string): Promise<z.output<T>> => jsonBody(c, schema, hint);

  card.get('/businesses/:id', async (c) => {
    const id = c.req.param('id');
    if (!UUID_RE.test(id)) throw new HttpError(404, 'business_not_found', 'No such business');
    return c.json(await cardBusiness(o.deps, id));
  });

  card.post('/codes', async (c) => {
    const input = await body(c, CodeRequest, 'Give businessId and phone');
    limited(codeRequests.take(address(c)), 'code requests from this address');
    const r = await requestSignInCode(depsFor(input.businessId), o.codes, { ...input, linkBase: o.linkBase });
    if (!r.sent) o.log.info(`card sign-in code asked for a phone that is not an active member of business ${input.businessId}`);
    return c.json({ expiresAt: r.expiresAt }, 202);
  });

  card.post('/sessions', async (c) => {
    const input = await body(c, SignIn, 'Give signInToken; or botId and initData; or businessId, phone and code');
    try {
      const s =
        'signInToken' in input ? await signInWithToken(o.deps, input.signInToken)
        : 'initData' in input ? await signInWithTelegram(o.deps, input)
        : await signInWithCode(depsFor(input.businessId), input);
      return c.json({ sessionToken: s.sessionToken, expiresAt: s.expiresAt }, 201);
    } catch (e) {
      // Guessing links or codes, or replaying data, is slowed down per address.
      limited(failures.take(address(c)), 'failed sign-ins');
      throw e;
    }
  });

  card.delete('/sessions/current', async (c) => {
    const s = await session(c);
    await endCardSession(o.deps, s.token);
    return c.body(null, 204);
  });

  card.get('/me', async (c) => {
    const s = await session(c);
    const deps = depsFor(s.businessId);
    const view = await cardView(deps, s);
    // The first screen was shown: one card open for the dashboard, which never fails the card itself.
    await recordCardOpen(deps, { businessId: s.businessId, memberId: s.memberId, source: s.channel === 'telegram' ? 'telegram' : 'web' })
      .catch((e: unknown) => o.log.warn(`card open not recorded: ${e instanceof Error ? e.message : String(e)}`));
    return c.json(view);
  });

  card.delete('/me', async (c) => {
    const s = await session(c);
    await eraseMember(depsFor(s.businessId), { ...s, channel: 'card' });
    return c.body(null, 204);
  });

  card.post('/qr', async (c) => {
    const s = await session(c);
    return c.json(await cardQr(depsFor(s.businessId), s));
  });

  card.patch('/profile', async (c) => {
    const s = await session(c);
    const change = await body(c, ProfileChange, 'Give the profile fields to change');
    return c.json(await updateCardProfile(depsFor(s.businessId), { ...s, change, channel: 'card' }));
  });

  card.get('/transactions', async (c) => {
    const s = await session(c);
    const limit = c.req.query('limit');
    const page = await listTransactions(depsFor(s.businessId), { ...s, limit: limit === undefined ? undefined : Number(limit), cursor: c.req.query('cursor') });
    // The customer sees what happened; who on the staff did it stays with the business. Only adjustments carry a
    // reason a person wrote; the others' reasons are fixed English words the app replaces with its own texts.
    return c.json({ items: page.items.map(({ who: _who, ...rest }) => ({ ...rest, reason: rest.type === 'adjust' ? rest.reason : null })), nextCursor: page.nextCursor });
  });

  card.notFound((c) => errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`));
  card.onError((err, c) => {
    const known = toProblem(c, err);
    if (known) return known;
    o.log.error(`${c.req.method} ${c.req.path} failed: ${err.stack ?? err.message}`);
    return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side');
  });
  http.route('/api/card', card);
}
