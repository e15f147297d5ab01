// The team over /api/v1 (issue 7): staff list with points issued today, invitations (web and t.me links; roles only
// below one's own), changes, blocking and removing (sessions end), API keys (shown once, revoked), and the bots
// (tokens checked with getMe on the Bot API stand-in) — for the panel's cookie staff and for API keys, each
// business seeing only its own. Every answer is checked against the OpenAPI document by the harness.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addLocation } from '../src/app/addLocation.js';
import { createApiKey } from '../src/app/apiKeys.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import { useApi } from './support/apiServer.js';
import { aMember } from './support/factories.js';
import { panelCall, panelSession, type Json, type PanelSession } from './support/panel.js';
import { aStaff } from './support/staff.js';
import { startTelegramApi, type TelegramApi } from './support/telegramApi.js';

let tg: TelegramApi | undefined;
let telegramDown = false;
const h = useApi({
  setup: async () => {
    tg = await startTelegramApi();
    const real = telegramGateway(tg.url);
    const down = telegramGateway('http://127.0.0.1:9'); // nothing listens there
    return { setup: { telegram: { getMe: (token) => (telegramDown ? down : real).getMe(token) } }, close: async () => tg?.close() };
  },
});

type Session = PanelSession;
const session = (businessId: string, email: string) => panelSession(h, businessId, email);
/** A call as a signed-in staff member (Session) or with an API key (string). */
const call = (who: Session | string, method: string, path: string, body?: unknown) =>
  panelCall(h, who, method, path, body, path.endsWith('/adjustments') ? { idempotencyKey: randomUUID() } : {});

async function shopWith(...roles: ('owner' | 'admin' | 'manager' | 'cashier')[]) {
  const biz = await h.business();
  const staff: Record<string, { id: string; s: Session }> = {};
  for (const role of roles) {
    const st = await aStaff(h, biz.id, role);
    staff[role] = { id: st.id, s: await session(biz.id, st.email) };
  }
  return { ...biz, staff };
}

const auditOf = async (s: Session, action: string) => ((await call(s, 'GET', '/audit?limit=100')).body.items as Json[]).filter((e) => e.action === action);

let botSeq = 0;
const newBot = () => {
  botSeq += 1;
  const token = `${7_000_000 + botSeq}:${'A'.repeat(30)}${botSeq}`;
  const username = `team_test${botSeq}_bot`;
  tg!.addBot({ token, username });
  return { token, username };
};

