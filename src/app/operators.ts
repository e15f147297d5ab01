// The platform operator: one account per instance administrator (made with `kopilka operator create`), who creates
// businesses (their owners are invited, never made by the operator) and sees each one's health. An operator's
// session is its own (operator_sessions): it opens no business's API.
import { DomainError, invalid, type Operator } from '../core/index.js';
import { createBusiness } from './createBusiness.js';
import type { AppDeps } from './deps.js';
import { DUMMY_HASH, checkPassword, hashPassword, verifyPassword } from './passwords.js';
import { INVITE_HOURS, inviteStaff } from './staff.js';
import { checkEmail, checkStaffName, hashSecret, newSecret } from './staffSessions.js';

export const OPERATOR_SESSION_HOURS = 12;
const TOKEN_RE = /^kos_[A-Za-z0-9_-]{43}$/;

export interface OperatorView {
  id: string;
  email: string;
  createdAt: string;
}

const view = (o: Operator): OperatorView => ({ id: o.id, email: o.email, createdAt: o.createdAt.toISOString() });

export async function createOperator(deps: AppDeps, input: { email: string; password: string }): Promise<OperatorView> {
  const email = checkEmail(input.email);
  const passwordHash = await hashPassword(checkPassword(input.password));
  const operator: Operator = { id: deps.newId(), email, passwordHash, createdAt: deps.clock.now() };
  const outcome = await deps.uow.run((repos) => repos.operators.insert(operator));
  if (outcome === 'taken') throw new DomainError('operator_exists');
  return view(operator);
}

export async function signInOperator(deps: AppDeps, input: { email: string; password: string }): Promise<{ sessionToken: string; expiresAt: string }> {
  const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
  const operator = await deps.uow.run((repos) => repos.operators.findByEmail(email));
  // The same work whether or not the e-mail is known.
  const ok = await verifyPassword(String(input.password ?? ''), operator?.passwordHash ?? DUMMY_HASH);
  if (!operator || !ok) throw new DomainError('invalid_credentials');
  const sessionToken = newSecret('kos_', 32);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + OPERATOR_SESSION_HOURS * 3_600_000);
  await deps.uow.run((repos) => repos.operators.addSession({ secretHash: hashSecret(sessionToken), operatorId: operator.id, createdAt: now, expiresAt }));
  return { sessionToken, expiresAt: expiresAt.toISOString() };
}

export async function authenticateOperator(deps: AppDeps, sessionToken: string | undefined): Promise<OperatorView | null> {
  if (typeof sessionToken !== 'string' || !TOKEN_RE.test(sessionToken)) return null;
  const o = await deps.uow.run((repos) => repos.operators.findSession(hashSecret(sessionToken), deps.clock.now()));
  return o ? view(o) : null;
}

export async function endOperatorSession(deps: AppDeps, sessionToken: string): Promise<void> {
  if (typeof sessionToken !== 'string' || sessionToken.length > 100) return;
  await deps.uow.run((repos) => repos.operators.endSession(hashSecret(sessionToken)));
}

export interface BusinessHealthView {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  createdAt: string;
  members: number;
  purchasesLast30Days: number;
  lastPurchaseAt: string | null;
  lastActivityAt: string | null;
  outstandingPoints: number;
  activeStaff: number;
  ownerJoined: boolean;
  bots: { role: 'customer' | 'staff'; username: string }[];
  pendingBots: ('customer' | 'staff')[];
  webhookFailures: number;
}

export interface BackupStateView {
  status: 'running' | 'done' | 'failed';
  kind: 'manual' | 'daily';
  createdAt: string;
  finishedAt: string | null;
}

export async function listBusinessHealth(deps: AppDeps): Promise<BusinessHealthView[]> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const rows = await deps.uow.run((repos) => repos.operators.health(since, now));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    timezone: r.timezone,
    currency: r.currency,
    createdAt: r.createdAt.toISOString(),
    members: r.members,
    purchasesLast30Days: r.purchases30d,
    lastPurchaseAt: r.lastPurchaseAt?.toISOString() ?? null,
    lastActivityAt: r.lastActivityAt?.toISOString() ?? null,
    outstandingPoints: r.outstandingPoints,
    activeStaff: r.activeStaff,
    ownerJoined: r.ownerJoined,
    bots: r.bots,
    pendingBots: r.pendingBots,
    webhookFailures: r.webhookFailures,
  }));
}

/** The instance's latest backup, or null when none was ever made (backups hold every business at once). */
export async function lastInstanceBackup(deps: AppDeps): Promise<BackupStateView | null> {
  const b = await deps.uow.run((repos) => repos.operators.lastBackup());
  return b ? { status: b.status, kind: b.kind, createdAt: b.createdAt.toISOString(), finishedAt: b.finishedAt?.toISOString() ?? null } : null;
}

/** A new business and a one-time invitation (72 hours) for its owner; the operator never holds the owner's keys. */
export async function operatorCreateBusiness(
  deps: AppDeps,
  input: { name: string; timezone?: string | undefined; currency?: string | undefined; ownerName: string },
): Promise<{ businessId: string; name: string; invite: { token: string; expiresAt: string; hours: number } }> {
  let ownerName: string;
  try {
    ownerName = checkStaffName(input.ownerName);
  } catch {
    // Said of the owner's name, not the business's (both would be "name").
    throw invalid('ownerName must be 1–100 characters', { field: 'ownerName' });
  }
  const { business } = await createBusiness(deps, { name: input.name, timezone: input.timezone, currency: input.currency });
  const invite = await inviteStaff(deps, { cli: true }, { businessId: business.id, role: 'owner', name: ownerName });
  return { businessId: business.id, name: business.name, invite: { ...invite, hours: INVITE_HOURS } };
}

