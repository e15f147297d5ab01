// Staff roles and what each may do: one table, checked by every staff endpoint and bot action (docs/STAFF.md).
import { DomainError } from './errors.js';

export const STAFF_ROLES = ['owner', 'admin', 'manager', 'cashier'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_ACTIONS = [
  'till.earn', // accrue for a purchase at the till
  'till.redeem', // pay part of a purchase with points
  'member.lookup', // find one member by QR, phone, last 4 digits or card number
  'member.search', // search all members by name, browse
  'member.history', // a member's full history
  'points.adjust', // accrue or write off a fixed number with a reason
  'points.bulk', // accrue to all members
  'report.today', // today's totals
  'report.export', // export members and history
  'audit.read', // the audit log
  'chat.reply', // read members' messages to the business and answer them
  'settings.change', // program rules, branding, bots
  'staff.manage', // invite, block, remove staff; their limits
  'broadcast.send', // messages to all members
  'owner.transfer', // hand the business to another staff member
] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

const CASHIER: readonly StaffAction[] = ['till.earn', 'till.redeem', 'member.lookup'];
const MANAGER: readonly StaffAction[] = [...CASHIER, 'member.search', 'member.history', 'points.adjust', 'report.today', 'report.export', 'audit.read', 'chat.reply'];
const ADMIN: readonly StaffAction[] = [...MANAGER, 'points.bulk', 'settings.change', 'staff.manage', 'broadcast.send'];

/** The table. Each role may do what the role below it may, and more. */
export const ROLE_PERMISSIONS: Readonly<Record<StaffRole, readonly StaffAction[]>> = {
  cashier: CASHIER,
  manager: MANAGER,
  admin: ADMIN,
  owner: [...ADMIN, 'owner.transfer'],
};

export const isStaffRole = (v: unknown): v is StaffRole => typeof v === 'string' && (STAFF_ROLES as readonly string[]).includes(v);

export const can = (role: StaffRole, action: StaffAction): boolean => ROLE_PERMISSIONS[role].includes(action);

/** Throws `forbidden` unless the role may do the action. */
export function requirePermission(role: StaffRole, action: StaffAction): void {
  if (!can(role, action)) throw new DomainError('forbidden', `A ${role} may not do ${action}`, { action, role });
}

/** Staff may give or change only roles below their own (the owner: any but owner; ownership is transferred). */
export function canAssignRole(by: StaffRole, role: StaffRole): boolean {
  const rank = (r: StaffRole) => STAFF_ROLES.length - STAFF_ROLES.indexOf(r);
  return role !== 'owner' && (by === 'owner' || rank(role) < rank(by));
}

export interface StaffLimits {
  maxPointsPerOperation: number | null;
  maxPointsPerDay: number | null;
  budget: { points: number; days: number } | null;
}

/** Defaults per role: cashiers are held tight, owners not at all. */
export const DEFAULT_LIMITS: Readonly<Record<StaffRole, StaffLimits>> = {
  cashier: { maxPointsPerOperation: 500, maxPointsPerDay: 5000, budget: null },
  manager: { maxPointsPerOperation: 5000, maxPointsPerDay: 50_000, budget: null },
  admin: { maxPointsPerOperation: null, maxPointsPerDay: null, budget: null },
  owner: { maxPointsPerOperation: null, maxPointsPerDay: null, budget: null },
};

export type LimitBreach = { limit: 'per_operation' | 'per_day' | 'budget'; allowed: number; wanted: number };

/**
 * Whether issuing `points` more is within the limits, given what this person issued today and in the budget's
 * period. `manual`: a fixed accrual or write-off (the per-operation limit applies to those only; a purchase's points
 * follow the program's rules).
 */
export function checkLimits(limits: StaffLimits, op: { points: number; manual: boolean }, issued: { today: number; budgetPeriod: number }): LimitBreach | null {
  const size = Math.abs(op.points);
  if (op.manual && limits.maxPointsPerOperation !== null && size > limits.maxPointsPerOperation) {
    return { limit: 'per_operation', allowed: limits.maxPointsPerOperation, wanted: size };
  }
  if (op.points <= 0) return null; // taking points away never inflates anything
  if (limits.maxPointsPerDay !== null && issued.today + op.points > limits.maxPointsPerDay) {
    return { limit: 'per_day', allowed: Math.max(0, limits.maxPointsPerDay - issued.today), wanted: op.points };
  }
  if (limits.budget && issued.budgetPeriod + op.points > limits.budget.points) {
    return { limit: 'budget', allowed: Math.max(0, limits.budget.points - issued.budgetPeriod), wanted: op.points };
  }
  return null;
}