describe('staff', () => {
  it('the owner lists staff with what they issued today, invites a cashier (web link; t.me once a staff bot is connected), audited', async () => {
    const shop = await shopWith('owner', 'manager');
    const m = await aMember(h.t.deps, shop.id);
    expect((await call(shop.staff.manager!.s, 'POST', `/members/${m.id}/adjustments`, { points: 120, reason: 'gift' })).status).toBe(201);
    const list = await call(shop.staff.owner!.s, 'GET', '/staff');
    expect(list.status).toBe(200);
    const manager = list.body.items.find((x: Json) => x.id === shop.staff.manager!.id);
    expect(manager).toMatchObject({ role: 'manager', status: 'active', issuedToday: 120, limits: { maxPointsPerOperation: 5000 } });
    expect(manager.email).toMatch(/@shop\.test$/);

    const loc = await addLocation(h.t.deps, { businessId: shop.id, name: 'Центр' });
    const invite = await call(shop.staff.owner!.s, 'POST', '/staff/invitations', { role: 'cashier', name: 'Ира', locationIds: [loc.id] });
    expect(invite.status).toBe(201);
    expect(invite.body.link).toBe(`https://shop.test/cashier/?b=${shop.id}#invite=${invite.body.token}`);
    expect(invite.body.telegramLink).toBeNull();
    expect((await call(shop.staff.owner!.s, 'GET', '/staff')).body.locations).toEqual([{ id: loc.id, name: 'Центр' }]);

    const bot = newBot();
    expect((await call(shop.staff.owner!.s, 'PUT', '/bots/staff', { token: bot.token })).body).toMatchObject({ role: 'staff', username: bot.username });
    const second = await call(shop.staff.owner!.s, 'POST', '/staff/invitations', { role: 'manager', name: 'Олег' });
    expect(second.body.telegramLink).toBe(`https://t.me/${bot.username}?start=${second.body.token}`);
    const invited = await auditOf(shop.staff.owner!.s, 'staff.invited');
    expect(invited.map((e) => [e.staffId, e.channel, e.details.name])).toEqual(expect.arrayContaining([[shop.staff.owner!.id, 'admin', 'Ира'], [shop.staff.owner!.id, 'admin', 'Олег']]));
    expect((await auditOf(shop.staff.owner!.s, 'bot.connected'))[0]).toMatchObject({ staffId: shop.staff.owner!.id, details: { role: 'staff', username: bot.username } });

    // An unknown location is refused and nothing is invited.
    const bad = await call(shop.staff.owner!.s, 'POST', '/staff/invitations', { role: 'cashier', name: 'X', locationIds: [randomUUID()] });
    expect(bad).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('roles only below one\'s own: an admin invites managers, not admins or owners, and changes neither the owner nor themselves; a manager gets 403', async () => {
    const shop = await shopWith('owner', 'admin', 'manager', 'cashier');
    const admin = shop.staff.admin!.s;
    expect((await call(admin, 'POST', '/staff/invitations', { role: 'manager', name: 'M' })).status).toBe(201);
    expect((await call(admin, 'POST', '/staff/invitations', { role: 'admin', name: 'A' })).body).toMatchObject({ code: 'forbidden' });
    expect((await call(admin, 'POST', '/staff/invitations', { role: 'owner', name: 'O' })).status).toBe(400);
    expect((await call(admin, 'PATCH', `/staff/${shop.staff.owner!.id}`, { blocked: true })).status).toBe(403);
    expect((await call(admin, 'PATCH', `/staff/${shop.staff.admin!.id}`, { role: 'cashier' })).status).toBe(403);
    expect((await call(admin, 'PATCH', `/staff/${shop.staff.manager!.id}`, { role: 'admin' })).status).toBe(403);
    const manager = shop.staff.manager!.s;
    for (const [method, path, body] of [['GET', '/staff'], ['POST', '/staff/invitations', { role: 'cashier', name: 'C' }], ['PATCH', `/staff/${shop.staff.cashier!.id}`, { blocked: true }], ['DELETE', `/staff/${shop.staff.cashier!.id}`], ['GET', '/api-keys'], ['POST', '/api-keys', { name: 'k' }], ['GET', '/bots'], ['DELETE', '/bots/customer']] as const) {
      expect((await call(manager, method, path, body)).body, `${method} ${path}`).toMatchObject({ status: 403, code: 'forbidden' });
    }
    const list = (await call(shop.staff.owner!.s, 'GET', '/staff')).body.items as Json[];
    expect(list.find((x) => x.id === shop.staff.cashier!.id)?.status).toBe('active');
  });

  it('changes role, locations and limits; blocking ends the sessions at once; removing takes them off the list', async () => {
    const shop = await shopWith('owner', 'cashier');
    const owner = shop.staff.owner!.s;
    const cashier = shop.staff.cashier!;
    const loc = await addLocation(h.t.deps, { businessId: shop.id, name: 'Север' });
    const changed = await call(owner, 'PATCH', `/staff/${cashier.id}`, { role: 'manager', locationIds: [loc.id], limits: { maxPointsPerDay: 900, budget: { points: 3000, days: 7 } } });
    expect(changed).toMatchObject({ status: 200, body: { role: 'manager', locationIds: [loc.id], limits: { maxPointsPerOperation: 500, maxPointsPerDay: 900, budget: { points: 3000, days: 7 } } } });
    expect((await call(cashier.s, 'GET', '/members?limit=5')).status).toBe(200);
    expect((await call(owner, 'PATCH', `/staff/${cashier.id}`, { blocked: true })).body.status).toBe('blocked');
    expect((await call(cashier.s, 'GET', '/members?limit=5')).status).toBe(401);
    expect((await call(owner, 'PATCH', `/staff/${cashier.id}`, { blocked: false })).body.status).toBe('active');
    expect((await call(owner, 'PATCH', `/staff/${cashier.id}`, { limits: { maxPointsPerDay: -1 } })).status).toBe(400);
    expect((await call(owner, 'DELETE', `/staff/${cashier.id}`)).status).toBe(204);
    expect(((await call(owner, 'GET', '/staff')).body.items as Json[]).map((x) => x.id)).not.toContain(cashier.id);
    expect((await call(owner, 'DELETE', `/staff/${cashier.id}`)).body).toMatchObject({ status: 404, code: 'staff_not_found' });
    expect((await call(owner, 'PATCH', `/staff/${cashier.id}`, { blocked: false })).status).toBe(404);
    const changes = await auditOf(owner, 'staff.changed');
    expect(changes.length).toBe(4);
    expect(changes.every((e) => e.staffId === shop.staff.owner!.id && e.channel === 'admin')).toBe(true);
  });
});

describe('API keys', () => {
  it('a key is shown once, works, is listed without the secret, and stops working when revoked; audited', async () => {
    const shop = await shopWith('admin');
    const admin = shop.staff.admin!.s;
    const made = await call(admin, 'POST', '/api-keys', { name: 'Касса 1' });
    expect(made.status).toBe(201);
    expect(made.body.key).toMatch(/^kop_[a-f0-9]{10}_/);
    expect((await call(made.body.key, 'GET', '/program')).status).toBe(200);
    const listed = (await call(admin, 'GET', '/api-keys')).body.items as Json[];
    expect(listed.find((k) => k.id === made.body.id)).toMatchObject({ name: 'Касса 1', revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(made.body.key);
    expect((await call(admin, 'DELETE', `/api-keys/${made.body.id}`)).status).toBe(204);
    expect((await call(made.body.key, 'GET', '/program')).status).toBe(401);
    expect((await call(admin, 'DELETE', `/api-keys/${made.body.id}`)).body).toMatchObject({ status: 404, code: 'api_key_not_found' });
    expect((await call(admin, 'POST', '/api-keys', { name: 'x', locationId: randomUUID() })).status).toBe(400);
    expect((await auditOf(admin, 'api_key.created'))[0]).toMatchObject({ staffId: shop.staff.admin!.id, details: { keyId: made.body.id, name: 'Касса 1' } });
    expect((await auditOf(admin, 'api_key.revoked'))).toHaveLength(1);
  });

  it('a business-wide API key manages staff, keys and bots; a location-bound key gets 403; no business sees another', async () => {
    const shop = await shopWith('owner', 'cashier');
    const other = await shopWith('owner', 'cashier');
    const key = shop.apiKey;
    expect(((await call(key, 'GET', '/staff')).body.items as Json[]).map((x) => x.id).sort()).toEqual([shop.staff.owner!.id, shop.staff.cashier!.id].sort());
    expect((await call(key, 'POST', '/staff/invitations', { role: 'admin', name: 'Админ' })).status).toBe(201);
    expect((await call(key, 'PATCH', `/staff/${shop.staff.owner!.id}`, { blocked: true })).status).toBe(403);
    expect((await call(key, 'PATCH', `/staff/${shop.staff.cashier!.id}`, { limits: { maxPointsPerOperation: 50 } })).body.limits.maxPointsPerOperation).toBe(50);
    const invited = (await call(shop.staff.owner!.s, 'GET', '/audit?limit=50')).body.items.find((e: Json) => e.action === 'staff.invited' && e.details.name === 'Админ');
    expect(invited).toMatchObject({ staffId: null, staffRole: 'api_key', channel: 'api' });

    // Tenant isolation: the other business's staff, keys and bots are not found.
    expect((await call(key, 'PATCH', `/staff/${other.staff.cashier!.id}`, { blocked: true })).status).toBe(404);
    expect((await call(key, 'DELETE', `/staff/${other.staff.cashier!.id}`)).status).toBe(404);
    const otherKey = (await call(other.apiKey, 'POST', '/api-keys', { name: 'theirs' })).body;
    expect((await call(key, 'DELETE', `/api-keys/${otherKey.id}`)).status).toBe(404);
    expect(((await call(key, 'GET', '/api-keys')).body.items as Json[]).map((k) => k.id)).not.toContain(otherKey.id);
    expect((await call(otherKey.key, 'GET', '/program')).status).toBe(200);
    expect(((await call(other.staff.owner!.s, 'GET', '/staff')).body.items as Json[]).find((x) => x.id === other.staff.cashier!.id)?.status).toBe('active');

    const loc = await addLocation(h.t.deps, { businessId: shop.id, name: 'Касса' });
    const till = await createApiKey(h.t.deps, { businessId: shop.id, name: 'till', locationId: loc.id });
    for (const [method, path, body] of [['GET', '/staff'], ['POST', '/staff/invitations', { role: 'cashier', name: 'C' }], ['GET', '/api-keys'], ['POST', '/api-keys', { name: 'k' }], ['GET', '/bots'], ['PUT', '/bots/customer', { token: '1:' + 'a'.repeat(30) }]] as const) {
      expect((await call(till.key, method, path, body)).body, `${method} ${path}`).toMatchObject({ status: 403, code: 'forbidden' });
    }
  });
});

describe('bots', () => {
  it('connects a bot whose token Telegram knows, refuses others, lists without tokens, disconnects', async () => {
    const shop = await shopWith('owner');
    const owner = shop.staff.owner!.s;
    expect((await call(owner, 'PUT', '/bots/customer', { token: 'not a token' })).body).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((await call(owner, 'PUT', '/bots/customer', { token: `999999:${'Z'.repeat(30)}` })).body).toMatchObject({ status: 400, code: 'invalid_bot_token' });
    const bot = newBot();
    expect((await call(owner, 'PUT', '/bots/customer', { token: bot.token })).body).toMatchObject({ role: 'customer', username: bot.username });
    const other = await h.business();
    expect((await call(other.apiKey, 'PUT', '/bots/customer', { token: bot.token })).body).toMatchObject({ status: 409, code: 'bot_in_use' });
    const list = await call(owner, 'GET', '/bots');
    expect(list.body.items).toEqual([expect.objectContaining({ role: 'customer', username: bot.username })]);
    expect(JSON.stringify(list.body)).not.toContain(bot.token);
    expect((await call(other.apiKey, 'GET', '/bots')).body.items).toEqual([]);
    expect((await call(owner, 'DELETE', '/bots/customer')).status).toBe(204);
    expect((await call(owner, 'DELETE', '/bots/customer')).body).toMatchObject({ status: 404, code: 'bot_not_found' });
    expect((await call(owner, 'GET', '/bots')).body.items).toEqual([]);
    expect((await auditOf(owner, 'bot.disconnected'))).toHaveLength(1);

    // Telegram out of reach: 503 telegram_unavailable, and nothing is connected.
    telegramDown = true;
    try {
      expect((await call(owner, 'PUT', '/bots/staff', { token: newBot().token })).body).toMatchObject({ status: 503, code: 'telegram_unavailable' });
    } finally {
      telegramDown = false;
    }
    expect((await call(owner, 'GET', '/bots')).body.items).toEqual([]);
  });
});
