// The dashboard: the program's figures and series for a period (and one location), drawn by our own SVG charts.
import { h, replace } from '../../../shared/dom.js';
import { dateFormat } from '../../../shared/format.js';
import { api, errorText } from '../api.js';
import { heatMap, seriesChart } from '../charts.js';
import type { Ctx } from '../context.js';
import { language, t } from '../i18n.js';
import { kt } from '../takingsText.js';
import { takingsSection, type TakingsSection } from '../takingsSection.js';
import { button, field, section, select, statusLine, table } from '../ui.js';

type Dashboard = Awaited<ReturnType<typeof api.admin.dashboard>>;

const PERIODS: [string, 'period7' | 'period30' | 'period90' | 'period365'][] = [['7', 'period7'], ['30', 'period30'], ['90', 'period90'], ['365', 'period365']];

/** YYYY-MM-DD plus `days` (calendar arithmetic, no time zone involved). */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export async function dashboardPage(main: HTMLElement, ctx: Ctx): Promise<void> {
  // The business's today comes from the server (its clock and time zone): the first answer's period ends there.
  let today: string | null = null;
  const period = select(PERIODS.map(([v, k]) => [v, t(k)]), '30', { name: 'period' });
  const location = select([['', t('allLocations')]], '', { name: 'location' });
  const body = h('div', { class: 'dash' });
  const status = statusLine();
  replace(main, h('h1', null, t('navDashboard')), h('div', { class: 'filters' }, field(t('period'), period), field(t('location'), location)), status.el, body);
  let knownLocations = false;
  let takings: TakingsSection | null = null;

  const load = async () => {
    const days = Number(period.value);
    status.busy(t('loading'));
    try {
      const range = today ? { from: addDays(today, -(days - 1)), to: today } : {};
      const d = await api.admin.dashboard({ ...range, bucket: days > 120 ? 'week' : 'day', ...(location.value ? { locationId: location.value } : {}) });
      today ??= d.period.to;
      status.clear();
      if (!knownLocations) {
        knownLocations = true;
        for (const l of d.perLocation) if (l.locationId) location.append(h('option', { value: l.locationId }, l.name ?? l.locationId));
        // The Takings section (total takings of every customer): the share of revenue from members is built on it.
        if (ctx.can('report.today')) {
          takings = takingsSection(ctx, today, d.perLocation.flatMap((l) => (l.locationId ? [{ id: l.locationId, name: l.name ?? l.locationId }] : [])), () => void load());
          main.append(takings.el);
        }
      }
      replace(body, ...render(d, ctx, () => takings?.focus()));
    } catch (e) {
      status.error(errorText(e));
    }
  };
  period.addEventListener('change', () => void load());
  location.addEventListener('change', () => void load());
  await load();
}

function figure(label: string, value: string, testid?: string): HTMLElement {
  return h('div', { class: 'figure', ...(testid ? { 'data-testid': testid } : {}) }, h('span', { class: 'label' }, label), h('strong', null, value));
}

/** Members' share of the takings, with the days it rests on; without takings, how to enter them. */
function shareFigure(d: Dashboard, ctx: Ctx, enterTakings: () => void): HTMLElement {
  const s = d.memberShare;
  const value = s.share === null ? '—' : `${Math.round(s.share * 1000) / 10} %`;
  const basis = s.daysWithTakings > 0
    ? h('small', { class: 'hint', 'data-testid': 'share-basis' }, kt('shareBasis', { n: s.daysWithTakings, days: s.days }))
    : h('small', { class: 'hint', 'data-testid': 'share-hint' }, kt('shareHint'), ' ', button(kt('shareHintButton'), enterTakings, { class: 'btn small' }));
  return h('div', { class: 'figure', 'data-testid': 'fig-member-share' }, h('span', { class: 'label' }, kt('figShare')), h('strong', null, value), basis);
}

function render(d: Dashboard, ctx: Ctx, enterTakings: () => void): HTMLElement[] {
  const f = d.figures;
  const short = dateFormat(language(), { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const labels = d.series.map((s) => short.format(new Date(`${s.bucket}T00:00:00Z`)));
  const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10} %`);
  const figures = h(
    'div',
    { class: 'figures' },
    figure(t('figMembers'), ctx.num(f.membersTotal), 'fig-members'),
    figure(t('figNewMembers'), ctx.num(d.totals.newMembers), 'fig-new'),
    figure(t('figActive30'), ctx.num(f.active30), 'fig-active30'),
    figure(t('figActive90'), ctx.num(f.active90), 'fig-active90'),
    figure(t('earned'), ctx.num(d.totals.earned), 'fig-earned'),
    figure(t('redeemed'), ctx.num(d.totals.redeemed), 'fig-redeemed'),
    figure(t('expired'), ctx.num(d.totals.expired), 'fig-expired'),
    figure(t('figOutstanding'), `${ctx.num(f.outstanding.points)} · ${ctx.money(f.outstanding.money)}`, 'fig-outstanding'),
    figure(t('figExpiring'), ctx.num(f.expiringIn30Days), 'fig-expiring'),
    figure(t('figRepeat'), pct(f.repeatPurchase.rate), 'fig-repeat'),
    figure(t('figRevenue'), ctx.money(d.totals.revenue), 'fig-revenue'),
    figure(t('figPurchases'), ctx.num(d.totals.purchases), 'fig-purchases'),
    shareFigure(d, ctx, enterTakings),
  );
  const num = (n: number) => ctx.num(n);
  const moneyShort = (n: number) => ctx.money(n);
  const weekdays = t('weekdays').split(',');
  return [
    figures,
    h(
      'div',
      { class: 'charts' },
      section(t('chartPoints'), seriesChart({ title: t('chartPoints'), kind: 'bar', labels, format: num, series: [
        { name: t('earned'), values: d.series.map((s) => s.earned), tone: 's1' },
        { name: t('redeemed'), values: d.series.map((s) => s.redeemed), tone: 's2' },
        { name: t('expired'), values: d.series.map((s) => s.expired), tone: 's3' },
      ] })),
      section(t('chartMembers'), seriesChart({ title: t('chartMembers'), kind: 'line', labels, format: num, series: [{ name: t('newMembers'), values: d.series.map((s) => s.newMembers), tone: 's1' }] })),
      section(t('chartRevenue'), seriesChart({ title: t('chartRevenue'), kind: 'line', labels, format: moneyShort, series: [{ name: t('revenue'), values: d.series.map((s) => s.revenue), tone: 's4' }] })),
      section(t('chartOpens'), heatMap({ title: t('chartOpens'), grid: d.cardOpens.byWeekdayHour, weekdays, format: num })),
    ),
    section(t('perLocation'), table(t('perLocation'), [t('colLocation'), t('colPurchases'), t('colRevenue'), t('colEarned')], d.perLocation.map((l) => [l.name ?? t('noLocation'), num(l.purchases), ctx.money(l.revenue), num(l.pointsEarned)]), { 'data-testid': 'per-location' })),
    section(t('perStaff'), table(t('perStaff'), [t('colStaff'), t('colRegistered'), t('colIssued')], d.perStaff.map((s) => [s.name, num(s.membersRegistered), num(s.pointsIssued)]), { 'data-testid': 'per-staff' })),
    h('p', { class: 'muted small' }, t('asOf', { time: ctx.when(d.asOf) })),
  ];
}
