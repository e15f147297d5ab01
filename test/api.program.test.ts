// /program over HTTP: the rules as percentages, partial changes checked as a whole, tiers keeping their ids.
import { describe, expect, it } from 'vitest';
import { failure, useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';

const h = useApi();

describe('GET/PATCH /program', () => {
  it('reads the defaults and changes only what is given, with decimal percentages kept exactly', async () => {
    const { api } = await h.business();
    expect(await api.program.get()).toEqual({
      pointsName: 'баллы', currency: 'RUB', timezone: 'Europe/Moscow', earnPercent: 5, maxRedeemPercent: 30, minPurchaseToEarn: 0, welcomeBonus: 0,
      pointsLifetimeDays: 180, activationDelayDays: 0, pointValue: 100, tierWindowDays: null, lateReceiptWindowDays: 7, tiers: [],
      infoText: '', questionnaire: [{ id: 'birthday', type: 'birthday', label: '', required: false }],
      referral: { enabled: false, inviterBonus: 0, friendBonus: 0 }, rewards: [],
      branding: { logoUrl: null, accentColor: '#2f6fed', cardColor: '#1f2a44', cardTextColor: '#ffffff' },
      notifications: {
        language: 'ru', channelOrder: ['telegram', 'vk', 'sms', 'email'], quietHours: { start: '21:00', end: '09:00' }, sendAt: '12:00',
        accrualNotices: true, redemptionNotices: true, welcomeMessage: true, expiryReminderDays: [4, 1],
        birthday: { enabled: false, bonus: 0, validDays: 7, controlPercent: 0 }, winback: { enabled: false, afterDays: 45, bonus: 0, bonusValidDays: 14, controlPercent: 0 },
        reportWindowDays: 30, templates: {},
      },
    });
    const changed = await api.program.update({ earnPercent: 2.55, pointsName: 'бонусы', pointsLifetimeDays: null, timezone: 'Asia/Yekaterinburg' });
    expect(changed).toMatchObject({ earnPercent: 2.55, pointsName: 'бонусы', pointsLifetimeDays: null, timezone: 'Asia/Yekaterinburg', maxRedeemPercent: 30 });
    expect(await api.program.get()).toEqual(changed);
  });

  it('keeps what customers see: the owner\'s text, questions, referrals, rewards and branding, field by field', async () => {
    const { api } = await h.business();
    const changed = await api.program.update({
      infoText: 'Кофейня у дома. Пн–Вс 8–22.',
      questionnaire: [{ id: 'name', type: 'name', required: true }, { id: 'bday', type: 'birthday' }, { id: 'drink', type: 'text', label: 'Любимый напиток', required: false }],
      referral: { enabled: true, inviterBonus: 100, friendBonus: 50 },
      rewards: [{ id: 'latte', title: 'Латте', points: 300 }],
      branding: { accentColor: '#ff6600' },
    });
    expect(changed).toMatchObject({
      infoText: 'Кофейня у дома. Пн–Вс 8–22.',
      questionnaire: [{ id: 'name', type: 'name', label: '', required: true }, { id: 'bday', type: 'birthday', label: '', required: false }, { id: 'drink', type: 'text', label: 'Любимый напиток', required: false }],
      referral: { enabled: true, inviterBonus: 100, friendBonus: 50 },
      rewards: [{ id: 'latte', title: 'Латте', points: 300 }],
      branding: { logoUrl: null, accentColor: '#ff6600', cardColor: '#1f2a44', cardTextColor: '#ffffff' },
    });
    expect((await api.program.update({ referral: { friendBonus: 70 } })).referral).toEqual({ enabled: true, inviterBonus: 100, friendBonus: 70 });
    const bad = await failure(api.program.update({
      questionnaire: [{ id: 'a', type: 'text' }, { id: 'a', type: 'name' }, { id: 'n2', type: 'name' }],
      branding: { accentColor: 'red', logoUrl: 'javascript:alert(1)' },
      referral: { enabled: true, inviterBonus: 0, friendBonus: 0 },
      rewards: [{ id: 'x', title: ' ', points: 1 }],
    }));
    expect(bad).toMatchObject({ status: 422, code: 'invalid_program' });
    const messages = (bad.problem.errors as { message: string }[]).map((e) => e.message).join(' | ');
    for (const m of ['questionnaire[0].label', 'questionnaire[1].id "a" is used twice', 'only one name question', 'branding.accentColor', 'branding.logoUrl', 'referral: give at least one side', 'rewards[0].title']) {
      expect(messages).toContain(m);
    }
    expect((await api.program.get()).referral).toEqual({ enabled: true, inviterBonus: 100, friendBonus: 70 });
  });

  it('the new rates apply to the next purchase', async () => {
    const { api } = await h.business();
    const m = await api.members.create({ phone: nextPhone() });
    await api.program.update({ earnPercent: 12.5 });
    expect((await api.purchases.create({ member: { id: m.id }, amount: 1000_00 })).earnedPoints).toBe(125);
  });

  it('refuses invalid values and combinations with every reason, changing nothing', async () => {
    const { api } = await h.business();
    const before = await api.program.get();
    const combo = await failure(api.program.update({ pointsLifetimeDays: 10, activationDelayDays: 10, earnPercent: 2.555 }));
    expect(combo).toMatchObject({ status: 422, code: 'invalid_program' });
    const messages = (combo.problem.errors as { message: string }[]).map((e) => e.message).join(' | ');
    expect(messages).toMatch(/earnPercent/);
    expect(messages).toMatch(/activationDelayDays must be shorter than pointsLifetimeDays/);
    expect(await failure(api.program.update({ earnPercent: 101 }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.program.update({ timezone: 'Mars/Olympus' }))).toMatchObject({ status: 422, code: 'invalid_program' });
    expect(await failure(api.program.update({ currency: 'XYZ' }))).toMatchObject({ status: 422, code: 'invalid_program' });
    expect(await failure(api.program.update({ tiers: [{ name: 'Gold', minTotalSpent: 100, earnPercent: 7, maxRedeemPercent: 30 }, { name: 'Silver', minTotalSpent: 50, earnPercent: 6, maxRedeemPercent: 30 }] }))).toMatchObject({ status: 422, code: 'invalid_program' });
    expect(await failure(api.program.update({ bonusRate: 5 } as never))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await api.program.get()).toEqual(before);
  });

  it('currency may change only while no purchase exists', async () => {
    const { api } = await h.business();
    expect((await api.program.update({ currency: 'kzt' })).currency).toBe('KZT');
    const m = await api.members.create({ phone: nextPhone() });
    await api.purchases.create({ member: { id: m.id }, amount: 100_00 });
    expect(await failure(api.program.update({ currency: 'RUB' }))).toMatchObject({ status: 422, code: 'invalid_program' });
  });

  it('tiers: set as a list, ids kept by name across changes, and a member\'s tier follows their spend', async () => {
    const { api } = await h.business();
    const set = await api.program.update({
      tiers: [
        { name: 'Silver', minTotalSpent: 1000_00, earnPercent: 7, maxRedeemPercent: 40 },
        { name: 'Gold', minTotalSpent: 5000_00, earnPercent: 10, maxRedeemPercent: 50 },
      ],
    });
    const [silver, gold] = set.tiers;
    expect(silver?.id).toBeTruthy();
    const again = await api.program.update({ tiers: [{ name: 'Silver', minTotalSpent: 2000_00, earnPercent: 7.5, maxRedeemPercent: 40 }, { name: 'Gold', minTotalSpent: 5000_00, earnPercent: 10, maxRedeemPercent: 50 }] });
    expect(again.tiers.map((t) => t.id)).toEqual([silver?.id, gold?.id]);
    const m = await api.members.create({ phone: nextPhone() });
    const p = await api.purchases.create({ member: { id: m.id }, amount: 2500_00 });
    expect(p.tier).toBeNull();
    expect(p.member.tier).toEqual({ id: silver?.id, name: 'Silver' });
    const next = await api.purchases.create({ member: { id: m.id }, amount: 1000_00 });
    expect(next.tier).toEqual({ id: silver?.id, name: 'Silver' });
    expect(next.earnedPoints).toBe(75);
  });
});

describe('tier ids', () => {
  it('a duplicate id given by the caller is refused, not renamed', async () => {
    const { api } = await h.business();
    const e = await failure(api.program.update({ tiers: [{ id: 'gold', name: 'A', minTotalSpent: 1, earnPercent: 1, maxRedeemPercent: 1 }, { id: 'gold', name: 'B', minTotalSpent: 2, earnPercent: 1, maxRedeemPercent: 1 }] }));
    expect(e).toMatchObject({ status: 422, code: 'invalid_program' });
    expect((e.problem.errors as { message: string }[]).map((x) => x.message)).toContain('tiers[1].id "gold" is used twice');
  });
});
