// Connecting a business's own bots: the token is checked with the Bot API (a local stand-in speaking its protocol),
// one live bot per role per business, a bot never serves two businesses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBot, disconnectBot, listBots } from '../src/app/bots.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import { DomainError } from '../src/core/index.js';
import { aBusiness } from './support/factories.js';
import { startTelegramApi, type TelegramApi } from './support/telegramApi.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
let tg: TelegramApi;
beforeAll(async () => {
  t = await openTestDatabase();
  tg = await startTelegramApi();
});
afterAll(async () => {
  await tg?.close();
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

const TOKEN_A = '7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const TOKEN_B = '7000000002:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsbw';

describe('connectBot', () => {
  it('connects a bot Telegram knows, replaces the previous bot of the role, and lists it', async () => {
    tg.addBot({ token: TOKEN_A, username: 'coffee_lenina_bot' });
    tg.addBot({ token: TOKEN_B, username: 'coffee_lenina2_bot' });
    const gateway = telegramGateway(tg.url);
    const b = await aBusiness(t.deps);
    const first = await connectBot(t.deps, gateway, { businessId: b.id, role: 'customer', token: TOKEN_A });
    expect(first).toMatchObject({ role: 'customer', username: 'coffee_lenina_bot', telegramId: 7000000001 });
    const second = await connectBot(t.deps, gateway, { businessId: b.id, role: 'customer', token: TOKEN_B });
    expect((await listBots(t.deps, b.id)).map((x) => x.username)).toEqual([second.username]);
    await disconnectBot(t.deps, { businessId: b.id, role: 'customer' });
    expect(await listBots(t.deps, b.id)).toEqual([]);
    expect(await code(disconnectBot(t.deps, { businessId: b.id, role: 'customer' }))).toBe('bot_not_found');
  });

  it('refuses a token Telegram does not know, a malformed one, a bad role, and a bot another business has', async () => {
    const gateway = telegramGateway(tg.url);
    const a = await aBusiness(t.deps);
    const b = await aBusiness(t.deps);
    expect(await code(connectBot(t.deps, gateway, { businessId: a.id, role: 'customer', token: '7000000099:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDszz' }))).toBe('invalid_bot_token');
    expect(await code(connectBot(t.deps, gateway, { businessId: a.id, role: 'customer', token: 'not-a-token' }))).toBe('validation_failed');
    expect(await code(connectBot(t.deps, gateway, { businessId: a.id, role: 'owner', token: TOKEN_A }))).toBe('validation_failed');
    await connectBot(t.deps, gateway, { businessId: a.id, role: 'customer', token: TOKEN_A });
    expect(await code(connectBot(t.deps, gateway, { businessId: b.id, role: 'customer', token: TOKEN_A }))).toBe('bot_in_use');
    expect(await listBots(t.deps, b.id)).toEqual([]);
    expect((await listBots(t.deps, a.id)).map((x) => x.username)).toEqual(['coffee_lenina_bot']);
  });
});
