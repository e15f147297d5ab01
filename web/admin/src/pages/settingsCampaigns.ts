// Settings: messages to customers (language, the order of channels — a list moved with up/down buttons, so the
// keyboard works —, the send-at time, which notices go) and the automatic campaigns (birthday, win-back, the report
// window), each campaign with a sentence saying what a customer gets. Each part saves alone.
import { h, replace } from '../../../shared/dom.js';
import type { Program } from '../../../../src/client/index.js';
import { api } from '../api.js';
import type { Ctx } from '../context.js';
import { checkE, fieldE, sectionForm, st, type Slot } from '../settingsForm.js';
import { MAX_POINTS, isClock, moveItem, parseWhole, wholeField, type Problem } from '../settingsRules.js';
import { input, select } from '../ui.js';

type Channel = Program['notifications']['channelOrder'][number];
const CHANNELS: Channel[] = ['telegram', 'vk', 'sms', 'email'];

/** The channels in order, each ticked (used) or not: up/down buttons move one, focus stays on the button pressed. */
function channelOrderList(initial: Channel[]): { el: HTMLElement; value(): Channel[]; slot: Slot } {
  let items: { channel: Channel; on: boolean }[] = [...initial.map((c) => ({ channel: c, on: true })), ...CHANNELS.filter((c) => !initial.includes(c)).map((c) => ({ channel: c, on: false }))];
  const list = h('ol', { class: 'order', 'data-testid': 'channel-order', 'aria-describedby': 'channel-order-hint' });
  const msg = h('small', { class: 'field-error', hidden: true, id: 'channel-order-error' });
  const render = (focus?: { channel: Channel; what: 'up' | 'down' }) => {
    const nodes = items.map((it, i) => {
      const name = st(`ch_${it.channel}`);
      const box = h('input', { type: 'checkbox', checked: it.on, 'data-channel': it.channel, 'aria-label': st('channelUse', { channel: name }), onchange: (e: Event) => (it.on = (e.target as HTMLInputElement).checked) });
      const move = (what: 'up' | 'down', label: string, disabled: boolean) =>
        h('button', { type: 'button', class: 'btn small', 'data-act': what, 'aria-label': label, disabled, onclick: () => {
          items = moveItem(items, items.indexOf(it), what === 'up' ? -1 : 1);
          render({ channel: it.channel, what });
          list.dispatchEvent(new Event('input', { bubbles: true }));
        } }, what === 'up' ? '↑' : '↓');
      return h('li', { 'data-channel': it.channel },
        h('span', { class: 'pos', 'aria-hidden': 'true' }, `${i + 1}.`),
        h('label', null, box, ' ', name),
        move('up', st('channelUp', { channel: name }), i === 0),
        move('down', st('channelDown', { channel: name }), i === items.length - 1));
    });
    replace(list, nodes);
    if (focus) {
      const li = nodes[items.findIndex((x) => x.channel === focus.channel)];
      ((li?.querySelector(`[data-act="${focus.what}"]:not([disabled])`) ?? li?.querySelector('[data-act]:not([disabled])')) as HTMLElement | null)?.focus();
    }
  };
  render();
  const el = h('div', { class: 'field', role: 'group', 'aria-labelledby': 'channel-order-label' },
    h('span', { id: 'channel-order-label', class: 'label-like' }, h('strong', null, st('channelOrder'))),
    h('small', { id: 'channel-order-hint', class: 'hint' }, st('channelOrderHint')),
    list, msg);
  return {
    el,
    value: () => items.filter((x) => x.on).map((x) => x.channel),
    slot: {
      control: list,
      show: (text) => {
        msg.textContent = text;
        msg.hidden = false;
        list.setAttribute('aria-invalid', 'true');
      },
      clear: () => {
        msg.hidden = true;
        list.removeAttribute('aria-invalid');
      },
    },
  };
}

