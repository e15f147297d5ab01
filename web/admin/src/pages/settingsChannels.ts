// Settings: the message channels (/api/v1/notification-channels). Telegram is the customer bot (its status here, set
// up on the bots tab); VK, an SMS provider and SMTP each have a form: secrets are write-only (an empty field keeps
// the saved one, whose last characters are shown as a hint), the status (connected since …), disconnect, and "send
// a test" that says what the provider answered.
import { h, replace } from '../../../shared/dom.js';
import type { NotificationChannel, NotificationChannelSet } from '../../../../src/client/index.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { checkE, fieldE, sectionForm, st, type Slot } from '../settingsForm.js';
import { wholeField, type Problem } from '../settingsRules.js';
import { button, input, section, select, statusLine } from '../ui.js';

type Ch = NotificationChannel['channel'];
type Settings = Record<string, unknown>;

const text = (s: Settings, k: string) => (typeof s[k] === 'string' ? (s[k] as string) : '');
const val = (s: Slot) => (s.control as HTMLInputElement).value.trim();

export async function channelsSection(box: HTMLElement, ctx: Ctx): Promise<void> {
  replace(box, section(st('channelsTitle'), h('p', null, st('loading'))));
  let items: NotificationChannel[];
  try {
    items = await api.notificationChannels.list();
  } catch (e) {
    replace(box, section(st('channelsTitle'), h('p', { class: 'status error' }, errorText(e))));
    return;
  }
  const telegram = h('p', { 'data-testid': 'channel-status-telegram' }, st('loading'));
  void api.team.bots.list().then(
    (bots) => {
      const bot = bots.find((b) => b.role === 'customer');
      telegram.textContent = bot ? st('telegramBot', { username: bot.username }) : st('telegramNone');
    },
    (e: unknown) => (telegram.textContent = errorText(e)),
  );
  const byChannel = new Map(items.map((i) => [i.channel, i]));
  replace(box,
    section(st('channelsTitle'),
      h('p', { class: 'muted' }, st('channelsHint')),
      h('h3', null, st('ch_telegram')), telegram,
      // A plain link: the staff page opens the tab named by the address's #bots.
      h('p', null, st('telegramWhere'), ' ', h('a', { href: '/admin/staff#bots' }, st('openBots')))),
    channelForm('vk', byChannel.get('vk') ?? null, ctx),
    channelForm('sms', byChannel.get('sms') ?? null, ctx),
    channelForm('email', byChannel.get('email') ?? null, ctx));
}

/** A secret's field: empty, the saved value's hint beside it. */
function secretField(label: string, name: string, stored: Settings | null): { el: HTMLElement; slot: Slot } {
  const hint = stored && typeof stored[name] === 'string' ? st('secretKept', { hint: stored[name] as string }) : undefined;
  return fieldE(label, input({ type: 'password', name, autocomplete: 'new-password', maxlength: 1000 }), hint);
}

interface ChannelFields {
  body: HTMLElement[];
  slots: Map<string, Slot>;
  build(): NotificationChannelSet | Problem[];
}

function vkFields(s: Settings | null): ChannelFields {
  const group = fieldE(st('vkGroup'), input({ type: 'number', name: 'vkGroupId', min: 1, value: s && typeof s.groupId === 'number' ? String(s.groupId) : '', inputmode: 'numeric' }));
  const token = secretField(st('vkToken'), 'token', s);
  const confirmation = fieldE(st('vkConfirmation'), input({ name: 'confirmationCode', maxlength: 50, value: s ? text(s, 'confirmationCode') : '' }));
  const secret = secretField(st('vkSecret'), 'secretKey', s);
  return {
    body: [h('div', { class: 'grid3' }, group.el, token.el, confirmation.el, secret.el)],
    slots: new Map([['groupId', group.slot], ['token', token.slot], ['confirmationCode', confirmation.slot], ['secretKey', secret.slot]]),
    build: () => {
      const problems: Problem[] = [];
      const groupId = wholeField(problems, 'vk.groupId', val(group.slot), 1, Number.MAX_SAFE_INTEGER);
      if (groupId === null) return problems;
      return { groupId, confirmationCode: val(confirmation.slot) || null, ...(val(token.slot) ? { token: val(token.slot) } : {}), ...(val(secret.slot) ? { secretKey: val(secret.slot) } : {}) };
    },
  };
}

