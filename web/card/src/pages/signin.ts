// Sign-in without a password from a mobile browser: phone → one-time code → session. Shows the business's
// branding, offers "Join in Telegram" when it has a bot, and "Sign in with Telegram" inside Telegram.
import type { CardBusiness, CardClient, CardSession } from '../../../../src/client/card.js';
import { describe, type Problem } from '../api.js';
import { h, replace } from '../../../shared/dom.js';
import { setPointsName, t } from '../i18n.js';
import { applyBranding } from '../theme.js';
import { brandMark } from './card.js';
import { loadingPage, messagePage, problemBlock } from './status.js';

const RESEND_SECONDS = 30;

export interface SignInOptions {
  root: HTMLElement;
  client: CardClient;
  businessId: string;
  /** Shown above the form: why the member is here (an expired link, a Telegram failure, …). */
  problem?: Problem | null;
  notice?: string | null;
  /** Present inside Telegram: signs in with initData again. */
  telegramSignIn?: (() => void) | null;
  signedIn(session: CardSession): void;
}

export function botLink(username: string | null | undefined): string | null {
  return username && /^[A-Za-z0-9_]{3,64}$/.test(username) ? `https://t.me/${username}` : null;
}

export function showSignIn(o: SignInOptions): void {
  const main = (el: HTMLElement) => h('main', { id: 'main', class: 'main' }, el);
  replace(o.root, main(loadingPage()));
  o.client.business(o.businessId).then(
    (b) => render(o, b),
    (e: unknown) => replace(o.root, main(messagePage({ problem: describe(e), retry: () => showSignIn(o) }))),
  );
}

function render(o: SignInOptions, business: CardBusiness): void {
  setPointsName(business.pointsName);
  applyBranding(business.branding, business.name);
  const body = h('div', { class: 'signin-body' });
  const join = botLink(business.botUsername);
  replace(
    o.root,
    h(
      'main',
      { id: 'main', class: 'main page signin' },
      h('header', { class: 'signin-head' }, brandMark(business.name, business.branding.logoUrl)),
      h('h1', null, t('signInTitle')),
      o.notice ? h('p', { class: 'hint', role: 'status' }, o.notice) : null,
      o.problem ? problemBlock(o.problem) : null,
      o.telegramSignIn ? h('button', { type: 'button', class: 'btn wide', onclick: o.telegramSignIn }, t('signInTelegram')) : null,
      body,
      join
        ? h('section', { class: 'panel join' }, h('p', null, t('noCardYet')), h('a', { class: 'btn btn-secondary wide', href: join, target: '_blank', rel: 'noopener', 'data-testid': 'join-telegram' }, t('joinTelegram')))
        : null,
    ),
  );
  phoneStep(o, body, '');
}

function phoneStep(o: SignInOptions, body: HTMLElement, phone: string): void {
  const input = h('input', { class: 'input', id: 'phone', type: 'tel', name: 'phone', autocomplete: 'tel', inputmode: 'tel', required: true, placeholder: t('phonePlaceholder'), value: phone, 'data-testid': 'phone-input' });
  const button = h('button', { type: 'submit', class: 'btn wide' }, t('sendCode'));
  const problem = h('div');
  const form = h('form', { class: 'panel form', novalidate: true }, h('p', null, t('signInIntro')), h('div', { class: 'field' }, h('label', { for: 'phone' }, t('phone')), input), problem, button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = input.value.trim();
    if (!/\d{5,}/.test(value.replace(/\D/g, ''))) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    button.disabled = true;
    replace(problem);
    try {
      await o.client.requestCode({ businessId: o.businessId, phone: value });
      codeStep(o, body, value);
    } catch (err) {
      replace(problem, problemBlock(describe(err)));
      button.disabled = false;
    }
  });
  replace(body, form);
}

function codeStep(o: SignInOptions, body: HTMLElement, phone: string): void {
  const input = h('input', {
    class: 'input code',
    id: 'code',
    type: 'text',
    name: 'code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{6}',
    maxlength: 6,
    required: true,
    'data-testid': 'code-input',
  });
  const button = h('button', { type: 'submit', class: 'btn wide' }, t('signIn'));
  const problem = h('div');
  const resend = h('button', { type: 'button', class: 'link', disabled: true });
  let left = RESEND_SECONDS;
  const countdown = window.setInterval(() => {
    left -= 1;
    if (!resend.isConnected) return window.clearInterval(countdown);
    if (left > 0) resend.textContent = t('resendIn', { seconds: left });
    else {
      window.clearInterval(countdown);
      resend.textContent = t('resend');
      resend.disabled = false;
    }
  }, 1000);
  resend.textContent = t('resendIn', { seconds: left });
  resend.addEventListener('click', async () => {
    resend.disabled = true;
    try {
      await o.client.requestCode({ businessId: o.businessId, phone });
      codeStep(o, body, phone);
    } catch (err) {
      replace(problem, problemBlock(describe(err)));
      resend.disabled = false;
    }
  });
  let busy = false;
  const submit = async () => {
    const code = input.value.replace(/\D/g, '');
    if (busy) return;
    if (code.length !== 6) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    busy = true;
    button.disabled = true;
    button.textContent = t('signingIn');
    replace(problem);
    try {
      const session = await o.client.signIn({ businessId: o.businessId, phone, code });
      window.clearInterval(countdown);
      o.signedIn(session);
    } catch (err) {
      replace(problem, problemBlock(describe(err)));
      input.value = '';
      input.focus();
    } finally {
      busy = false;
      button.disabled = false;
      button.textContent = t('signIn');
    }
  };
  input.addEventListener('input', () => {
    const digits = input.value.replace(/\D/g, '').slice(0, 6);
    if (digits !== input.value) input.value = digits;
  });
  const form = h(
    'form',
    { class: 'panel form', novalidate: true },
    h('p', { role: 'status' }, t('codeSent', { phone })),
    h('div', { class: 'field' }, h('label', { for: 'code' }, t('code')), input),
    problem,
    button,
    h('div', { class: 'row between' }, h('button', { type: 'button', class: 'link', onclick: () => {
          window.clearInterval(countdown);
          phoneStep(o, body, phone);
        } }, t('changePhone')), resend),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit();
  });
  replace(body, form);
  input.focus();
}
