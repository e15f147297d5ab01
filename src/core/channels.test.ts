import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHANNEL_ORDER, chooseChannel, inControlGroup, maySend, uplift } from './channels.js';

describe('channels', () => {
  it('picks the first configured channel the member can be reached on and has not blocked', () => {
    const all = ['telegram', 'vk', 'sms', 'email'] as const;
    expect(chooseChannel(DEFAULT_CHANNEL_ORDER, all, { addresses: { telegram: '1', sms: '+7', email: 'a@b.c' }, dead: [] })).toBe('telegram');
    expect(chooseChannel(DEFAULT_CHANNEL_ORDER, all, { addresses: { telegram: '1', sms: '+7' }, dead: ['telegram'] })).toBe('sms');
    expect(chooseChannel(DEFAULT_CHANNEL_ORDER, ['email'], { addresses: { telegram: '1', sms: '+7' }, dead: [] })).toBeNull();
    expect(chooseChannel(['email', 'telegram'], all, { addresses: { telegram: '1', email: 'a@b.c' }, dead: [] })).toBe('email');
    expect(maySend('service', false)).toBe(true);
    expect(maySend('marketing', false)).toBe(false);
  });

  it('holds out a stable control group of about the asked share', () => {
    expect(inControlGroup('c1', 'm1', 10)).toBe(inControlGroup('c1', 'm1', 10));
    expect(inControlGroup('c1', 'm1', 0)).toBe(false);
    expect(inControlGroup('c1', 'm1', 100)).toBe(true);
    const n = 20_000;
    const held = Array.from({ length: n }, (_, i) => inControlGroup('campaign-7', `member-${i}`, 10)).filter(Boolean).length;
    expect(held / n).toBeGreaterThan(0.09);
    expect(held / n).toBeLessThan(0.11);
    fc.assert(fc.property(fc.string(), fc.string(), fc.integer({ min: 0, max: 100 }), (c, m, p) => inControlGroup(c, m, p) === inControlGroup(c, m, p)));
  });

  it('reports the uplift of treated over control', () => {
    const r = uplift({ members: 900, returned: 270, revenue: 900 * 50_000 }, { members: 100, returned: 20, revenue: 100 * 30_000 });
    expect(r.treated.returnRate).toBeCloseTo(0.3);
    expect(r.control.returnRate).toBeCloseTo(0.2);
    expect(r.returnRateUplift).toBeCloseTo(0.1);
    expect(r.revenuePerMemberUplift).toBe(20_000);
    expect(uplift({ members: 10, returned: 1, revenue: 0 }, { members: 0, returned: 0, revenue: 0 }).returnRateUplift).toBeNull();
  });
});
