// Customers: search by anything, phone, last 4 digits, card or name; or the list with filters (tier, last purchase,
// points range, birthday month, marketing consent, reachable channel) and sort, a page at a time. The search and the
// filters live in the address (?tier=…&idle=30…), so a reload or a shared link shows the same list.
import { h, replace } from '../../../shared/dom.js';
import type { Member } from '../../../../src/client/index.js';
import type { MemberListItem, MemberListQuery } from '../../../../src/client/adminReads.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { ct } from '../customersText.js';
import { t } from '../i18n.js';
import { pathOf } from '../nav.js';
import { button, field, input, select, statusLine, table } from '../ui.js';

type Row = Pick<MemberListItem, 'id' | 'name' | 'phone' | 'cardNumber' | 'balance' | 'totalSpent' | 'blocked' | 'tier'> & { lastPurchaseAt?: string | null };
type SearchBy = 'any' | 'phone' | 'last4' | 'card' | 'name';

/** The member last opened from the list (sessionStorage): their page's "Back" goes back to the list as it was. */
export const FROM_LIST = 'kopilka.customers.opened';

/** The address's parameter for each control. */
const PARAMS = ['q', 'by', 'sort', 'order', 'tier', 'from', 'before', 'idle', 'bmin', 'bmax', 'bday', 'mk', 'ch'] as const;
type Param = (typeof PARAMS)[number];

/** Today in the business's time zone, YYYY-MM-DD. */
const today = (timeZone: string): string => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const daysBefore = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/** The list's query from the filters' values (what the address holds). */
export function listQuery(v: Partial<Record<Param, string>>, timeZone: string): MemberListQuery {
  const query: MemberListQuery = { sort: (v.sort || 'created') as MemberListQuery['sort'], order: (v.order || 'desc') as 'asc' | 'desc', limit: 50 };
  if (v.tier) query.tier = v.tier;
  if (v.from) query.lastPurchaseAfter = v.from;
  let before = v.before || undefined;
  const idle = Number(v.idle);
  if (v.idle && Number.isInteger(idle) && idle > 0) {
    // "No purchase in the last N days": the last one was before the day N days ago (and the earlier of the two limits wins).
    const cut = daysBefore(today(timeZone), idle - 1);
    before = before && before < cut ? before : cut;
  }
  if (before) query.lastPurchaseBefore = before;
  if (v.bmin) query.balanceMin = Number(v.bmin);
  if (v.bmax) query.balanceMax = Number(v.bmax);
  if (v.bday) query.birthdayMonth = Number(v.bday);
  if (v.mk) query.marketing = v.mk === 'true';
  if (v.ch) query.channel = v.ch as MemberListQuery['channel'];
  return query;
}

