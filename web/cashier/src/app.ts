// The app shell: how the cashier screen was opened (Telegram, invitation, stored session, e-mail and password or "Log in
// with Telegram" on the web), the one me() after signing in, the header (business, staff member, sign-out) and the
// three screens: find the customer → the member with the amount → the receipt. A 401 anywhere forgets the session and
// signs in again.
import type { LookupResult, Receipt, StaffAction, StaffBusiness, StaffMe, StaffSession, StaffSignIn, TillMember } from '../../../src/client/staff.js';
import { describe, isUnauthorized, makeClient, type Problem } from './api.js';
import type { Ctx, FindOptions, Formats, Page } from './context.js';
import { h, replace } from '../../shared/dom.js';
import { currencyDigits, decimalSeparator, formatDateTime, formatMoney, formatNumber, formatSignedPoints } from './format.js';
import { locale, setLanguage, setPointsName, t, type MessageKey } from './i18n.js';
import { parseLaunch, pickLanguage, type Launch, type TelegramLaunch } from './launch.js';
import { findPage } from './pages/find.js';
import { memberPage } from './pages/member.js';
import { receiptPage } from './pages/receipt.js';
import { signInPage } from './pages/signin.js';
import { loadingPage, messagePage } from './pages/status.js';
import { clearSession, loadInvite, loadSession, loadTelegramLaunch, saveInvite, saveSession, saveTelegramLaunch } from './storage.js';
import { startTelegram, webAppInitData } from '../../shared/telegram.js';

const ROLE_NAMES: Record<StaffMe['staff']['role'], MessageKey> = { owner: 'roleOwner', admin: 'roleAdmin', manager: 'roleManager', cashier: 'roleCashier' };

export function boot(root: HTMLElement): void {
  const fromUrl = parseLaunch(location.search, location.hash, webAppInitData());
  if (fromUrl.telegram) saveTelegramLaunch(fromUrl.telegram);
  if (fromUrl.inviteToken) saveInvite(fromUrl.inviteToken);
  const telegram = fromUrl.telegram ?? (fromUrl.botId ? loadTelegramLaunch() : null);
  setLanguage(pickLanguage(telegram?.user?.languageCode, navigator.language));
  new App(root, { ...fromUrl, telegram, inviteToken: fromUrl.inviteToken ?? loadInvite() }).start();
}

class App {
  private client = makeClient(null);
  private businessId: string | null;
  private inviteToken: string | null;
  private me: StaffMe | null = null;
  private page: Page | null = null;
  /** Stops what a screen without the header left running (the sign-in page's polling). */
  private bareCleanup: (() => void) | null = null;
  /** The sign-in page's business(), asked once per business. */
  private businessInfo: { id: string; info: Promise<StaffBusiness | null> } | null = null;
  private triedTelegram = false;
  private readonly telegram: TelegramLaunch | null;

  constructor(
    private readonly root: HTMLElement,
    private readonly launch: Launch,
  ) {
    this.businessId = launch.businessId;
    this.inviteToken = launch.inviteToken;
    this.telegram = launch.botId ? launch.telegram : null;
  }

  start(): void {
    if (this.launch.telegram) startTelegram(this.launch.telegram.themeParams);
    // The invitation token and Telegram's parameters leave the address at once (history, screenshots, sharing).
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    window.addEventListener('unhandledrejection', (e) => this.crash(e.reason));

    if (this.inviteToken) return this.showSignIn();
    const stored = this.businessId ? loadSession(this.businessId) : null;
    if (stored && (!this.telegram || stored.telegramUserId === (this.telegram.user?.id ?? null))) {
      this.client.setSession(stored.token);
      return void this.loadMe();
    }
    if (this.telegram) return this.signInTelegram();
    this.showSignIn();
  }

  // --- signing in ---------------------------------------------------------------------------------------------------

  private signInTelegram(): void {
    const tg = this.telegram;
    if (!tg || !this.launch.botId) return this.showSignIn();
    this.triedTelegram = true;
    void this.signIn({ botId: this.launch.botId, initData: tg.initData });
  }

  private async signIn(input: StaffSignIn): Promise<void> {
    this.showBare(loadingPage());
    let session: StaffSession;
    try {
      session = await this.client.signIn(input);
    } catch (e) {
      const problem = describe(e);
      if (problem.retry) return this.showBare(messagePage({ problem, retry: () => void this.signIn(input) }));
      return this.showSignIn({ problem });
    }
    await this.signedIn(session);
  }

  private async signedIn(session: StaffSession): Promise<void> {
    this.client.setSession(session.sessionToken);
    this.remember(session.sessionToken);
    await this.loadMe();
  }

  private remember(token: string): void {
    if (this.businessId) saveSession(this.businessId, { token, telegramUserId: this.telegram?.user?.id ?? null });
  }

  private forget(): void {
    if (this.businessId) clearSession(this.businessId);
    this.client.setSession(null);
    this.me = null;
  }

  private showSignIn(extra: { problem?: Problem | null; notice?: string | null } = {}): void {
    this.leavePage();
    this.me = null;
    if (!this.businessId && !this.inviteToken && !this.telegram) {
      return this.showBare(messagePage({ title: t('linkIncompleteTitle'), text: t('linkIncompleteText') }));
    }
    const page = signInPage({
      client: this.client,
      businessId: this.businessId,
      inviteToken: this.inviteToken,
      problem: extra.problem ?? null,
      notice: extra.notice ?? null,
      telegramSignIn: this.telegram && this.launch.botId ? () => this.signInTelegram() : null,
      business: this.businessForSignIn(),
      signedIn: (s, how) => {
        if (how === 'invite') this.dropInvite();
        void this.signedIn(s);
      },
      dropInvite: () => this.dropInvite(),
    });
    this.showBare(page.el, page.cleanup);
  }

