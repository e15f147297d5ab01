// Managing staff: invitations (one-time, 72 hours), roles (only below one's own), locations, limits, blocking and
// removing (sessions end at once), and handing ownership over. Every change is in the audit log.
import {
  DomainError,
  STAFF_ROLES,
  canAssignRole,
  invalid,
  isStaffRole,
  requirePermission,
  type StaffLimits,
  type StaffMember,
  type StaffRole,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import { checkStaffName, hashSecret, newSecret } from './staffSessions.js';

export const INVITE_HOURS = 72;

/** Who does it: a signed-in staff member (with the channel they use), the server's own CLI, or a business-wide API key. */
export type StaffCaller = { staff: StaffMember; channel: string } | { cli: true } | { apiKeyId: string };

export interface StaffView {
  id: string;
  name: string;
  role: StaffRole;
  locationIds: string[];
  email: string | null;
  telegramUsername: string | null;
  limits: StaffLimits;
  status: 'active' | 'blocked';
  createdAt: string;
}

export const staffView = (s: StaffMember): StaffView => ({
  id: s.id,
  name: s.name,
  role: s.role,
  locationIds: [...s.locationIds],
  email: s.email,
  telegramUsername: s.telegramUsername,
  limits: s.limits,
  status: s.status === 'blocked' ? 'blocked' : 'active',
  createdAt: s.createdAt.toISOString(),
});

export const actorOf = (c: StaffCaller): AuditActor =>
  'cli' in c ? { staffId: null, staffRole: 'cli', channel: 'cli' } : 'apiKeyId' in c ? { staffId: null, staffRole: 'api_key', channel: 'api' } : { staffId: c.staff.id, staffRole: c.staff.role, channel: c.channel };

/** Who an audit entry names: the staff member (and role, channel), or the CLI or an API key. */
export interface AuditActor {
  staffId: string | null;
  staffRole: string;
  channel: string;
}

function mayManage(c: StaffCaller, role: StaffRole): void {
  if ('cli' in c) return; // the server's operator
  if ('apiKeyId' in c) {
    // The business's own integration: any role but the owner's (made from the CLI or by handing over).
    if (role === 'owner') throw new DomainError('forbidden', 'An API key may not give or change the role owner');
    return;
  }
  requirePermission(c.staff.role, 'staff.manage');
  if (!canAssignRole(c.staff.role, role)) throw new DomainError('forbidden', `A ${c.staff.role} may not give or change the role ${role}`);
}

function checkLocations(ids: unknown): string[] {
  if (!Array.isArray(ids) || ids.length > 50 || !ids.every((x) => typeof x === 'string' && UUID_RE.test(x))) throw invalid('locationIds must be a list of location ids', { field: 'locationIds' });
  return [...new Set(ids as string[])];
}

export async function inviteStaff(
  deps: AppDeps,
  caller: StaffCaller,
  input: { businessId: string; role: StaffRole; name: string; locationIds?: string[] | undefined },
): Promise<{ token: string; expiresAt: string }> {
  if (!isStaffRole(input.role)) throw invalid(`role must be one of ${STAFF_ROLES.join(', ')}`, { field: 'role' });
  // The first owner is made from the CLI; later owners only by transfer.
  if (input.role === 'owner' && !('cli' in caller)) throw new DomainError('forbidden', 'Ownership is handed over, not invited');
  mayManage(caller, input.role);
  const name = checkStaffName(input.name);
  const locationIds = checkLocations(input.locationIds ?? []);
  const token = newSecret('ksi_', 24);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + INVITE_HOURS * 3_600_000);
  await deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    if ('staff' in caller && caller.staff.businessId !== business.id) throw new DomainError('forbidden');
    for (const id of locationIds) if (!(await repos.businesses.locationExists(business.id, id))) throw invalid('locationIds: not a location of this business', { field: 'locationIds' });
    const createdBy = 'staff' in caller ? caller.staff.id : null;
    await repos.staff.addInvite(hashSecret(token), { businessId: business.id, role: input.role, name, locationIds, createdBy }, now, expiresAt);
    await repos.staff.addAudit({ businessId: business.id, at: now, ...actorOf(caller), action: 'staff.invited', memberId: null, points: null, issuedPoints: 0, amount: null, details: { role: input.role, name } });
  });
  return { token, expiresAt: expiresAt.toISOString() };
}

export async function listStaff(deps: AppDeps, caller: { staff: StaffMember }): Promise<StaffView[]> {
  requirePermission(caller.staff.role, 'staff.manage');
  return (await deps.uow.run((repos) => repos.staff.list(caller.staff.businessId))).map(staffView);
}

export interface StaffChange {
  name?: string | undefined;
  role?: StaffRole | undefined;
  locationIds?: string[] | undefined;
  limits?: Partial<StaffLimits> | undefined;
  status?: 'active' | 'blocked' | 'removed' | undefined;
}