export async function customersPage(main: HTMLElement, ctx: Ctx): Promise<void> {
  const from = new URLSearchParams(location.search);
  const got = (p: Param) => from.get(p) ?? '';
  const q = input({ type: 'search', name: 'q', placeholder: t('searchPlaceholder'), value: got('q') });
  const by = select([['any', ct('byAny')], ['phone', ct('byPhone')], ['last4', ct('byLast4')], ['card', ct('byCard')], ['name', ct('byName')]], got('by') || 'any', { name: 'by' });
  const sort = select([['created', t('sortCreated')], ['lastPurchase', t('sortLastPurchase')], ['balance', t('sortBalance')], ['totalSpent', t('sortTotalSpent')], ['name', t('sortName')]], got('sort') || 'created', { name: 'sort' });
  const order = select([['desc', t('orderDesc')], ['asc', t('orderAsc')]], got('order') || 'desc', { name: 'order' });
  const tier = select([['', ct('anyTier')], ['none', ct('noTier')]], '', { name: 'tier' });
  const boughtFrom = input({ type: 'date', name: 'from', value: got('from') });
  const boughtBefore = input({ type: 'date', name: 'before', value: got('before') });
  const idle = input({ type: 'number', name: 'idle', min: 1, max: 3650, step: 1, inputmode: 'numeric', value: got('idle') });
  const balanceMin = input({ type: 'number', name: 'balanceMin', min: 0, step: 1, inputmode: 'numeric', value: got('bmin') });
  const balanceMax = input({ type: 'number', name: 'balanceMax', min: 0, step: 1, inputmode: 'numeric', value: got('bmax') });
  const months = Array.from({ length: 12 }, (_, i) => [String(i + 1), new Intl.DateTimeFormat(document.documentElement.lang, { month: 'long' }).format(new Date(2000, i, 1))] as [string, string]);
  const birthday = select([['', t('anyMonth')], ...months], got('bday'), { name: 'birthdayMonth' });
  const marketing = select([['', t('any')], ['true', t('yes')], ['false', t('no')]], got('mk'), { name: 'marketing' });
  const channel = select([['', ct('anyChannel')], ...(['telegram', 'vk', 'sms', 'email'] as const).map((c) => [c, ct(`ch_${c}`)] as [string, string])], got('ch'), { name: 'channel' });
  const controls: Record<Param, HTMLInputElement | HTMLSelectElement> = { q, by, sort, order, tier, from: boughtFrom, before: boughtBefore, idle, bmin: balanceMin, bmax: balanceMax, bday: birthday, mk: marketing, ch: channel };
  const status = statusLine();
  const count = h('p', { class: 'muted', 'data-testid': 'members-count' });
  const list = h('div', { 'data-testid': 'members' });
  const more = button(t('more'), () => void load(true), { hidden: true });
  let cursor: string | null = null;
  let rows: Row[] = [];

  // The program's tiers for the tier filter (its id in the address); the list waits for them, so the address's tier applies.
  try {
    for (const x of (await api.program.get()).tiers) tier.append(h('option', { value: x.id }, x.name));
  } catch {
    // no tiers to offer: the filter keeps "any" and "no tier"
  }
  tier.value = got('tier');

  const values = (): Partial<Record<Param, string>> => Object.fromEntries(PARAMS.map((p) => [p, controls[p].value.trim()]));
  const remember = () => {
    const v = values();
    const keep = new URLSearchParams(location.search);
    for (const p of PARAMS) {
      const dflt = p === 'by' ? 'any' : p === 'sort' ? 'created' : p === 'order' ? 'desc' : '';
      if (v[p] && v[p] !== dflt) keep.set(p, v[p]);
      else keep.delete(p);
    }
    const search = keep.toString();
    history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
  };

  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('navCustomers'), onsubmit: (e: Event) => {
      e.preventDefault();
      void load(false);
    } },
    field(t('search'), q, ct('searchHint')),
    field(ct('searchBy'), by),
    field(t('sort'), sort),
    field(t('order'), order),
    field(ct('tier'), tier),
    field(ct('boughtFrom'), boughtFrom),
    field(ct('boughtBefore'), boughtBefore),
    field(ct('idleDays'), idle, ct('idleHint')),
    field(ct('balanceFrom'), balanceMin),
    field(ct('balanceTo'), balanceMax),
    field(t('birthdayMonth'), birthday),
    field(ct('consent'), marketing),
    field(ct('channel'), channel),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn primary' }, t('apply')),
      button(ct('reset'), () => {
        for (const p of PARAMS) controls[p].value = p === 'by' ? 'any' : p === 'sort' ? 'created' : p === 'order' ? 'desc' : '';
        void load(false);
      })),
  );
  replace(main, h('h1', null, t('navCustomers')), form, status.el, count, list, more);

  const draw = () => {
    count.textContent = cursor ? '' : ct('found', { n: rows.length });
    replace(list, table(t('navCustomers'), [t('colName'), t('colPhone'), t('colCard'), ct('colTier'), t('colBalance'), t('colSpent'), t('colLastPurchase')], rows.map((m) => [
      h('a', { href: pathOf('member', { id: m.id }), 'data-member': m.id, onclick: (e: Event) => {
        e.preventDefault();
        // "Back" on the member page returns to this very list (its filters are in the address).
        sessionStorage.setItem(FROM_LIST, m.id);
        ctx.go('member', { id: m.id });
      } }, m.name ?? t('noName'), m.blocked ? h('span', { class: 'badge' }, ` ${t('blocked')}`) : null),
      m.phone,
      m.cardNumber,
      m.tier?.name ?? '—',
      ctx.num(m.balance.available),
      ctx.money(m.totalSpent),
      m.lastPurchaseAt === undefined ? '' : ctx.when(m.lastPurchaseAt),
    ])));
    if (!rows.length) replace(list, h('p', { class: 'muted' }, t('nothingFound')));
  };

  async function search(text: string, how: SearchBy): Promise<Member[] | null> {
    if (how === 'last4') {
      const digits = text.replace(/\D/g, '');
      if (!/^\d{4}$/.test(digits)) {
        status.error(ct('last4Invalid'));
        return null;
      }
      return api.members.find({ last4: digits });
    }
    if (how === 'phone') return api.members.find({ phone: text });
    if (how === 'card') return api.members.find({ card: text.replace(/\s/g, '') });
    // By name, or anything (name, phone, card): the text search.
    return api.members.find({ q: text });
  }

  async function load(next: boolean): Promise<void> {
    remember();
    if (balanceMin.value && balanceMax.value && Number(balanceMin.value) > Number(balanceMax.value)) return status.error(ct('rangeInvalid'));
    status.busy(t('loading'));
    try {
      const text = q.value.trim();
      if (text) {
        const found = await search(text, by.value as SearchBy);
        if (found === null) return;
        rows = found;
        cursor = null;
      } else {
        const query = listQuery(values(), ctx.me.business.timezone);
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
