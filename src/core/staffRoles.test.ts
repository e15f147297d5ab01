import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, ROLE_PERMISSIONS, STAFF_ACTIONS, can, canAssignRole, checkLimits, requirePermission } from './staffRoles.js';

describe('the role table', () => {
  it('gives each role what the docs say, each including the role below', () => {
    expect(ROLE_PERMISSIONS.cashier).toEqual(['till.earn', 'till.redeem', 'member.lookup']);
    expect(ROLE_PERMISSIONS.manager.filter((a) => !ROLE_PERMISSIONS.cashier.includes(a))).toEqual(['member.search', 'member.history', 'points.adjust', 'report.today', 'report.export', 'audit.read', 'chat.reply']);
    expect(ROLE_PERMISSIONS.admin.filter((a) => !ROLE_PERMISSIONS.manager.includes(a))).toEqual(['points.bulk', 'settings.change', 'staff.manage', 'broadcast.send']);
    expect([...ROLE_PERMISSIONS.owner].sort()).toEqual([...STAFF_ACTIONS].sort());
    expect(can('cashier', 'points.adjust')).toBe(false);
    expect(() => requirePermission('manager', 'staff.manage')).toThrow(/manager may not/);
  });
  it('lets staff give only roles below their own, and nobody make another owner', () => {
    expect(canAssignRole('owner', 'admin')).toBe(true);
    expect(canAssignRole('owner', 'owner')).toBe(false);
    expect(canAssignRole('admin', 'manager')).toBe(true);
    expect(canAssignRole('admin', 'admin')).toBe(false);
    expect(canAssignRole('manager', 'cashier')).toBe(true);
    expect(canAssignRole('cashier', 'cashier')).toBe(false);
  });
});

describe('limits', () => {
  const l = { maxPointsPerOperation: 500, maxPointsPerDay: 1000, budget: { points: 3000, days: 30 } };
  it('holds manual operations to the per-operation limit and everything issued to the day and the budget', () => {
    expect(checkLimits(l, { points: 501, manual: true }, { today: 0, budgetPeriod: 0 })).toEqual({ limit: 'per_operation', allowed: 500, wanted: 501 });
    expect(checkLimits(l, { points: -501, manual: true }, { today: 0, budgetPeriod: 0 })).toMatchObject({ limit: 'per_operation' });
    expect(checkLimits(l, { points: 600, manual: false }, { today: 0, budgetPeriod: 0 })).toBeNull();
    expect(checkLimits(l, { points: 300, manual: false }, { today: 800, budgetPeriod: 800 })).toEqual({ limit: 'per_day', allowed: 200, wanted: 300 });
    expect(checkLimits(l, { points: 100, manual: false }, { today: 0, budgetPeriod: 2950 })).toEqual({ limit: 'budget', allowed: 50, wanted: 100 });
    expect(checkLimits(l, { points: -400, manual: true }, { today: 5000, budgetPeriod: 5000 })).toBeNull();
    expect(checkLimits(DEFAULT_LIMITS.owner, { points: 1_000_000, manual: true }, { today: 1e9, budgetPeriod: 1e9 })).toBeNull();
  });
});
