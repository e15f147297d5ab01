// Joining through a business's Telegram bot by sharing one's phone: new members, members from the till linked,
// forged contacts refused, a changed number, and consents kept as a log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordConsent } from '../src/app/consents.js';
import { createMember } from '../src/app/createMember.js';
import { joinFromTelegram } from '../src/app/joinFromTelegram.js';
import { DomainError } from '../src/core/index.js';
import { aBusiness, nextPhone } from './support/factories.js';
import { checkLedgerInvariants } from './support/invariants.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return 'ok';
};

describe('joinFromTelegram', () => {
  it('a new phone makes a member with the Telegram name, the welcome bonus once, and the account tied to it', async () => {
    const b = await aBusiness(t.deps, { welcomeBonus: 100 });
    const phone = nextPhone();
    const input = { businessId: b.id, telegramUserId: 5001, contact: { phone: phone.slice(1), userId: 5001 }, profile: { firstName: 'Анна', lastName: 'К.', username: 'anna_k' } };
    const first = await joinFromTelegram(t.deps, input);
    expect(first).toMatchObject({ outcome: 'joined', welcomeBonus: 100, member: { phone, name: 'Анна К.', balance: { available: 100 } } });
    const again = await joinFromTelegram(t.deps, input);
    expect(again).toMatchObject({ outcome: 'returning', welcomeBonus: 0, member: { id: first.member.id, balance: { available: 100 } } });
    const row = await t.db.selectFrom('members').select(['telegram_user_id', 'telegram_username']).where('id', '=', first.member.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ telegram_user_id: 5001, telegram_username: 'anna_k' });
    const welcomes = await t.db.selectFrom('ledger_transactions').select('id').where('member_id', '=', first.member.id).where('type', '=', 'welcome').execute();
    expect(welcomes).toHaveLength(1);
    await checkLedgerInvariants(t.db);
  });

  it('a member enrolled at the till is linked, not duplicated, and keeps their points', async () => {
    const b = await aBusiness(t.deps, { welcomeBonus: 50 });
    const phone = nextPhone();
    const atTill = await createMember(t.deps, { businessId: b.id, phone, name: 'Пётр' });
    const joined = await joinFromTelegram(t.deps, { businessId: b.id, telegramUserId: 6001, contact: { phone, userId: 6001 }, profile: { firstName: 'Petya' } });
    expect(joined).toMatchObject({ outcome: 'linked', welcomeBonus: 0, member: { id: atTill.member.id, name: 'Пётр', balance: { available: 50 } } });
    const count = await t.db.selectFrom('members').select((eb) => eb.fn.countAll().as('n')).where('business_id', '=', b.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('refuses a contact that is not the sender\'s own (forwarded, typed in, or without user_id), changing nothing', async () => {
    const b = await aBusiness(t.deps);
    const phone = nextPhone();
    expect(await code(joinFromTelegram(t.deps, { businessId: b.id, telegramUserId: 7001, contact: { phone, userId: 7002 }, profile: {} }))).toBe('contact_not_own');
    expect(await code(joinFromTelegram(t.deps, { businessId: b.id, telegramUserId: 7001, contact: { phone }, profile: {} }))).toBe('contact_not_own');
    expect(await code(joinFromTelegram(t.deps, { businessId: b.id, telegramUserId: 7001, contact: { phone: '12', userId: 7001 }, profile: {} }))).toBe('invalid_phone');
    expect(await code(joinFromTelegram(t.deps, { businessId: b.id, telegramUserId: -1, contact: { phone, userId: -1 }, profile: {} }))).toBe('validation_failed');
    const rows = await t.db.selectFrom('members').select('id').where('business_id', '=', b.id).execute();
    expect(rows).toEqual([]);
  });

  it('a new number from the same Telegram account makes a new card and moves the link to it', async () => {
    const b = await aBusiness(t.deps);
    const old = await joinFromTelegram(t.deps, { businessId: b.id, telegramUserId: 8001, contact: { phone: nextPhone(), userId: 8001 }, profile: {} });
    const fresh = await joinFromTelegram(t.deps, { businessId: b.id, telegramUserId: 8001, contact: { phone: nextPhone(), userId: 8001 }, profile: {} });
    expect(fresh.outcome).toBe('joined');
    expect(fresh.member.id).not.toBe(old.member.id);
    const linked = await t.db.selectFrom('members').select(['id', 'telegram_user_id']).where('business_id', '=', b.id).execute();
    expect(Object.fromEntries(linked.map((r) => [r.id, r.telegram_user_id]))).toEqual({ [old.member.id]: null, [fresh.member.id]: 8001 });
  });

  it('the same Telegram account in two businesses is two members', async () => {
    const a = await aBusiness(t.deps);
    const b = await aBusiness(t.deps);
    const phone = nextPhone();
    const inA = await joinFromTelegram(t.deps, { businessId: a.id, telegramUserId: 9001, contact: { phone, userId: 9001 }, profile: {} });
    const inB = await joinFromTelegram(t.deps, { businessId: b.id, telegramUserId: 9001, contact: { phone, userId: 9001 }, profile: {} });
    expect(inA.outcome).toBe('joined');
    expect(inB.outcome).toBe('joined');
    expect(inA.member.id).not.toBe(inB.member.id);
  });
});

describe('recordConsent', () => {
  it('keeps every answer with its time, text version and channel; the latest per kind counts', async () => {
    const b = await aBusiness(t.deps);
    const m = await joinFromTelegram(t.deps, { businessId: b.id, telegramUserId: 10001, contact: { phone: nextPhone(), userId: 10001 }, profile: {} });
    const base = { businessId: b.id, memberId: m.member.id, channel: 'telegram' };
    await recordConsent(t.deps, { ...base, kind: 'personal_data', granted: true, textVersion: 'pd-2026-01' });
    await recordConsent(t.deps, { ...base, kind: 'marketing', granted: true, textVersion: 'mk-1' });
    t.clock.advance(60_000);
    const now = await recordConsent(t.deps, { ...base, kind: 'marketing', granted: false, textVersion: 'mk-1' });
    expect(now.map((c) => [c.kind, c.granted, c.textVersion])).toEqual([['marketing', false, 'mk-1'], ['personal_data', true, 'pd-2026-01']]);
    const log = await t.db.selectFrom('member_consents').select(['kind', 'granted']).where('member_id', '=', m.member.id).orderBy('id').execute();
    expect(log).toEqual([{ kind: 'personal_data', granted: true }, { kind: 'marketing', granted: true }, { kind: 'marketing', granted: false }]);
    expect(await code(recordConsent(t.deps, { ...base, kind: 'spam' as 'marketing', granted: true, textVersion: 'x' }))).toBe('validation_failed');
    expect(await code(recordConsent(t.deps, { ...base, memberId: '01a20771-32a6-7b76-a0fd-74d4d388d090', kind: 'marketing', granted: true, textVersion: 'x' }))).toBe('member_not_found');
  });
});
