// The app shell: how the card was opened (link, Telegram, stored session, phone), the signed-in pages with their
// tab bar and hash routing (#/card, #/history, #/rewards, #/info, #/profile), and what happens on a 401.
import type { CardSession, CardSignIn, CardView } from '../../../src/client/card.js';
import { describe, isUnauthorized, makeClient } from './api.js';
import type { Page, PageContext } from './context.js';
import { h, icon, replace } from '../../shared/dom.js';
import { locale, setLanguage, setPointsName, t, type MessageKey } from './i18n.js';
import { parseHash, parseLaunch, pickLanguage, routeOf, type Launch, type Route, type TelegramLaunch } from './launch.js';
import { cardPage } from './pages/card.js';
import { historyPage } from './pages/history.js';
import { infoPage } from './pages/info.js';
import { profilePage } from './pages/profile.js';
import { rewardsPage } from './pages/rewards.js';
import { showSignIn } from './pages/signin.js';
import { loadingPage, messagePage } from './pages/status.js';
import { clearSession, loadSession, loadTelegramLaunch, saveSession, saveTelegramLaunch } from './storage.js';
import { startTelegram, webAppInitData } from '../../shared/telegram.js';
import { applyBranding, refreshColors } from './theme.js';

/** Coming back to the app after this long reloads the card (balance may have changed at the till). */
const STALE_MS = 5 * 60_000;

