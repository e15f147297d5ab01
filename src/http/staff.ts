// The staff API (/api/staff): sign in (staff bot Mini App, e-mail + password, or an invitation), then the till —
// find, quote, earn, pay with points, confirmation codes, adjustments — and staff management and the audit log.
// Routes are thin: session → validate → one use case (which checks the role table) → reply.
import { Hono, type Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { accrueToAll, requestBroadcast, todayTotals } from '../app/adminOps.js';
import { pollTelegramLogin, staffBusiness, startTelegramLogin } from '../app/staffTelegramLogin.js';
import type { AppDeps } from '../app/deps.js';
import { inviteStaff, listStaff, transferOwnership, updateStaff } from '../app/staff.js';
import { acceptInviteWithPassword, authenticateStaff, endStaffSession, listStaffSessions, revokeStaffSession, signInStaffWithTelegramLogin, signInStaffWithPassword, signInStaffWithTelegram } from '../app/staffSessions.js';
import { readAudit, requestRedeemCode, staffMe, tillAdjust, tillEarn, tillLookup, tillMember, tillQuote, tillRedeem, type TillDeps } from '../app/till.js';
import type * as C from '../client/staff.js';
import type { Logger } from '../config/logger.js';
import { HttpError, errorResponse, toProblem } from './errors.js';
import { failureGate, tokenBucket } from './rateLimit.js';
import { mountStaffChat } from './staffChat.js';
import { jsonBody } from './jsonBody.js';

// The client's types and the use cases' results must stay the same shape (checked when compiling).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Result<F extends (...a: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;
const proofs: [
  Same<Result<typeof staffMe>, C.StaffMe>,
  Same<Result<typeof tillLookup>, C.LookupResult>,
  Same<Result<typeof tillMember>, C.TillMemberDetails>,
  Same<Result<typeof tillQuote>, C.TillQuote>,
  Same<Result<typeof tillEarn>, C.Receipt>,
  Same<Result<typeof tillRedeem>, C.Receipt>,
  Same<Result<typeof staffBusiness>, C.StaffBusiness>,
  Same<Result<typeof startTelegramLogin>, C.TelegramLoginStart>,
  Same<Result<typeof pollTelegramLogin>, C.TelegramLoginState>,
] = [true, true, true, true, true, true, true, true, true];
void proofs;

const text = (max: number) => z.string().min(1).max(max).refine((s) => !s.includes('\u0000'), 'must not contain NUL');
const amount = z.number().int().min(0).max(100_000_000_000);
const SignIn = z.union([
  z.strictObject({ botId: text(100), initData: text(8192) }),
  z.strictObject({ businessId: text(100), email: text(254), password: text(200) }),
  z.strictObject({ inviteToken: text(100), name: text(100), email: text(254), password: text(200) }),
  z.strictObject({ businessId: text(100), telegramLogin: z.record(z.string().max(40), z.union([z.string().max(500), z.number()])) }),
]);
const Quote = z.strictObject({ memberId: text(100), amount });
const Earn = z.strictObject({ memberId: text(100), amount, qrToken: text(200).optional() });
const Redeem = z.strictObject({
  memberId: text(100),
  amount,
  points: z.union([z.number().int().min(1).max(1_000_000_000), z.literal('max')]),
  qrToken: text(200).optional(),
  confirmationCode: z.string().max(10).optional(),
});
const CodeRequest = z.strictObject({ memberId: text(100) });
const Adjust = z.strictObject({ memberId: text(100), points: z.number().int().min(-1_000_000_000).max(1_000_000_000), reason: text(500) });
const Invite = z.strictObject({ role: z.enum(['admin', 'manager', 'cashier']), name: text(100), locationIds: z.array(z.string().max(100)).max(50).optional() });
const Limits = z.strictObject({
  maxPointsPerOperation: z.number().int().min(0).nullable().optional(),
  maxPointsPerDay: z.number().int().min(0).nullable().optional(),
  budget: z.strictObject({ points: z.number().int().min(0), days: z.number().int().min(1).max(366) }).nullable().optional(),
});
const StaffChange = z.strictObject({
  name: text(100).optional(),
  role: z.enum(['admin', 'manager', 'cashier']).optional(),
  locationIds: z.array(z.string().max(100)).max(50).optional(),
  limits: Limits.optional(),
  status: z.enum(['active', 'blocked', 'removed']).optional(),
});
const Transfer = z.strictObject({ toStaffId: text(100) });
const LoginStart = z.strictObject({ businessId: text(100) });
const LoginPoll = z.strictObject({ loginId: text(100) });
const Bulk = z.strictObject({ points: z.number().int().min(1).max(1_000_000), reason: text(500) });
const Broadcast = z.strictObject({ text: text(4000) });

const FAILED_SIGN_INS_PER_SECOND = 2;

export interface StaffApiOptions {
  deps: AppDeps;
  log: Logger;
  till: TillDeps;
  /** Where the cashier screen is, for invitation links: PUBLIC_URL (or the local address) + /cashier/. */
  cashierBase: string;
  rateClock?: () => number;
}

export function mountStaffApi(http: Hono, o: StaffApiOptions): void {
  const api = new Hono();
  // Failed sign-ins per address and per e-mail: once over, refused before any password is checked.
  const failures = failureGate(FAILED_SIGN_INS_PER_SECOND, 10, o.rateClock);
  const failuresByEmail = failureGate(5 / 60, 10, o.rateClock);
  const loginStarts = tokenBucket(10 / 60, o.rateClock, 10);
  const limited = (wait: number | null) => {
    if (wait !== null) throw new HttpError(429, 'rate_limited', 'Too many requests from this address; wait and retry', {}, { 'Retry-After': String(wait) });
  };
  const tillDeps = { ...o.till, app: o.deps };
  const address = (c: Context) => {
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };
  const caller = async (c: Context) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    const staff = await authenticateStaff(o.deps, token);
    if (!staff) throw new HttpError(401, 'unauthorized', 'Sign in again: the session is missing, has expired or was ended');
    return { staff, channel: 'web', token };
  };
  const body = <T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> => jsonBody(c, schema);
  const key = (c: Context) => {
    const k = c.req.header('idempotency-key') ?? '';
    if (!/^[\x21-\x7e]{1,200}$/.test(k)) throw new HttpError(400, 'idempotency_key_missing', 'Send an Idempotency-Key header (one per operation, the same on every retry)');
    return k;
  };

  api.get('/businesses/:id', async (c) => c.json(await staffBusiness(o.deps, c.req.param('id'))));
  api.post('/telegram-logins', async (c) => {
    const input = await body(c, LoginStart);
    limited(loginStarts.take(address(c)));
    return c.json(await startTelegramLogin(o.deps, input), 201);
  });
  api.post('/telegram-logins/poll', async (c) => {
    const input = await body(c, LoginPoll);
    return c.json(await pollTelegramLogin(o.deps, input.loginId, c.req.header('user-agent')?.slice(0, 200) ?? null));
  });

  api.post('/sessions', async (c) => {
    const input = await body(c, SignIn);
    const device = c.req.header('user-agent')?.slice(0, 200) ?? null;
    const from = address(c);
    const emailKey = 'password' in input && 'businessId' in input ? `${input.businessId}\n${input.email.trim().toLowerCase()}` : null;
    const wait = Math.max(failures.wait(from) ?? 0, emailKey ? (failuresByEmail.wait(emailKey) ?? 0) : 0);
    if (wait > 0) throw new HttpError(429, 'rate_limited', 'Too many failed sign-ins; wait and retry', {}, { 'Retry-After': String(wait) });
    try {
      const s =
        'initData' in input ? await signInStaffWithTelegram(o.deps, { ...input, device })
        : 'inviteToken' in input ? await acceptInviteWithPassword(o.deps, { ...input, device })
        : 'telegramLogin' in input ? await signInStaffWithTelegramLogin(o.deps, { ...input, device })
        : await signInStaffWithPassword(o.deps, { ...input, device });
      return c.json(s, 201);
    } catch (e) {
      failures.fail(from);
      if (emailKey) failuresByEmail.fail(emailKey);
      throw e;
    }
  });
  api.delete('/sessions/current', async (c) => {
    await endStaffSession(o.deps, (await caller(c)).token);
    return c.body(null, 204);
  });
  api.get('/sessions', async (c) => c.json({ items: await listStaffSessions(o.deps, await caller(c)) }));
  api.delete('/sessions/:id', async (c) => {
    await revokeStaffSession(o.deps, await caller(c), c.req.param('id'));
    return c.body(null, 204);
  });
  api.get('/me', async (c) => c.json(await staffMe(o.deps, await caller(c))));

  api.get('/members', async (c) => {
    const who = await caller(c);
    const q = c.req.query();
    const keys = ['qrToken', 'phone', 'last4', 'card', 'q'].filter((k) => q[k] !== undefined);
    const k = keys[0];
    if (keys.length !== 1 || !k || Object.keys(q).length !== 1 || (q[k] ?? '').length > 200) {
      throw new HttpError(400, 'validation_failed', 'Give exactly one of qrToken, phone, last4, card or q', { errors: [{ path: '', message: 'exactly one of qrToken, phone, last4, card, q' }] });
    }
    return c.json(await tillLookup(o.deps, who, { [k]: q[k] } as Parameters<typeof tillLookup>[2]));
  });
  api.get('/members/:id', async (c) => c.json(await tillMember(o.deps, await caller(c), c.req.param('id'))));
  api.post('/quotes', async (c) => {
    const who = await caller(c);
    return c.json(await tillQuote(o.deps, who, await body(c, Quote)));
  });
  api.post('/earn', async (c) => {
    const who = await caller(c);
    const input = await body(c, Earn);
    return c.json(await tillEarn(tillDeps, who, { ...input, idempotencyKey: key(c) }), 201);
  });
  api.post('/redeem', async (c) => {
    const who = await caller(c);
    const input = await body(c, Redeem);
    return c.json(await tillRedeem(tillDeps, who, { ...input, idempotencyKey: key(c) }), 201);
  });
  api.post('/redeem-codes', async (c) => {
    const who = await caller(c);
    return c.json(await requestRedeemCode(tillDeps, who, await body(c, CodeRequest)), 202);
  });
  api.post('/adjustments', async (c) => {
    const who = await caller(c);
    const input = await body(c, Adjust);
    return c.json(await tillAdjust(tillDeps, who, { ...input, idempotencyKey: key(c) }), 201);
  });

  api.get('/reports/today', async (c) => c.json(await todayTotals(o.deps, await caller(c))));
  api.post('/bulk-accruals', async (c) => {
    const who = await caller(c);
    const input = await body(c, Bulk);
    return c.json(await accrueToAll(o.deps, who, { ...input, idempotencyKey: key(c) }), 201);
  });
  api.post('/broadcasts', async (c) => {
    const who = await caller(c);
    return c.json(await requestBroadcast(o.deps, who, await body(c, Broadcast)), 202);
  });

  api.get('/staff', async (c) => c.json({ items: await listStaff(o.deps, await caller(c)) }));
  api.post('/staff/invites', async (c) => {
    const who = await caller(c);
    const input = await body(c, Invite);
    const invite = await inviteStaff(o.deps, who, { ...input, businessId: who.staff.businessId });
    return c.json({ ...invite, link: `${o.cashierBase}?b=${who.staff.businessId}#invite=${invite.token}` }, 201);
  });
  api.patch('/staff/:id', async (c) => {
    const who = await caller(c);
    const change = await body(c, StaffChange);
    const r = await updateStaff(o.deps, who, { businessId: who.staff.businessId, staffId: c.req.param('id'), change });
    return r ? c.json(r) : c.body(null, 204);
  });
  api.post('/owner-transfer', async (c) => {
    const who = await caller(c);
    return c.json(await transferOwnership(o.deps, who, await body(c, Transfer)));
  });
  api.get('/audit', async (c) => {
    const who = await caller(c);
    const limit = c.req.query('limit');
    const before = c.req.query('before');
    return c.json(await readAudit(o.deps, who, { limit: limit === undefined ? undefined : Number(limit), before: before === undefined ? null : Number(before), staffId: c.req.query('staffId') ?? null, memberId: c.req.query('memberId') ?? null }));
  });

  mountStaffChat(api, { deps: o.deps, caller, body, key });

  api.notFound((c) => errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`));
  api.onError((err, c) => {
    const known = toProblem(c, err);
    if (known) return known;
    o.log.error(`${c.req.method} ${c.req.path} failed: ${err.stack ?? err.message}`);
    return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side');
  });
  http.route('/api/staff', api);
}
