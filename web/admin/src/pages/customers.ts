// Customers: search by name, phone or card; or the list with filters and sort, a page at a time.
import { h, replace } from '../../../shared/dom.js';
import type { MemberListItem, MemberListQuery } from '../../../../src/client/adminReads.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { t } from '../i18n.js';
import { pathOf } from '../nav.js';
import { button, field, input, select, statusLine, table } from '../ui.js';

type Row = Pick<MemberListItem, 'id' | 'name' | 'phone' | 'cardNumber' | 'balance' | 'totalSpent' | 'blocked'> & { lastPurchaseAt?: string | null };

export async function customersPage(main: HTMLElement, ctx: Ctx): Promise<void> {
  const q = input({ type: 'search', name: 'q', placeholder: t('searchPlaceholder') });
  const sort = select([['created', t('sortCreated')], ['lastPurchase', t('sortLastPurchase')], ['balance', t('sortBalance')], ['totalSpent', t('sortTotalSpent')], ['name', t('sortName')]], 'created', { name: 'sort' });
  const order = select([['desc', t('orderDesc')], ['asc', t('orderAsc')]], 'desc', { name: 'order' });
  const balanceMin = input({ type: 'number', name: 'balanceMin', min: 0, inputmode: 'numeric' });
  const months = Array.from({ length: 12 }, (_, i) => [String(i + 1), new Intl.DateTimeFormat(document.documentElement.lang, { month: 'long' }).format(new Date(2000, i, 1))] as [string, string]);
  const birthday = select([['', t('anyMonth')], ...months], '', { name: 'birthdayMonth' });
  const marketing = select([['', t('any')], ['true', t('yes')], ['false', t('no')]], '', { name: 'marketing' });
  const status = statusLine();
  const list = h('div', { 'data-testid': 'members' });
  const more = button(t('more'), () => void load(true), { hidden: true });
  let cursor: string | null = null;
  let rows: Row[] = [];

  const form = h(
    'form',
    { class: 'filters', role: 'search', onsubmit: (e: Event) => {
      e.preventDefault();
      void load(false);
    } },
    field(t('search'), q),
    field(t('sort'), sort),
    field(t('order'), order),
    field(t('balanceMin'), balanceMin),
    field(t('birthdayMonth'), birthday),
    field(t('marketing'), marketing),
    h('button', { type: 'submit', class: 'btn primary' }, t('apply')),
  );
  replace(main, h('h1', null, t('navCustomers')), form, status.el, list, more);

  const draw = () => {
    replace(list, table(t('navCustomers'), [t('colName'), t('colPhone'), t('colCard'), t('colBalance'), t('colSpent'), t('colLastPurchase')], rows.map((m) => [
      h('a', { href: pathOf('member', { id: m.id }), onclick: (e: Event) => {
        e.preventDefault();
        ctx.go('member', { id: m.id });
      } }, m.name ?? t('noName'), m.blocked ? h('span', { class: 'badge' }, ` ${t('blocked')}`) : null),
      m.phone,
      m.cardNumber,
      ctx.num(m.balance.available),
      ctx.money(m.totalSpent),
      m.lastPurchaseAt === undefined ? '' : ctx.when(m.lastPurchaseAt),
    ])));
    if (!rows.length) replace(list, h('p', { class: 'muted' }, t('nothingFound')));
  };

  async function load(next: boolean): Promise<void> {
    status.busy(t('loading'));
    try {
      const text = q.value.trim();
      if (text) {
        rows = await api.members.find({ q: text });
        cursor = null;
      } else {
        const query: MemberListQuery = { sort: sort.value as MemberListQuery['sort'], order: order.value as 'asc' | 'desc', limit: 50 };
        if (balanceMin.value) query.balanceMin = Number(balanceMin.value);
        if (birthday.value) query.birthdayMonth = Number(birthday.value);
        if (marketing.value) query.marketing = marketing.value === 'true';
        if (next && cursor) query.cursor = cursor;
        const page = await api.admin.members.list(query);
        rows = next ? [...rows, ...page.items] : page.items;
        cursor = page.nextCursor;
      }
      status.clear();
      more.hidden = !cursor;
      draw();
    } catch (e) {
      status.error(errorText(e));
    }
  }
  await load(false);
}