const TABS: { route: Route; label: MessageKey; icon: string }[] = [
  { route: 'card', label: 'tabCard', icon: 'M3 6.5A2.5 2.5 0 0 1 5.5 4h13A2.5 2.5 0 0 1 21 6.5v11a2.5 2.5 0 0 1-2.5 2.5h-13A2.5 2.5 0 0 1 3 17.5zM3 9.5h18M7 15h4' },
  { route: 'history', label: 'tabHistory', icon: 'M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z' },
  { route: 'rewards', label: 'tabRewards', icon: 'M4 11h16v9H4zM3 7h18v4H3zM12 7v13M12 7C11 4 7 3 7 5.5S12 7 12 7zm0 0c1-3 5-4 5-1.5S12 7 12 7z' },
  { route: 'info', label: 'tabInfo', icon: 'M12 11v6M12 7.5v.5M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z' },
  { route: 'profile', label: 'tabProfile', icon: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 3.6-6 8-6s8 2 8 6' },
];

export function boot(root: HTMLElement): void {
  const fromUrl = parseLaunch(location.search, location.hash, webAppInitData());
  if (fromUrl.telegram) saveTelegramLaunch(fromUrl.telegram);
  const telegram = fromUrl.telegram ?? loadTelegramLaunch();
  setLanguage(pickLanguage(telegram?.user?.languageCode, navigator.language));
  new App(root, { ...fromUrl, telegram }).start();
}

class App {
  private client = makeClient(null);
  private businessId: string | null;
  private view: CardView | null = null;
  private loadedAt = 0;
  private qrReceivedAt = 0;
  private page: Page | null = null;
  private reloadingNow = false;
  private triedTelegram = false;
  private readonly telegram: TelegramLaunch | null;

  constructor(
    private readonly root: HTMLElement,
    private readonly launch: Launch,
  ) {
    this.businessId = launch.businessId;
    this.telegram = launch.botId ? launch.telegram : null;
  }

  start(): void {
    if (this.launch.telegram) startTelegram(this.launch.telegram.themeParams, () => refreshColors());
    // The sign-in token and Telegram's parameters leave the address at once (history, screenshots, sharing).
    this.setAddress(this.launch.route ?? this.currentRoute());
    window.addEventListener('hashchange', () => this.onHashChange());
    document.addEventListener('visibilitychange', () => this.onVisible());
    window.addEventListener('unhandledrejection', (e) => this.crash(e.reason));

    if (this.launch.signInToken) return void this.signIn({ signInToken: this.launch.signInToken }, 'link');
    const stored = this.businessId ? loadSession(this.businessId) : null;
    if (stored && (!this.telegram || stored.telegramUserId === (this.telegram.user?.id ?? null))) {
      this.client.setSession(stored.token);
      return void this.loadCard();
    }
    if (this.telegram) return this.signInTelegram();
    this.showSignIn();
  }

  // --- signing in ---------------------------------------------------------------------------------------------------

  private signInTelegram(): void {
    const tg = this.telegram;
    if (!tg || !this.launch.botId) return this.showSignIn();
    this.triedTelegram = true;
    void this.signIn({ botId: this.launch.botId, initData: tg.initData }, 'telegram');
  }

  private async signIn(input: CardSignIn, how: 'link' | 'telegram'): Promise<void> {
    this.show(loadingPage());
    let session: CardSession;
    try {
      session = await this.client.signIn(input);
    } catch (e) {
      const problem = describe(e);
      if (how === 'telegram' && (problem.code === 'invalid_sign_in' || problem.code === 'unauthorized')) problem.text = t('errTelegramSignIn');
      if (problem.retry) return this.show(messagePage({ problem, retry: () => void this.signIn(input, how) }));
      if (how === 'link' && this.businessId) return this.showSignIn({ problem });
      return this.show(messagePage({ title: how === 'link' ? t('linkIncompleteTitle') : undefined, problem }));
    }
    await this.signedIn(session);
  }

  private async signedIn(session: CardSession): Promise<void> {
    this.client.setSession(session.sessionToken);
    if (this.businessId) this.remember(session.sessionToken);
    await this.loadCard();
  }

  private remember(token: string): void {
    if (this.businessId) saveSession(this.businessId, { token, telegramUserId: this.telegram?.user?.id ?? null });
  }

  private showSignIn(extra: { problem?: ReturnType<typeof describe>; notice?: string } = {}): void {
    this.leavePage();
    this.view = null;
    if (!this.businessId) return this.show(messagePage({ title: t('linkIncompleteTitle'), text: t('linkIncompleteText') }));
    showSignIn({
      root: this.root,
      client: this.client,
      businessId: this.businessId,
      problem: extra.problem ?? null,
      notice: extra.notice ?? null,
      telegramSignIn: this.telegram ? () => this.signInTelegram() : null,
      signedIn: (s) => void this.signedIn(s),
    });
  }

  /** A 401 anywhere: the session is gone. Inside Telegram sign in again once; elsewhere ask for the phone. */
  private unauthorized(): void {
    if (this.businessId) clearSession(this.businessId);
    this.client.setSession(null);
    this.leavePage();
    this.view = null;
    if (this.telegram && !this.triedTelegram) return this.signInTelegram();
    this.showSignIn({ notice: t('errUnauthorized') });
  }

  // --- the card -----------------------------------------------------------------------------------------------------

  private async loadCard(background = false): Promise<void> {
    if (!background) this.show(loadingPage());
    this.reloadingNow = true;
    try {
      const view = await this.client.me();
      this.view = view;
      this.loadedAt = this.qrReceivedAt = Date.now();
      if (!this.businessId) {
        this.businessId = view.business.id;
        const url = new URL(location.href);
        url.searchParams.set('b', view.business.id);
        history.replaceState(null, '', url.href);
      }
      if (this.client.sessionToken) this.remember(this.client.sessionToken);
      setPointsName(view.business.pointsName);
      applyBranding(view.business.branding, view.business.name);
      // A background refresh redraws the card page only: a half-filled profile form is left alone.
      if (!background || this.currentRoute() === 'card' || !this.page) this.route();
    } catch (e) {
      if (isUnauthorized(e)) return this.unauthorized();
      if (background && this.view) return; // keep showing what we have
      const problem = describe(e);
      this.show(messagePage({ problem, retry: problem.retry ? () => void this.loadCard() : null, extra: problem.retry ? null : this.signOutButton() }));
    } finally {
      this.reloadingNow = false;
    }
  }

  private onVisible(): void {
    if (document.hidden || !this.view || this.reloadingNow) return;
    if (Date.now() - this.loadedAt > STALE_MS) void this.loadCard(true);
  }

  private context(view: CardView): PageContext {
    const qrReceivedAt = () => this.qrReceivedAt;
    const setQrReceivedAt = (v: number) => void (this.qrReceivedAt = v);
    return {
      client: this.client,
      view,
      get qrReceivedAt() {
        return qrReceivedAt();
      },
      set qrReceivedAt(v: number) {
        setQrReceivedAt(v);
      },
      reloading: () => this.reloadingNow || Date.now() - this.loadedAt > STALE_MS,
      unauthorized: () => this.unauthorized(),
      signOut: () => this.signOut(),
      deleted: () => this.deleted(),
    };
  }

  private async signOut(): Promise<void> {
    try {
      await this.client.signOut();
    } catch {
      // signed out here in any case
    }
    if (this.businessId) clearSession(this.businessId);
    this.client.setSession(null);
    this.triedTelegram = true; // no silent Telegram sign-in right after signing out
    this.showSignIn({ notice: t('signedOut') });
  }

  private deleted(): void {
    if (this.businessId) clearSession(this.businessId);
    this.client.setSession(null);
    this.leavePage();
    this.view = null;
    this.show(messagePage({ text: t('deleted') }));
  }

  private signOutButton(): HTMLElement {
    return h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => void this.signOut() }, t('signOut'));
  }

  // --- pages and routing --------------------------------------------------------------------------------------------

  private onHashChange(): void {
    // A sign-in link opened in this same tab only changes the hash: sign in with it.
    const token = parseLaunch(location.search, location.hash).signInToken;
    if (token) {
      this.setAddress('card');
      return void this.signIn({ signInToken: token }, 'link');
    }
    this.route();
  }

  private currentRoute(): Route {
    return routeOf(parseHash(location.hash).path) ?? 'card';
  }

  private setAddress(route: Route): void {
    const url = new URL(location.href);
    url.hash = `#/${route}`;
    if (url.href !== location.href) history.replaceState(null, '', url.href);
  }

  private route(): void {
    const view = this.view;
    if (!view) return;
    let route = this.currentRoute();
    if (route === 'rewards' && !view.rewards.length) route = 'card';
    this.leavePage();
    const ctx = this.context(view);
    const make = { card: cardPage, history: historyPage, rewards: rewardsPage, info: infoPage, profile: profilePage }[route];
    try {
      this.page = make(ctx);
    } catch (e) {
      return this.crash(e, true);
    }
    const main = h('main', { id: 'main', class: 'main', tabindex: '-1' }, this.page.el);
    const nav = h(
      'nav',
      { class: 'tabs', 'aria-label': t('navLabel') },
      TABS.filter((tab) => tab.route !== 'rewards' || view.rewards.length > 0).map((tab) =>
        h('a', { href: `#/${tab.route}`, class: 'tab', 'aria-current': tab.route === route ? 'page' : null, 'data-testid': `tab-${tab.route}` }, icon(tab.icon), h('span', null, t(tab.label))),
      ),
    );
    replace(this.root, main, nav);
    document.documentElement.lang = locale();
    window.scrollTo(0, 0);
  }

  private leavePage(): void {
    this.page?.cleanup?.();
    this.page = null;
  }

  private show(el: HTMLElement): void {
    this.leavePage();
    replace(this.root, h('main', { id: 'main', class: 'main' }, el));
  }

  /** A bug must not leave a blank screen either. */
  private crash(e: unknown, force = false): void {
    console.error(e);
    if (isUnauthorized(e)) return this.unauthorized();
    if (!force && this.page) return; // a working page is on screen already
    this.show(messagePage({ problem: { text: t('errServer'), details: [], retry: true, code: 'crash' }, retry: () => location.reload() }));
  }
}
