// /broadcasts and /campaigns over HTTP: preview, create (idempotent), list, progress, cancel, campaigns and their
// reports; bad segments listed whole, till keys refused, other businesses' broadcasts unseen. Every answer is checked
// against the served OpenAPI document.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addLocation } from '../src/app/addLocation.js';
import { createApiKey } from '../src/app/apiKeys.js';
import { finishBroadcasts, planDueBroadcasts } from '../src/app/broadcasts.js';
import { recordConsent } from '../src/app/consents.js';
import { recordPurchase } from '../src/app/recordPurchase.js';
import { updateMember } from '../src/app/updateMember.js';
import type { KopilkaClient } from '../src/client/index.js';
import { failure, useApi } from './support/apiServer.js';
import { aMember } from './support/factories.js';

const h = useApi();

type Json = Record<string, any>;

async function shop(members: number) {
  const biz = await h.business({ tiers: [{ id: 'gold', name: 'Gold', minTotalSpent: 10_000, earnRateBp: 1000, maxRedeemBp: 3000 }] });
  const ids: string[] = [];
  for (let i = 0; i < members; i++) {
    const m = await aMember(h.t.deps, biz.id);
    await recordConsent(h.t.deps, { businessId: biz.id, memberId: m.id, kind: 'marketing', granted: true, textVersion: 'v1', channel: 'api' });
    ids.push(m.id);
  }
  return { ...biz, members: ids };
}

const post = (api: KopilkaClient, path: string, body: unknown, key: string | null = randomUUID()) =>
  api.request<Json>('POST', path, { body, ...(key ? { idempotencyKey: key } : {}) });
const get = async (api: KopilkaClient, path: string, query?: Record<string, string | number | undefined>) => (await api.request<Json>('GET', path, { query })).body;