  /** The web sign-in page's business (its name, its staff bot): not inside Telegram, not for an invitation. */
  private businessForSignIn(): Promise<StaffBusiness | null> | null {
    const id = this.businessId;
    if (!id || this.inviteToken || this.launch.telegram || this.telegram) return null;
    if (this.businessInfo?.id !== id) {
      const info = this.client.business(id).catch(() => {
        if (this.businessInfo?.info === info) this.businessInfo = null; // asked again next time
        return null;
      });
      this.businessInfo = { id, info };
    }
    return this.businessInfo.info;
  }

  private dropInvite(): void {
    this.inviteToken = null;
    saveInvite(null);
  }

  /** A 401 anywhere: the session is gone. Inside Telegram sign in again once; elsewhere ask for the password. */
  private unauthorized(): void {
    this.forget();
    this.leavePage();
    if (this.telegram && !this.triedTelegram) return this.signInTelegram();
    this.showSignIn({ notice: t('errUnauthorized') });
  }

  private async signOut(): Promise<void> {
    try {
      await this.client.signOut();
    } catch {
      // signed out here in any case
    }
    this.forget();
    this.triedTelegram = true; // no silent Telegram sign-in right after signing out
    this.showSignIn({ notice: t('signedOut') });
  }

  // --- who is at the till -------------------------------------------------------------------------------------------

  private async loadMe(): Promise<void> {
    this.showBare(loadingPage());
    try {
      const me = await this.client.me();
      this.me = me;
      if (this.businessId !== me.business.id) {
        this.businessId = me.business.id;
        const url = new URL(location.href);
        url.searchParams.set('b', me.business.id);
        history.replaceState(null, '', url.href);
      }
      if (this.client.sessionToken) this.remember(this.client.sessionToken);
      setPointsName(me.business.pointsName);
      document.title = `${me.business.name} · ${t('appTitle')}`;
      this.showFind();
    } catch (e) {
      if (isUnauthorized(e)) return this.unauthorized();
      const problem = describe(e);
      this.showBare(messagePage({ problem, retry: problem.retry ? () => void this.loadMe() : null, extra: h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => void this.signOut() }, t('signOut')) }));
    }
  }

  private context(me: StaffMe): Ctx {
    const lc = locale();
    const { currency, timezone } = me.business;
    const fmt: Formats = {
      money: (minor) => formatMoney(minor, currency, lc),
      points: (n) => formatNumber(n, lc),
      signedPoints: (n) => formatSignedPoints(n, lc),
      dateTime: (iso) => formatDateTime(iso, timezone, lc),
      digits: currencyDigits(currency),
      decimalSeparator: decimalSeparator(lc),
    };
    const permissions = new Set<StaffAction>(me.permissions);
    return {
      client: this.client,
      me,
      telegram: this.telegram,
      can: (a) => permissions.has(a),
      fmt,
      unauthorized: () => this.unauthorized(),
      showFind: (opts) => this.showFind(opts),
      showMember: (m, how, token) => this.showMember(m, how, token),
      showReceipt: (r, m) => this.showReceipt(r, m),
    };
  }

  private showFind(opts: FindOptions = {}): void {
    if (this.me) this.showPage((ctx) => findPage(ctx, opts));
  }

  private showMember(member: TillMember, identifiedBy: LookupResult['identifiedBy'], qrToken: string | null): void {
    this.showPage((ctx) => memberPage(ctx, { member, identifiedBy, qrToken }));
  }

  private showReceipt(receipt: Receipt, member: TillMember): void {
    this.showPage((ctx) => receiptPage(ctx, receipt, member));
  }

  // --- screens ------------------------------------------------------------------------------------------------------

  private header(me: StaffMe): HTMLElement {
    return h(
      'header',
      { class: 'bar', 'data-testid': 'header' },
      h(
        'div',
        { class: 'bar-main' },
        h('div', { class: 'bar-business', 'data-testid': 'business-name' }, me.business.name),
        h('div', { class: 'bar-staff', 'data-testid': 'staff-name' }, `${me.staff.name} · ${t(ROLE_NAMES[me.staff.role] ?? 'roleCashier')}`),
      ),
      h('button', { type: 'button', class: 'btn btn-secondary small', 'data-testid': 'sign-out', onclick: () => void this.signOut() }, t('signOut')),
    );
  }

  private showPage(make: (ctx: Ctx) => Page): void {
    const me = this.me;
    if (!me) return;
    this.leavePage();
    try {
      this.page = make(this.context(me));
    } catch (e) {
      return this.crash(e, true);
    }
    replace(this.root, this.header(me), h('main', { id: 'main', class: 'main', tabindex: '-1' }, this.page.el));
    document.documentElement.lang = locale();
    window.scrollTo(0, 0);
    this.page.shown?.();
  }

  private leavePage(): void {
    this.page?.cleanup?.();
    this.page = null;
    this.bareCleanup?.();
    this.bareCleanup = null;
  }

  /** A screen without the header: signing in, loading, a whole-screen problem. */
  private showBare(el: HTMLElement, cleanup?: () => void): void {
    this.leavePage();
    replace(this.root, h('main', { id: 'main', class: 'main' }, el));
    this.bareCleanup = cleanup ?? null;
  }

  /** A bug must not leave a blank screen either. */
  private crash(e: unknown, force = false): void {
    console.error(e);
    if (isUnauthorized(e)) return this.unauthorized();
    if (!force && this.page) return; // a working page is on screen already
    this.showBare(messagePage({ problem: { text: t('errServer'), details: [], retry: true, code: 'crash' }, retry: () => location.reload() }));
  }
}
