// First run: the set-up link, the wizard's API (one go, all problems at once, the owner signed in), the printable
// poster (its QR code read back from the PNG), and the platform operator (made by the CLI, listing businesses).
import { execFile } from 'node:child_process';
import { inflateSync } from 'node:zlib';
import { promisify } from 'node:util';
import jsQRModule from 'jsqr';
import { sql } from 'kysely';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupToken, connectPendingBots } from '../src/app/setup.js';
import { silentLogger } from '../src/config/logger.js';
import { createHttpApp, startHttpServer, type RunningHttpServer } from '../src/http/server.js';
import { freePort } from '../src/store/embedded/freePort.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import type { TelegramGateway } from '../src/core/index.js';
import { openApiChecker } from './support/apiServer.js';
import { startTelegramApi, type TelegramApi } from './support/telegramApi.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

// jsqr is CommonJS: its function is the default export under Node, .default under the type declarations.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;
type Json = Record<string, any>;
const asJson = (x: unknown) => x as Json;

const CUSTOMER_TOKEN = `700100:${'C'.repeat(35)}`;
const STAFF_TOKEN = `700200:${'S'.repeat(35)}`;
const UNKNOWN_TOKEN = `700300:${'U'.repeat(35)}`;

let t: TestDatabase;
let tg: TelegramApi;
let server: RunningHttpServer;
let checker: ReturnType<typeof openApiChecker>;
// The gateway the wizard uses; switched to one that cannot connect to show "unreachable".
let telegram: TelegramGateway;
const switchable: TelegramGateway = { getMe: (token) => telegram.getMe(token) };

const count = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n);

beforeAll(async () => {
  t = await openTestDatabase();
  tg = await startTelegramApi();
  tg.addBot({ token: CUSTOMER_TOKEN, username: 'zerno_club_bot' });
  tg.addBot({ token: STAFF_TOKEN, username: 'zerno_staff_bot' });
  telegram = telegramGateway(tg.url);
  const app = createHttpApp({ app: t.deps, db: t.db, log: silentLogger, api: { rateLimit: 10_000, authCacheMs: 0 }, card: { linkBase: 'https://shop.test/card/', codes: { send: async () => undefined } }, setup: { telegram: switchable, publicUrl: 'https://shop.test' } });
  server = await startHttpServer(app, { host: '127.0.0.1', port: await freePort() });
  checker = openApiChecker(await (await fetch(`${server.url}/api/v1/openapi.json`)).json().then(asJson));
});

afterAll(async () => {
  await server?.close();
  await tg?.close();
  await t?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const i = pair!.indexOf('=');
    out[pair!.slice(0, i)] = pair!.slice(i + 1);
  }
  return out;
}

const goodSetup = (token: string) => ({
  token,
  business: { name: 'Кофейня «Зерно»', address: 'ул. Ленина, 1', timezone: 'Asia/Yekaterinburg', currency: 'rub' },
  program: { pointsName: 'зёрна', earnPercent: 7, maxRedeemPercent: '50', welcomeBonus: 100, pointsLifetimeDays: 365, expiryReminderDays: [7, 1] },
  bots: { customer: CUSTOMER_TOKEN, staff: UNKNOWN_TOKEN },
  owner: { name: 'Анна', email: 'Anna@Zerno.test', password: 'correct horse battery' },
});

