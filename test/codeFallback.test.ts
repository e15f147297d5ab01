// One-time codes for members Telegram cannot reach go by the business's SMS channel, else its e-mail channel; with
// neither, nothing is sent (production logs that the member has no channel).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setNotificationChannel } from '../src/app/notificationChannels.js';
import { silentLogger } from '../src/config/logger.js';
import { configuredSenders } from '../src/notify/channels/configured.js';
import { DEFAULT_PROVIDER_ENDPOINTS } from '../src/notify/channels/endpoints.js';
import { signInCodeSender } from '../src/notify/signInCodeSender.js';
import { redeemCodeSender } from '../src/notify/staffChannels.js';
import { aBusiness, aMember } from './support/factories.js';
import { startSmsProviders, type SmsStandIn } from './support/smsProviders.js';
import { startSmtpServer, type SmtpStandIn } from './support/smtpServer.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
let sms: SmsStandIn;
let smtp: SmtpStandIn;
let senders: ReturnType<typeof configuredSenders>;
beforeAll(async () => {
  [t, sms, smtp] = await Promise.all([openTestDatabase(), startSmsProviders(), startSmtpServer()]);
  senders = configuredSenders({ ...DEFAULT_PROVIDER_ENDPOINTS, smsRuApiRoot: sms.url, timeoutMs: 5000 });
});
afterAll(async () => {
  senders?.close();
  await Promise.all([t?.close(), sms?.close(), smtp?.close()]);
});

/** The member record the senders take (aMember gives the API's view). */
const record = async (businessId: string, id: string) => (await t.deps.uow.run((repos) => repos.members.get(businessId, id)))!;

const options = () => ({ log: silentLogger, telegramApiRoot: 'http://127.0.0.1:9', production: true, fallback: { senders, log: silentLogger } });

describe('codes without Telegram', () => {
  it('a sign-in code goes by SMS to the member\'s phone, a payment code too', async () => {
    const b = await aBusiness(t.deps);
    await setNotificationChannel(t.deps, { businessId: b.id, channel: 'sms', change: { provider: 'smsru', apiId: sms.smsRuApiId } });
    const m = await record(b.id, (await aMember(t.deps, b.id)).id);
    await signInCodeSender(t.deps, options()).send({ businessId: b.id, businessName: b.name, member: m }, { code: '482913', link: null, minutes: 10 });
    expect(sms.sent.at(-1)).toMatchObject({ provider: 'smsru', to: m.phone.replace(/\D/g, ''), text: expect.stringContaining('482913') });
    await redeemCodeSender(t.deps, options()).send({ businessId: b.id, businessName: b.name, member: m }, { code: '7731', minutes: 5 });
    expect(sms.sent.at(-1)).toMatchObject({ to: m.phone.replace(/\D/g, ''), text: expect.stringContaining('7731') });
  });

  it('when SMS cannot take it, e-mail does; with no channel nothing is sent', async () => {
    const b = await aBusiness(t.deps);
    await setNotificationChannel(t.deps, { businessId: b.id, channel: 'sms', change: { provider: 'smsru', apiId: sms.smsRuApiId } });
    await setNotificationChannel(t.deps, { businessId: b.id, channel: 'email', change: { host: '127.0.0.1', port: smtp.port, from: 'codes@coffee.test' } });
    const m = { ...(await record(b.id, (await aMember(t.deps, b.id)).id)), email: 'ivan@example.com' };
    sms.invalidNumbers.add(m.phone.replace(/\D/g, ''));
    const before = sms.sent.length;
    await signInCodeSender(t.deps, options()).send({ businessId: b.id, businessName: b.name, member: m }, { code: '105577', link: 'https://shop.test/card/?b=1#signin=x', minutes: 10 });
    expect(sms.sent.length).toBe(before);
    await smtp.waitFor(1);
    const mail = smtp.received.at(-1)!.mail;
    expect(mail.to).toMatchObject({ value: [{ address: 'ivan@example.com' }] });
    expect(mail.subject).toBe('Test coffee: sign-in code');
    expect(mail.text).toContain('105577');

    const none = await aBusiness(t.deps);
    const lonely = await record(none.id, (await aMember(t.deps, none.id)).id);
    const count = sms.sent.length + smtp.received.length;
    await signInCodeSender(t.deps, options()).send({ businessId: none.id, businessName: none.name, member: lonely }, { code: '000111', link: null, minutes: 10 });
    expect(sms.sent.length + smtp.received.length).toBe(count);
  });
});