describe('/broadcasts', () => {
  it('preview, create (replayed with the same key), plan, progress, list, cancel', async () => {
    const s = await shop(4);
    await recordPurchase(h.t.deps, { businessId: s.id, member: { id: s.members[0]! }, amount: 12_000 });
    await updateMember(h.t.deps, { businessId: s.id, memberId: s.members[0]!, name: 'Olga' });
    await aMember(h.t.deps, s.id); // no consent

    const preview = (await post(s.api, '/broadcasts/preview', { segment: { tierIds: ['gold'] }, text: 'Hi {name}, {balance} {pointsName}' }, null)).body;
    expect(preview).toEqual({ matched: 1, recipients: 1, withoutConsent: 0, expectedControl: 0, expectedTreated: 1, sample: { memberId: s.members[0], text: 'Hi Olga, 6 баллы' } });
    const everyone = (await post(s.api, '/broadcasts/preview', {}, null)).body;
    expect(everyone).toMatchObject({ matched: 5, recipients: 4, withoutConsent: 1, sample: null });

    const key = randomUUID();
    const created = await post(s.api, '/broadcasts', { name: 'Spring', text: 'Spring sale, {name}!', controlPercent: 0 }, key);
    expect(created.status).toBe(201);
    expect(created.replayed).toBe(false);
    expect(created.body).toMatchObject({ name: 'Spring', status: 'scheduled', segment: {}, createdBy: expect.stringMatching(/^api_key:/), progress: { planned: 0 } });
    const replay = await post(s.api, '/broadcasts', { name: 'Spring', text: 'Spring sale, {name}!', controlPercent: 0 }, key);
    expect(replay.replayed).toBe(true);
    expect(replay.body.id).toBe(created.body.id);
    expect(await failure(post(s.api, '/broadcasts', { text: 'Other' }, key))).toMatchObject({ status: 422, code: 'idempotency_conflict' });
    expect(await failure(post(s.api, '/broadcasts', { text: 'No key' }, null))).toMatchObject({ status: 400, code: 'idempotency_key_missing' });

    await planDueBroadcasts(h.t.deps, { businessId: s.id });
    const running = await get(s.api, `/broadcasts/${created.body.id}`);
    expect(running).toMatchObject({ status: 'running', progress: { planned: 4, control: 0, scheduled: 4, pending: 4, sent: 0 } });

    const later = (await post(s.api, '/broadcasts', { text: 'Later', scheduledAt: new Date(h.t.clock.now().getTime() + 86_400_000).toISOString(), segment: { memberIds: [s.members[1]] } })).body;
    const list = await get(s.api, '/broadcasts', { limit: 1 });
    expect(list.items.map((x: Json) => x.id)).toEqual([later.id]);
    const rest = await get(s.api, '/broadcasts', { limit: 1, cursor: list.nextCursor });
    expect(rest).toEqual({ items: [running], nextCursor: null });

    const cancelled = await post(s.api, `/broadcasts/${created.body.id}/cancel`, undefined);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', progress: { skipped: 4, pending: 0 } });
    expect(await failure(post(s.api, `/broadcasts/${randomUUID()}/cancel`, undefined))).toMatchObject({ status: 404, code: 'campaign_not_found' });
  });

  it('a finished broadcast cannot be cancelled (409)', async () => {
    const s = await shop(1);
    const b = (await post(s.api, '/broadcasts', { text: 'Done soon' })).body;
    await planDueBroadcasts(h.t.deps, { businessId: s.id });
    await h.t.db.updateTable('messages').set({ status: 'sent' }).where('campaign_id', '=', b.id).execute();
    expect(await finishBroadcasts(h.t.deps, { businessId: s.id })).toBe(1);
    expect(await get(s.api, `/broadcasts/${b.id}`)).toMatchObject({ status: 'done', progress: { sent: 1 } });
    expect(await failure(post(s.api, `/broadcasts/${b.id}/cancel`, undefined))).toMatchObject({ status: 409, code: 'campaign_finished' });
  });

  it('bad input: every segment problem listed (422), shapes refused (400), nothing created', async () => {
    const s = await shop(0);
    const bad = await failure(post(s.api, '/broadcasts', { text: 'x', segment: { tierIds: ['platinum'], lastPurchaseBefore: '2026-01-01', lastPurchaseAfter: '2026-02-01', locationId: randomUUID() } }));
    expect(bad).toMatchObject({ status: 422, code: 'invalid_segment' });
    expect((bad.problem.errors as Json[]).map((e) => e.path)).toEqual(['segment.tierIds:', 'segment.lastPurchaseBefore:']);
    const stored = await failure(post(s.api, '/broadcasts/preview', { segment: { locationId: randomUUID() } }, null));
    expect(stored).toMatchObject({ status: 422, code: 'invalid_segment' });
    const shape = await failure(post(s.api, '/broadcasts', { text: '', controlPercent: 90, segment: { birthdayMonth: 13, channel: 'fax' }, extra: 1 }));
    expect(shape).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((shape.problem.errors as Json[]).length).toBeGreaterThanOrEqual(4);
    const template = await failure(post(s.api, '/broadcasts', { text: 'Hi {nam}' }));
    expect(template).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(get(s.api, '/broadcasts/not-an-id'))).toMatchObject({ status: 404, code: 'campaign_not_found' });
    expect(await failure(get(s.api, '/broadcasts', { limit: 'x' }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await get(s.api, '/broadcasts')).toEqual({ items: [], nextCursor: null });
  });

  it('a till key (tied to one location) may not touch broadcasts; another business sees none of them', async () => {
    const s = await shop(1);
    const loc = await addLocation(h.t.deps, { businessId: s.id, name: 'Till' });
    const till = await createApiKey(h.t.deps, { businessId: s.id, locationId: loc.id });
    const tillApi = h.client(till.key);
    expect(await failure(post(tillApi, '/broadcasts', { text: 'x' }))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await failure(get(tillApi, '/campaigns'))).toMatchObject({ status: 403, code: 'forbidden' });
    const b = (await post(s.api, '/broadcasts', { text: 'Mine' })).body;
    const other = await shop(0);
    expect(await failure(get(other.api, `/broadcasts/${b.id}`))).toMatchObject({ status: 404, code: 'campaign_not_found' });
    expect(await failure(get(other.api, `/campaigns/${b.id}/report`))).toMatchObject({ status: 404, code: 'campaign_not_found' });
    expect(await get(other.api, '/campaigns')).toEqual({ items: [], nextCursor: null });
  });
});

describe('/campaigns', () => {
  it('lists broadcasts and automatic campaigns; the report compares treated with control', async () => {
    const s = await shop(30);
    const b = (await post(s.api, '/broadcasts', { text: 'Measured', controlPercent: 50 })).body;
    await planDueBroadcasts(h.t.deps, { businessId: s.id });
    const recipients = await h.t.db.selectFrom('campaign_recipients').select(['member_id', 'control']).where('campaign_id', '=', b.id).execute();
    const treated = recipients.filter((r) => !r.control).map((r) => r.member_id);
    const control = recipients.filter((r) => r.control).map((r) => r.member_id);
    await recordPurchase(h.t.deps, { businessId: s.id, member: { id: treated[0]! }, amount: 9_000 });

    const list = await get(s.api, '/campaigns');
    expect(list.items).toEqual([expect.objectContaining({ id: b.id, kind: 'broadcast', status: 'running', recipients: 30, control: control.length })]);
    expect(await get(s.api, '/campaigns', { kind: 'winback' })).toEqual({ items: [], nextCursor: null });
    expect(await failure(get(s.api, '/campaigns', { kind: 'sms' }))).toMatchObject({ status: 400, code: 'validation_failed' });

    const report = await get(s.api, `/campaigns/${b.id}/report`, { days: 7 });
    expect(report).toMatchObject({
      days: 7,
      complete: false,
      treated: { members: treated.length, returned: 1, revenue: 9_000, revenuePerMember: Math.round(9_000 / treated.length) },
      control: { members: control.length, returned: 0, revenue: 0, returnRate: 0, revenuePerMember: 0 },
      revenuePerMemberUplift: Math.round(9_000 / treated.length),
    });
    expect(report.returnRateUplift).toBeCloseTo(1 / treated.length, 10);
    expect((await get(s.api, `/campaigns/${b.id}/report`)).days).toBe(30);
    expect(await failure(get(s.api, `/campaigns/${b.id}/report`, { days: 0 }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(get(s.api, `/campaigns/${randomUUID()}/report`))).toMatchObject({ status: 404, code: 'campaign_not_found' });
  });
});
