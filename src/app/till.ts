// The till, for signed-in staff (cashier screen, staff bot): find a member, quote, accrue for a purchase, pay with
// points, accrue or write off a fixed number. Every action is checked against the role table, held to the staff
// member's limits under a lock on their row, and written to the audit log in the same transaction.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import {
  DomainError,
  ROLE_PERMISSIONS,
  checkLimits,
  invalid,
  localDateOf,
  requirePermission,
  startOfLocalDay,
  type LimitBreach,
  type Member,
  type Repositories,
  type StaffAction,
  type StaffLimits,
  type StaffMember,
} from '../core/index.js';
import { adjustPoints } from './adjustPoints.js';
import type { AppDeps } from './deps.js';
import { detailsOf, findMembers } from './findMembers.js';
import { UUID_RE } from './ids.js';
import { findMember, loadBusiness } from './members.js';
import { quotePurchase } from './quotePurchase.js';
import { recordPurchase, type PurchaseGuard } from './recordPurchase.js';
import { listTransactions } from './listTransactions.js';

export const REDEEM_CODE_MINUTES = 5;
export const REDEEM_CODE_ATTEMPTS = 5;

/** Sends a redemption confirmation code to the member through their channel. */
export interface RedeemCodeSender {
  send(to: { businessId: string; businessName: string; member: Member }, message: { code: string; minutes: number }): Promise<void>;
}

/** Tells the business's owners that a staff member hit a limit. */
export interface StaffAlerts {
  limitExceeded(businessId: string, staff: { id: string; name: string; role: string }, breach: LimitBreach & { action: string }): Promise<void>;
}

export interface TillDeps {
  codes: RedeemCodeSender;
  alerts: StaffAlerts;
}

/** Who acts, and from where (web, telegram). */
export interface TillCaller {
  staff: StaffMember;
  channel: string;
}

export interface TillMemberView {
  id: string;
  cardNumber: string;
  name: string | null;
  phoneMasked: string;
  tier: { id: string; name: string } | null;
  balance: { available: number; pending: number };
  blocked: boolean;
}

/** "+7 ••• •••-45-67": enough for the cashier to confirm, not enough to copy. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const last4 = digits.slice(-4);
  const cc = phone.startsWith('+7') ? '+7' : phone.startsWith('+') ? `+${digits.slice(0, Math.max(1, digits.length - 10))}` : '';
  return `${cc} ••• •••-${last4.slice(0, 2)}-${last4.slice(2)}`.trim();
}

async function tillViews(repos: Repositories, businessId: string, members: Member[], now: Date): Promise<TillMemberView[]> {
  const business = await loadBusiness(repos, businessId);
  return (await detailsOf(repos, business, members, now)).map((d) => ({
    id: d.id,
    cardNumber: d.cardNumber,
    name: d.name,
    phoneMasked: maskPhone(d.phone),
    tier: d.tier,
    balance: { available: d.balance.available, pending: d.balance.pending },
    blocked: d.blocked,
  }));
}

function businessOf(c: TillCaller, businessId?: string) {
  if (businessId !== undefined && businessId !== c.staff.businessId) throw new DomainError('member_not_found');
  return c.staff.businessId;
}

export async function staffMe(deps: AppDeps, c: TillCaller) {
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, c.staff.businessId);
    const issued = await issuedBy(repos, c.staff, business.timezone, now);
    return {
      staff: { id: c.staff.id, name: c.staff.name, role: c.staff.role, locationIds: [...c.staff.locationIds], email: c.staff.email, telegramUsername: c.staff.telegramUsername },
      business: { id: business.id, name: business.name, pointsName: business.program.pointsName, currency: business.currency, timezone: business.timezone },
      permissions: [...ROLE_PERMISSIONS[c.staff.role]] as StaffAction[],
      limits: c.staff.limits,
      issued: { today: issued.today, budgetPeriod: c.staff.limits.budget ? issued.budgetPeriod : null },
    };
  });
}

async function issuedBy(repos: Repositories, staff: StaffMember, timezone: string, now: Date) {
  const dayStart = startOfLocalDay(localDateOf(now, timezone), timezone);
  const today = await repos.staff.issuedSince(staff.businessId, staff.id, dayStart);
  const budget = staff.limits.budget;
  const budgetPeriod = budget ? await repos.staff.issuedSince(staff.businessId, staff.id, new Date(now.getTime() - budget.days * 86_400_000)) : 0;
  return { today, budgetPeriod };
}

export type LookupInput = { qrToken: string } | { phone: string } | { last4: string } | { card: string } | { q: string };

/** Finds members for the till. By name needs member.search (managers and up); the rest member.lookup. */
export async function tillLookup(deps: AppDeps, c: TillCaller, query: LookupInput): Promise<{ identifiedBy: 'qr' | 'phone' | 'last4' | 'card' | 'name'; items: TillMemberView[] }> {
  const businessId = businessOf(c);
  if ('q' in query) requirePermission(c.staff.role, 'member.search');
  else requirePermission(c.staff.role, 'member.lookup');
  const now = deps.clock.now();
  if ('qrToken' in query) {
    const items = await deps.uow.run(async (repos) => {
      const business = await loadBusiness(repos, businessId);
      const m = await findMember(repos, business, { qrToken: query.qrToken }, now);
      return m ? tillViews(repos, businessId, [m], now) : [];
    });
    return { identifiedBy: 'qr', items };
  }
  const members = (await findMembers(deps, businessId, query)).map((d) => ({
    id: d.id,
    cardNumber: d.cardNumber,
    name: d.name,
    phoneMasked: maskPhone(d.phone),
    tier: d.tier,
    balance: { available: d.balance.available, pending: d.balance.pending },
    blocked: d.blocked,
  }));
  const identifiedBy = 'phone' in query ? 'phone' : 'last4' in query ? 'last4' : 'card' in query ? 'card' : 'name';
  return { identifiedBy, items: members };
}

