// The channel settings API (/notification-channels), its test send through the real senders against local
// stand-ins, and SMS delivery reports posted back by each provider's format to /callbacks/sms/<secret>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { configuredSenders } from '../src/notify/channels/configured.js';
import { DEFAULT_PROVIDER_ENDPOINTS } from '../src/notify/channels/endpoints.js';
import { useApi } from './support/apiServer.js';
import { aMember } from './support/factories.js';
import { startSmsProviders, type SmsStandIn } from './support/smsProviders.js';
import { startSmtpServer, type SmtpStandIn } from './support/smtpServer.js';
import { startVkApi, type VkApiStandIn } from './support/vkApi.js';

let sms: SmsStandIn;
let smtp: SmtpStandIn;
let vk: VkApiStandIn;
beforeAll(async () => {
  [sms, smtp, vk] = await Promise.all([startSmsProviders(), startSmtpServer(), startVkApi()]);
  vk.addGroup(4242, 'vk1.a.coffee-community-token');
});
afterAll(async () => {
  await Promise.all([sms.close(), smtp.close(), vk.close()]);
});

// The senders reach the stand-ins; they are started in beforeAll above, before the API's own beforeAll asks for them.
const senders = { current: null as ReturnType<typeof configuredSenders> | null };
const h = useApi({
  setup: async () => {
    senders.current = configuredSenders({ ...DEFAULT_PROVIDER_ENDPOINTS, vkApiRoot: vk.url, smsRuApiRoot: sms.url, smscApiRoot: sms.url, timeoutMs: 5000 });
    return { channelTest: (c, m) => senders.current!.senderFor(c).send(m), close: async () => senders.current?.close() };
  },
});

