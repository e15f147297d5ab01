// The VK, SMS and e-mail senders against local stand-ins speaking each protocol: what is sent, what counts as a dead
// address (the next channel is tried) and what is retried, the providers' limits, and no duplicate on a resend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailSettings, OutgoingMessage, SmsSettings } from '../src/core/index.js';
import { emailSender, textToHtml } from '../src/notify/channels/email.js';
import { DEFAULT_PROVIDER_ENDPOINTS, type ProviderEndpoints } from '../src/notify/channels/endpoints.js';
import { configuredSenders } from '../src/notify/channels/configured.js';
import { smsSender } from '../src/notify/channels/sms.js';
import { vkRandomId, vkSender } from '../src/notify/channels/vk.js';
import { startSmsProviders, type SmsStandIn } from './support/smsProviders.js';
import { startSmtpServer, type SmtpStandIn } from './support/smtpServer.js';
import { startVkApi, type VkApiStandIn } from './support/vkApi.js';

let n = 0;
const message = (channel: OutgoingMessage['channel'], address: string, text = 'Вам начислено 50 баллов. Баланс: 150.'): OutgoingMessage => ({
  businessId: '00000000-0000-4000-8000-000000000001',
  messageId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  channel,
  address,
  text,
});

describe('VK', () => {
  let vk: VkApiStandIn;
  const token = 'vk1.a.community-token-0001';
  beforeAll(async () => {
    vk = await startVkApi();
    vk.addGroup(777, token);
  });
  afterAll(() => vk.close());
  const sender = () => vkSender({ settings: { groupId: 777, token }, apiRoot: vk.url, timeoutMs: 5000 });

  it('sends from the community to the member; a resend of the same message is not delivered twice', async () => {
    const s = sender();
    const m = message('vk', '5001', 'Привет! У вас 150 баллов.');
    const first = await s.send(m);
    expect(first).toEqual({ status: 'sent', providerMessageId: expect.any(String) });
    expect(await s.send(m)).toEqual(first);
    expect(vk.delivered.filter((d) => d.userId === 5001)).toEqual([{ groupId: 777, userId: 5001, messageId: Number((first as { providerMessageId: string }).providerMessageId), randomId: vkRandomId(m.messageId), text: 'Привет! У вас 150 баллов.' }]);
  });

  it('a member who never allowed messages, blacklisted the community or closed them is dead for VK', async () => {
    vk.setUser(5002, 'not_allowed');
    vk.setUser(5003, 'blacklisted');
    vk.setUser(5004, 'privacy');
    const s = sender();
    for (const [id, code] of [['5002', 901], ['5003', 900], ['5004', 902]] as const) {
      const r = await s.send(message('vk', id));
      expect(r.status).toBe('dead');
      expect((r as { error: string }).error).toContain(`vk: ${code}`);
    }
    expect(await s.send(message('vk', 'not-a-number'))).toMatchObject({ status: 'dead' });
  });

  it('an internal error, a wrong token and an unreachable API are retried, never dead', async () => {
    vk.failNext(1, 10, 'Internal server error');
    expect(await sender().send(message('vk', '5005'))).toMatchObject({ status: 'retry', error: expect.stringContaining('vk: 10') });
    vk.failNext(1, 9, 'Flood control');
    expect(await sender().send(message('vk', '5005'))).toMatchObject({ status: 'retry', retryAfterMs: 60_000 });
    const wrong = vkSender({ settings: { groupId: 777, token: 'vk1.a.wrong' }, apiRoot: vk.url, timeoutMs: 5000 });
    expect(await wrong.send(message('vk', '5005'))).toMatchObject({ status: 'retry', error: expect.stringContaining('vk: 5') });
    const down = vkSender({ settings: { groupId: 777, token }, apiRoot: 'http://127.0.0.1:9', timeoutMs: 2000 });
    expect(await down.send(message('vk', '5005'))).toMatchObject({ status: 'retry' });
  });

  it('keeps under VK\'s 20 calls a second per community: 60 messages at once, none refused as too many, each delivered once', async () => {
    const s = sender();
    const before = vk.delivered.length;
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => s.send(message('vk', String(6000 + i)))));
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(vk.delivered.length - before).toBe(60);
    expect(vk.tooMany).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });
});