/** A member as the till shows them, with the last few movements. */
export async function tillMember(deps: AppDeps, c: TillCaller, memberId: string) {
  requirePermission(c.staff.role, 'member.lookup');
  const businessId = businessOf(c);
  const now = deps.clock.now();
  const [view] = await deps.uow.run(async (repos) => {
    const m = UUID_RE.test(memberId) ? await repos.members.get(businessId, memberId) : null;
    if (!m) throw new DomainError('member_not_found');
    return tillViews(repos, businessId, [m], now);
  });
  const recent = await listTransactions(deps, { businessId, memberId, limit: 5 });
  return { ...(view as TillMemberView), recent: recent.items.map((x) => ({ id: x.id, type: x.type, points: x.points, balanceAfter: x.balanceAfter, reason: x.reason, when: x.when })) };
}

export async function tillQuote(deps: AppDeps, c: TillCaller, input: { memberId: string; amount: number }) {
  requirePermission(c.staff.role, 'member.lookup');
  const q = await quotePurchase(deps, { businessId: c.staff.businessId, member: { id: input.memberId }, amount: input.amount, redeemPoints: 'max' });
  return { memberId: q.memberId, amount: q.amount, earnPoints: (await quotePurchase(deps, { businessId: c.staff.businessId, member: { id: input.memberId }, amount: input.amount })).earnPoints, maxRedeemPoints: q.maxRedeemPoints, maxRedeemValue: q.redeemValue, balance: q.balance };
}

