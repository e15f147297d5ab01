import { describe, expect, it } from 'vitest';
import { menuFor, pathOf, resolve } from './nav.js';

// The role table of src/core/staffRoles.ts (test/adminPanel.test.ts checks these copies against it).
export const ROLE_PERMISSIONS = {
  cashier: ['till.earn', 'till.redeem', 'member.lookup'],
  manager: ['till.earn', 'till.redeem', 'member.lookup', 'member.search', 'member.history', 'points.adjust', 'report.today', 'report.export', 'audit.read', 'chat.reply'],
  owner: ['till.earn', 'till.redeem', 'member.lookup', 'member.search', 'member.history', 'points.adjust', 'report.today', 'report.export', 'audit.read', 'chat.reply', 'points.bulk', 'settings.change', 'staff.manage', 'broadcast.send', 'owner.transfer'],
};
const perms = (role: keyof typeof ROLE_PERMISSIONS) => [...ROLE_PERMISSIONS[role]];

describe('the side menu and addresses by permission', () => {
  it('an owner sees every page; a manager no settings, staff or broadcasts; a cashier nothing', () => {
    expect(menuFor(perms('owner')).map((p) => p.name)).toEqual(['dashboard', 'customers', 'inbox', 'broadcasts', 'settings', 'staff', 'data', 'audit']);
    expect(menuFor(perms('manager')).map((p) => p.name)).toEqual(['dashboard', 'customers', 'inbox', 'data', 'audit']);
    expect(menuFor(perms('cashier'))).toEqual([]);
  });

  it('resolves addresses, with the member id, and names unknown ones', () => {
    expect(resolve('/admin/', perms('manager')).page?.name).toBe('dashboard');
    expect(resolve('/admin/settings', perms('manager')).page?.name).toBe('settings'); // found; the app then says "no access"
    expect(resolve('/admin/customers/ab%20c', perms('owner'))).toMatchObject({ page: { name: 'member' }, params: { id: 'ab c' } });
    expect(resolve('/admin/customers/', perms('owner')).page?.name).toBe('customers');
    expect(resolve('/admin/nope', perms('owner'))).toMatchObject({ page: null, unknown: true });
    expect(resolve('/admin/customers/%E0%A4%A', perms('owner')).page).toBeNull();
    expect(pathOf('member', { id: 'a/b' })).toBe('/admin/customers/a%2Fb');
  });
});