export function noticesSection(p: Program): HTMLElement {
  const n = p.notifications;
  const lang = fieldE(st('messageLanguage'), select([['ru', st('langRu')], ['en', st('langEn')]], n.language, { name: 'messageLanguage' }));
  const sendAt = fieldE(st('sendAt'), input({ type: 'time', name: 'sendAt', value: n.sendAt }));
  const accrual = checkE(st('accrualNotices'), n.accrualNotices, { name: 'accrualNotices' });
  const redemption = checkE(st('redemptionNotices'), n.redemptionNotices, { name: 'redemptionNotices' });
  const welcome = checkE(st('welcomeMessage'), n.welcomeMessage, { name: 'welcomeMessage' });
  const order = channelOrderList(n.channelOrder);
  return sectionForm({
    title: st('noticesTitle'),
    testid: 'notices',
    body: [h('div', { class: 'grid3' }, lang.el, sendAt.el), accrual.el, redemption.el, welcome.el, order.el],
    slots: () => new Map<string, Slot>([
      ['notifications.language', lang.slot], ['notifications.sendAt', sendAt.slot], ['notifications.accrualNotices', accrual.slot],
      ['notifications.redemptionNotices', redemption.slot], ['notifications.welcomeMessage', welcome.slot], ['notifications.channelOrder', order.slot],
    ]),
    build: () => {
      const problems: Problem[] = [];
      const at = (sendAt.slot.control as HTMLInputElement).value;
      if (!isClock(at)) problems.push({ path: 'notifications.sendAt', key: 'timeFormat' });
      const channelOrder = order.value();
      if (!channelOrder.length) problems.push({ path: 'notifications.channelOrder', key: 'channelNone' });
      if (problems.length) return problems;
      return { notifications: {
        language: (lang.slot.control as HTMLSelectElement).value as 'ru' | 'en',
        sendAt: at,
        accrualNotices: accrual.input.checked,
        redemptionNotices: redemption.input.checked,
        welcomeMessage: welcome.input.checked,
        channelOrder,
      } };
    },
    send: (c) => api.program.update(c),
  }).form;
}

const numberInput = (name: string, value: number, min: number, max: number) => input({ type: 'number', name, min, max, value: String(value), inputmode: 'numeric' });
const valueOf = (s: Slot) => (s.control as HTMLInputElement).value;

