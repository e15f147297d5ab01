// The wizard's address is the business profile's address too (one transaction with the rest), checked as
// PATCH /business checks it: a bad one is the wizard's 422 on business.address, and nothing is created.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupToken } from '../src/app/setup.js';
import { silentLogger } from '../src/config/logger.js';
import { createHttpApp, startHttpServer, type RunningHttpServer } from '../src/http/server.js';
import { freePort } from '../src/store/embedded/freePort.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

type Json = Record<string, any>;
let t: TestDatabase;
let server: RunningHttpServer;

beforeAll(async () => {
  t = await openTestDatabase();
  const app = createHttpApp({ app: t.deps, db: t.db, log: silentLogger, api: { rateLimit: 10_000, authCacheMs: 0 }, card: { linkBase: 'https://shop.test/card/', codes: { send: async () => undefined } }, setup: { telegram: null, publicUrl: 'https://shop.test' } });
  server = await startHttpServer(app, { host: '127.0.0.1', port: await freePort() });
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const count = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n);

const answers = (token: string, address: string) => ({
  token,
  business: { name: 'Кофейня «Зерно»', address, timezone: 'Europe/Moscow', currency: 'RUB' },
  program: { pointsName: 'баллы', earnPercent: 5, maxRedeemPercent: 30, welcomeBonus: 0, pointsLifetimeDays: 180, expiryReminderDays: [4, 1] },
  owner: { name: 'Анна', email: 'anna@zerno.test', password: 'correct horse battery' },
});

describe('the wizard fills the business profile', () => {
  it('a bad address: 422 on business.address, nothing created, the link still live', async () => {
    const { token } = await issueSetupToken(t.deps);
    for (const bad of ['ул. Ленина, '.repeat(40), 'ул. Ленина\u0007, 1']) {
      const res = await post('/api/setup', answers(token, bad));
      expect(res.status).toBe(422);
      const problem = (await res.json()) as Json;
      expect(problem.code).toBe('setup_invalid');
      expect(problem.errors).toEqual([{ path: 'business.address', message: expect.stringMatching(/^address must be at most 300 characters/) }]);
    }
    expect(await count('businesses')).toBe(0);
    expect(await count('locations')).toBe(0);
    expect(((await (await fetch(`${server.url}/api/setup/status?token=${token}`)).json()) as Json).valid).toBe(true);
  });

  it('a good address is the location and the profile: GET /business shows it', async () => {
    const { token } = await issueSetupToken(t.deps);
    const res = await post('/api/setup', answers(token, '  г. Пермь, ул. Ленина, 1  '));
    expect(res.status).toBe(201);
    const session = res.headers.getSetCookie().find((c) => c.startsWith('kopilka_session='))!.split(';')[0]!;
    const profile = (await (await fetch(`${server.url}/api/v1/business`, { headers: { cookie: session } })).json()) as Json;
    expect(profile).toMatchObject({ name: 'Кофейня «Зерно»', address: 'г. Пермь, ул. Ленина, 1', mapUrl: null, phone: null, socialLinks: [], hours: null });
    const locations = (await sql<{ address: string }>`select address from locations`.execute(t.db)).rows;
    expect(locations).toEqual([{ address: 'г. Пермь, ул. Ленина, 1' }]);
  });

  it('no address: no location, an empty profile address', async () => {
    const { token } = await issueSetupToken(t.deps);
    const res = await post('/api/setup', { ...answers(token, ''), owner: { name: 'Олег', email: 'oleg@bake.test', password: 'another long password' } });
    expect(res.status).toBe(201);
    const { businessId } = (await res.json()) as Json;
    const row = (await sql<{ profile: Json | null }>`select profile from businesses where id = ${businessId}`.execute(t.db)).rows[0]!;
    expect(row.profile?.address ?? '').toBe('');
    expect(Number((await sql<{ n: string }>`select count(*) as n from locations where business_id = ${businessId}`.execute(t.db)).rows[0]!.n)).toBe(0);
  });
});

describe('the wizard sets the card colours', () => {
  it('colours that do not read are kept (the owner chose them); a non-colour is a 422 on its field', async () => {
    const { token } = await issueSetupToken(t.deps);
    const bad = await post('/api/setup', { ...answers(token, ''), business: { ...answers(token, '').business, accentColor: 'yellow', cardColor: '#fff3b0' }, owner: { name: 'Ия', email: 'iya@tea.test', password: 'a long enough password' } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Json).errors).toEqual([{ path: 'business.accentColor', message: expect.stringContaining('branding.accentColor must be a colour') }]);
    const res = await post('/api/setup', { ...answers(token, ''), business: { ...answers(token, '').business, accentColor: '#ffe066', cardColor: '#fff3b0', cardTextColor: '#ffffff' }, owner: { name: 'Ия', email: 'iya@tea.test', password: 'a long enough password' } });
    expect(res.status).toBe(201);
    const { businessId } = (await res.json()) as Json;
    const row = (await sql<{ program: Json }>`select program from businesses where id = ${businessId}`.execute(t.db)).rows[0]!;
    expect(row.program.branding).toMatchObject({ accentColor: '#ffe066', cardColor: '#fff3b0', cardTextColor: '#ffffff' });
  });
});