function smsFields(s: Settings | null): ChannelFields {
  const provider = fieldE(st('smsProvider'), select((['smsru', 'smsc', 'http'] as const).map((p) => [p, st(`pv_${p}`)]), s ? text(s, 'provider') : 'smsru', { name: 'smsProvider' }));
  const same = (p: string) => (s && s.provider === p ? s : null);
  const sender = fieldE(st('smsSender'), input({ name: 'sender', maxlength: 15, value: s ? text(s, 'sender') : '' }));
  const apiId = secretField(st('smsApiId'), 'apiId', same('smsru'));
  const testMode = checkE(st('smsTestMode'), s?.test === true, { name: 'smsTest' });
  const login = fieldE(st('smsLogin'), input({ name: 'login', maxlength: 100, value: same('smsc') ? text(s as Settings, 'login') : '' }));
  const password = secretField(st('smsPassword'), 'password', same('smsc'));
  const url = fieldE(st('smsUrl'), input({ type: 'url', name: 'url', maxlength: 2000, value: same('http') ? text(s as Settings, 'url') : '', placeholder: 'https://' }));
  const token = secretField(st('smsToken'), 'token', same('http'));
  const groups = {
    smsru: h('div', { class: 'grid3' }, apiId.el, testMode.el),
    smsc: h('div', { class: 'grid3' }, login.el, password.el),
    http: h('div', { class: 'grid3' }, url.el, token.el),
  };
  const pick = () => {
    for (const [k, g] of Object.entries(groups)) g.hidden = k !== (provider.slot.control as HTMLSelectElement).value;
  };
  provider.slot.control.addEventListener('change', pick);
  pick();
  return {
    body: [h('div', { class: 'grid3' }, provider.el, sender.el), groups.smsru, groups.smsc, groups.http],
    slots: new Map([['provider', provider.slot], ['sender', sender.slot], ['apiId', apiId.slot], ['test', testMode.slot], ['login', login.slot], ['password', password.slot], ['url', url.slot], ['token', token.slot]]),
    build: () => {
      const p = (provider.slot.control as HTMLSelectElement).value as 'smsru' | 'smsc' | 'http';
      const base = { provider: p, sender: val(sender.slot) || null };
      const secret = (k: string, sl: Slot) => (val(sl) ? { [k]: val(sl) } : {});
      if (p === 'smsru') return { ...base, test: testMode.input.checked, ...secret('apiId', apiId.slot) };
      if (p === 'smsc') return { ...base, login: val(login.slot), ...secret('password', password.slot) };
      return { ...base, url: val(url.slot), ...secret('token', token.slot) };
    },
  };
}