export function campaignsSection(p: Program, ctx: Ctx): HTMLElement {
  const b = p.notifications.birthday;
  const w = p.notifications.winback;
  const bOn = checkE(st('birthdayEnabled'), b.enabled, { name: 'birthdayEnabled' });
  const bBonus = fieldE(st('birthdayBonus'), numberInput('birthdayBonus', b.bonus, 0, MAX_POINTS));
  const bValid = fieldE(st('birthdayValid'), numberInput('birthdayValidDays', b.validDays, 1, 365));
  const bControl = fieldE(st('controlPercent'), numberInput('birthdayControl', b.controlPercent, 0, 50));
  const bPreview = h('p', { class: 'preview', 'aria-live': 'polite', 'data-testid': 'birthday-preview' });
  const wOn = checkE(st('winbackEnabled'), w.enabled, { name: 'winbackEnabled' });
  const wAfter = fieldE(st('winbackAfter'), numberInput('winbackAfterDays', w.afterDays, 1, 730));
  const wBonus = fieldE(st('winbackBonus'), numberInput('winbackBonus', w.bonus, 0, MAX_POINTS));
  const wValid = fieldE(st('winbackValid'), numberInput('winbackValidDays', w.bonusValidDays, 1, 365));
  const wControl = fieldE(st('controlPercent'), numberInput('winbackControl', w.controlPercent, 0, 50));
  const wPreview = h('p', { class: 'preview', 'aria-live': 'polite', 'data-testid': 'winback-preview' });
  const report = fieldE(st('reportWindow'), numberInput('reportWindowDays', p.notifications.reportWindowDays, 1, 365));

  const update = () => {
    const num = (s: Slot, min: number, max: number) => parseWhole(valueOf(s), min, max);
    const [bb, bv, bc] = [num(bBonus.slot, 0, MAX_POINTS), num(bValid.slot, 1, 365), num(bControl.slot, 0, 50)];
    bPreview.textContent = !bOn.input.checked ? st('campaignOff') : bb === null || bv === null || bc === null ? st('tierPreviewInvalid') : st('birthdayPreview', { bonus: ctx.num(bb), days: bv, control: bc, pointsName: p.pointsName });
    const [wa, wb, wv, wc] = [num(wAfter.slot, 1, 730), num(wBonus.slot, 0, MAX_POINTS), num(wValid.slot, 1, 365), num(wControl.slot, 0, 50)];
    wPreview.textContent = !wOn.input.checked ? st('campaignOff') : wa === null || wb === null || wv === null || wc === null ? st('tierPreviewInvalid') : st('winbackPreview', { after: wa, bonus: ctx.num(wb), days: wv, control: wc, pointsName: p.pointsName });
  };

  const { form } = sectionForm({
    title: st('campaignsTitle'),
    testid: 'campaigns',
    body: [
      h('fieldset', { class: 'group', 'data-testid': 'birthday' }, h('legend', null, st('birthdayTitle')), bOn.el, h('div', { class: 'grid3' }, bBonus.el, bValid.el, bControl.el), bPreview),
      h('fieldset', { class: 'group', 'data-testid': 'winback' }, h('legend', null, st('winbackTitle')), wOn.el, h('div', { class: 'grid3' }, wAfter.el, wBonus.el, wValid.el, wControl.el), wPreview),
      h('div', { class: 'grid3' }, report.el),
    ],
    slots: () => new Map<string, Slot>([
      ['notifications.birthday', bOn.slot], ['notifications.birthday.enabled', bOn.slot], ['notifications.birthday.bonus', bBonus.slot], ['notifications.birthday.validDays', bValid.slot], ['notifications.birthday.controlPercent', bControl.slot],
      ['notifications.winback', wOn.slot], ['notifications.winback.enabled', wOn.slot], ['notifications.winback.afterDays', wAfter.slot], ['notifications.winback.bonus', wBonus.slot], ['notifications.winback.bonusValidDays', wValid.slot], ['notifications.winback.controlPercent', wControl.slot],
      ['notifications.reportWindowDays', report.slot],
    ]),
    build: () => {
      const problems: Problem[] = [];
      const f = (path: string, s: Slot, min: number, max: number) => wholeField(problems, path, valueOf(s), min, max);
      const birthday = { enabled: bOn.input.checked, bonus: f('notifications.birthday.bonus', bBonus.slot, 0, MAX_POINTS), validDays: f('notifications.birthday.validDays', bValid.slot, 1, 365), controlPercent: f('notifications.birthday.controlPercent', bControl.slot, 0, 50) };
      const winback = { enabled: wOn.input.checked, afterDays: f('notifications.winback.afterDays', wAfter.slot, 1, 730), bonus: f('notifications.winback.bonus', wBonus.slot, 0, MAX_POINTS), bonusValidDays: f('notifications.winback.bonusValidDays', wValid.slot, 1, 365), controlPercent: f('notifications.winback.controlPercent', wControl.slot, 0, 50) };
      const reportWindowDays = f('notifications.reportWindowDays', report.slot, 1, 365);
      if (problems.length) return problems;
      const whole = (n: number | null) => n as number;
      return { notifications: {
        birthday: { enabled: birthday.enabled, bonus: whole(birthday.bonus), validDays: whole(birthday.validDays), controlPercent: whole(birthday.controlPercent) },
        winback: { enabled: winback.enabled, afterDays: whole(winback.afterDays), bonus: whole(winback.bonus), bonusValidDays: whole(winback.bonusValidDays), controlPercent: whole(winback.controlPercent) },
        reportWindowDays: whole(reportWindowDays),
      } };
    },
    send: (c) => api.program.update(c),
  });
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
  return form;
}
