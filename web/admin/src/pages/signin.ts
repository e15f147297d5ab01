// Sign-in: the business (from ?b= or remembered), e-mail and password; failures said in words.
import { h } from '../../../shared/dom.js';
import { errorText, session } from '../api.js';
import { t } from '../i18n.js';
import { field, input, statusLine } from '../ui.js';

const BUSINESS_KEY = 'kopilka.admin.business';

export function signInPage(o: { languageSwitch: () => HTMLElement; onSignedIn: () => void }): HTMLElement {
  const fromUrl = new URLSearchParams(location.search).get('b');
  const business = input({ name: 'business', autocomplete: 'off', required: true, value: fromUrl ?? localStorage.getItem(BUSINESS_KEY) ?? '', spellcheck: 'false' });
  const email = input({ type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = input({ type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const status = statusLine();
  const submit = h('button', { type: 'submit', class: 'btn primary' }, t('signIn'));

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const values = { businessId: business.value.trim(), email: email.value.trim(), password: password.value };
    if (!values.businessId || !values.email || !values.password) return status.error(t('fillFields'));
    submit.disabled = true;
    status.busy(t('signingIn'));
    try {
      await session.signIn(values);
      localStorage.setItem(BUSINESS_KEY, values.businessId);
      status.clear();
      o.onSignedIn();
    } catch (err) {
      status.error(errorText(err));
      password.select();
    } finally {
      submit.disabled = false;
    }
  };

  const showBusiness = !fromUrl;
  return h(
    'main',
    { class: 'signin', id: 'main' },
    h(
      'form',
      { class: 'card-form', onsubmit: (e: Event) => void onSubmit(e), novalidate: true, 'aria-labelledby': 'signin-title' },
      h('div', { class: 'row between' }, h('h1', { id: 'signin-title' }, t('signInTitle')), o.languageSwitch()),
      showBusiness ? field(t('businessId'), business, t('businessIdHint')) : null,
      field(t('email'), email),
      field(t('password'), password),
      submit,
      status.el,
    ),
  );
}