function checkLimitsInput(l: Partial<StaffLimits>, current: StaffLimits): StaffLimits {
  const n = (v: unknown, field: string) => {
    if (v !== null && !(Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 100_000_000)) throw invalid(`${field} must be null or a whole number of points`, { field: `limits.${field}` });
    return v as number | null;
  };
  const budget = l.budget === undefined ? current.budget : l.budget;
  if (budget !== null && !(Number.isSafeInteger(budget.points) && budget.points >= 0 && Number.isSafeInteger(budget.days) && budget.days >= 1 && budget.days <= 366)) {
    throw invalid('budget must be null or {points, days (1–366)}', { field: 'limits.budget' });
  }
  return {
    maxPointsPerOperation: l.maxPointsPerOperation === undefined ? current.maxPointsPerOperation : n(l.maxPointsPerOperation, 'maxPointsPerOperation'),
    maxPointsPerDay: l.maxPointsPerDay === undefined ? current.maxPointsPerDay : n(l.maxPointsPerDay, 'maxPointsPerDay'),
    budget: budget === null ? null : { points: budget.points, days: budget.days },
  };
}

/** Changes a staff member: name, role, locations, limits; blocks, unblocks or removes them (their sessions end). */
export async function updateStaff(deps: AppDeps, caller: StaffCaller, input: { businessId: string; staffId: string; change: StaffChange }): Promise<StaffView | null> {
  const c = input.change;
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const target = UUID_RE.test(input.staffId) ? await repos.staff.lock(input.businessId, input.staffId) : null;
    if (!target || target.status === 'removed') throw new DomainError('staff_not_found');
    if ('staff' in caller) {
      if (caller.staff.businessId !== target.businessId) throw new DomainError('staff_not_found');
      if (caller.staff.id === target.id) throw new DomainError('forbidden', 'Staff may not change their own role, limits or status');
    }
    if (target.role === 'owner') throw new DomainError('forbidden', 'The owner changes only by handing ownership over');
    mayManage(caller, target.role);
    if (c.role !== undefined) {
      if (!isStaffRole(c.role)) throw invalid(`role must be one of ${STAFF_ROLES.join(', ')}`, { field: 'role' });
      mayManage(caller, c.role);
    }
    const next: StaffMember = {
      ...target,
      name: c.name !== undefined ? checkStaffName(c.name) : target.name,
      role: c.role ?? target.role,
      locationIds: c.locationIds !== undefined ? checkLocations(c.locationIds) : target.locationIds,
      limits: c.limits !== undefined ? checkLimitsInput(c.limits, target.limits) : target.limits,
      status: c.status ?? target.status,
    };
    if (!['active', 'blocked', 'removed'].includes(next.status)) throw invalid('status must be active, blocked or removed', { field: 'status' });
    for (const id of c.locationIds ?? []) if (!(await repos.businesses.locationExists(target.businessId, id))) throw invalid('locationIds: not a location of this business', { field: 'locationIds' });
    await repos.staff.update(next);
    const ended = next.status !== 'active' ? await repos.staff.endSessions(target.businessId, target.id) : 0;
    await repos.staff.addAudit({ businessId: target.businessId, at: now, ...actorOf(caller), action: 'staff.changed', memberId: null, points: null, issuedPoints: 0, amount: null, details: { staffId: target.id, change: c, sessionsEnded: ended } });
    return next.status === 'removed' ? null : staffView(next);
  });
}

/** The owner hands the business to another active staff member, and becomes an admin. */
export async function transferOwnership(deps: AppDeps, caller: { staff: StaffMember; channel: string }, input: { toStaffId: string }): Promise<StaffView> {
  requirePermission(caller.staff.role, 'owner.transfer');
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const me = await repos.staff.lock(caller.staff.businessId, caller.staff.id);
    const to = UUID_RE.test(input.toStaffId) ? await repos.staff.lock(caller.staff.businessId, input.toStaffId) : null;
    if (!me || me.role !== 'owner') throw new DomainError('forbidden');
    if (!to || to.status !== 'active' || to.id === me.id) throw new DomainError('staff_not_found', 'Hand the business to another active staff member');
    await repos.staff.update({ ...to, role: 'owner', limits: { maxPointsPerOperation: null, maxPointsPerDay: null, budget: null } });
    await repos.staff.update({ ...me, role: 'admin' });
    await repos.staff.addAudit({ businessId: me.businessId, at: now, staffId: me.id, staffRole: 'owner', action: 'owner.transferred', memberId: null, points: null, issuedPoints: 0, amount: null, channel: caller.channel, details: { to: to.id } });
    return staffView({ ...to, role: 'owner' });
  });
}