describe('the set-up link and wizard', () => {
  let token: string;
  let businessId: string;
  let session: Record<string, string>;

  it('a fresh instance has no business; a new link ends the earlier one', async () => {
    expect(await count('businesses')).toBe(0);
    const first = await issueSetupToken(t.deps);
    token = (await issueSetupToken(t.deps)).token;
    expect(token).toMatch(/^kst_/);
    const old = await (await fetch(`${server.url}/api/setup/status?token=${first.token}`)).json().then(asJson);
    expect(old.valid).toBe(false);
    const res = await fetch(`${server.url}/api/setup/status?token=${token}`);
    const status = await res.json().then(asJson);
    expect(status).toMatchObject({ valid: true, defaults: { currency: 'RUB', pointsName: 'баллы', earnPercent: 5, maxRedeemPercent: 30, pointsLifetimeDays: 180, expiryReminderDays: [4, 1] } });
    expect(status.defaults.timezones).toContain('Europe/Moscow');
    expect(Date.parse(status.expiresAt) - t.clock.now().getTime()).toBe(24 * 3_600_000);
    expect((await (await fetch(`${server.url}/api/setup/status?token=kst_nonsense`)).json().then(asJson)).valid).toBe(false);
  });

  it('checks bot tokens live: known, unknown, and Telegram out of reach', async () => {
    const ok = await (await post('/api/setup/check-bot', { setupToken: token, token: CUSTOMER_TOKEN, role: 'customer' })).json().then(asJson);
    expect(ok).toMatchObject({ status: 'ok', bot: { username: 'zerno_club_bot', link: 'https://t.me/zerno_club_bot' } });
    const bad = await (await post('/api/setup/check-bot', { setupToken: token, token: UNKNOWN_TOKEN, role: 'staff' })).json().then(asJson);
    expect(bad).toMatchObject({ status: 'invalid' });
    expect(bad.help.ru).toContain('@BotFather');
    telegram = telegramGateway('http://127.0.0.1:9'); // nothing listens there
    const away = await (await post('/api/setup/check-bot', { setupToken: token, token: CUSTOMER_TOKEN, role: 'customer' })).json().then(asJson);
    expect(away.status).toBe('unreachable');
    expect(away.message).toMatch(/saved and checked later/);
    telegram = telegramGateway(tg.url);
    const noLink = await post('/api/setup/check-bot', { setupToken: 'kst_x', token: CUSTOMER_TOKEN, role: 'customer' });
    expect(noLink.status).toBe(401);
  });

  it('bad answers: every problem at once, nothing created, the link still live', async () => {
    const res = await post('/api/setup', {
      ...goodSetup(token),
      business: { name: ' ', timezone: 'Mars/Olympus', currency: 'XYZ' },
      program: { pointsName: '', earnPercent: 'lots', maxRedeemPercent: 150, welcomeBonus: -5, pointsLifetimeDays: 180, expiryReminderDays: [0] },
      bots: { customer: 'not a token' },
      owner: { name: '', email: 'nope', password: 'short' },
    });
    expect(res.status).toBe(422);
    const problem = await res.json().then(asJson);
    expect(problem.code).toBe('setup_invalid');
    const paths = (problem.errors as { path: string }[]).map((e) => e.path);
    for (const p of ['business.name', 'business.timezone', 'business.currency', 'program.earnPercent', 'program.maxRedeemPercent', 'program.pointsName', 'program.welcomeBonus', 'program.expiryReminderDays', 'bots.customer', 'owner.name', 'owner.email', 'owner.password']) {
      expect(paths, p).toContain(p);
    }
    expect(await count('businesses')).toBe(0);
    expect(await count('staff')).toBe(0);
    expect((await (await fetch(`${server.url}/api/setup/status?token=${token}`)).json().then(asJson)).valid).toBe(true);
  });

  it('good answers: business, program, owner and bots in one go; the owner is signed in; the link is burnt', async () => {
    const res = await post('/api/setup', goodSetup(token), { 'user-agent': 'wizard-test' });
    expect(res.status).toBe(201);
    const body = await res.json().then(asJson);
    businessId = body.businessId;
    expect(body).toMatchObject({
      cashierUrl: `https://shop.test/cashier/?b=${businessId}`,
      cardUrl: `https://shop.test/card/?b=${businessId}`,
      posterUrls: { png: 'https://shop.test/api/v1/poster.png', pdf: 'https://shop.test/api/v1/poster.pdf' },
      botLinks: { customer: 'https://t.me/zerno_club_bot' },
    });
    expect(body.bots).toEqual([
      { role: 'customer', status: 'connected', username: 'zerno_club_bot', link: 'https://t.me/zerno_club_bot' },
      expect.objectContaining({ role: 'staff', status: 'invalid' }),
    ]);
    session = cookiesOf(res);
    expect(session.kopilka_session).toMatch(/^kss_/);
    expect(session.kopilka_csrf!.length).toBeGreaterThan(16);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('kopilka_session='))).toMatch(/HttpOnly/i);

    // The session cookie works on the business's API: the program is what the wizard said.
    const program = await (await fetch(`${server.url}/api/v1/program`, { headers: { cookie: `kopilka_session=${session.kopilka_session}` } })).json().then(asJson);
    expect(program).toMatchObject({ pointsName: 'зёрна', earnPercent: 7, maxRedeemPercent: 50, welcomeBonus: 100, pointsLifetimeDays: 365, currency: 'RUB', timezone: 'Asia/Yekaterinburg' });
    expect(program.notifications.expiryReminderDays).toEqual([7, 1]);
    const me = await (await fetch(`${server.url}/api/admin/session`, { headers: { cookie: `kopilka_session=${session.kopilka_session}` } })).json().then(asJson);
    expect(JSON.stringify(me)).toContain('owner');
    const location = (await sql<{ address: string }>`select address from locations where business_id = ${businessId}`.execute(t.db)).rows;
    expect(location).toEqual([{ address: 'ул. Ленина, 1' }]);

    const again = await post('/api/setup', { ...goodSetup(token), business: { ...goodSetup(token).business, name: 'Second' } });
    expect(again.status).toBe(401);
    expect((await again.json().then(asJson)).code).toBe('invalid_setup_token');
    expect(await count('businesses')).toBe(1);
  });

  it('a bot token pasted while Telegram is out of reach waits, and is connected once it answers', async () => {
    const { token: second } = await issueSetupToken(t.deps);
    telegram = telegramGateway('http://127.0.0.1:9');
    const res = await post('/api/setup', { ...goodSetup(second), business: { name: 'Пекарня', timezone: 'Europe/Moscow', currency: 'RUB' }, bots: { staff: STAFF_TOKEN }, owner: { name: 'Олег', email: 'oleg@bake.test', password: 'another long password' } });
    telegram = telegramGateway(tg.url);
    expect(res.status).toBe(201);
    const body = await res.json().then(asJson);
    expect(body.bots).toEqual([expect.objectContaining({ role: 'staff', status: 'pending' })]);
    expect(await count('pending_bot_tokens')).toBe(1);
    expect(await connectPendingBots(t.deps, telegramGateway(tg.url))).toEqual({ connected: 1, refused: 0, waiting: 0 });
    expect(await count('pending_bot_tokens')).toBe(0);
    const bots = (await sql<{ username: string }>`select username from bots where business_id = ${body.businessId}`.execute(t.db)).rows;
    expect(bots).toEqual([{ username: 'zerno_staff_bot' }]);
  });

  it('the poster: a PNG whose QR code reads back as the customer bot link, and a PDF', async () => {
    const headers = { cookie: `kopilka_session=${session.kopilka_session}` };
    const png = await fetch(`${server.url}/api/v1/poster.png`, { headers });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(checker('get', '/api/v1/poster.png', 200, png.headers.get('content-type'), '')).toBeNull();
    const image = PNG.sync.read(bytes);
    expect([image.width, image.height]).toEqual([1240, 1754]); // A4 at 150 dpi
    const qr = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(qr?.data).toBe('https://t.me/zerno_club_bot');

    const pdf = await fetch(`${server.url}/api/v1/poster.pdf`, { headers });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const doc = Buffer.from(await pdf.arrayBuffer());
    expect(doc.subarray(0, 5).toString()).toBe('%PDF-');
    const textOf = doc.toString('latin1');
    expect(textOf.trimEnd().endsWith('%%EOF')).toBe(true);
    // The cross-reference table points at each object.
    const startxref = Number(/startxref\s+(\d+)/.exec(textOf)![1]);
    expect(textOf.slice(startxref, startxref + 4)).toBe('xref');
    const offsets = [...textOf.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    offsets.forEach((o, i) => expect(textOf.slice(o).startsWith(`${i + 1} 0 obj\n`)).toBe(true));
    expect(textOf).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    // The page's content: filled rectangles (the QR) and glyph outlines.
    const m = /\/Length (\d+) \/Filter \/FlateDecode >>\nstream\n/.exec(textOf)!;
    const content = inflateSync(doc.subarray(m.index + m[0].length, m.index + m[0].length + Number(m[1]))).toString('latin1');
    expect((content.match(/ re f/g) ?? []).length).toBeGreaterThan(100);
    expect(content).toMatch(/ c\n/);

    // Not signed in: no poster. Without a bot the QR opens the card's sign-up page.
    const anonymous = await fetch(`${server.url}/api/v1/poster.png`);
    expect(anonymous.status).toBe(401);
    await sql`update bots set disconnected_at = now() where business_id = ${businessId}`.execute(t.db);
    const card = PNG.sync.read(Buffer.from(await (await fetch(`${server.url}/api/v1/poster.png`, { headers })).arrayBuffer()));
    expect(jsQR(new Uint8ClampedArray(card.data), card.width, card.height)?.data).toBe(`https://shop.test/card/?b=${businessId}`);
  });
});

