// Signing in at the till: e-mail and password (shops without Telegram), "Log in with Telegram" through the business's
// staff bot (the web page, when the business has one), or accepting an invitation (name, e-mail and a new password).
// Inside the staff bot's Mini App sign-in is by Telegram (app.ts); this page then offers it again.
import type { StaffBusiness, StaffClient, StaffSession, StaffSignIn, TelegramLoginState } from '../../../../src/client/staff.js';
import { describe, isApiError, makeClient, type Problem } from '../api.js';
import type { Page } from '../context.js';
import { h, replace, type Child } from '../../../shared/dom.js';
import { t, type MessageKey } from '../i18n.js';
import { problemBlock } from './status.js';

export const MIN_PASSWORD = 10;

export interface SignInOptions {
  client: StaffClient;
  businessId: string | null;
  /** An invitation from the address: the form to accept it. */
  inviteToken: string | null;
  /** Shown above the form: why the cashier is here (a session that ended, a Telegram failure, …). */
  problem?: Problem | null;
  notice?: string | null;
  /** Present inside Telegram: signs in with initData again. */
  telegramSignIn?: (() => void) | null;
  /** The web page (not Telegram, not an invitation): the business's name and staff bot, null when unknown. */
  business?: Promise<StaffBusiness | null> | null;
  signedIn(session: StaffSession, how: 'password' | 'invite' | 'telegram'): void;
  /** The invitation was refused or set aside: forget it. */
  dropInvite(): void;
}

export function signInPage(o: SignInOptions): Page {
  const body = h('div');
  const head = h('div', { class: 'signin-head' }, h('h1', null, o.inviteToken ? t('inviteTitle') : t('signInTitle')));
  const telegram = h('div', { class: 'tg-login' });
  const el = h(
    'div',
    { class: 'page signin' },
    head,
    o.notice ? h('p', { class: 'hint', role: 'status', 'data-testid': 'notice' }, o.notice) : null,
    o.problem ? problemBlock(o.problem) : null,
    o.telegramSignIn ? h('button', { type: 'button', class: 'btn wide', onclick: o.telegramSignIn, 'data-testid': 'signin-telegram' }, t('signInTelegram')) : null,
    telegram,
    body,
  );
  let left = false;
  let stopLogin = () => {};
  const businessId = o.businessId;
  if (o.inviteToken) inviteForm(o, o.inviteToken, body);
  else if (businessId) {
    passwordForm(o, businessId, body);
    void o.business?.then((b) => {
      if (left || !b) return;
      replace(head, h('h1', { 'data-testid': 'signin-business' }, b.name), h('p', { class: 'hint' }, t('signInTitle')));
      document.title = `${b.name} · ${t('appTitle')}`;
      if (b.staffBotUsername) stopLogin = telegramLogin(o, businessId, b.staffBotUsername, telegram);
    });
  } else if (!o.telegramSignIn) replace(body, h('p', { class: 'hint' }, t('linkIncompleteText')));
  return {
    el,
    cleanup: () => {
      left = true;
      stopLogin();
    },
  };
}

const POLL_MS = 1500;

/**
 * "Log in with Telegram" without Telegram's widget: ask for a login, open the staff bot's link (t.me/<bot>?start=
 * login_<code>), and ask every 1.5 s whether the staff member pressed Start there. Returns what stops the asking.
 */
function telegramLogin(o: SignInOptions, businessId: string, bot: string, box: HTMLElement): () => void {
  // Its own client: an answer that arrives after the page was left never changes the session of the app's client.
  const client = makeClient(null);
  const or = h('p', { class: 'hint' }, t('telegramLoginOr'));
  let run = 0; // every start and stop begins a new run; answers that belong to an older one are dropped
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    run++;
    clearTimeout(timer);
  };
  const idle = (label: MessageKey = 'telegramLogin', ...above: Child[]) =>
    replace(box, ...above, h('button', { type: 'button', class: 'btn wide big', 'data-testid': 'signin-telegram-login', onclick: () => void start() }, t(label)), or);
  const failed = (e: unknown) => idle('telegramLogin', problemBlock(describe(e)));

  async function start(): Promise<void> {
    stop();
    const mine = run;
    replace(box, h('button', { type: 'button', class: 'btn wide big', disabled: true }, t('signingIn')), or);
    let login;
    try {
      login = await client.startTelegramLogin({ businessId });
    } catch (e) {
      if (mine === run) failed(e);
      return;
    }
    if (mine !== run) return;
    const { loginId, botLink } = login;
    window.open(botLink, '_blank', 'noopener');
    replace(
      box,
      h(
        'div',
        { class: 'panel', 'data-testid': 'telegram-login-waiting' },
        h('p', null, t('telegramLoginHint', { username: bot })),
        h('a', { class: 'btn wide', href: botLink, target: '_blank', rel: 'noopener', 'data-testid': 'telegram-login-link' }, t('telegramLoginOpen')),
        h('p', { class: 'hint', role: 'status' }, t('telegramLoginWaiting')),
        h('button', { type: 'button', class: 'link', onclick: () => (stop(), idle()) }, t('cancel')),
      ),
      or,
    );
    const poll = async (): Promise<void> => {
      let state: TelegramLoginState | null = null;
      try {
        state = await client.pollTelegramLogin(loginId);
      } catch (e) {
        if (mine !== run) return;
        // The login is unknown to the server (used, or gone): like an expired one. No network: ask again.
        if (isApiError(e, 'invalid_sign_in')) state = { status: 'expired' };
        else if (!describe(e).retry) return (stop(), failed(e));
      }
      if (mine !== run) return;
      if (state?.status === 'approved') {
        stop();
        return o.signedIn({ sessionToken: state.sessionToken, expiresAt: state.expiresAt }, 'telegram');
      }
      if (state?.status === 'expired') {
        stop();
        return idle('telegramLoginAgain', h('p', { class: 'problem', role: 'alert', 'data-testid': 'telegram-login-expired' }, t('telegramLoginExpired')));
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
  }

  idle();
  return stop;
}

function field(id: string, label: string, input: HTMLInputElement, hint?: string): HTMLElement {
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('p', { class: 'hint field-hint', id: `${id}-hint` }, hint) : null);
}