/** The limit check and the audit entry, inside the operation's transaction, under a lock on the staff row. */
export function staffGuard(_deps: unknown, c: TillCaller, action: string, breaches: LimitBreach[]): PurchaseGuard {
  return async (repos, p) => {
    const staff = await repos.staff.lock(c.staff.businessId, c.staff.id);
    if (!staff || staff.status !== 'active') throw new DomainError('staff_blocked');
    const business = await loadBusiness(repos, staff.businessId);
    const issued = await issuedBy(repos, staff, business.timezone, p.at);
    const breach = checkLimits(staff.limits, { points: p.earnedPoints, manual: false }, issued);
    if (breach) {
      breaches.push(breach);
      throw new DomainError('staff_limit_exceeded', `Over your ${breach.limit.replace('_', '-')} limit: ${breach.allowed} more points allowed, this would issue ${breach.wanted}`, { ...breach });
    }
    await repos.staff.addAudit({ businessId: staff.businessId, at: p.at, staffId: staff.id, staffRole: staff.role, action, memberId: p.memberId, points: p.earnedPoints - p.redeemedPoints, issuedPoints: p.earnedPoints, amount: p.amount, channel: c.channel, details: { purchaseId: p.purchaseId, earned: p.earnedPoints, redeemed: p.redeemedPoints } });
  };
}

/** A refused operation over a limit: recorded (its own transaction) and the owners told. */
export async function reportBreach(deps: Pick<TillDeps, 'alerts'> & { app: AppDeps }, c: TillCaller, action: string, breach: LimitBreach, memberId: string): Promise<void> {
  const at = deps.app.clock.now();
  await deps.app.uow.run((repos) =>
    repos.staff.addAudit({ businessId: c.staff.businessId, at, staffId: c.staff.id, staffRole: c.staff.role, action: 'limit.exceeded', memberId, points: breach.wanted, issuedPoints: 0, amount: null, channel: c.channel, details: { refused: action, ...breach } }),
  );
  await deps.alerts.limitExceeded(c.staff.businessId, { id: c.staff.id, name: c.staff.name, role: c.staff.role }, { ...breach, action });
}

export async function withBreachReport<T>(deps: Pick<TillDeps, 'alerts'> & { app: AppDeps }, c: TillCaller, action: string, memberId: string, run: (breaches: LimitBreach[]) => Promise<T>): Promise<T> {
  const breaches: LimitBreach[] = [];
  try {
    return await run(breaches);
  } catch (e) {
    const breach = breaches[0];
    if (e instanceof DomainError && e.code === 'staff_limit_exceeded' && breach) await reportBreach(deps, c, action, breach, memberId);
    throw e;
  }
}

function checkMemberId(memberId: unknown): string {
  if (typeof memberId !== 'string' || !UUID_RE.test(memberId)) throw new DomainError('member_not_found');
  return memberId;
}

const locationOf = (c: TillCaller) => c.staff.locationIds[0] ?? null;

export async function tillEarn(deps: TillDeps & { app: AppDeps }, c: TillCaller, input: { memberId: string; amount: number; qrToken?: string | undefined; idempotencyKey: string }) {
  requirePermission(c.staff.role, 'till.earn');
  const memberId = checkMemberId(input.memberId);
  return withBreachReport(deps, c, 'till.earn', memberId, (breaches) =>
    recordPurchase(deps.app, {
      businessId: c.staff.businessId,
      member: { id: memberId },
      amount: input.amount,
      locationId: locationOf(c),
      actor: { type: 'staff', id: c.staff.id },
      idempotencyKey: `staff:${c.staff.id}:${input.idempotencyKey}`,
      guard: staffGuard(deps, c, 'till.earn', breaches),
    }).then(receipt),
  );
}

const receipt = (r: Awaited<ReturnType<typeof recordPurchase>>) => ({
  purchaseId: r.purchaseId,
  memberId: r.memberId,
  amount: r.amount,
  redeemedPoints: r.redeemedPoints,
  redeemValue: r.redeemValue,
  payableAmount: r.payableAmount,
  earnedPoints: r.earnedPoints,
  balance: r.balance,
  occurredAt: r.occurredAt,
});

const hashCode = (id: string, code: string) => createHash('sha256').update(`${id}:${code}`).digest();

