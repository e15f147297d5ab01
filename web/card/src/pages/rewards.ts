// What the points can buy, and how far the member is from each reward.
import type { Page, PageContext } from '../context.js';
import { h } from '../../../shared/dom.js';
import { formatNumber } from '../format.js';
import { locale, t } from '../i18n.js';

export function rewardsPage(ctx: PageContext): Page {
  const lc = locale();
  const available = ctx.view.member.balance.available;
  const items = [...ctx.view.rewards].sort((a, b) => a.points - b.points);
  return {
    el: h(
      'div',
      { class: 'page' },
      h('h1', null, t('rewardsTitle')),
      h(
        'ul',
        { class: 'rewards', 'data-testid': 'rewards' },
        items.map((r) => {
          const ok = r.available;
          const missing = r.points - available;
          return h(
            'li',
            { class: `panel reward${ok ? ' reward-ok' : ''}`, 'data-testid': 'reward' },
            h('div', { class: 'reward-title' }, r.title),
            h('div', { class: 'reward-cost' }, t('rewardCost', { points: formatNumber(r.points, lc) })),
            ok || missing > 0
              ? h('div', { class: `reward-state ${ok ? 'ok' : ''}` }, ok ? t('rewardAvailable') : t('rewardMissing', { points: formatNumber(missing, lc) }))
              : null,
          );
        }),
      ),
    ),
  };
}
