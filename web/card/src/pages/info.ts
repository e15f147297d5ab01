// About the program: the business's own text (as plain text) and the rules in numbers.
import type { Page, PageContext } from '../context.js';
import { h } from '../../../shared/dom.js';
import { formatMoney, formatNumber, formatPercent } from '../format.js';
import { locale, t } from '../i18n.js';
import { brandMark } from './card.js';

export function infoPage(ctx: PageContext): Page {
  const { business, program } = ctx.view;
  const lc = locale();
  const rules = [
    t('ruleEarn', { percent: formatPercent(program.earnPercent, lc) }),
    t('ruleRedeem', { percent: formatPercent(program.maxRedeemPercent, lc) }),
    program.pointsLifetimeDays ? t('ruleLifetime', { days: formatNumber(program.pointsLifetimeDays, lc) }) : t('ruleNoExpiry'),
    t('ruleValue', { money: formatMoney(program.pointValue, program.currency, lc) }),
  ];
  return {
    el: h(
      'div',
      { class: 'page' },
      h('h1', null, t('infoTitle')),
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'info-brand' }, brandMark(business.name, business.branding.logoUrl)),
        business.infoText ? h('p', { class: 'info-text', 'data-testid': 'info-text' }, business.infoText) : null,
      ),
      h('section', { class: 'panel' }, h('h2', null, t('rulesTitle')), h('ul', { class: 'rules', 'data-testid': 'rules' }, rules.map((r) => h('li', null, r)))),
    ),
  };
}