describe('SMS', () => {
  let sms: SmsStandIn;
  let endpoints: ProviderEndpoints;
  beforeAll(async () => {
    sms = await startSmsProviders();
    endpoints = { ...DEFAULT_PROVIDER_ENDPOINTS, smsRuApiRoot: sms.url, smscApiRoot: sms.url, timeoutMs: 5000 };
  });
  afterAll(() => sms.close());
  const settings = (provider: SmsSettings['provider'], extra: Record<string, unknown> = {}): SmsSettings => {
    const common = { sender: 'Kopilka', ratePerSecond: 50, ...extra };
    if (provider === 'smsru') return { provider, apiId: sms.smsRuApiId, test: false, ...common };
    if (provider === 'smsc') return { provider, login: sms.smsc.login, password: sms.smsc.password, ...common };
    return { provider, url: `${sms.url}/gateway`, token: sms.gatewayToken, ...common };
  };

  for (const provider of ['smsru', 'smsc', 'http'] as const) {
    it(`${provider}: sends to the number in E.164, with the sender name, and returns the provider's id`, async () => {
      const s = smsSender({ settings: settings(provider), endpoints, callbackUrl: 'https://kopilka.test/callbacks/sms/x' });
      const m = message('sms', '+79161234567', 'Код: 1234');
      const r = await s.send(m);
      const last = sms.sent.at(-1)!;
      expect(r).toEqual({ status: 'sent', providerMessageId: last.id });
      expect(last).toMatchObject({ provider, to: '79161234567', text: 'Код: 1234', sender: 'Kopilka' });
      if (provider === 'http') expect(last).toMatchObject({ callbackUrl: 'https://kopilka.test/callbacks/sms/x', idempotencyKey: m.messageId });
    });

    it(`${provider}: an invalid number is dead; an outage is retried`, async () => {
      const s = smsSender({ settings: settings(provider), endpoints, callbackUrl: null });
      sms.invalidNumbers.add('79160000000');
      expect(await s.send(message('sms', '+79160000000'))).toMatchObject({ status: 'dead' });
      sms.failNext(1);
      expect(await s.send(message('sms', '+79161112233'))).toMatchObject({ status: 'retry' });
      expect(await s.send(message('sms', '+79161112233'))).toMatchObject({ status: 'sent' });
    });
  }

  it('wrong credentials are retried (the settings need fixing, the member is not at fault)', async () => {
    for (const bad of [settings('smsru', { apiId: 'nope' }), settings('smsc', { password: 'nope' }), settings('http', { token: 'nope' })]) {
      const r = await smsSender({ settings: bad, endpoints, callbackUrl: null }).send(message('sms', '+79161234567'));
      expect(r.status).toBe('retry');
    }
  });

  it('the generic gateway\'s 429 is retried after its Retry-After; an address that is not a phone is dead without a call', async () => {
    const s = smsSender({ settings: settings('http'), endpoints, callbackUrl: null });
    sms.failNext(1, 429);
    expect(await s.send(message('sms', '+79161234567'))).toMatchObject({ status: 'retry', retryAfterMs: 7000 });
    const count = sms.sent.length;
    expect(await s.send(message('sms', 'someone@example.com'))).toMatchObject({ status: 'dead' });
    expect(sms.sent.length).toBe(count);
  });

  it('keeps to the account\'s messages per second', async () => {
    const s = smsSender({ settings: settings('smsru', { ratePerSecond: 10 }), endpoints, callbackUrl: null });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 21 }, (_, i) => s.send(message('sms', `+7916555${String(1000 + i)}`))));
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    // 21 evenly spaced at 10/s: the last goes 2 s after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });
});