describe('the platform operator', () => {
  it('is made by the CLI, signs in, lists every business with its health, and creates one with an owner invitation', async () => {
    const url = new URL(t.url);
    url.searchParams.set('options', `-c search_path=${t.schema}`);
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/kopilka.js', 'operator', 'create', '--email', 'Ops@Platform.test', '--password', 'operator password 1', '--json'], {
      env: { ...process.env, DATABASE_URL: url.href, LOG_LEVEL: 'error' },
    });
    expect(JSON.parse(stdout)).toMatchObject({ email: 'ops@platform.test' });

    const wrong = await post('/api/operator/session', { email: 'ops@platform.test', password: 'not the password' });
    expect(wrong.status).toBe(401);
    const signIn = await post('/api/operator/session', { email: 'ops@platform.test', password: 'operator password 1' });
    expect(signIn.status).toBe(204);
    const c = cookiesOf(signIn);
    const cookie = `kopilka_operator=${c.kopilka_operator}; kopilka_csrf=${c.kopilka_csrf}`;

    const list = await (await fetch(`${server.url}/api/operator/businesses`, { headers: { cookie } })).json().then(asJson);
    expect(list.businesses.map((b: { name: string }) => b.name)).toEqual(['Кофейня «Зерно»', 'Пекарня']);
    expect(list.businesses[1]).toMatchObject({ members: 0, purchasesLast30Days: 0, lastPurchaseAt: null, bots: [{ role: 'staff', username: 'zerno_staff_bot' }], pendingBots: [], webhookFailures: 0 });

    const noCsrf = await post('/api/operator/businesses', { name: 'Цветы', ownerName: 'Ирина' }, { cookie });
    expect(noCsrf.status).toBe(403);
    const made = await post('/api/operator/businesses', { name: 'Цветы', ownerName: 'Ирина' }, { cookie, 'x-csrf-token': c.kopilka_csrf! });
    expect(made.status).toBe(201);
    const body = await made.json().then(asJson);
    expect(body.ownerInvitation.url).toMatch(new RegExp(`^https://shop\\.test/cashier/\\?b=${body.businessId}#invite=ksi_`));
    expect(await count('businesses')).toBe(3);

    // The operator's cookie opens no business's API, and no operator route answers without it.
    expect((await fetch(`${server.url}/api/v1/program`, { headers: { cookie } })).status).toBe(401);
    expect((await fetch(`${server.url}/api/operator/businesses`)).status).toBe(401);
  });
});