/** Pays part of a purchase with points: the member's QR proves they are here, or else the code sent to them. */
export async function tillRedeem(
  deps: TillDeps & { app: AppDeps },
  c: TillCaller,
  input: { memberId: string; amount: number; points: number | 'max'; qrToken?: string | undefined; confirmationCode?: string | undefined; idempotencyKey: string },
) {
  requirePermission(c.staff.role, 'till.redeem');
  const memberId = checkMemberId(input.memberId);
  const businessId = c.staff.businessId;
  const now = deps.app.clock.now();
  let codeId: string | null = null;
  if (input.qrToken !== undefined) {
    const owner = await deps.app.uow.run(async (repos) => findMember(repos, await loadBusiness(repos, businessId), { qrToken: input.qrToken as string }, now));
    if (owner?.id !== memberId) throw new DomainError('invalid_qr_token', 'This QR code belongs to another card');
  } else if (input.confirmationCode !== undefined) {
    // Checked in its own transaction, so a wrong try counts even though the redemption does not happen.
    const code = String(input.confirmationCode).trim();
    const outcome = await deps.app.uow.run(async (repos) => {
      const live = await repos.staff.liveRedeemCode(businessId, memberId, now);
      if (!live) return 'none' as const;
      if (live.attempts >= REDEEM_CODE_ATTEMPTS) return 'spent' as const;
      if (/^\d{4,6}$/.test(code) && timingSafeEqual(hashCode(live.id, code), Buffer.from(live.codeHash, 'hex'))) return live.id;
      await repos.staff.redeemCodeTried(businessId, live.id, 'wrong', now);
      return live.attempts + 1 >= REDEEM_CODE_ATTEMPTS ? ('spent' as const) : { left: REDEEM_CODE_ATTEMPTS - live.attempts - 1 };
    });
    if (outcome === 'spent') throw new DomainError('too_many_attempts', 'Too many wrong codes: ask for a new code in a minute');
    if (outcome === 'none') throw new DomainError('invalid_confirmation_code', 'No valid code: it has expired or was used; send a new one');
    if (typeof outcome === 'object') throw new DomainError('invalid_confirmation_code', `The code is wrong: ${outcome.left} ${outcome.left === 1 ? 'try' : 'tries'} left`, { triesLeft: outcome.left });
    codeId = outcome;
  } else {
    throw new DomainError('confirmation_required');
  }
  return withBreachReport(deps, c, 'till.redeem', memberId, (breaches) => {
    const limits = staffGuard(deps, c, 'till.redeem', breaches);
    return recordPurchase(deps.app, {
      businessId,
      member: { id: memberId },
      amount: input.amount,
      redeemPoints: input.points,
      locationId: locationOf(c),
      actor: { type: 'staff', id: c.staff.id },
      idempotencyKey: `staff:${c.staff.id}:${input.idempotencyKey}`,
      guard: async (repos, p) => {
        // The code is used up with the redemption, in its transaction: a refused redemption leaves it usable.
        if (codeId) await repos.staff.redeemCodeTried(businessId, codeId, 'used', p.at);
        await limits(repos, p);
      },
    }).then(receipt);
  });
}

/** Sends the member a code that confirms a redemption at the till (5 minutes; one a minute). */
export async function requestRedeemCode(deps: TillDeps & { app: AppDeps }, c: TillCaller, input: { memberId: string }): Promise<{ expiresAt: string }> {
  requirePermission(c.staff.role, 'till.redeem');
  const memberId = checkMemberId(input.memberId);
  const now = deps.app.clock.now();
  const expiresAt = new Date(now.getTime() + REDEEM_CODE_MINUTES * 60_000);
  const found = await deps.app.uow.run(async (repos) => {
    const business = await loadBusiness(repos, c.staff.businessId);
    const member = await repos.members.get(business.id, memberId);
    if (!member) throw new DomainError('member_not_found');
    if (member.blocked) throw new DomainError('member_blocked', 'The member is blocked; ask them to contact the shop');
    const live = await repos.staff.liveRedeemCode(business.id, member.id, now);
    if (live && now.getTime() - live.createdAt.getTime() < 60_000) throw new DomainError('too_many_codes', 'A code was sent a moment ago; wait a minute', { retryAfterSeconds: 60 });
    if (live) await repos.staff.redeemCodeTried(business.id, live.id, 'used', now); // one live code at a time
    const id = deps.app.newId();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await repos.staff.addRedeemCode({ id, businessId: business.id, memberId: member.id, staffId: c.staff.id, codeHash: hashCode(id, code).toString('hex'), createdAt: now, expiresAt });
    await repos.staff.addAudit({ businessId: business.id, at: now, staffId: c.staff.id, staffRole: c.staff.role, action: 'redeem.code_sent', memberId: member.id, points: null, issuedPoints: 0, amount: null, channel: c.channel, details: {} });
    return { business, member, code };
  });
  await deps.codes.send({ businessId: found.business.id, businessName: found.business.name, member: found.member }, { code: found.code, minutes: REDEEM_CODE_MINUTES });
  return { expiresAt: expiresAt.toISOString() };
}

