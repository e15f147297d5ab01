// The panel: sign-in, then a layout with a side menu of the pages this role may open, and the page for the address.
// Pages are plain functions that fill a <main>; addresses are real paths under /admin/ (the server serves
// index.html for each), so a link can be opened directly — and a page the role may not open says so.
import { h, replace } from '../../shared/dom.js';
import { session, whenSignedOut, type StaffMe } from './api.js';
import { makeCtx, type Ctx } from './context.js';
import { language, setLanguage, setPointsName, t, type Lang, type MessageKey } from './i18n.js';
import { menuFor, pathOf, resolve, type PageName } from './nav.js';
import { auditPage } from './pages/audit.js';
import { broadcastsPage } from './pages/broadcasts.js';
import { customersPage } from './pages/customers.js';
import { dashboardPage } from './pages/dashboard.js';
import { dataPage } from './pages/data.js';
import { inboxPage } from './pages/inbox.js';
import { memberPage } from './pages/member.js';
import { settingsPage } from './pages/settings.js';
import { signInPage } from './pages/signin.js';
import { staffPage } from './pages/staff.js';
import { button } from './ui.js';

const LANG_KEY = 'kopilka.admin.lang';

const PAGES: Record<PageName, (main: HTMLElement, ctx: Ctx, params: Record<string, string>) => void | Promise<void>> = {
  dashboard: dashboardPage,
  customers: customersPage,
  member: memberPage,
  inbox: inboxPage,
  inboxThread: inboxPage,
  broadcasts: broadcastsPage,
  settings: settingsPage,
  staff: staffPage,
  data: dataPage,
  audit: auditPage,
};

const NAV_KEYS: Record<PageName, MessageKey> = {
  dashboard: 'navDashboard',
  customers: 'navCustomers',
  member: 'navMember',
  inbox: 'navInbox',
  inboxThread: 'navInbox',
  broadcasts: 'navBroadcasts',
  settings: 'navSettings',
  staff: 'navStaff',
  data: 'navData',
  audit: 'navAudit',
};

function initialLanguage(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'ru' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : navigator.languages?.some((l) => l.toLowerCase().startsWith('ru')) ? 'ru' : 'en';
}

export function languageSwitch(onChange: () => void): HTMLElement {
  const mk = (l: Lang, label: string) =>
    h('button', { type: 'button', class: `lang${language() === l ? ' on' : ''}`, 'aria-pressed': String(language() === l), lang: l, onclick: () => {
      localStorage.setItem(LANG_KEY, l);
      setLanguage(l);
      onChange();
    } }, label);
  return h('div', { class: 'langs', role: 'group', 'aria-label': t('language') }, mk('ru', 'RU'), mk('en', 'EN'));
}

export function boot(root: HTMLElement): void {
  setLanguage(initialLanguage());
  let me: StaffMe | null = null;

  const showSignIn = () => {
    me = null;
    document.title = `${t('signInTitle')} · Kopilka`;
    replace(root, signInPage({ languageSwitch: () => languageSwitch(showSignIn), onSignedIn: () => void start() }));
  };
  whenSignedOut(() => {
    if (me) showSignIn();
  });

  const render = () => {
    if (!me) return showSignIn();
    const current = me;
    setPointsName(current.business.pointsName);
    const route = resolve(location.pathname, current.permissions);
    const go = (page: PageName, params: Record<string, string> = {}) => {
      history.pushState(null, '', pathOf(page, params));
      render();
    };
    const ctx = makeCtx(current, go);
    const main = h('main', { id: 'main', class: 'main', tabindex: -1 });
    const menu = menuFor(current.permissions);
    const active = route.page?.name === 'member' ? 'customers' : route.page?.name === 'inboxThread' ? 'inbox' : route.page?.name;
    const nav = h(
      'nav',
      { class: 'side', 'aria-label': t('menu') },
      h('ul', null, menu.map((p) =>
        h('li', null, h('a', { href: pathOf(p.name), 'data-page': p.name, ...(p.name === active ? { 'aria-current': 'page' } : {}), onclick: (e: Event) => {
          const m = e as MouseEvent;
          if (m.ctrlKey || m.metaKey || m.shiftKey || m.button !== 0) return;
          e.preventDefault();
          go(p.name);
        } }, t(NAV_KEYS[p.name]))))),
    );
    const roleKey = `role${current.staff.role[0]!.toUpperCase()}${current.staff.role.slice(1)}` as MessageKey;
    const header = h(
      'header',
      { class: 'top' },
      h('a', { class: 'skip', href: '#main' }, t('skipToContent')),
      h('div', { class: 'brand' }, h('strong', null, current.business.name), h('span', { class: 'muted' }, ` · ${t('appTitle')}`)),
      h('div', { class: 'who' }, h('span', null, `${current.staff.name} (${t(roleKey)})`), languageSwitch(render), button(t('signOut'), () => void signOut(), { 'data-testid': 'sign-out' })),
    );
    replace(root, header, h('div', { class: 'shell' }, nav, main));

    if (!menu.length) {
      replace(main, h('h1', null, t('noAccessTitle')), h('p', null, t('cashierOnly')), h('p', null, h('a', { href: '/cashier/' }, '/cashier/')));
      return;
    }
    if (!route.page) {
      replace(main, h('h1', null, t('notFoundTitle')), h('p', null, h('a', { href: pathOf(menu[0]!.name) }, t('toStart'))));
      return;
    }
    const page = route.page;
    document.title = `${t(NAV_KEYS[page.name])} · Kopilka`;
    if (!page.anyOf.some((p) => ctx.can(p))) {
      replace(main, h('div', { 'data-testid': 'no-access' }, h('h1', null, t('noAccessTitle')), h('p', null, t('noAccessText', { role: t(roleKey) }))));
      return;
    }
    void Promise.resolve(PAGES[page.name](main, ctx, route.params)).catch((e: unknown) => console.error(e));
  };

  async function signOut(): Promise<void> {
    try {
      await session.signOut();
    } catch {
      // the cookies are cleared by the server's answer; a failed call leaves nothing worth keeping
    }
    history.pushState(null, '', '/admin/');
    showSignIn();
  }

  async function start(): Promise<void> {
    try {
      me = await session.me();
    } catch {
      me = null;
    }
    render();
  }

  window.addEventListener('popstate', render);
  void start();
}