function emailFields(s: Settings | null): ChannelFields {
  const host = fieldE(st('smtpHost'), input({ name: 'host', maxlength: 253, value: s ? text(s, 'host') : '', autocomplete: 'off' }));
  const port = fieldE(st('smtpPort'), input({ type: 'number', name: 'port', min: 1, max: 65535, value: s && typeof s.port === 'number' ? String(s.port) : '587', inputmode: 'numeric' }));
  const secure = checkE(st('smtpSecure'), s?.secure === true, { name: 'secure' });
  const user = fieldE(st('smtpUser'), input({ name: 'user', maxlength: 320, value: s ? text(s, 'user') : '', autocomplete: 'off' }));
  const password = secretField(st('smtpPassword'), 'password', s);
  const from = fieldE(st('smtpFrom'), input({ type: 'email', name: 'from', maxlength: 320, value: s ? text(s, 'from') : '' }));
  const fromName = fieldE(st('smtpFromName'), input({ name: 'fromName', maxlength: 100, value: s ? text(s, 'fromName') : '' }));
  const replyTo = fieldE(st('smtpReplyTo'), input({ type: 'email', name: 'replyTo', maxlength: 320, value: s ? text(s, 'replyTo') : '' }));
  return {
    body: [h('div', { class: 'grid3' }, host.el, port.el, user.el, password.el, from.el, fromName.el, replyTo.el), secure.el],
    slots: new Map([['host', host.slot], ['port', port.slot], ['secure', secure.slot], ['user', user.slot], ['password', password.slot], ['from', from.slot], ['fromName', fromName.slot], ['replyTo', replyTo.slot]]),
    build: () => {
      const problems: Problem[] = [];
      const n = wholeField(problems, 'email.port', val(port.slot), 1, 65535);
      if (n === null) return problems;
      return { host: val(host.slot), port: n, secure: secure.input.checked, user: val(user.slot) || null, from: val(from.slot), fromName: val(fromName.slot) || null, replyTo: val(replyTo.slot) || null, ...(val(password.slot) ? { password: val(password.slot) } : {}) };
    },
  };
}

function channelForm(channel: Ch, stored: NotificationChannel | null, ctx: Ctx, said?: string): HTMLElement {
  const fields = channel === 'vk' ? vkFields(stored?.settings ?? null) : channel === 'sms' ? smsFields(stored?.settings ?? null) : emailFields(stored?.settings ?? null);
  const name = st(`ch_${channel}`);
  const state = h('p', { class: 'muted', 'data-testid': `channel-status-${channel}` });
  const callback = h('p', { class: 'hint' });
  let current = stored;
  const showState = () => {
    state.textContent = current ? st('chStatusOn', { when: ctx.when(current.updatedAt) }) : st('chStatusOff');
    callback.textContent = current?.callbackPath ? st('callbackPath', { path: current.callbackPath }) : '';
    remove.hidden = !current;
    testBox.hidden = !current;
  };
  const to = fieldE(st('testTo'), input({ name: 'testTo', maxlength: 320, autocomplete: 'off', onkeydown: (e: Event) => {
    if ((e as KeyboardEvent).key === 'Enter') {
      e.preventDefault();
      void sendTest();
    }
  } }), st('testToHint'));
  const testStatus = statusLine();
  const sendTest = async () => {
    const address = val(to.slot);
    if (!address) return to.slot.show(st('required'));
    to.slot.clear();
    testStatus.busy(st('sending'));
    try {
      const r = await api.notificationChannels.test(channel, { to: address });
      const say = st(`test_${r.status}`, { to: r.to, error: r.error ?? '' });
      if (r.status === 'sent') testStatus.ok(say);
      else testStatus.error(say);
    } catch (e) {
      testStatus.error(errorText(e));
    }
  };
  const testBox = h('div', { class: 'filters channel', 'data-testid': `channel-test-${channel}` }, to.el, button(st('sendTest'), () => void sendTest()), testStatus.el);
  const remove = button(st('disconnectChannel'), () => {
    if (!confirm(st('confirmDisconnect', { channel: name }))) return;
    void api.notificationChannels.remove(channel).then(() => {
      current = null;
      showState();
      f.status.ok(st('removed'));
    }, (e: unknown) => f.status.error(errorText(e)));
  }, { class: 'btn danger' });
  const slots = new Map<string, Slot>();
  for (const [k, s] of fields.slots) {
    slots.set(k, s);
    slots.set(`${channel}.${k}`, s);
  }
  const f = sectionForm({
    title: name,
    testid: `channel-${channel}`,
    body: [state, ...fields.body, callback],
    slots: () => slots,
    build: () => fields.build(),
    send: (c) => api.notificationChannels.set(channel, c),
    // Drawn again from the answer: the secrets' fields empty, their new hints beside them.
    after: (r) => f.form.replaceWith(channelForm(channel, r, ctx, st('saved'))),
    extraButtons: [remove],
  });
  f.form.append(testBox);
  showState();
  if (said) f.status.ok(said);
  return f.form;
}
