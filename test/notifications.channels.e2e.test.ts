// The engine delivering through a business's own VK, SMS and e-mail channels (set up through the API) against the
// local stand-ins: the order VK → SMS → e-mail, a member VK cannot reach moved to SMS and one whose number is invalid
// moved to e-mail (each remembered, so the dead channel is not tried again), and the SMS delivery report recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextPhone } from './support/factories.js';
import { startNotifyHarness, type NotifyHarness } from './support/notifyHarness.js';
import { startSmsProviders, type SmsStandIn } from './support/smsProviders.js';
import { startSmtpServer, type SmtpStandIn } from './support/smtpServer.js';
import { startVkApi, type VkApiStandIn } from './support/vkApi.js';

let h: NotifyHarness;
let vk: VkApiStandIn;
let sms: SmsStandIn;
let smtp: SmtpStandIn;
const VK_TOKEN = 'vk1.a.e2e-community-token';
beforeAll(async () => {
  [vk, sms, smtp] = await Promise.all([startVkApi(), startSmsProviders(), startSmtpServer()]);
  vk.addGroup(555, VK_TOKEN);
  h = await startNotifyHarness({ notifications: { endpoints: { vkApiRoot: vk.url, smsRuApiRoot: sms.url, smscApiRoot: sms.url, timeoutMs: 5000 } } });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([vk?.close(), sms?.close(), smtp?.close()]);
});

async function patch(key: string, channel: string, body: unknown) {
  const res = await h.fetch(`${h.url}/api/v1/notification-channels/${channel}`, { method: 'PATCH', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as { callbackPath: string | null };
}

describe('VK, SMS and e-mail channels in the engine', () => {
  it('each member gets each message once, through the first channel that reaches them', async () => {
    // No welcome: the members' VK ids are set after they join, and only notices sent after that are compared.
    const b = await h.business({ notifications: { welcomeMessage: false } } as never);
    await patch(b.apiKey, 'vk', { groupId: 555, token: VK_TOKEN });
    const { callbackPath } = await patch(b.apiKey, 'sms', { provider: 'smsru', apiId: sms.smsRuApiId, sender: 'Coffee' });
    await patch(b.apiKey, 'email', { host: '127.0.0.1', port: smtp.port, from: 'hello@coffee.test', fromName: 'Coffee' });

    const onVk = await b.api.members.create({ phone: nextPhone(), name: 'Вера' });
    const vkClosed = await b.api.members.create({ phone: nextPhone(), name: 'Олег' });
    const badPhone = nextPhone();
    const byMail = await b.api.members.create({ phone: badPhone, name: 'Мария', email: 'maria@example.com' });
    sms.invalidNumbers.add(badPhone.replace(/\D/g, ''));
    await h.t.db.updateTable('members').set({ vk_user_id: 9001 }).where('id', '=', onVk.id).execute();
    await h.t.db.updateTable('members').set({ vk_user_id: 9002 }).where('id', '=', vkClosed.id).execute();
    vk.setUser(9002, 'not_allowed');

    for (const m of [onVk, vkClosed, byMail]) await b.api.purchases.create({ member: { id: m.id }, amount: 100_000 });
    const accruals = async () => (await h.messages(b.id)).filter((x) => x.kind === 'accrual');
    const rows = await h.waitFor(async () => {
      const r = await accruals();
      return r.length === 3 && r.every((x) => x.status === 'sent') ? r : null;
    }, 20_000, 'three accrual notices sent');
    const byMember = Object.fromEntries(rows.map((r) => [r.member_id, r]));
    expect(byMember[onVk.id]!.channel).toBe('vk');
    expect(byMember[vkClosed.id]!.channel).toBe('sms');
    expect(byMember[byMail.id]!.channel).toBe('email');

    // Every message went once, by the channel its row names, and nothing went twice.
    const all = await h.waitFor(async () => {
      const r = await h.messages(b.id);
      return r.length === 3 && r.every((x) => x.status === 'sent') ? r : null;
    }, 20_000, 'accrual messages sent');
    const sentBy = (memberId: string, channel: string) => all.filter((x) => x.member_id === memberId && x.channel === channel).length;
    expect(all.map((x) => `${x.member_id}:${x.kind}:${x.channel}`).sort()).toEqual(
      [[onVk.id, 'vk'], [vkClosed.id, 'sms'], [byMail.id, 'email']].map(([id, c]) => `${id}:accrual:${c}`).sort(),
    );
    expect(vk.delivered.filter((d) => d.userId === 9001)).toHaveLength(sentBy(onVk.id, 'vk'));
    expect(vk.delivered.find((d) => d.userId === 9001 && d.text === byMember[onVk.id]!.body)).toBeDefined();
    const text = sms.sent.filter((s) => s.to === vkClosed.phone.replace(/\D/g, ''));
    expect(text).toHaveLength(sentBy(vkClosed.id, 'sms'));
    expect(text.map((t) => t.text)).toContain(byMember[vkClosed.id]!.body);
    expect(text[0]!.sender).toBe('Coffee');
    await smtp.waitFor(1);
    const mail = smtp.received.filter((r) => r.envelopeTo.includes('maria@example.com'));
    expect(mail).toHaveLength(sentBy(byMail.id, 'email'));
    const accrualMail = mail.find((m) => m.mail.text?.trim() === byMember[byMail.id]!.body)!;
    expect(accrualMail.mail.html).toContain('Мария');
    expect(accrualMail.mail.from?.value).toEqual([{ address: 'hello@coffee.test', name: 'Coffee' }]);

    const dead = async (id: string) => (await h.t.db.selectFrom('members').select('dead_channels').where('id', '=', id).executeTakeFirstOrThrow()).dead_channels;
    expect(await dead(vkClosed.id)).toEqual(['vk']);
    expect(await dead(byMail.id)).toEqual(['sms']);

    // The SMS provider reports delivery to the callback address the settings gave.
    const smsRow = byMember[vkClosed.id]!;
    const smsId = text.find((t) => t.text === smsRow.body)!.id;
    expect((await sms.report('smsru', `${h.url}${callbackPath}`, { id: smsId, code: 103 })).body).toBe('100');
    const delivered = await h.t.db.selectFrom('messages').select('delivery_status').where('id', '=', smsRow.id).executeTakeFirstOrThrow();
    expect(delivered.delivery_status).toBe('delivered');

    // The next notice goes straight to SMS: VK is not asked again for a member it cannot reach.
    const vkCalls = vk.calls;
    await b.api.purchases.create({ member: { id: vkClosed.id }, amount: 50_000 });
    await h.waitFor(async () => (await accruals()).filter((x) => x.member_id === vkClosed.id && x.status === 'sent').length === 2, 20_000, 'the second notice');
    expect(sms.sent.filter((s) => s.to === vkClosed.phone.replace(/\D/g, ''))).toHaveLength(text.length + 1);
    expect(vk.calls).toBe(vkCalls);
  });
});
