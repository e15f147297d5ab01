// The result of an operation, to read out to the customer: money to pay, points paid and earned, the new balance;
// then one big button back to "find the customer".
import type { Receipt, TillMember } from '../../../../src/client/staff.js';
import type { Ctx, Page } from '../context.js';
import { h } from '../../../shared/dom.js';
import { t } from '../i18n.js';

export function receiptPage(ctx: Ctx, r: Receipt, member: TillMember): Page {
  const f = ctx.fmt;
  const next = h('button', { type: 'button', class: 'btn huge wide', 'data-testid': 'next-customer', onclick: () => ctx.showFind() }, t('nextCustomer'));
  const row = (label: string, value: string, testid: string, cls = '') => h('div', { class: `receipt-row ${cls}` }, h('dt', null, label), h('dd', { 'data-testid': testid }, value));
  const el = h(
    'div',
    { class: 'page receipt-page' },
    h(
      'section',
      { class: 'panel receipt', 'data-testid': 'receipt' },
      h('div', { class: 'receipt-done', 'aria-hidden': 'true' }, '✓'),
      h('h1', { role: 'status' }, r.redeemedPoints > 0 ? t('receiptPaidTitle') : t('receiptEarnedTitle')),
      h(
        'dl',
        { class: 'receipt-list' },
        row(t('receiptPayable'), f.money(r.payableAmount), 'receipt-payable', 'receipt-main'),
        r.payableAmount !== r.amount ? row(t('receiptAmount'), f.money(r.amount), 'receipt-amount') : null,
        r.redeemedPoints > 0 ? row(t('receiptRedeemed'), t('pointsForMoney', { points: f.points(r.redeemedPoints), money: f.money(r.redeemValue) }), 'receipt-redeemed') : null,
        row(t('receiptEarned'), f.signedPoints(r.earnedPoints), 'receipt-earned'),
        row(t('receiptBalance'), f.points(r.balance.available), 'receipt-balance', 'receipt-strong'),
        r.balance.pending > 0 ? row(t('receiptPending'), f.points(r.balance.pending), 'receipt-pending') : null,
      ),
      h('p', { class: 'hint receipt-who' }, `${member.name || t('noName')} · `, h('span', { class: 'mono' }, member.cardNumber), ` · ${f.dateTime(r.occurredAt)}`),
    ),
    next,
  );
  return { el, shown: () => next.focus() };
}
