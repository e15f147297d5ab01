// Data: exports as download links (the session cookie goes with them), an import of customers checked first (a dry
// run listing every bad row), and backups (./backups.ts).
import { h, replace } from '../../../shared/dom.js';
import type { ImportDryRun } from '../../../../src/client/index.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { language, t } from '../i18n.js';
import { button, field, input, section, statusLine, table } from '../ui.js';
import { backupsSection } from './backups.js';

export function dataPage(main: HTMLElement, ctx: Ctx): void {
  const lang = language();
  const link = (what: 'members' | 'transactions', format: 'csv' | 'xlsx') =>
    h('a', { class: 'btn', href: api.exports.url(what, format, { lang }), download: '', 'data-testid': `export-${what}-${format}` }, format.toUpperCase());
  const exports = section(t('exportsTitle'), h('ul', { class: 'plain' },
    h('li', null, h('span', null, t('exportMembers')), ' ', link('members', 'csv'), ' ', link('members', 'xlsx')),
    h('li', null, h('span', null, t('exportTransactions')), ' ', link('transactions', 'csv'), ' ', link('transactions', 'xlsx'))));
  replace(main, h('h1', null, t('navData')), exports, ctx.can('points.bulk') ? importSection(ctx) : null, backupsSection(ctx));
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function importSection(ctx: Ctx): HTMLElement {
  const file = input({ type: 'file', name: 'file', accept: '.csv,.xlsx,text/csv', 'data-testid': 'import-file' });
  const phone = input({ name: 'phoneColumn', value: 'phone' });
  const name = input({ name: 'nameColumn', value: 'name' });
  const balance = input({ name: 'balanceColumn', value: 'balance' });
  const status = statusLine();
  const result = h('div', { 'data-testid': 'import-result' });
  const run = button(t('importRun'), () => void go(false), { class: 'btn primary', disabled: true });

  const request = async () => {
    const f = file.files?.[0];
    if (!f || !phone.value.trim()) return null;
    const mapping: { phone: string; name?: string; balance?: string } = { phone: phone.value.trim() };
    if (name.value.trim()) mapping.name = name.value.trim();
    if (balance.value.trim()) mapping.balance = balance.value.trim();
    return { fileName: f.name, contentBase64: toBase64(new Uint8Array(await f.arrayBuffer())), mapping, expiresOn: null };
  };

  async function go(dry: boolean): Promise<void> {
    const req = await request();
    if (!req) return status.error(t('fillFields'));
    status.busy(t('loading'));
    try {
      if (dry) {
        const r = await api.imports.dryRun(req);
        showDryRun(r);
        run.disabled = r.totals.bad > 0;
        status.clear();
      } else {
        const r = await api.imports.run(req);
        replace(result);
        status.ok(t('importDone', { created: ctx.num(r.totals.newMembers), updated: ctx.num(r.totals.matchedMembers), points: ctx.num(r.totals.points) }));
        run.disabled = true;
      }
    } catch (e) {
      status.error(errorText(e));
    }
  }

  function showDryRun(r: ImportDryRun): void {
    const bad = r.rows.filter((x) => x.status === 'bad');
    replace(result,
      h('p', { class: bad.length ? 'status error' : 'status ok' }, bad.length ? t('importBad', { bad: r.totals.bad, rows: r.totals.rows }) : t('importOk', { rows: r.totals.rows })),
      bad.length ? table(t('importTitle'), [t('colRow'), t('colPhone'), t('colName'), t('colProblem')], bad.map((x) => [String(x.row), x.phone ?? '', x.name ?? '', x.problems.map((p) => p.message).join('; ')])) : null);
  }
  file.addEventListener('change', () => {
    run.disabled = true;
    replace(result);
  });
  return section(t('importTitle'),
    h('div', { class: 'grid3' }, field(t('importFile'), file), field(t('importPhoneCol'), phone), field(t('importNameCol'), name), field(t('importBalanceCol'), balance)),
    h('div', { class: 'row' }, button(t('importDryRun'), () => void go(true)), run),
    status.el,
    result);
}