type Json = Record<string, any>;
async function call(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await h.fetch(`${h.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}
const stored = async (businessId: string, channel: string) =>
  (await h.t.db.selectFrom('notification_channels').selectAll().where('business_id', '=', businessId).where('channel', '=', channel).executeTakeFirst())?.config as Json | undefined;

describe('channel settings', () => {
  it('sets up SMS.ru; answers show the secret only as a hint and give the callback path', async () => {
    const b = await h.business();
    expect(await call(b.apiKey, 'GET', '/notification-channels')).toEqual({ status: 200, body: { items: [] } });
    const r = await call(b.apiKey, 'PATCH', '/notification-channels/sms', { provider: 'smsru', apiId: 'A1B2C3D4-E5F6-0000-1111-222233334444', sender: 'Coffee' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      channel: 'sms',
      settings: { provider: 'smsru', apiId: '…4444', sender: 'Coffee', test: false, ratePerSecond: 10 },
      callbackPath: expect.stringMatching(/^\/callbacks\/sms\/[A-Za-z0-9_-]{32}$/),
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify((await call(b.apiKey, 'GET', '/notification-channels')).body)).not.toContain('A1B2C3D4');
  });

  it('a change touches only the fields given and keeps secrets; another provider starts afresh', async () => {
    const b = await h.business();
    const first = await call(b.apiKey, 'PATCH', '/notification-channels/sms', { provider: 'smsc', login: 'coffee', password: 'smsc-password-1', sender: 'Coffee' });
    const second = await call(b.apiKey, 'PATCH', '/notification-channels/sms', { sender: 'CoffeeBar', ratePerSecond: 3 });
    expect(second.body.settings).toEqual({ provider: 'smsc', login: 'coffee', password: '…rd-1', sender: 'CoffeeBar', ratePerSecond: 3 });
    expect(second.body.callbackPath).toBe(first.body.callbackPath);
    expect(await stored(b.id, 'sms')).toEqual({ provider: 'smsc', login: 'coffee', password: 'smsc-password-1', sender: 'CoffeeBar', ratePerSecond: 3 });
    const other = await call(b.apiKey, 'PATCH', '/notification-channels/sms', { provider: 'http', url: 'https://gw.example/send' });
    expect(other.status).toBe(200);
    expect(await stored(b.id, 'sms')).toEqual({ provider: 'http', url: 'https://gw.example/send', token: null, sender: null, ratePerSecond: 10 });
  });

  it('refuses bad settings listing every problem, and changes nothing', async () => {
    const b = await h.business();
    const r = await call(b.apiKey, 'PATCH', '/notification-channels/email', { host: 'bad host!', port: 0, from: 'nope', user: 'me', extra: 1 });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('invalid_channel_config');
    expect(r.body.errors.map((e: Json) => e.path).sort()).toEqual(['email.extra', 'email.from', 'email.host', 'email.password', 'email.port']);
    expect(await stored(b.id, 'email')).toBeUndefined();
    expect((await call(b.apiKey, 'PATCH', '/notification-channels/sms', { provider: 'twilio' })).body.errors).toEqual([{ path: 'sms.provider', message: 'sms.provider must be one of smsru, smsc, http' }]);
    expect((await call(b.apiKey, 'PATCH', '/notification-channels/vk', { groupId: '12', token: '' })).body.errors.map((e: Json) => e.path)).toEqual(['vk.groupId', 'vk.token']);
    expect((await call(b.apiKey, 'PATCH', '/notification-channels/telegram', { token: 'x' })).status).toBe(404);
    expect((await call(b.apiKey, 'GET', '/notification-channels')).body.items).toEqual([]);
  });

  it('an SMTP password or gateway token never follows the settings to another server', async () => {
    const b = await h.business();
    expect((await call(b.apiKey, 'PATCH', '/notification-channels/email', { host: 'smtp.coffee.test', user: 'shop', password: 'smtp-secret-1', from: 'hi@coffee.test' })).status).toBe(200);
    expect((await call(b.apiKey, 'PATCH', '/notification-channels/email', { fromName: 'Кофе' })).body.settings).toMatchObject({ host: 'smtp.coffee.test', port: 587, password: '…et-1', fromName: 'Кофе' });
    const moved = await call(b.apiKey, 'PATCH', '/notification-channels/email', { host: 'smtp.attacker.test' });
    expect(moved.status).toBe(422);
    expect(moved.body.errors).toEqual([{ path: 'email.password', message: 'email.password is required with email.user' }]);
    expect((await call(b.apiKey, 'PATCH', '/notification-channels/sms', { provider: 'http', url: 'https://gw.example/send', token: 'gateway-token-1' })).status).toBe(200);
    await call(b.apiKey, 'PATCH', '/notification-channels/sms', { url: 'https://elsewhere.example/send' });
    expect(await stored(b.id, 'sms')).toMatchObject({ url: 'https://elsewhere.example/send', token: null });
  });

  it('removes a channel; removing it again is not found; each business sees only its own', async () => {
    const a = await h.business();
    const b = await h.business();
    await call(a.apiKey, 'PATCH', '/notification-channels/vk', { groupId: 4242, token: 'vk1.a.coffee-community-token' });
    expect((await call(b.apiKey, 'GET', '/notification-channels')).body.items).toEqual([]);
    expect((await call(b.apiKey, 'DELETE', '/notification-channels/vk')).status).toBe(404);
    expect((await call(a.apiKey, 'DELETE', '/notification-channels/vk')).status).toBe(204);
    expect((await call(a.apiKey, 'DELETE', '/notification-channels/vk')).body.code).toBe('channel_not_configured');
  });
});

describe('test send', () => {
  it('sends through SMS, e-mail and VK now and answers with what the provider said', async () => {
    const b = await h.business();
    await call(b.apiKey, 'PATCH', '/notification-channels/sms', { provider: 'http', url: `${sms.url}/gateway`, token: sms.gatewayToken });
    const r = await call(b.apiKey, 'POST', '/notification-channels/sms/test', { to: '8 (916) 700-00-01', text: 'Проверка' });
    expect(r).toEqual({ status: 200, body: { status: 'sent', to: '+79167000001', providerMessageId: sms.sent.at(-1)!.id, error: null } });
    expect(sms.sent.at(-1)).toMatchObject({ to: '79167000001', text: 'Проверка' });
    sms.invalidNumbers.add('79167000002');
    expect((await call(b.apiKey, 'POST', '/notification-channels/sms/test', { to: '+79167000002' })).body).toMatchObject({ status: 'dead', error: expect.stringContaining('422') });

    await call(b.apiKey, 'PATCH', '/notification-channels/email', { host: '127.0.0.1', port: smtp.port, from: 'hi@coffee.test' });
    expect((await call(b.apiKey, 'POST', '/notification-channels/email/test', { to: 'owner@coffee.test' })).body).toMatchObject({ status: 'sent' });
    await smtp.waitFor(1);
    expect(smtp.received.at(-1)!.mail.subject).toBe('Kopilka test: API test shop');

    await call(b.apiKey, 'PATCH', '/notification-channels/vk', { groupId: 4242, token: 'vk1.a.coffee-community-token' });
    expect((await call(b.apiKey, 'POST', '/notification-channels/vk/test', { to: '31337' })).body).toMatchObject({ status: 'sent' });
    expect(vk.delivered.at(-1)).toMatchObject({ groupId: 4242, userId: 31337, text: 'Kopilka: test message from «API test shop» (vk)' });
  });

  it('a channel not set up, or an address of the wrong kind, is refused before anything is sent', async () => {
    const b = await h.business();
    expect((await call(b.apiKey, 'POST', '/notification-channels/sms/test', { to: '+79167000001' })).body.code).toBe('channel_not_configured');
    await call(b.apiKey, 'PATCH', '/notification-channels/email', { host: '127.0.0.1', port: smtp.port, from: 'hi@coffee.test' });
    expect((await call(b.apiKey, 'POST', '/notification-channels/email/test', { to: 'not an address' })).status).toBe(400);
  });
});

describe('SMS delivery reports', () => {
  async function sentSms(businessId: string, providerMessageId: string) {
    const member = await aMember(h.t.deps, businessId);
    const id = randomUUID();
    const now = new Date();
    await h.t.db.insertInto('messages').values({
      business_id: businessId, id, key: `test:${id}`, member_id: member.id, kind: 'accrual', purpose: 'service', vars: '{}', text: 'hi',
      status: 'sent', channel: 'sms', send_after: now, created_at: now, sent_at: now, provider_message_id: providerMessageId,
    }).execute();
    return { id, memberId: member.id };
  }
  const message = async (businessId: string, id: string) => h.t.db.selectFrom('messages').select(['delivery_status', 'last_error']).where('business_id', '=', businessId).where('id', '=', id).executeTakeFirstOrThrow();
  const dead = async (businessId: string, memberId: string) => (await h.t.db.selectFrom('members').select('dead_channels').where('business_id', '=', businessId).where('id', '=', memberId).executeTakeFirstOrThrow()).dead_channels;

  const cases = [
    { provider: 'smsru', settings: { provider: 'smsru', apiId: 'A1B2C3D4-E5F6-0000-1111-222233334444' }, answer: '100', pending: 102, delivered: 103, deadCode: 150 },
    { provider: 'smsc', settings: { provider: 'smsc', login: 'coffee', password: 'smsc-secret' }, answer: 'OK', pending: 0, delivered: 1, deadCode: 22 },
    { provider: 'http', settings: { provider: 'http', url: 'https://gw.example/send' }, answer: '{"ok":true,"received":1}', pending: 'sent', delivered: 'delivered', deadCode: 'invalid_number' },
  ] as const;

  for (const c of cases) {
    it(`${c.provider}: pending then delivered is recorded; a late pending does not undo it; the answer is what the provider expects`, async () => {
      const b = await h.business();
      const path = (await call(b.apiKey, 'PATCH', '/notification-channels/sms', c.settings)).body.callbackPath as string;
      const m = await sentSms(b.id, `${c.provider}-1`);
      expect(await sms.report(c.provider, `${h.url}${path}`, { id: `${c.provider}-1`, code: c.pending })).toEqual({ status: 200, body: c.answer });
      expect((await message(b.id, m.id)).delivery_status).toBe('pending');
      await sms.report(c.provider, `${h.url}${path}`, { id: `${c.provider}-1`, code: c.delivered });
      await sms.report(c.provider, `${h.url}${path}`, { id: `${c.provider}-1`, code: c.pending });
      expect(await message(b.id, m.id)).toEqual({ delivery_status: 'delivered', last_error: null });
    });

    it(`${c.provider}: a number that cannot be reached is recorded failed and SMS is skipped for that member from then on`, async () => {
      const b = await h.business();
      const path = (await call(b.apiKey, 'PATCH', '/notification-channels/sms', c.settings)).body.callbackPath as string;
      const m = await sentSms(b.id, `${c.provider}-2`);
      await sms.report(c.provider, `${h.url}${path}`, { id: `${c.provider}-2`, code: c.deadCode });
      const row = await message(b.id, m.id);
      expect(row.delivery_status).toBe('failed');
      expect(row.last_error).toMatch(/^sms: not delivered/);
      expect(await dead(b.id, m.memberId)).toEqual(['sms']);
    });
  }

  it('reports reach only the business whose callback address they came to; unknown addresses are 404, unknown ids ignored', async () => {
    const a = await h.business();
    const b = await h.business();
    const path = (await call(a.apiKey, 'PATCH', '/notification-channels/sms', cases[0].settings)).body.callbackPath as string;
    const mine = await sentSms(a.id, 'shared-id');
    const theirs = await sentSms(b.id, 'shared-id');
    expect((await sms.report('smsru', `${h.url}${path}`, { id: 'shared-id', code: 103 })).body).toBe('100');
    expect((await message(a.id, mine.id)).delivery_status).toBe('delivered');
    expect((await message(b.id, theirs.id)).delivery_status).toBeNull();
    expect((await sms.report('smsru', `${h.url}${path}`, { id: 'never-sent', code: 103 })).body).toBe('100');
    expect((await sms.report('smsru', `${h.url}/callbacks/sms/${'x'.repeat(32)}`, { id: 'shared-id', code: 103 })).status).toBe(404);
    const garbage = await fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'data[0]=nonsense&data[1]=sms_status%0Ashared-id%0Aabc' });
    expect(garbage.status).toBe(200);
  });

  it('SMS.ru may send several reports in one call', async () => {
    const b = await h.business();
    const path = (await call(b.apiKey, 'PATCH', '/notification-channels/sms', cases[0].settings)).body.callbackPath as string;
    const one = await sentSms(b.id, 'm-1');
    const two = await sentSms(b.id, 'm-2');
    const form = new URLSearchParams({ 'data[0]': 'sms_status\nm-1\n103\n1700000000', 'data[1]': 'sms_status\nm-2\n104\n1700000000' });
    const res = await fetch(`${h.url}${path}`, { method: 'POST', body: form });
    expect(await res.text()).toBe('100');
    expect((await message(b.id, one.id)).delivery_status).toBe('delivered');
    expect(await message(b.id, two.id)).toEqual({ delivery_status: 'failed', last_error: 'sms: not delivered: its lifetime ran out' });
    expect(await dead(b.id, two.memberId)).toEqual([]);
  });
});
