// Fuzzing the card app's API (/api/card) and the staff API (/api/staff): malformed methods, paths, headers and
// bodies, with and without valid sessions. Never a 5xx; every 4xx is a problem document with a string code; the
// server stays up; and refused requests change nothing (row counts of every table compared before and after).
//   KOPILKA_FUZZ_RUNS=n scales the number of requests (default 600 per API); KOPILKA_FUZZ_SEED=s replays a run.
import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { issueSignInToken } from '../src/app/cardSessions.js';
import { createCardClient } from '../src/client/card.js';
import { useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';
import { aStaff } from './support/staff.js';

const RUNS = Math.max(1, Number(process.env.KOPILKA_FUZZ_RUNS ?? 600));
const SEED = process.env.KOPILKA_FUZZ_SEED === undefined ? undefined : Number(process.env.KOPILKA_FUZZ_SEED);
const h = useApi({ rateLimit: 1_000_000 });

const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 30 }), fc.constantFrom('max', '', '\u0000', 'k1AAAA', '79161234567', '1234', '0000', '2026-02-30', 'ksl_x', 'ksi_x', 'ktl_x'),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('memberId', 'amount', 'points', 'qrToken', 'confirmationCode', 'reason', 'phone', 'code', 'businessId', 'signInToken', 'botId', 'initData', 'email', 'password', 'name', 'birthday', 'answers', 'marketing', 'role', 'limits', 'status', 'text', 'loginId', 'inviteToken', 'telegramLogin', '__proto__', 'x'), tie('value'), { maxKeys: 5 }),
  ),
})).value;

async function tableCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(h.t.db);
  const out: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    if (table_name === 'kysely_migration' || table_name === 'kysely_migration_lock') continue;
    out[table_name] = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table_name)}`.execute(h.t.db)).rows[0]?.n ?? 0);
  }
  return out;
}

function fuzz(prefix: '/api/card' | '/api/staff', paths: string[], sessions: () => string[]) {
  return fc.asyncProperty(
    fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE'),
    fc.oneof(fc.constantFrom(...paths), fc.string({ maxLength: 20 }).map((s) => `/${encodeURIComponent(s)}`)),
    fc.oneof(fc.constant(undefined), fc.constantFrom(...sessions()), fc.string({ maxLength: 60 })),
    fc.oneof(fc.constant<string | undefined>(undefined), jsonValue.map((v) => JSON.stringify(v)), fc.string({ maxLength: 80 })),
    fc.constantFrom('application/json', 'text/plain', undefined),
    fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
    async (method, path, auth, body, type, key) => {
      const headers: Record<string, string> = {};
      if (auth !== undefined) headers.authorization = `Bearer ${auth}`;
      if (type) headers['content-type'] = type;
      if (key && /^[\x21-\x7e]+$/.test(key)) headers['idempotency-key'] = key;
      const res = await fetch(`${h.url}${prefix}${path}`, { method, headers, ...(body !== undefined && method !== 'GET' ? { body } : {}) });
      expect(res.status, `${method} ${prefix}${path} ${body ?? ''}`).toBeLessThan(500);
      if (res.status >= 400) {
        const problem = (await res.json()) as { code?: unknown };
        expect(typeof problem.code).toBe('string');
      } else await res.arrayBuffer();
    },
  );
}

describe('the session APIs under malformed input', () => {
  it('never answer 5xx, always say why in a problem document, and keep serving', async () => {
    const shop = await h.business({ welcomeBonus: 100 });
    const phone = nextPhone();
    const member = await shop.api.members.create({ phone });
    const card = createCardClient({ baseUrl: h.url });
    await card.signIn({ signInToken: (await issueSignInToken(h.t.deps, { businessId: shop.id, phone })).token });
    const cashier = await aStaff(h, shop.id, 'cashier');
    const admin = await aStaff(h, shop.id, 'admin');
    const m = member.id;
    const cardPaths = ['/me', '/qr', '/profile', '/transactions', '/transactions?limit=0', '/transactions?cursor=x', '/codes', '/sessions', '/sessions/current', `/businesses/${shop.id}`, '/businesses/x'];
    const staffPaths = ['/me', '/sessions', '/sessions/current', '/sessions/0123456789abcdef', `/members?phone=${phone}`, '/members?last4=12', '/members?q=', `/members?qrToken=k1x`, `/members/${m}`, '/members/x', '/quotes', '/earn', '/redeem', '/redeem-codes', '/adjustments', '/audit?limit=0', '/audit?before=x', '/staff', '/staff/invites', `/staff/${cashier.id}`, '/staff/x', '/owner-transfer', '/reports/today', '/bulk-accruals', '/broadcasts', `/businesses/${shop.id}`, '/telegram-logins', '/telegram-logins/poll'];
    const params = (runs: number) => ({ numRuns: runs, ...(SEED === undefined ? {} : { seed: SEED }) });
    await fc.assert(fuzz('/api/card', cardPaths, () => [card.sessionToken!]), params(RUNS));
    await fc.assert(fuzz('/api/staff', staffPaths, () => [cashier.client.sessionToken!]), params(RUNS));
    // The server is still up, and the member and the staff are as they were where nothing could legitimately change.
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await shop.api.members.get(m)).id).toBe(m);
    expect((await admin.client.me()).staff.role).toBe('admin');
  }, 240_000);

  it('change nothing when refused: anonymous junk leaves every table as it was', async () => {
    const shop = await h.business();
    const before = await tableCounts();
    const junk = fc.asyncProperty(
      fc.constantFrom('/api/card', '/api/staff'),
      fc.constantFrom('POST', 'PATCH', 'DELETE'),
      fc.constantFrom('/me', '/profile', '/earn', '/redeem', '/adjustments', '/staff/invites', '/bulk-accruals', '/broadcasts', '/qr', '/sessions/current'),
      jsonValue.map((v) => JSON.stringify(v)),
      async (prefix, method, path, body) => {
        const res = await fetch(`${h.url}${prefix}${path}`, { method, headers: { 'content-type': 'application/json', authorization: 'Bearer kss_nope' }, body });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        await res.arrayBuffer();
      },
    );
    await fc.assert(junk, { numRuns: Math.max(1, Math.round(RUNS / 3)), ...(SEED === undefined ? {} : { seed: SEED }) });
    expect(await tableCounts()).toEqual(before);
    expect(shop.id).toBeTruthy();
  }, 120_000);
});
