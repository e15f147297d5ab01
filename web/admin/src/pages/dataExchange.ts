// The Data page's exports and import, each with its progress while it runs. Exports stay plain download links (the
// browser streams the file to disk, so a million rows never sit in the page's memory); each click sends a new
// progressId and the page polls it: rows written of rows in all, and bytes. The import is checked first (a dry run
// listing every bad row), and both the check and the import show rows done of the file's rows while the request runs.
import { h, replace } from '../../../shared/dom.js';
import type { ImportDryRun, ImportRequest, WorkProgress } from '../../../../src/client/index.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { language, t } from '../i18n.js';
import { dt, newProgressId, pollProgress, progressBar, sizeText } from '../progressBar.js';
import { button, field, input, section, statusLine, table } from '../ui.js';

/** How long a clicked export may take to show its first progress before the page says it did not start. */
const EXPORT_START_MS = 30_000;

export function exportsSection(ctx: Ctx): HTMLElement {
  const lang = language();
  const item = (what: 'members' | 'transactions', label: string) => {
    const bar = progressBar(`${dt('exportingRows')}: ${label}`, `export-progress-${what}`);
    const status = statusLine();
    let watching: { stop(): Promise<WorkProgress | null> } | null = null;
    const link = (format: 'csv' | 'xlsx') => {
      const a = h('a', { class: 'btn', href: api.exports.url(what, format, { lang }), download: '', 'data-testid': `export-${what}-${format}` }, format.toUpperCase());
      // A new id per click, set on the link before the browser follows it.
      a.addEventListener('click', () => {
        const id = newProgressId();
        a.href = api.exports.url(what, format, { lang, progressId: id });
        void watching?.stop();
        status.clear();
        bar.show(null);
        const started = Date.now();
        const w = pollProgress(id, (p) => {
          if (w !== watching) return;
          if (p === null) {
            if (Date.now() - started > EXPORT_START_MS) {
              void w.stop();
              bar.hide();
              status.error(dt('exportNoStart'));
            }
            return;
          }
          bar.show(p);
          if (p.state === 'done') status.ok(dt('exportDone', { rows: ctx.num(p.done), size: sizeText(p.bytes) }));
          if (p.state === 'failed') status.error(dt('exportFailed', { error: p.error ?? '' }));
        });
        watching = w;
      });
      return a;
    };
    return h('li', null, h('span', null, label), ' ', link('csv'), ' ', link('xlsx'), bar.el, status.el);
  };
  return section(t('exportsTitle'), h('ul', { class: 'plain' }, item('members', t('exportMembers')), item('transactions', t('exportTransactions'))));
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function importSection(ctx: Ctx): HTMLElement {
  const file = input({ type: 'file', name: 'file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'data-testid': 'import-file' });
  const phone = input({ name: 'phoneColumn', value: 'phone' });
  const name = input({ name: 'nameColumn', value: 'name' });
  const balance = input({ name: 'balanceColumn', value: 'balance' });
  const expires = input({ type: 'date', name: 'expiresOn', 'data-testid': 'import-expires' });
  const status = statusLine();
  const result = h('div', { 'data-testid': 'import-result' });
  const checking = progressBar(dt('checkingRows'), 'import-check-progress');
  const importing = progressBar(dt('importingRows'), 'import-progress');
  const check = button(t('importDryRun'), () => void go(true), { 'data-testid': 'import-check' });
  const run = button(t('importRun'), () => void go(false), { class: 'btn primary', disabled: true, 'data-testid': 'import-run' });
  let busy = false;

  const request = async (): Promise<ImportRequest | null> => {
    const f = file.files?.[0];
    if (!f || !phone.value.trim()) return null;
    const mapping: ImportRequest['mapping'] = { phone: phone.value.trim() };
    if (name.value.trim()) mapping.name = name.value.trim();
    if (balance.value.trim()) mapping.balance = balance.value.trim();
    return { fileName: f.name, contentBase64: toBase64(new Uint8Array(await f.arrayBuffer())), mapping, expiresOn: expires.value || null };
  };

  async function go(dry: boolean): Promise<void> {
    if (busy) return;
    const req = await request();
    if (!req) return status.error(t('fillFields'));
    busy = true;
    check.disabled = true;
    run.disabled = true;
    const bar = dry ? checking : importing;
    checking.hide();
    importing.hide();
    bar.show(null);
    status.busy(t('loading'));
    const progressId = newProgressId();
    const watch = pollProgress(progressId, (p) => bar.show(p));
    let ok = false;
    // What to say once the bar shows where the work ended.
    let say: () => void;
    try {
      if (dry) {
        const r = await api.imports.dryRun({ ...req, progressId });
        ok = r.totals.bad === 0;
        say = () => {
          showDryRun(r);
          status.clear();
        };
      } else {
        const r = await api.imports.run({ ...req, progressId });
        say = () => {
          replace(result);
          if (r.replayed) status.ok(dt('importReplayed'));
          else status.ok(t('importDone', { created: ctx.num(r.totals.newMembers), updated: ctx.num(r.totals.matchedMembers), points: ctx.num(r.totals.points) }));
        };
      }
    } catch (e) {
      say = () => status.error(errorText(e));
    }
    const last = await watch.stop();
    if (last) bar.show(last);
    else bar.hide();
    say();
    busy = false;
    check.disabled = false;
    // The import button opens only after a clean check of this very file and mapping.
    run.disabled = !(dry && ok);
  }

  function showDryRun(r: ImportDryRun): void {
    const bad = r.rows.filter((x) => x.status === 'bad');
    replace(result,
      // A file imported before: its rows are members now, which is no fault of the file.
      r.alreadyImportedAs
        ? h('p', { class: 'status ok' }, dt('importAlready'))
        : h('p', { class: bad.length ? 'status error' : 'status ok' }, bad.length ? t('importBad', { bad: ctx.num(r.totals.bad), rows: ctx.num(r.totals.rows) }) : t('importOk', { rows: ctx.num(r.totals.rows) })),
      // Every bad row, in a box of its own height that scrolls (a file may have thousands).
      bad.length ? h('div', { class: 'import-bad' }, table(t('importTitle'), [t('colRow'), t('colPhone'), t('colName'), t('colProblem')], bad.map((x) => [String(x.row), x.phone ?? '', x.name ?? '', x.problems.map((p) => p.message).join('; ')]), { 'data-testid': 'import-bad-rows' })) : null);
  }
  // Any change to what would be imported closes the import button until it is checked again.
  const changed = () => {
    run.disabled = true;
    replace(result);
    checking.hide();
    importing.hide();
  };
  for (const el of [file, phone, name, balance, expires]) el.addEventListener('change', changed);
  for (const el of [phone, name, balance]) el.addEventListener('input', changed);
  return section(t('importTitle'),
    h('div', { class: 'grid3' }, field(dt('importFileAny'), file), field(t('importPhoneCol'), phone), field(t('importNameCol'), name), field(t('importBalanceCol'), balance), field(dt('importExpiresOn'), expires, dt('importExpiresHint'))),
    h('div', { class: 'row' }, check, run),
    checking.el,
    importing.el,
    status.el,
    result);
}
