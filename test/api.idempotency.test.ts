// Idempotency-Key over HTTP: required on every state-changing POST, replays, conflicts and concurrent duplicates.
import { describe, expect, it } from 'vitest';
import { failure, useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';

const h = useApi();

async function shop() {
  const s = await h.business();
  const m = await s.api.members.create({ phone: nextPhone() });
  await s.api.members.adjust(m.id, { points: 100, reason: 'start' });
  const p = await s.api.purchases.create({ member: { id: m.id }, amount: 1000_00 });
  return { ...s, m, p };
}

const count = async (table: 'purchases' | 'members' | 'purchase_refunds' | 'ledger_transactions' | 'webhooks', businessId: string) =>
  Number((await h.t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('business_id', '=', businessId).executeTakeFirstOrThrow()).n);

describe('Idempotency-Key', () => {
  it('is required on every POST that changes state (400 idempotency_key_missing), and nothing changes without it', async () => {
    const { api, id, m, p } = await shop();
    const writes: [string, unknown][] = [
      ['/members', { phone: nextPhone() }],
      ['/purchases', { member: { id: m.id }, amount: 100 }],
      [`/purchases/${p.purchaseId}/refunds`, {}],
      [`/members/${m.id}/adjustments`, { points: 5, reason: 'x' }],
      ['/webhooks', { url: 'http://127.0.0.1:9/h', events: ['points.earned'] }],
    ];
    const before = await Promise.all((['purchases', 'members', 'purchase_refunds', 'ledger_transactions', 'webhooks'] as const).map((t) => count(t, id)));
    for (const [path, body] of writes) {
      expect(await failure(api.request('POST', path, { body })), path).toMatchObject({ status: 400, code: 'idempotency_key_missing' });
    }
    expect(await failure(api.request('POST', '/purchases', { body: { member: { id: m.id }, amount: 100 }, idempotencyKey: 'x'.repeat(201) }))).toMatchObject({ status: 400, code: 'validation_failed' });
    const after = await Promise.all((['purchases', 'members', 'purchase_refunds', 'ledger_transactions', 'webhooks'] as const).map((t) => count(t, id)));
    expect(after).toEqual(before);
  });

  it('the same key and body again gets the stored answer, marked Idempotent-Replayed, and changes nothing more', async () => {
    const { api, id, m } = await shop();
    const body = { member: { id: m.id }, amount: 300_00, redeemPoints: 50 };
    const first = await api.request<{ purchaseId: string }>('POST', '/purchases', { body, idempotencyKey: 'till-1/receipt-9' });
    expect(first.status).toBe(201);
    expect(first.replayed).toBe(false);
    await api.members.adjust(m.id, { points: 7, reason: 'meanwhile' });
    const again = await api.request<{ purchaseId: string }>('POST', '/purchases', { body, idempotencyKey: 'till-1/receipt-9' });
    expect(again.status).toBe(201);
    expect(again.replayed).toBe(true);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await count('purchases', id)).toBe(2);
    const member = await api.request('POST', '/members', { body: { phone: nextPhone() }, idempotencyKey: 'join-1' });
    const memberAgain = await api.request('POST', '/members', { body: member.body && { phone: (member.body as { phone: string }).phone }, idempotencyKey: 'join-1' });
    expect(memberAgain.replayed).toBe(true);
    expect(memberAgain.body).toEqual(member.body);
  });

  it('the same key with another body, or on another operation, is 422 idempotency_conflict', async () => {
    const { api, m, p } = await shop();
    await api.purchases.create({ member: { id: m.id }, amount: 100_00 }, { idempotencyKey: 'k-1' });
    expect(await failure(api.purchases.create({ member: { id: m.id }, amount: 200_00 }, { idempotencyKey: 'k-1' }))).toMatchObject({ status: 422, code: 'idempotency_conflict' });
    expect(await failure(api.purchases.refund(p.purchaseId, {}, { idempotencyKey: 'k-1' }))).toMatchObject({ status: 422, code: 'idempotency_conflict' });
    expect(await failure(api.members.adjust(m.id, { points: 1, reason: 'x' }, { idempotencyKey: 'k-1' }))).toMatchObject({ status: 422, code: 'idempotency_conflict' });
  });

  it('a failed request does not use up its key: fixed and retried, it goes through', async () => {
    const { api, m } = await shop();
    const body = { member: { id: m.id }, amount: 100_000_00, redeemPoints: 10_000 };
    expect(await failure(api.purchases.create(body, { idempotencyKey: 'retry-me' }))).toMatchObject({ status: 422, code: 'insufficient_points' });
    await api.members.adjust(m.id, { points: 10_000, reason: 'top up' });
    const ok = await api.purchases.create(body, { idempotencyKey: 'retry-me' });
    expect(ok.redeemedPoints).toBe(10_000);
  });

  it('concurrent duplicates: exactly one purchase; the others are told it is in flight (409) or get the replay', async () => {
    const { api, id, m } = await shop();
    const body = { member: { id: m.id }, amount: 250_00 };
    const before = await count('purchases', id);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => api.request<{ purchaseId: string }>('POST', '/purchases', { body, idempotencyKey: 'same-at-once' }).then((r) => r, (e: { status: number; code: string }) => e)),
    );
    const ok = results.filter((r): r is { status: number; body: { purchaseId: string }; replayed: boolean; headers: Headers } => r.status === 201);
    const inFlight = results.filter((r) => r.status === 409);
    expect(ok.length + inFlight.length).toBe(8);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.body.purchaseId)).size).toBe(1);
    expect(ok.filter((r) => !r.replayed)).toHaveLength(1);
    for (const r of inFlight) expect((r as unknown as { code: string }).code).toBe('idempotency_in_flight');
    expect(await count('purchases', id)).toBe(before + 1);
  });
});

describe('races', () => {
  it('rounds of concurrent duplicates never answer 500 and record one purchase per key', async () => {
    const { api, id, m } = await shop();
    const before = await count('purchases', id);
    const statuses = new Map<number, number>();
    for (let round = 0; round < 25; round++) {
      const body = { member: { id: m.id }, amount: 250_00 };
      const rs = await Promise.all(
        Array.from({ length: 6 }, () => api.request('POST', '/purchases', { body, idempotencyKey: `race-${round}` }).then((r) => r.status, (e: { status: number }) => e.status)),
      );
      for (const s of rs) statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([201]));
    expect([...statuses.keys()].filter((s) => s !== 201 && s !== 409)).toEqual([]);
    expect(await count('purchases', id)).toBe(before + 25);
  });
});

describe('retention', () => {
  it('keys are kept at least 24 hours (a week), then forgotten', async () => {
    const { purgeIdempotencyKeys } = await import('../src/app/purgeIdempotencyKeys.js');
    const { api, m } = await shop();
    const body = { member: { id: m.id }, amount: 100_00 };
    const first = await api.request('POST', '/purchases', { body, idempotencyKey: 'kept' });
    h.t.clock.advanceDays(6);
    await purgeIdempotencyKeys(h.t.deps);
    const replay = await api.request('POST', '/purchases', { body, idempotencyKey: 'kept' });
    expect(replay.replayed).toBe(true);
    expect(replay.body).toEqual(first.body);
    h.t.clock.advanceDays(2);
    expect(await purgeIdempotencyKeys(h.t.deps, { batchSize: 2 })).toBeGreaterThan(0);
    const rows = await h.t.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'api:kept').execute();
    expect(rows).toEqual([]);
  });
});
