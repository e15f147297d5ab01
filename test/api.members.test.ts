// /members over HTTP: enrol, look up, read, change, block, history with pages, adjustments and QR tokens.
import { afterAll, describe, expect, it } from 'vitest';
import { failure, useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';

const h = useApi();
afterAll(() => {
  expect(h.checked.count).toBeGreaterThan(40);
});

describe('POST /members', () => {
  it('enrols a member with a normalised phone, a card number and the welcome bonus', async () => {
    const { api } = await h.business({ welcomeBonus: 100 });
    const m = await api.members.create({ phone: '8 (916) 555-01-01', name: '  Анна ', birthday: '1990-05-01', email: 'Anna@Example.com' });
    expect(m).toMatchObject({ phone: '+79165550101', name: 'Анна', birthday: '1990-05-01', email: 'anna@example.com', blocked: false, tier: null, totalSpent: 0, purchasesCount: 0 });
    expect(m.cardNumber).toMatch(/^\d{10}$/);
    expect(m.balance.available).toBe(100);
    expect(m.balance.expiringSoon).toEqual([]);
  });

  it('an existing phone is 409 member_exists with the existing member\'s id', async () => {
    const { api } = await h.business();
    const phone = nextPhone();
    const first = await api.members.create({ phone });
    const e = await failure(api.members.create({ phone: phone.replace('+7', '8') }));
    expect(e).toMatchObject({ status: 409, code: 'member_exists' });
    expect(e.problem.memberId).toBe(first.id);
  });

  it('refuses bad input with every problem named, and creates nothing', async () => {
    const { id, api } = await h.business();
    expect(await failure(api.members.create({ phone: '12' }))).toMatchObject({ status: 400, code: 'invalid_phone' });
    const bad = await failure(api.members.create({ phone: nextPhone(), birthday: '1990-02-30', email: 'x'.repeat(300) }));
    expect(bad).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((bad.problem.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['birthday', 'email']);
    const unknown = await failure(api.request('POST', '/members', { body: { phone: nextPhone(), nickname: 'x' }, idempotencyKey: 'k1' }));
    expect(unknown.problem.errors).toEqual([{ path: '', message: 'unknown field(s): nickname' }]);
    const future = await failure(api.members.create({ phone: nextPhone(), birthday: '2999-01-01' }));
    expect(future).toMatchObject({ status: 400, code: 'validation_failed' });
    const rows = await h.t.db.selectFrom('members').select('id').where('business_id', '=', id).execute();
    expect(rows).toEqual([]);
  });
});

describe('GET /members', () => {
  it('finds by phone in any format, by card, by the last 4 digits (every match) and by text', async () => {
    const { api } = await h.business();
    const a = await api.members.create({ phone: '+79160001234', name: 'Мария Иванова' });
    const b = await api.members.create({ phone: '+79265551234', name: 'Пётр' });
    expect((await api.members.find({ phone: '8 916 000-12-34' })).map((m) => m.id)).toEqual([a.id]);
    expect((await api.members.find({ card: a.cardNumber.replace(/(\d{5})/, '$1 ') })).map((m) => m.id)).toEqual([a.id]);
    expect((await api.members.find({ last4: '1234' })).map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    expect((await api.members.find({ q: 'иван' })).map((m) => m.id)).toEqual([a.id]);
    expect((await api.members.find({ q: '926555' })).map((m) => m.id)).toEqual([b.id]);
    expect(await api.members.find({ phone: '+79169999999' })).toEqual([]);
  });

  it('needs exactly one way to search, and checks it', async () => {
    const { api } = await h.business();
    // No lookup at all is the members list (api.membersList.test.ts); a lookup with list parameters is refused.
    expect(await failure(api.request('GET', '/members', { query: { phone: '+79160000000', sort: 'name' } }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.request('GET', '/members', { query: { phone: '+79160000000', last4: '0000' } }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.members.find({ card: '1234567890' }))).toMatchObject({ status: 400, code: 'invalid_card_number' });
    expect(await failure(api.members.find({ last4: '12a4' }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.members.find({ q: 'a' }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.request('GET', '/members', { query: { phone: '1', color: 'red' } }))).toMatchObject({ status: 400, code: 'validation_failed' });
  });
});

describe('GET and PATCH /members/{id}', () => {
  it('reads a member; an unknown or malformed id is 404 member_not_found', async () => {
    const { api } = await h.business();
    const m = await api.members.create({ phone: nextPhone() });
    expect(await api.members.get(m.id)).toEqual(m);
    expect(await failure(api.members.get('01a20771-32a6-7b76-a0fd-74d4d388d090'))).toMatchObject({ status: 404, code: 'member_not_found' });
    expect(await failure(api.members.get('not-an-id'))).toMatchObject({ status: 404, code: 'member_not_found' });
  });

  it('changes only the fields given, clears with null, and blocking stops earning until unblocked', async () => {
    const { api } = await h.business();
    const m = await api.members.create({ phone: nextPhone(), name: 'Old', email: 'a@b.ru' });
    const renamed = await api.members.update(m.id, { name: 'New', email: null });
    expect(renamed).toMatchObject({ name: 'New', email: null, birthday: null, blocked: false });
    const blocked = await api.members.update(m.id, { blocked: true });
    expect(blocked.blocked).toBe(true);
    expect(await failure(api.purchases.create({ member: { id: m.id }, amount: 100_00 }))).toMatchObject({ status: 422, code: 'member_blocked' });
    expect(await failure(api.members.update(m.id, { blocked: 'yes' as unknown as boolean }))).toMatchObject({ status: 400, code: 'validation_failed' });
    await api.members.update(m.id, { blocked: false });
    expect((await api.purchases.create({ member: { id: m.id }, amount: 100_00 })).earnedPoints).toBe(5);
    expect(await failure(api.members.update('01a20771-32a6-7b76-a0fd-74d4d388d090', { name: 'x' }))).toMatchObject({ status: 404, code: 'member_not_found' });
  });
});

describe('GET /members/{id}/transactions', () => {
  it('pages through the history newest first with a cursor', async () => {
    const { api } = await h.business({ welcomeBonus: 10 });
    const m = await api.members.create({ phone: nextPhone() });
    for (let i = 1; i <= 5; i++) await api.members.adjust(m.id, { points: i, reason: `gift ${i}` });
    const first = await api.members.transactions(m.id, { limit: 4 });
    expect(first.items.map((t) => t.points)).toEqual([5, 4, 3, 2]);
    expect(first.items[0]).toMatchObject({ type: 'adjust', reason: 'gift 5', balanceAfter: 25, who: { type: 'api_key' } });
    expect(first.nextCursor).not.toBeNull();
    const second = await api.members.transactions(m.id, { limit: 4, cursor: first.nextCursor ?? '' });
    expect(second.items.map((t) => [t.type, t.points])).toEqual([['adjust', 1], ['welcome', 10]]);
    expect(second.nextCursor).toBeNull();
    expect(await failure(api.members.transactions(m.id, { limit: 0 }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.members.transactions(m.id, { limit: 101 }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.members.transactions(m.id, { cursor: 'garbage' }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.members.transactions('nope'))).toMatchObject({ status: 404, code: 'member_not_found' });
  });
});

describe('POST /members/{id}/adjustments', () => {
  it('accrues and writes off, refusing a write-off larger than the balance and a zero', async () => {
    const { api } = await h.business();
    const m = await api.members.create({ phone: nextPhone() });
    const plus = await api.members.adjust(m.id, { points: 50, reason: 'Sorry for the wait' });
    expect(plus).toMatchObject({ points: 50, reason: 'Sorry for the wait', balance: { available: 50, pending: 0 } });
    expect(plus.member.balance.available).toBe(50);
    expect(plus.expiresAt).not.toBeNull();
    const minus = await api.members.adjust(m.id, { points: -20, reason: 'Correction' });
    expect(minus.balance.available).toBe(30);
    expect(await failure(api.members.adjust(m.id, { points: -31, reason: 'Too much' }))).toMatchObject({ status: 422, code: 'insufficient_points' });
    expect(await failure(api.members.adjust(m.id, { points: 0, reason: 'Nothing' }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.members.adjust(m.id, { points: 1.5, reason: 'Half' }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.members.adjust(m.id, { points: 5, reason: '' }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((await api.members.get(m.id)).balance.available).toBe(30);
  });
});

describe('POST /members/{id}/qr-token', () => {
  it('gives a token the till can pay with; a tampered, foreign or expired token is refused', async () => {
    const shop = await h.business();
    const other = await h.business();
    const m = await shop.api.members.create({ phone: nextPhone() });
    const { token, expiresAt } = await shop.api.members.qrToken(m.id);
    expect(new Date(expiresAt).getTime() - h.t.clock.now().getTime()).toBe(600_000);
    const p = await shop.api.purchases.create({ member: { qrToken: token }, amount: 200_00 });
    expect(p.memberId).toBe(m.id);
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect(await failure(shop.api.purchases.create({ member: { qrToken: tampered }, amount: 200_00 }))).toMatchObject({ status: 400, code: 'invalid_qr_token' });
    expect(await failure(other.api.purchases.create({ member: { qrToken: token }, amount: 200_00 }))).toMatchObject({ status: 400, code: 'invalid_qr_token' });
    h.t.clock.advance(601_000);
    expect(await failure(shop.api.purchases.quote({ member: { qrToken: token }, amount: 200_00 }))).toMatchObject({ status: 400, code: 'invalid_qr_token' });
    expect(await failure(shop.api.members.qrToken(m.id, { ttlSeconds: 1 }))).toMatchObject({ status: 400, code: 'validation_failed' });
  });
});

describe('text the database cannot hold', () => {
  it('a NUL character anywhere in the body or query is a 400, not a 500', async () => {
    const { api } = await h.business();
    const phone = nextPhone();
    await api.members.create({ phone });
    const dup = await failure(api.members.create({ phone, name: 'a\u0000b' }));
    expect(dup).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(dup.problem.errors).toEqual([{ path: 'name', message: 'must not contain the NUL character' }]);
    expect(await failure(api.members.find({ q: '\u0000!' }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.program.update({ pointsName: 'x\u0000' }))).toMatchObject({ status: 400, code: 'validation_failed' });
  });
});
