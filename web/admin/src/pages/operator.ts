// The platform operator's page (/admin/operator), its own chunk like the set-up wizard: sign-in (its own session,
// /api/operator), the businesses with their health (search and sort by name and figures), the instance's backups,
// a new business with its owner's one-time invitation to copy, sign-out. An owner's or a cashier's session opens
// nothing here: the server answers 401 and the page asks for the operator's sign-in.
import '../operator.css';
import { h, replace } from '../../../shared/dom.js';
import { dateFormat, fill, formatDateTime, formatNumber } from '../../../shared/format.js';
import { createOperatorClient, OperatorError, type BusinessHealth, type BusinessList, type NewBusinessDone, type OperatorMe } from '../../../../src/client/operator.js';
import { language, setLanguage, type Lang } from '../i18n.js';
import { operatorEn, operatorRu, type OperatorMessages } from '../locales/operator.js';
import { arrange, type SortKey } from '../operatorList.js';
import { copyBox } from '../teamText.js';
import { button, field, input, select, statusLine } from '../ui.js';

const client = createOperatorClient();
const LANG_KEY = 'kopilka.admin.lang';
const CURRENCIES = ['RUB', 'KZT', 'BYN', 'UZS', 'AMD', 'GEL', 'USD', 'EUR'];
const ZONES = ['Europe/Moscow', 'Europe/Kaliningrad', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Omsk', 'Asia/Novosibirsk', 'Asia/Krasnoyarsk', 'Asia/Irkutsk', 'Asia/Yakutsk', 'Asia/Vladivostok', 'Asia/Magadan', 'Asia/Kamchatka', 'Europe/Minsk', 'Asia/Almaty', 'Asia/Tashkent', 'Asia/Yerevan', 'Asia/Tbilisi'];

type Key = keyof OperatorMessages;
const ot = (key: Key, vars: Record<string, string | number> = {}) => fill((language() === 'en' ? operatorEn : operatorRu)[key], vars);
/** The server's English message, in the page's language when we know it. */
const serverText = (m: string) => ((`srv.${m}` as Key) in operatorRu ? ot(`srv.${m}` as Key) : m);
const locale = () => (language() === 'en' ? 'en-GB' : 'ru-RU');
const when = (iso: string, zone?: string) => formatDateTime(iso, zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, locale());
const day = (iso: string, zone: string) => dateFormat(locale(), { dateStyle: 'medium', timeZone: zone }).format(new Date(iso));

function errorOf(e: unknown): string {
  if (e instanceof OperatorError) {
    if (e.code === 'invalid_credentials') return ot('errCredentials');
    if (e.status === 429) return e.retryAfter ? ot('errRate', { n: e.retryAfter }) : ot('errRateNoWait');
    if (e.status === 401) return ot('errSession');
    const details = e.problem.errors?.map((x) => serverText(x.message)).join('; ');
    return ot('errOther', { detail: details || e.problem.detail || e.problem.title || e.code });
  }
  if (e instanceof TypeError) return ot('errNetwork');
  return ot('errOther', { detail: e instanceof Error ? e.message : String(e) });
}

export function operatorPage(root: HTMLElement): void {
  const saved = localStorage.getItem(LANG_KEY);
  setLanguage(saved === 'en' || saved === 'ru' ? saved : navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en');
  let redraw: () => void = () => {};
  const langSwitch = () => {
    const mk = (l: Lang, label: string) =>
      h('button', { type: 'button', class: `lang${language() === l ? ' on' : ''}`, 'aria-pressed': String(language() === l), lang: l, onclick: () => {
        localStorage.setItem(LANG_KEY, l);
        setLanguage(l);
        redraw();
      } }, label);
    return h('div', { class: 'langs', role: 'group', 'aria-label': 'Язык / Language' }, mk('ru', 'RU'), mk('en', 'EN'));
  };

  // ---- Sign-in (also what an owner's session sees here: theirs is not an operator's) ----
  function showSignIn(notice?: string): void {
    const email = input({ type: 'email', name: 'email', autocomplete: 'username', required: true, maxlength: 254 });
    const password = input({ type: 'password', name: 'password', autocomplete: 'current-password', required: true, maxlength: 200 });
    const status = statusLine();
    status.el.setAttribute('role', 'alert');
    status.el.setAttribute('data-testid', 'operator-signin-status');
    if (notice) status.error(notice);
    const submit = h('button', { type: 'submit', class: 'btn primary' }, '');
    const onSubmit = async (e: Event) => {
      e.preventDefault();
      if (!email.value.trim() || !password.value) return status.error(ot('fillFields'));
      submit.disabled = true;
      status.busy(ot('signingIn'));
      try {
        await client.signIn({ email: email.value.trim(), password: password.value });
        password.value = '';
        void start();
      } catch (err) {
        status.error(errorOf(err));
        password.select();
      } finally {
        submit.disabled = false;
      }
    };
    const form = h('form', { class: 'card-form', novalidate: true, 'aria-labelledby': 'op-signin-title', 'data-testid': 'operator-signin', onsubmit: (e: Event) => void onSubmit(e) });
    redraw = () => {
      document.title = `${ot('signInTitle')} · Kopilka`;
      submit.textContent = ot('signIn');
      replace(
        form,
        h('div', { class: 'row between' }, h('h1', { id: 'op-signin-title' }, ot('signInTitle')), langSwitch()),
        h('p', { class: 'muted small' }, ot('signInIntro'), ' ', h('a', { href: '/admin/' }, ot('toPanel'))),
        field(ot('email'), email),
        field(ot('password'), password),
        submit,
        status.el,
      );
      replace(root, h('main', { class: 'signin', id: 'main' }, form));
    };
    redraw();
  }

  // ---- Signed in: overview, the list, a new business ----
  function showConsole(me: OperatorMe): void {
    let data: BusinessList | null = null;
    let loadError: string | null = null;
    let query = '';
    let sort: SortKey = 'name';
    let created: { done: NewBusinessDone; ownerName: string; ownerEmail: string } | null = null;

    const search = input({ type: 'search', name: 'search', autocomplete: 'off', 'data-testid': 'operator-search', oninput: () => {
      query = search.value;
      drawList();
    } });
    const sortSelect = select([], sort, { name: 'sort', 'data-testid': 'operator-sort', onchange: () => {
      sort = sortSelect.value as SortKey;
      drawList();
    } });
    const listEl = h('div', { 'data-testid': 'operator-businesses' });
    const overviewEl = h('div', { class: 'figures', 'data-testid': 'operator-overview' });

    // The form, built once so a language switch keeps what was typed.
    const bizName = input({ name: 'businessName', autocomplete: 'organization', required: true, maxlength: 200 });
    const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const zones = localZone && !ZONES.includes(localZone) ? [localZone, ...ZONES] : ZONES;
    const zone = select(zones.map((z) => [z, z.replace(/_/g, ' ')]), localZone && zones.includes(localZone) ? localZone : 'Europe/Moscow', { name: 'timezone' });
    const currency = select(CURRENCIES.map((c) => [c, c]), 'RUB', { name: 'currency' });
    const ownerName = input({ name: 'ownerName', autocomplete: 'off', required: true, maxlength: 100 });
    const ownerEmail = input({ type: 'email', name: 'ownerEmail', autocomplete: 'off', maxlength: 254 });
    const formStatus = statusLine();
    formStatus.el.setAttribute('role', 'alert');
    formStatus.el.setAttribute('data-testid', 'operator-create-status');
    const createBtn = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'operator-create' }, '');
    const resultEl = h('div', { 'data-testid': 'operator-created' });
    const fieldOf: Record<string, HTMLInputElement | HTMLSelectElement> = { name: bizName, timezone: zone, currency, ownerName };

    const markInvalid = (paths: string[]) => {
      for (const [path, el] of Object.entries(fieldOf)) {
        if (paths.includes(path)) el.setAttribute('aria-invalid', 'true');
        else el.removeAttribute('aria-invalid');
      }
    };
    for (const el of Object.values(fieldOf)) el.addEventListener('input', () => el.removeAttribute('aria-invalid'));

    async function onCreate(e: Event): Promise<void> {
      e.preventDefault();
      const missing = [bizName.value.trim() ? null : 'name', ownerName.value.trim() ? null : 'ownerName'].filter((x): x is string => x !== null);
      markInvalid(missing);
      if (missing.length) {
        formStatus.error(`${ot('fixErrors')} ${ot('required')}`);
        (fieldOf[missing[0]!] as HTMLInputElement).focus();
        return;
      }
      createBtn.disabled = true;
      formStatus.busy(ot('creating'));
      try {
        const done = await client.createBusiness({ name: bizName.value.trim(), timezone: zone.value, currency: currency.value, ownerName: ownerName.value.trim() });
        created = { done, ownerName: ownerName.value.trim(), ownerEmail: ownerEmail.value.trim() };
        bizName.value = '';
        ownerName.value = '';
        ownerEmail.value = '';
        formStatus.clear();
        drawCreated();
        (resultEl.querySelector('h3') as HTMLElement | null)?.focus();
        await load();
      } catch (err) {
        if (err instanceof OperatorError && err.status === 401) return showSignIn(ot('errSession'));
        if (err instanceof OperatorError) {
          const paths = (err.problem.errors ?? []).map((x) => x.path.replace(/^\//, ''));
          markInvalid(paths);
          const first = paths.map((p) => fieldOf[p]).find(Boolean);
          first?.focus();
        }
        formStatus.error(errorOf(err));
      } finally {
        createBtn.disabled = false;
      }
    }

    function drawCreated(): void {
      if (!created) return replace(resultEl);
      const { done, ownerName: owner, ownerEmail: mail } = created;
      const until = when(done.ownerInvitation.expiresAt);
      const mailto = mail
        ? `mailto:${encodeURIComponent(mail)}?subject=${encodeURIComponent(ot('mailSubject', { name: done.name }))}&body=${encodeURIComponent(ot('mailBody', { owner, name: done.name, until, invite: done.ownerInvitation.url, admin: done.adminUrl }))}`
        : null;
      replace(
        resultEl,
        h(
          'div',
          { class: 'note ok-note' },
          h('h3', { tabindex: -1 }, ot('created', { name: done.name })),
          copyBox(ot('inviteLink', { until }), done.ownerInvitation.url, 'owner-invite-link'),
          copyBox(ot('adminLink'), done.adminUrl, 'owner-admin-link'),
          mailto ? h('p', null, h('a', { href: mailto, 'data-testid': 'owner-invite-mail' }, ot('sendByEmail', { email: mail }))) : null,
        ),
      );
    }

    function drawOverview(): void {
      if (!data) return replace(overviewEl);
      const b = data.lastBackup;
      const backup = !b ? ot('backupNever') : b.status === 'done' ? ot('backupDone', { when: when(b.finishedAt ?? b.createdAt) }) : b.status === 'running' ? ot('backupRunning', { when: when(b.createdAt) }) : ot('backupFailed', { when: when(b.finishedAt ?? b.createdAt) });
      const figure = (label: string, value: string, testId: string, bad = false) => h('div', { class: `figure${bad ? ' bad' : ''}`, 'data-testid': testId }, h('span', { class: 'label' }, label), h('strong', null, value));
      replace(
        overviewEl,
        figure(ot('businessesCount'), formatNumber(data.businesses.length, locale()), 'op-count'),
        figure(ot('membersTotal'), formatNumber(data.businesses.reduce((s, x) => s + x.members, 0), locale()), 'op-members'),
        figure(ot('backups'), backup, 'op-backup', !b || b.status === 'failed'),
      );
    }

    function drawList(): void {
      if (loadError) return replace(listEl, h('p', { class: 'status error', role: 'alert' }, loadError));
      if (!data) return replace(listEl, h('p', { class: 'status busy', role: 'status' }, ot('loading')));
      if (!data.businesses.length) return replace(listEl, h('p', { class: 'muted' }, ot('noBusinesses')));
      const rows = arrange(data.businesses, query, sort, language());
      if (!rows.length) return replace(listEl, h('p', { class: 'muted', role: 'status' }, ot('nothingFound')));
      const cols: [Key, (b: BusinessHealth) => Parameters<typeof h>[2]][] = [
        ['colName', (b) => [h('strong', null, b.name), h('br'), h('small', { class: 'muted' }, `${b.timezone} · ${b.currency}`), h('br'), h('small', { class: 'muted id' }, b.id)]],
        ['colCreated', (b) => day(b.createdAt, b.timezone)],
        ['colMembers', (b) => formatNumber(b.members, locale())],
        ['colPurchases', (b) => formatNumber(b.purchasesLast30Days, locale())],
        ['colActivity', (b) => (b.lastActivityAt ? when(b.lastActivityAt, b.timezone) : ot('never'))],
        ['colOutstanding', (b) => formatNumber(b.outstandingPoints, locale())],
        ['colStaff', (b) => [formatNumber(b.activeStaff, locale()), ' · ', h('span', { class: b.ownerJoined ? 'ok' : 'warn' }, ot(b.ownerJoined ? 'ownerJoined' : 'ownerPending'))]],
        ['colBots', (b) => {
          const parts = [...b.bots.map((x) => `${ot(x.role === 'customer' ? 'botCustomer' : 'botStaff')}: @${x.username}`), ...b.pendingBots.map((r) => ot('botPending', { role: ot(r === 'customer' ? 'botCustomer' : 'botStaff') }))];
          return parts.length ? parts.join('; ') : h('span', { class: 'muted' }, ot('botsNone'));
        }],
        ['colWebhooks', (b) => (b.webhookFailures ? h('span', { class: 'badge' }, formatNumber(b.webhookFailures, locale())) : '0')],
      ];
      replace(
        listEl,
        h(
          'div',
          { class: 'table-wrap op-table', tabindex: 0, role: 'region', 'aria-label': ot('listCaption') },
          h(
            'table',
            null,
            h('caption', { class: 'sr-only' }, ot('listCaption')),
            h('thead', null, h('tr', null, cols.map(([k]) => h('th', { scope: 'col' }, ot(k))))),
            h('tbody', null, rows.map((b) => h('tr', { 'data-business': b.id }, cols.map(([k, cell], i) => (i === 0 ? h('th', { scope: 'row', 'data-label': ot(k) }, cell(b)) : h('td', { 'data-label': ot(k), 'data-col': k }, cell(b))))))),
          ),
        ),
      );
    }

    async function load(): Promise<void> {
      try {
        data = await client.businesses();
        loadError = null;
      } catch (e) {
        if (e instanceof OperatorError && e.status === 401) return showSignIn(ot('errSession'));
        loadError = errorOf(e);
      }
      drawOverview();
      drawList();
    }

    async function signOut(): Promise<void> {
      try {
        await client.signOut();
      } catch {
        // the server's answer clears the cookie; a failed call leaves nothing worth keeping
      }
      showSignIn();
    }

    redraw = () => {
      document.title = `${ot('title')} · Kopilka`;
      const sortValue = sort;
      replace(sortSelect, ...(['name', 'created', 'members', 'activity', 'outstanding'] as const).map((k) => h('option', { value: k, selected: k === sortValue }, ot(`sort${k[0]!.toUpperCase()}${k.slice(1)}` as Key))));
      createBtn.textContent = ot('create');
      const header = h(
        'header',
        { class: 'top' },
        h('a', { class: 'skip', href: '#main' }, language() === 'en' ? 'Skip to content' : 'К содержимому'),
        h('div', { class: 'brand' }, h('strong', null, ot('appTitle'))),
        h('div', { class: 'who' }, h('span', { 'data-testid': 'operator-me' }, ot('signedInAs', { email: me.email })), langSwitch(), button(ot('signOut'), () => void signOut(), { 'data-testid': 'operator-sign-out' })),
      );
      const createForm = h(
        'form',
        { class: 'op-create', novalidate: true, 'aria-labelledby': 'op-create-title', onsubmit: (e: Event) => void onCreate(e) },
        h('h2', { id: 'op-create-title' }, ot('createTitle')),
        h('p', { class: 'hint' }, ot('createHint')),
        h('div', { class: 'grid3' }, field(ot('businessName'), bizName), field(ot('timezone'), zone), field(ot('currency'), currency)),
        h('div', { class: 'grid3' }, field(ot('ownerName'), ownerName), field(ot('ownerEmail'), ownerEmail, ot('ownerEmailHint'))),
        createBtn,
        formStatus.el,
        resultEl,
      );
      replace(
        root,
        header,
        h(
          'main',
          { class: 'main op-main', id: 'main', tabindex: -1 },
          h('h1', null, ot('title')),
          h('section', { class: 'panel', 'aria-label': ot('overview') }, overviewEl),
          h(
            'section',
            { class: 'panel', 'aria-labelledby': 'op-list-title' },
            h('h2', { id: 'op-list-title' }, ot('businessesTitle')),
            h('p', { class: 'hint' }, ot('businessesHint')),
            h('div', { class: 'filters' }, field(ot('search'), search), field(ot('sort'), sortSelect)),
            listEl,
          ),
          h('section', { class: 'panel' }, createForm),
        ),
      );
      drawOverview();
      drawList();
      drawCreated();
    };
    redraw();
    void load();
  }

  async function start(): Promise<void> {
    replace(root, h('p', { class: 'boot', role: 'status' }, ot('loading')));
    let me: OperatorMe | null = null;
    try {
      me = await client.me();
    } catch (e) {
      return showSignIn(errorOf(e));
    }
    if (me) showConsole(me);
    else showSignIn();
  }

  void start();
}
