// The dashboard's Takings section: the business's total takings of a day (all customers, from the till's Z-report),
// entered or corrected per location (or for the whole business when it has no locations), and the last 30 days at a
// glance with an Edit button per day. Saving tells the dashboard, which reloads its share of revenue from members.
import { h, replace } from '../../shared/dom.js';
import { currencyDigits, dateFormat } from '../../shared/format.js';
import { api, errorText } from './api.js';
import type { Ctx } from './context.js';
import { language } from './i18n.js';
import { parseMoney } from './rules.js';
import { kt } from './takingsText.js';
import { button, field, input, section, select, statusLine, table } from './ui.js';

type Location = { id: string; name: string };

/** YYYY-MM-DD plus `days` (calendar arithmetic, no time zone involved). */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface TakingsSection {
  el: HTMLElement;
  /** Moves the keyboard to the form (the share figure's hint button). */
  focus(): void;
}

export function takingsSection(ctx: Ctx, today: string, locations: Location[], onSaved: () => void): TakingsSection {
  const currency = ctx.me.business.currency;
  const digits = currencyDigits(currency);
  const day = input({ type: 'date', name: 'takingsDay', value: today, max: today, min: addDays(today, -400), required: true, 'data-testid': 'takings-day' });
  const where = locations.length > 0 ? select(locations.map((l) => [l.id, l.name]), locations[0]!.id, { name: 'takingsLocation', 'data-testid': 'takings-location' }) : null;
  const amount = input({ name: 'takingsAmount', inputmode: 'decimal', autocomplete: 'off', required: true, 'data-testid': 'takings-amount' });
  const status = statusLine();
  const list = h('div', { 'data-testid': 'takings-list' });
  const long = dateFormat(language(), { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  const dayLabel = (d: string) => long.format(new Date(`${d}T00:00:00Z`));
  const locationName = (id: string | null) => (id === null ? kt('wholeBusiness') : (locations.find((l) => l.id === id)?.name ?? id));
  let rows: Awaited<ReturnType<typeof api.revenue.list>>['items'] = [];

  const fillAmount = () => {
    const r = rows.find((x) => x.day === day.value && x.locationId === (where ? where.value : null));
    amount.value = r ? String(r.amount / 10 ** digits).replace('.', language() === 'ru' ? ',' : '.') : '';
  };

  const renderList = () => {
    const cols = locations.length > 0 ? locations : [{ id: null as string | null, name: kt('wholeBusiness') }];
    const days = Array.from({ length: 30 }, (_, i) => addDays(today, -i));
    const cell = (d: string, id: string | null) => {
      const r = rows.find((x) => x.day === d && x.locationId === id);
      return r ? ctx.money(r.amount) : h('span', { class: 'muted' }, kt('notEntered'));
    };
    const body = days.map((d) => {
      const entered = rows.filter((x) => x.day === d);
      const total = entered.reduce((s, x) => s + x.amount, 0);
      const edit = button(kt('edit'), () => {
        day.value = d;
        fillAmount();
        amount.focus();
      }, { class: 'btn small', 'aria-label': kt('editLabel', { day: dayLabel(d) }) });
      return [dayLabel(d), ...cols.map((c) => cell(d, c.id)), ...(cols.length > 1 ? [entered.length ? ctx.money(total) : '—'] : []), edit];
    });
    replace(list, table(kt('listTitle'), [kt('colDay'), ...cols.map((c) => c.name), ...(cols.length > 1 ? [kt('colTotal')] : []), ''], body));
  };

  const load = async () => {
    try {
      rows = (await api.revenue.list({ from: addDays(today, -29), to: today })).items;
      renderList();
      fillAmount();
    } catch (e) {
      status.error(errorText(e));
    }
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const minor = parseMoney(amount.value, digits);
    if (!day.value || day.value > today) {
      status.error(kt('badDay'));
      day.focus();
      return;
    }
    if (!Number.isSafeInteger(minor) || minor < 0) {
      status.error(kt('badAmount'));
      amount.setAttribute('aria-invalid', 'true');
      amount.focus();
      return;
    }
    amount.removeAttribute('aria-invalid');
    status.busy(kt('saving'));
    try {
      const r = await api.revenue.set(day.value, { amount: minor, ...(where ? { locationId: where.value } : {}) });
      status.ok(kt(r.changed ? 'saved' : 'unchanged', { day: dayLabel(r.day), location: locationName(r.locationId), amount: ctx.money(r.amount) }));
      await load();
      if (r.changed) onSaved();
    } catch (err) {
      status.error(errorText(err));
    }
  };

  day.addEventListener('change', fillAmount);
  where?.addEventListener('change', fillAmount);
  const form = h(
    'form',
    { class: 'filters takings-form', 'data-testid': 'takings-form', onsubmit: (e: Event) => void save(e) },
    field(kt('day'), day),
    ...(where ? [field(kt('location'), where)] : []),
    field(kt('amount', { currency }), amount, kt('amountHint')),
    h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'takings-save' }, kt('save')),
  );
  const el = section(kt('title'), h('p', { class: 'muted small' }, kt('intro')), form, status.el, list);
  el.id = 'takings';
  el.setAttribute('data-testid', 'takings');
  void load();
  return { el, focus: () => day.focus() };
}
