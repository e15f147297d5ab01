// The points history, newest first, a page at a time.
import type { CardTransaction } from '../../../../src/client/card.js';
import { describe, isUnauthorized } from '../api.js';
import type { Page, PageContext } from '../context.js';
import { h, replace } from '../../../shared/dom.js';
import { formatDateTime, formatNumber, formatSignedPoints } from '../format.js';
import { locale, t, type MessageKey } from '../i18n.js';
import { problemBlock } from './status.js';

const PAGE_SIZE = 20;

const TYPE_NAMES: Record<string, MessageKey> = {
  earn: 'txEarn',
  redeem: 'txRedeem',
  welcome: 'txWelcome',
  referral: 'txReferral',
  adjust: 'txAdjust',
  expire: 'txExpire',
  refund: 'txRefund',
};

export function typeName(type: string): string {
  return t(TYPE_NAMES[type] ?? 'txOther');
}

export function historyPage(ctx: PageContext): Page {
  const lc = locale();
  const tz = ctx.view.program.timezone;
  const list = h('ul', { class: 'tx-list', 'data-testid': 'history' });
  const footer = h('div', { class: 'list-footer' });
  const el = h('div', { class: 'page' }, h('h1', null, t('historyTitle')), h('section', { class: 'panel' }, list, footer));
  let cursor: string | null = null;
  let stopped = false;

  const row = (tx: CardTransaction) =>
    h(
      'li',
      { class: 'tx', 'data-testid': 'transaction' },
      h(
        'div',
        { class: 'tx-main' },
        h('div', { class: 'tx-type' }, typeName(tx.type)),
        tx.reason ? h('div', { class: 'tx-reason' }, tx.reason) : null,
        h('time', { class: 'tx-date', datetime: tx.when }, formatDateTime(tx.when, tz, lc)),
      ),
      h(
        'div',
        { class: 'tx-side' },
        h('div', { class: `tx-points ${tx.points >= 0 ? 'plus' : 'minus'}` }, formatSignedPoints(tx.points, lc)),
        h('div', { class: 'tx-after' }, t('balanceAfter', { points: formatNumber(tx.balanceAfter, lc) })),
      ),
    );

  async function load(): Promise<void> {
    replace(footer, h('p', { class: 'hint', role: 'status' }, t('loading')));
    try {
      const page = await ctx.client.transactions({ limit: PAGE_SIZE, cursor });
      if (stopped) return;
      list.append(...page.items.map(row));
      cursor = page.nextCursor;
      if (!list.children.length) replace(footer, h('p', { class: 'hint empty' }, t('historyEmpty')));
      else if (cursor) replace(footer, h('button', { type: 'button', class: 'btn btn-secondary wide', onclick: () => void load() }, t('more')));
      else replace(footer);
    } catch (e) {
      if (stopped) return;
      if (isUnauthorized(e)) return ctx.unauthorized();
      replace(footer, problemBlock(describe(e), () => void load()));
    }
  }
  void load();
  return { el, cleanup: () => void (stopped = true) };
}
