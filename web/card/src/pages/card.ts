// The first screen: the QR code to show at the till, the card number, points, and the member's progress.
// Everything here comes from the one me() answer; only the QR token is renewed (qr()) while the page is open.
import { isUnauthorized } from '../api.js';
import type { PageContext, Page } from '../context.js';
import { h } from '../../../shared/dom.js';
import { formatLastDay, formatMoney, formatNumber, formatPercent, tierProgress } from '../format.js';
import { locale, t } from '../i18n.js';
import { drawQr } from '../qrCanvas.js';
import { safeLogoUrl } from '../theme.js';

const RETRY_MS = 10_000;
/** Renew this long before the token's expiry when the page comes back into view. */
const EARLY_MS = 5_000;

export function brandMark(name: string, logoUrl: string | null | undefined): HTMLElement {
  const logo = safeLogoUrl(logoUrl);
  return logo
    ? h('img', { class: 'logo', src: logo, alt: name, referrerpolicy: 'no-referrer', decoding: 'async' })
    : h('span', { class: 'brand-name' }, name);
}

export function cardPage(ctx: PageContext): Page {
  const v = ctx.view;
  const lc = locale();
  const num = (n: number) => formatNumber(n, lc);
  const money = (minor: number) => formatMoney(minor, v.program.currency, lc);

  const canvas = h('canvas', { 'data-testid': 'qr', class: 'qr', role: 'img', 'aria-label': t('qrLabel'), width: 1, height: 1 });
  const outdated = h('button', { type: 'button', class: 'qr-outdated', hidden: true, onclick: () => void refresh() }, t('qrOutdated'), h('span', null, t('qrRefresh')));
  const plate = h('div', { class: 'qr-plate' }, canvas, outdated);

  const soonest = [...v.member.balance.expiringSoon].sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt))[0];
  const card = h(
    'section',
    { class: 'card', 'aria-label': v.business.name },
    h('div', { class: 'card-head' }, brandMark(v.business.name, v.business.branding.logoUrl), v.member.tier ? h('span', { class: 'badge' }, v.member.tier.name) : null),
    plate,
    h('p', { class: 'qr-hint' }, t('qrHint')),
    h('div', { class: 'card-number-row' }, h('span', { class: 'sr-only' }, `${t('cardNumber')}: `), h('span', { class: 'card-number', 'data-testid': 'card-number' }, v.member.cardNumber)),
    h(
      'div',
      { class: 'balance' },
      h('div', { class: 'balance-caption' }, t('balanceCaption')),
      h('div', { class: 'balance-value', 'data-testid': 'balance' }, String(v.member.balance.available)),
      v.member.balance.pending > 0 ? h('div', { class: 'balance-note', 'data-testid': 'pending' }, t('pending', { points: num(v.member.balance.pending) })) : null,
      soonest && soonest.points > 0
        ? h('div', { class: 'balance-note', 'data-testid': 'expiring' }, t('expiring', { date: formatLastDay(soonest.expiresAt, v.program.timezone, lc), points: num(soonest.points) }))
        : null,
    ),
  );

  const next = v.nextTier;
  const percent = Math.round((next ? tierProgress(v.member.totalSpent, next.missing) : 1) * 100);
  const bar = h('div', { class: 'progress-bar' });
  bar.style.width = `${percent}%`;
  const stats = h(
    'section',
    { class: 'panel stats' },
    h('p', { class: 'redeem', 'data-testid': 'redeem' }, t('redeemRule', { percent: formatPercent(v.program.maxRedeemPercent, lc) })),
    h(
      'dl',
      { class: 'tiles' },
      h('div', null, h('dt', null, t('purchases')), h('dd', { 'data-testid': 'purchases' }, num(v.member.purchasesCount))),
      h('div', null, h('dt', null, t('totalSpent')), h('dd', { 'data-testid': 'total-spent' }, money(v.member.totalSpent))),
      v.member.tier ? h('div', null, h('dt', null, t('tier')), h('dd', { 'data-testid': 'tier' }, v.member.tier.name)) : null,
    ),
    next
      ? h(
          'div',
          { class: 'progress-block' },
          h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': percent, 'aria-label': next.name }, bar),
          h('p', { class: 'hint', 'data-testid': 'next-tier' }, t('nextTier', { tier: next.name, money: money(next.missing) })),
        )
      : v.member.tier
        ? h('p', { class: 'hint' }, t('topTier'))
        : null,
  );

  const el = h('div', { class: 'page page-card' }, card, stats, v.referral ? referralBlock(v.referral, v.business.name) : null);

  // --- the QR token, renewed every refreshAfterSeconds ------------------------------------------------------------
  let timer: number | undefined;
  let inflight = false;
  let stopped = false;
  const dueAt = () => ctx.qrReceivedAt + v.qr.refreshAfterSeconds * 1000;
  // Counted from when the token arrived: a phone's clock may be minutes (or years) off the server's.
  const expiresAt = () => ctx.qrReceivedAt + v.qr.expiresInSeconds * 1000;
  const expired = () => Date.now() >= expiresAt();

  const draw = () => {
    const width = Math.min(plate.clientWidth || 264, 300);
    drawQr(canvas, v.qr.token, width);
    outdated.hidden = !expired();
  };
  const schedule = (ms: number) => {
    window.clearTimeout(timer);
    if (!stopped) timer = window.setTimeout(tick, Math.max(500, ms));
  };
  const tick = () => {
    if (document.hidden) return; // renewed when the page is seen again
    void refresh();
  };
  async function refresh(): Promise<void> {
    if (inflight || stopped) return;
    inflight = true;
    try {
      const q = await ctx.client.qr();
      if (stopped) return;
      v.qr = q;
      ctx.qrReceivedAt = Date.now();
      draw();
      schedule(dueAt() - Date.now());
    } catch (e) {
      if (isUnauthorized(e)) return ctx.unauthorized();
      outdated.hidden = !expired();
      schedule(RETRY_MS);
    } finally {
      inflight = false;
    }
  }
  const onVisible = () => {
    if (document.hidden || ctx.reloading()) return;
    if (Date.now() >= dueAt() - EARLY_MS || Date.now() >= expiresAt() - EARLY_MS) void refresh();
  };
  document.addEventListener('visibilitychange', onVisible);
  // Drawn once the page is in the document (the plate's width is known then).
  requestAnimationFrame(() => {
    if (stopped) return;
    draw();
    if (Date.now() >= dueAt()) void refresh();
    else schedule(dueAt() - Date.now());
  });

  return {
    el,
    cleanup: () => {
      stopped = true;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}

function referralBlock(r: { link: string; inviterBonus: number; friendBonus: number }, businessName: string): HTMLElement {
  const lc = locale();
  const status = h('span', { class: 'hint', role: 'status' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(r.link);
    } catch {
      input.select();
      document.execCommand?.('copy');
    }
    status.textContent = t('copied');
  };
  const share = async () => {
    try {
      await navigator.share({ title: businessName, text: t('shareText', { business: businessName }), url: r.link });
    } catch {
      // cancelled
    }
  };
  const input = h('input', { class: 'input', readOnly: true, value: r.link, 'aria-label': t('referralLink'), onfocus: () => input.select() });
  return h(
    'section',
    { class: 'panel referral', 'data-testid': 'referral' },
    h('h2', null, t('referralTitle')),
    h('p', null, t('referralText', { inviter: formatNumber(r.inviterBonus, lc), friend: formatNumber(r.friendBonus, lc) })),
    input,
    h(
      'div',
      { class: 'row' },
      typeof navigator.share === 'function' ? h('button', { type: 'button', class: 'btn', onclick: () => void share() }, t('share')) : null,
      h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => void copy() }, t('copy')),
      status,
    ),
  );
}
