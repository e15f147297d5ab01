// The admin panel's pure modules against the server's own rules: the rules preview computes what core's earning
// rules do, and the panel's copy of the role table (in its unit test) is the real one.
import { describe, expect, it } from 'vitest';
import { pointsEarned, redeemCap } from '../src/core/earning.js';
import { ROLE_PERMISSIONS } from '../src/core/staffRoles.js';
import { ROLE_PERMISSIONS as PANEL_COPY } from '../web/admin/src/nav.test.js';
import { previewRules } from '../web/admin/src/rules.js';

describe('the admin panel and the core rules', () => {
  it('the rules preview agrees with core for awkward rates and point values', () => {
    for (const [earn, redeem, value, amount] of [[5, 30, 100, 100_000], [2.5, 33.33, 100, 99_999], [7.77, 100, 1, 123_456], [0, 0, 7, 5_000], [12.34, 50, 250, 100_000]] as const) {
      const r = previewRules({ earnPercent: earn, maxRedeemPercent: redeem, pointValue: value, minPurchaseToEarn: 0 }, amount)!;
      expect(r.earnPoints).toBe(pointsEarned(amount, Math.round(earn * 100), value));
      expect(r.maxRedeemPoints).toBe(redeemCap(amount, Math.round(redeem * 100), value));
    }
  });

  it('the panel test\'s role table is the real one', () => {
    for (const role of ['cashier', 'manager', 'owner'] as const) expect([...PANEL_COPY[role]].sort()).toEqual([...ROLE_PERMISSIONS[role]].sort());
  });
});
