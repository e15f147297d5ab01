// Settings: customer tiers — rows (name, threshold in money, earn %, max redeem %) added, removed and moved, the
// spend window, every problem shown by its field while typing (thresholds going up, names unique), and per tier
// what a sample purchase earns in it ("from 10 000 ₽ within 365 days: a 1 000 ₽ purchase earns 70 points").
import { h } from '../../../shared/dom.js';
import { currencyDigits, formatMoney } from '../../../shared/format.js';
import type { Program } from '../../../../src/client/index.js';
import { api } from '../api.js';
import type { Ctx } from '../context.js';
import { language } from '../i18n.js';
import { parseMoney } from '../rules.js';
import { fieldE, rowList, sectionForm, st, type RowItem, type Slot } from '../settingsForm.js';
import { checkTiers, tierPreview, windowField, type Problem, type TierDraft, type TierValue } from '../settingsRules.js';
import { input } from '../ui.js';

const SAMPLE_MAJOR = 1000;

interface TierRow extends RowItem {
  read(): TierDraft;
  setId(id: string): void;
  preview: HTMLElement;
}

export function tiersSection(p: Program, ctx: Ctx): HTMLElement {
  const digits = currencyDigits(p.currency);
  const money = (minor: number) => formatMoney(minor, p.currency, language());
  const sample = SAMPLE_MAJOR * 10 ** digits;
  const windowDays = input({ type: 'number', name: 'tierWindowDays', min: 1, max: 3650, value: p.tierWindowDays === null ? '' : String(p.tierWindowDays), inputmode: 'numeric' });
  const windowField_ = fieldE(st('tierWindow'), windowDays);

  const makeRow = (t?: Program['tiers'][number]): TierRow => {
    const name = input({ name: 'tierName', maxlength: 40, value: t?.name ?? '', autocomplete: 'off' });
    const threshold = input({ name: 'tierThreshold', inputmode: 'decimal', value: t ? String(t.minTotalSpent / 10 ** digits) : '' });
    const earn = input({ name: 'tierEarn', inputmode: 'decimal', value: t ? String(t.earnPercent) : '' });
    const redeem = input({ name: 'tierRedeem', inputmode: 'decimal', value: t ? String(t.maxRedeemPercent) : '' });
    const f = { name: fieldE(st('tierName'), name), minTotalSpent: fieldE(st('tierThreshold'), threshold), earnPercent: fieldE(st('tierEarn'), earn), maxRedeemPercent: fieldE(st('tierRedeem'), redeem) };
    const preview = h('p', { class: 'preview tier-preview', 'aria-live': 'polite', 'data-testid': 'tier-preview' });
    let id = t?.id;
    return {
      el: h('div', null, h('div', { class: 'grid3' }, f.name.el, f.minTotalSpent.el, f.earnPercent.el, f.maxRedeemPercent.el), preview),
      slots: { name: f.name.slot, minTotalSpent: f.minTotalSpent.slot, earnPercent: f.earnPercent.slot, maxRedeemPercent: f.maxRedeemPercent.slot },
      preview,
      setId: (x) => (id = x),
      read: () => ({ ...(id ? { id } : {}), name: name.value, threshold: threshold.value, earnPercent: earn.value, maxRedeemPercent: redeem.value }),
    };
  };

  const updatePreviews = () => {
    const days = windowDays.value.trim();
    for (const row of list.rows()) {
      const d = row.read();
      const r = tierPreview(d, p, sample);
      const threshold = parseMoney(d.threshold, digits);
      if (!r || Number.isNaN(threshold)) {
        row.preview.textContent = st('tierPreviewInvalid');
        continue;
      }
      const vars = { threshold: money(threshold), days, amount: money(r.amount), earn: ctx.num(r.earnPoints), redeem: money(r.maxRedeemMoney), pointsName: p.pointsName };
      row.preview.textContent = st(days ? 'tierPreviewWindow' : 'tierPreviewAllTime', vars);
    }
  };

  const list = rowList<TierRow>({
    legend: (n) => st('tier', { n }),
    empty: st('tiersNone'),
    addLabel: st('addTier'),
    max: 20,
    make: () => makeRow(),
    changed: (kind) => {
      updatePreviews();
      if (kind !== 'add') check();
    },
    testid: 'tier-rows',
  }, p.tiers.map((t) => makeRow(t)));

  const build = (): { tiers: TierValue[]; tierWindowDays: number | null } | Problem[] => {
    const problems: Problem[] = [];
    const w = windowField(problems, windowDays.value);
    const r = checkTiers(list.rows().map((row) => row.read()), digits);
    problems.push(...r.problems);
    return problems.length ? problems : { tiers: r.tiers, tierWindowDays: w };
  };
  const slots = () => {
    const m: Map<string, Slot> = list.slots('tiers');
    m.set('tierWindowDays', windowField_.slot);
    return m;
  };
  const { form, showProblems } = sectionForm({
    title: st('tiersTitle'),
    testid: 'tiers',
    hint: st('tiersHint'),
    body: [list.el, h('div', { class: 'grid3' }, windowField_.el)],
    slots,
    build,
    send: (c) => api.program.update(c),
    // New tiers get their ids from the server: saving again keeps them.
    after: (np) => list.rows().forEach((row, i) => np.tiers[i] && row.setId(np.tiers[i].id)),
    live: true,
  });
  /** After rows move or go, the problems follow them. */
  const check = () => {
    const r = build();
    showProblems(Array.isArray(r) ? r.map((x) => ({ path: x.path, text: st(x.key, x.vars ?? {}) })) : []);
  };
  form.addEventListener('input', updatePreviews);
  updatePreviews();
  return form;
}
