// Broadcasts: the list with progress and reports; a new one with its segment, a count of who gets it, a control
// group and a time to send.
import { h, replace } from '../../../shared/dom.js';
import type { Broadcast, BroadcastCreate } from '../../../../src/client/index.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { t, tOr } from '../i18n.js';
import { parseMoney } from '../rules.js';
import { currencyDigits } from '../../../shared/format.js';
import { button, field, input, section, select, statusLine, table } from '../ui.js';

export async function broadcastsPage(main: HTMLElement, ctx: Ctx): Promise<void> {
  const listBox = h('div', null, t('loading'));
  replace(main, h('h1', null, t('navBroadcasts')), newBroadcastForm(ctx, () => void loadList()), section(t('broadcastsList'), listBox));

  async function loadList(): Promise<void> {
    try {
      const { items } = await api.broadcasts.list({ limit: 50 });
      replace(listBox, table(t('broadcastsList'), [t('bcName'), t('colStatus'), t('colWhen'), t('bcReport')], items.map((b) => [
        b.name,
        h('span', null, tOr(`status_${b.status}`, b.status), h('br'), sending(b) ? progressMeter(b) : null, h('small', { class: 'muted' }, progressText(b))),
        ctx.when(b.scheduledAt ?? b.createdAt),
        reportCell(b, ctx, () => void loadList()),
      ])));
      // While one is being planned or sent, the list refreshes itself so its progress moves (until the page is left).
      clearTimeout(refresh);
      if (items.some(sending)) refresh = setTimeout(() => void (listBox.isConnected ? loadList() : undefined), REFRESH_MS);
    } catch (e) {
      replace(listBox, h('p', { class: 'status error' }, errorText(e)));
    }
  }
  let refresh: ReturnType<typeof setTimeout> | undefined;
  await loadList();
}

const REFRESH_MS = 3000;
const sending = (b: Broadcast) => b.status === 'planning' || b.status === 'running';

/** Messages dealt with (sent, failed or skipped) of those planned, as a native progress bar (role progressbar). */
function progressMeter(b: Broadcast): HTMLElement {
  const p = b.progress;
  const done = p.sent + p.failed + p.skipped;
  return h('progress', { max: String(Math.max(p.planned, done, 1)), value: String(done), 'aria-label': progressText(b), 'data-testid': 'broadcast-progress' });
}

const progressText = (b: Broadcast) => t('bcProgress', { sent: b.progress.sent, planned: b.progress.planned, failed: b.progress.failed, pending: b.progress.pending });

function reportCell(b: Broadcast, ctx: Ctx, reload: () => void): HTMLElement {
  const box = h('div');
  const show = button(t('bcReport'), async () => {
    try {
      const r = await api.campaigns.report(b.id);
      const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10} %`);
      replace(box, h('small', null, t('bcReportText', { treated: pct(r.treated.returnRate), control: pct(r.control.returnRate), days: r.days, uplift: pct(r.returnRateUplift) })));
    } catch (e) {
      replace(box, h('small', { class: 'status error' }, errorText(e)));
    }
  }, { class: 'btn small' });
  box.append(show);
  if (b.status === 'scheduled' || b.status === 'running' || b.status === 'planning') {
    box.append(button(t('bcCancel'), async () => {
      try {
        await api.broadcasts.cancel(b.id);
        reload();
      } catch (e) {
        replace(box, h('small', { class: 'status error' }, errorText(e)));
      }
    }, { class: 'btn small danger' }));
  }
  void ctx;
  return box;
}

function newBroadcastForm(ctx: Ctx, created: () => void): HTMLElement {
  const name = input({ name: 'name', maxlength: 200 });
  const text = h('textarea', { name: 'text', rows: 4, maxlength: 4000, required: true });
  const before = input({ type: 'date', name: 'lastPurchaseBefore' });
  const spentMin = input({ name: 'totalSpentMin', inputmode: 'decimal' });
  const channel = select([['', t('any')], ['telegram', 'Telegram'], ['vk', 'VK'], ['sms', 'SMS'], ['email', 'E-mail']], '', { name: 'channel' });
  const control = input({ type: 'number', name: 'controlPercent', min: 0, max: 50, value: '10' });
  const when = input({ type: 'datetime-local', name: 'scheduledAt' });
  const status = statusLine();
  const preview = h('div', { class: 'preview', 'aria-live': 'polite', 'data-testid': 'broadcast-preview' });

  const segment = (): BroadcastCreate['segment'] => {
    const s: NonNullable<BroadcastCreate['segment']> = {};
    if (before.value) s.lastPurchaseBefore = before.value;
    const min = parseMoney(spentMin.value, currencyDigits(ctx.me.business.currency));
    if (spentMin.value.trim() && !Number.isNaN(min)) s.totalSpentMin = min;
    if (channel.value) s.channel = channel.value as 'telegram';
    return s;
  };
  const controlPercent = () => Math.max(0, Math.min(50, Math.round(Number(control.value) || 0)));

  const count = async () => {
    try {
      const p = await api.broadcasts.preview({ segment: segment(), controlPercent: controlPercent(), ...(text.value.trim() ? { text: text.value } : {}) });
      replace(preview, h('p', null, t('bcPreviewResult', { matched: ctx.num(p.matched), treated: ctx.num(p.expectedTreated), control: ctx.num(p.expectedControl), withoutConsent: ctx.num(p.withoutConsent) })), p.sample ? [h('p', { class: 'muted' }, t('bcSample')), h('blockquote', null, p.sample.text)] : null);
    } catch (e) {
      replace(preview, h('p', { class: 'status error' }, errorText(e)));
    }
  };

  const form = h(
    'form',
    { class: 'panel', 'aria-label': t('newBroadcast'), onsubmit: async (e: Event) => {
      e.preventDefault();
      if (!text.value.trim()) return status.error(t('fillFields'));
      status.busy(t('saving'));
      try {
        const at = when.value ? new Date(when.value).toISOString() : null;
        await api.broadcasts.create({ text: text.value, segment: segment(), controlPercent: controlPercent(), scheduledAt: at, ...(name.value.trim() ? { name: name.value.trim() } : {}) });
        status.ok(t('bcSent'));
        form.reset();
        replace(preview);
        created();
      } catch (err) {
        status.error(errorText(err));
      }
    } },
    h('h2', null, t('newBroadcast')),
    field(t('bcName'), name),
    field(t('bcText'), text, t('bcTextHint')),
    h('fieldset', null, h('legend', null, t('bcSegment')), h('div', { class: 'grid3' }, field(t('bcLastPurchaseBefore'), before), field(t('bcSpentMin'), spentMin), field(t('bcChannel'), channel))),
    h('div', { class: 'grid3' }, field(t('bcControl'), control), field(t('bcSchedule'), when)),
    h('div', { class: 'row' }, button(t('bcPreview'), () => void count()), h('button', { type: 'submit', class: 'btn primary' }, t('bcSend'))),
    preview,
    status.el,
  );
  return form;
}