describe('e-mail', () => {
  let smtp: SmtpStandIn;
  const base = (port: number): EmailSettings => ({ host: '127.0.0.1', port, secure: false, user: 'shop', password: 'smtp-pass', from: 'hello@coffee.test', fromName: 'Кофе на Ленина', replyTo: 'owner@coffee.test', ratePerSecond: 50 });
  beforeAll(async () => {
    smtp = await startSmtpServer({ user: 'shop', password: 'smtp-pass' });
  });
  afterAll(() => smtp.close());

  it('sends text and HTML over real SMTP with the business as the sender', async () => {
    const s = emailSender({ settings: base(smtp.port), timeoutMs: 5000 });
    const m = message('email', 'anna@example.com', 'Анна, у вас сгорят 120 баллов 14 марта.\nКарта: https://coffee.test/card/?b=1 <скидка>');
    const r = await s.send(m);
    s.close();
    expect(r).toMatchObject({ status: 'sent' });
    await smtp.waitFor(1);
    const { mail, envelopeTo } = smtp.received.at(-1)!;
    expect(envelopeTo).toEqual(['anna@example.com']);
    expect(mail.from?.value).toEqual([{ address: 'hello@coffee.test', name: 'Кофе на Ленина' }]);
    expect(mail.replyTo?.value[0]?.address).toBe('owner@coffee.test');
    expect(mail.subject).toBe('Анна, у вас сгорят 120 баллов 14 марта.');
    expect(mail.text?.trim()).toBe(m.text);
    expect(mail.html).toContain('<a href="https://coffee.test/card/?b=1">https://coffee.test/card/?b=1</a>');
    expect(mail.html).toContain('&lt;скидка&gt;');
    expect(mail.messageId).toBe(`<${m.messageId}@coffee.test>`);
  });

  it('a mailbox refused for good is dead; refused for now is retried; wrong credentials and no server are retried', async () => {
    smtp.rejected.add('gone@example.com');
    smtp.deferred.add('busy@example.com');
    const s = emailSender({ settings: base(smtp.port), timeoutMs: 5000 });
    expect(await s.send(message('email', 'gone@example.com'))).toMatchObject({ status: 'dead', error: expect.stringContaining('550') });
    expect(await s.send(message('email', 'busy@example.com'))).toMatchObject({ status: 'retry', error: expect.stringContaining('451') });
    s.close();
    const wrong = emailSender({ settings: { ...base(smtp.port), password: 'nope' }, timeoutMs: 5000 });
    expect(await wrong.send(message('email', 'anna@example.com'))).toMatchObject({ status: 'retry' });
    wrong.close();
    const none = emailSender({ settings: { ...base(9), host: '127.0.0.1' }, timeoutMs: 2000 });
    expect(await none.send(message('email', 'anna@example.com'))).toMatchObject({ status: 'retry' });
    none.close();
  });

  it('textToHtml escapes markup and keeps line breaks', () => {
    expect(textToHtml('a <b>\nc & "d"')).toContain('a &lt;b&gt;<br>\nc &amp; &quot;d&quot;');
  });
});

describe('configured senders', () => {
  it('keep one sender (and its rate limit) per business channel while the settings stay the same', async () => {
    const senders = configuredSenders({ ...DEFAULT_PROVIDER_ENDPOINTS, publicUrl: 'https://kopilka.test/' });
    const stored = { businessId: 'b1', channel: 'sms' as const, settings: { provider: 'http' as const, url: 'http://127.0.0.1:9/gateway', token: null, sender: null, ratePerSecond: 5 }, callbackSecret: 's'.repeat(32), updatedAt: new Date() };
    const a = senders.senderFor(stored);
    expect(senders.senderFor({ ...stored, updatedAt: new Date(0) })).toBe(a);
    expect(senders.senderFor({ ...stored, settings: { ...stored.settings, ratePerSecond: 6 } })).not.toBe(a);
    senders.close();
  });
});