/** A fixed accrual or write-off with a reason, by role (managers and up) and within the staff member's limits. */
export async function tillAdjust(deps: TillDeps & { app: AppDeps }, c: TillCaller, input: { memberId: string; points: number; reason: string; idempotencyKey: string }) {
  requirePermission(c.staff.role, 'points.adjust');
  const memberId = checkMemberId(input.memberId);
  return withBreachReport(deps, c, 'points.adjust', memberId, async (breaches) => {
    const r = await adjustPoints(deps.app, {
      businessId: c.staff.businessId,
      member: { id: memberId },
      points: input.points,
      reason: input.reason,
      actor: { type: 'staff', id: c.staff.id },
      idempotencyKey: `staff:${c.staff.id}:${input.idempotencyKey}`,
      guard: adjustGuard(c, input.reason, breaches),
    });
    return { transactionId: r.transactionId, balance: r.balance };
  });
}

/** A manual accrual's or write-off's limit check and audit entry, inside its transaction (the till and the admin panel). */
export function adjustGuard(c: TillCaller, reason: string, breaches: LimitBreach[]) {
  return async (repos: Repositories, a: { memberId: string; points: number; at: Date }): Promise<void> => {
    const staff = await repos.staff.lock(c.staff.businessId, c.staff.id);
    if (!staff || staff.status !== 'active') throw new DomainError('staff_blocked');
    const business = await loadBusiness(repos, staff.businessId);
    const breach = checkLimits(staff.limits, { points: a.points, manual: true }, await issuedBy(repos, staff, business.timezone, a.at));
    if (breach) {
      breaches.push(breach);
      throw new DomainError('staff_limit_exceeded', `Over your ${breach.limit.replace('_', '-')} limit: ${breach.allowed} points allowed, this is ${breach.wanted}`, { ...breach });
    }
    await repos.staff.addAudit({ businessId: staff.businessId, at: a.at, staffId: staff.id, staffRole: staff.role, action: 'points.adjust', memberId: a.memberId, points: a.points, issuedPoints: Math.max(0, a.points), amount: null, channel: c.channel, details: { reason } });
  };
}

export interface AuditView {
  id: number;
  at: string;
  staffId: string | null;
  staffRole: string | null;
  action: string;
  memberId: string | null;
  points: number | null;
  amount: number | null;
  channel: string;
  details: Record<string, unknown>;
}

/** The audit log, newest first (managers and up). */
export async function readAudit(deps: AppDeps, c: TillCaller, q: { limit?: number; before?: number | null; staffId?: string | null; memberId?: string | null }): Promise<{ items: AuditView[]; nextBefore: number | null }> {
  requirePermission(c.staff.role, 'audit.read');
  const limit = q.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw invalid('limit must be 1–200', { field: 'limit' });
  const rows = await deps.uow.run((repos) => repos.staff.audit(c.staff.businessId, { limit, beforeId: q.before ?? null, staffId: q.staffId ?? null, memberId: q.memberId ?? null }));
  return {
    items: rows.map((r) => ({ id: r.id, at: r.at.toISOString(), staffId: r.staffId, staffRole: r.staffRole, action: r.action, memberId: r.memberId, points: r.points, amount: r.amount, channel: r.channel, details: r.details })),
    nextBefore: rows.length === limit ? (rows[rows.length - 1]?.id ?? null) : null,
  };
}

export type { StaffLimits };