/** Submits `input` once at a time; the problem is shown under the form and the button is free again. */
function submitter(o: SignInOptions, form: HTMLFormElement, button: HTMLButtonElement, problem: HTMLElement, make: () => StaffSignIn | null, how: 'password' | 'invite', onProblem?: (p: Problem) => void): void {
  let busy = false;
  const label = button.textContent ?? '';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const input = make();
    if (!input) return;
    busy = true;
    button.disabled = true;
    button.textContent = t('signingIn');
    replace(problem);
    try {
      const session = await o.client.signIn(input);
      o.signedIn(session, how);
    } catch (err) {
      const p = describe(err);
      replace(problem, problemBlock(p));
      onProblem?.(p);
    } finally {
      busy = false;
      button.disabled = false;
      button.textContent = label;
    }
  });
}

function passwordForm(o: SignInOptions, businessId: string, body: HTMLElement): void {
  const email = h('input', { class: 'input', id: 'email', type: 'email', name: 'email', autocomplete: 'username', inputmode: 'email', required: true, 'data-testid': 'signin-email' });
  const password = h('input', { class: 'input', id: 'password', type: 'password', name: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'signin-password' });
  const button = h('button', { type: 'submit', class: 'btn wide big', 'data-testid': 'signin-submit' }, t('signIn'));
  const problem = h('div');
  const form = h('form', { class: 'panel form', novalidate: true }, field('email', t('email'), email), field('password', t('password'), password), problem, button);
  submitter(
    o,
    form,
    button,
    problem,
    () => {
      const bad = [email.value.trim() ? null : email, password.value ? null : password].filter((x): x is HTMLInputElement => x !== null);
      for (const i of [email, password]) i.setAttribute('aria-invalid', bad.includes(i) ? 'true' : 'false');
      if (bad[0]) {
        bad[0].focus();
        return null;
      }
      return { businessId, email: email.value.trim(), password: password.value };
    },
    'password',
    () => {
      password.value = '';
      password.focus();
    },
  );
  replace(body, form);
  requestAnimationFrame(() => email.focus());
}

function inviteForm(o: SignInOptions, inviteToken: string, body: HTMLElement): void {
  const name = h('input', { class: 'input', id: 'name', type: 'text', name: 'name', autocomplete: 'name', required: true, maxlength: 100, 'data-testid': 'invite-name' });
  const email = h('input', { class: 'input', id: 'email', type: 'email', name: 'email', autocomplete: 'email', inputmode: 'email', required: true, 'data-testid': 'invite-email' });
  const password = h('input', { class: 'input', id: 'new-password', type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: MIN_PASSWORD, 'data-testid': 'invite-password' });
  const button = h('button', { type: 'submit', class: 'btn wide big', 'data-testid': 'invite-submit' }, t('inviteAccept'));
  const problem = h('div');
  const other = o.businessId
    ? h('button', { type: 'button', class: 'link', onclick: () => {
          o.dropInvite();
          replace(body);
          passwordForm(o, o.businessId as string, body);
        } }, t('haveAccount'))
    : null;
  const form = h(
    'form',
    { class: 'panel form', novalidate: true },
    h('p', null, t('inviteIntro')),
    field('name', t('yourName'), name),
    field('email', t('email'), email),
    field('new-password', t('newPassword'), password, t('passwordRule', { min: MIN_PASSWORD })),
    problem,
    button,
    other,
  );
  submitter(
    o,
    form,
    button,
    problem,
    () => {
      const bad: HTMLInputElement[] = [];
      if (!name.value.trim()) bad.push(name);
      if (!/^[^\s@]+@[^\s@]+$/.test(email.value.trim())) bad.push(email);
      if (password.value.length < MIN_PASSWORD) bad.push(password);
      for (const i of [name, email, password]) i.setAttribute('aria-invalid', bad.includes(i) ? 'true' : 'false');
      if (bad[0]) {
        replace(problem, problemBlock({ text: bad.includes(password) ? t('passwordRule', { min: MIN_PASSWORD }) : t('fillFields'), details: [], retry: false, code: 'form' }));
        bad[0].focus();
        return null;
      }
      return { inviteToken, name: name.value.trim(), email: email.value.trim(), password: password.value };
    },
    'invite',
    (p) => {
      if (p.code === 'invalid_invite') o.dropInvite();
    },
  );
  replace(body, form);
  requestAnimationFrame(() => name.focus());
}
