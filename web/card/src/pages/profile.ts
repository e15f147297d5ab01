// The member's own data: name, birthday, email and answers to the business's questions (editable), marketing
// consent, sign out, and erasing the data (after a confirm step that says the points are lost).
import type { CardProfileChange, CardQuestion } from '../../../../src/client/card.js';
import { describe, isUnauthorized } from '../api.js';
import type { Page, PageContext } from '../context.js';
import { h, replace } from '../../../shared/dom.js';
import { formatDate, formatNumber } from '../format.js';
import { locale, t } from '../i18n.js';
import { problemBlock } from './status.js';

type BuiltIn = 'name' | 'birthday' | 'email';

let uid = 0;

export function profilePage(ctx: PageContext): Page {
  const lc = locale();
  const profile = ctx.view.profile;
  const questions = ctx.view.questions;
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const inputs: { input: HTMLInputElement; required: boolean; apply(change: CardProfileChange): void }[] = [];

  const field = (label: string, required: boolean, input: HTMLInputElement) => {
    const id = `f${++uid}`;
    input.id = id;
    input.required = required;
    if (required) input.setAttribute('aria-required', 'true');
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label, required ? h('span', { class: 'req', title: t('requiredMark') }, ' *', h('span', { class: 'sr-only' }, ` (${t('requiredMark')})`)) : null),
      input,
    );
  };

  const builtIn = (type: BuiltIn, defaultLabel: string, attrs: Record<string, string>) => {
    const q = questions.find((x) => x.type === type);
    const input = h('input', { class: 'input', name: type, value: profile[type] ?? '', ...attrs });
    const required = q?.required ?? false;
    inputs.push({ input, required, apply: (c) => void (c[type] = input.value.trim() || null) });
    return field(q?.label || defaultLabel, required, input);
  };

  const textQuestion = (q: CardQuestion) => {
    const input = h('input', { class: 'input', type: 'text', name: `q-${q.id}`, value: profile.answers[q.id] ?? '', maxlength: 500 });
    inputs.push({
      input,
      required: q.required,
      apply: (c) => {
        c.answers = { ...(c.answers ?? {}), [q.id]: input.value.trim() || null };
      },
    });
    return field(q.label, q.required, input);
  };

  const saveBtn = h('button', { type: 'submit', class: 'btn wide' }, t('save'));
  const form = h(
    'form',
    { class: 'panel form', novalidate: true, 'data-testid': 'profile-form' },
    builtIn('name', t('fieldName'), { type: 'text', autocomplete: 'name', maxlength: '200' }),
    builtIn('birthday', t('fieldBirthday'), { type: 'date', autocomplete: 'bday', max: new Date().toISOString().slice(0, 10) }),
    builtIn('email', t('fieldEmail'), { type: 'email', autocomplete: 'email', inputmode: 'email', maxlength: '254' }),
    questions.filter((q) => q.type === 'text').map(textQuestion),
    h('div', { class: 'field' }, h('div', { class: 'label' }, t('fieldPhone')), h('div', { class: 'readonly', 'data-testid': 'phone' }, profile.phone)),
    status,
    saveBtn,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void save();
  });

  async function save(): Promise<void> {
    const missing = inputs.filter((i) => i.required && !i.input.value.trim());
    for (const i of inputs) i.input.setAttribute('aria-invalid', String(missing.includes(i)));
    if (missing.length) {
      replace(status, h('p', { class: 'error', role: 'alert' }, t('fillRequired')));
      missing[0]?.input.focus();
      return;
    }
    const change: CardProfileChange = {};
    for (const i of inputs) i.apply(change);
    saveBtn.disabled = true;
    replace(status, h('p', { class: 'hint' }, t('saving')));
    try {
      ctx.view.profile = await ctx.client.updateProfile(change);
      if (change.name !== undefined) ctx.view.member.name = ctx.view.profile.name;
      replace(status, h('p', { class: 'ok', role: 'status' }, t('saved')));
    } catch (e) {
      if (isUnauthorized(e)) return ctx.unauthorized();
      replace(status, problemBlock(describe(e), () => void save()));
    } finally {
      saveBtn.disabled = false;
    }
  }

  // Marketing consent: saved as soon as it is switched.
  const marketingStatus = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const marketing = h('input', { type: 'checkbox', role: 'switch', class: 'switch', id: `f${++uid}`, checked: profile.consents.marketing, 'data-testid': 'marketing' });
  marketing.addEventListener('change', async () => {
    const wanted = marketing.checked;
    marketing.disabled = true;
    replace(marketingStatus);
    try {
      ctx.view.profile = await ctx.client.updateProfile({ marketing: wanted });
      marketing.checked = ctx.view.profile.consents.marketing;
    } catch (e) {
      if (isUnauthorized(e)) return ctx.unauthorized();
      marketing.checked = !wanted;
      replace(marketingStatus, problemBlock(describe(e)));
    } finally {
      marketing.disabled = false;
    }
  });
  const consentAt = profile.consents.personalDataAt;
  const consents = h(
    'section',
    { class: 'panel' },
    h('label', { class: 'switch-row', for: marketing.id }, h('span', null, t('marketing')), marketing),
    marketingStatus,
    h('p', { class: 'hint', 'data-testid': 'consent' }, consentAt ? t('consentGiven', { date: formatDate(consentAt, ctx.view.program.timezone, lc) }) : t('consentMissing')),
  );

  // VK: connected, or a one-time link that opens the business's community (the first message connects it).
  const v = ctx.view;
  const vk = v.vkConnected
    ? h('section', { class: 'panel' }, h('p', { class: 'hint', 'data-testid': 'vk-connected' }, t('vkConnected', { business: v.business.name })))
    : v.vkConnectUrl
      ? h(
          'section',
          { class: 'panel vk-connect' },
          h('a', { class: 'btn btn-secondary wide', href: v.vkConnectUrl, target: '_blank', rel: 'noopener', 'data-testid': 'vk-connect' }, t('vkConnect')),
          h('p', { class: 'hint' }, t('vkConnectHint', { business: v.business.name })),
        )
      : null;

  // Sign out, and delete with a confirm step.
  const danger = h('section', { class: 'panel actions' });
  const showActions = () =>
    replace(
      danger,
      h('button', { type: 'button', class: 'btn btn-secondary wide', 'data-testid': 'sign-out', onclick: () => void ctx.signOut() }, t('signOut')),
      h('button', { type: 'button', class: 'btn btn-danger-outline wide', 'data-testid': 'delete', onclick: showConfirm }, t('deleteData')),
    );
  function showConfirm(): void {
    const confirmBtn = h('button', { type: 'button', class: 'btn btn-danger wide', 'data-testid': 'delete-confirm' }, t('deleteConfirm'));
    const problem = h('div');
    const title = h('h2', { id: `f${++uid}` }, t('deleteTitle'));
    confirmBtn.addEventListener('click', async () => {
      confirmBtn.disabled = true;
      try {
        await ctx.client.deleteMe();
        ctx.deleted();
      } catch (e) {
        if (isUnauthorized(e)) return ctx.unauthorized();
        confirmBtn.disabled = false;
        replace(problem, problemBlock(describe(e)));
      }
    });
    const cancel = h('button', { type: 'button', class: 'btn btn-secondary wide', onclick: showActions }, t('cancel'));
    replace(
      danger,
      h(
        'div',
        { class: 'confirm', role: 'alertdialog', 'aria-labelledby': title.id },
        title,
        h('p', null, t('deleteText', { points: formatNumber(ctx.view.member.balance.available, lc) })),
        problem,
        confirmBtn,
        cancel,
      ),
    );
    cancel.focus();
  }
  showActions();

  return { el: h('div', { class: 'page' }, h('h1', null, t('profileTitle')), form, consents, vk, danger) };
}
