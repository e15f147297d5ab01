// The Data page's exports and import, each with its progress while it runs. Exports stay plain download links (the
// browser streams the file to disk, so a million rows never sit in the page's memory); each click sends a new
// progressId and the page polls it: rows written of rows in all, and bytes. A chosen import file is read at once
// (POST /imports/inspect): its first rows and one select per field, pre-set from the columns' names. The import is
// checked first (a dry run listing every bad row) with the chosen columns, and both the check and the import show rows
// done of the file's rows while the request runs.
import { h, replace } from '../../../shared/dom.js';
import type { ImportDryRun, ImportRequest, WorkProgress } from '../../../../src/client/index.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { language, t } from '../i18n.js';
import { dt, newProgressId, pollProgress, progressBar, sizeText } from '../progressBar.js';
import { button, field, input, section, select, statusLine, table } from '../ui.js';
import '../importMapping.css';

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

type Field = keyof ImportRequest['mapping'];
/** The import's fields in the form's order; phone is required. */
const FIELDS: readonly Field[] = ['phone', 'name', 'balance', 'birthday', 'email', 'card', 'externalId'];
const FIELD_LABEL: Record<Field, Parameters<typeof dt>[0]> = {
  phone: 'fieldPhone', name: 'fieldName', balance: 'fieldBalance', birthday: 'fieldBirthday', email: 'fieldEmail', card: 'fieldCard', externalId: 'fieldExternalId',
};

export function importSection(ctx: Ctx): HTMLElement {
  const file = input({ type: 'file', name: 'file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'data-testid': 'import-file' });
  const expires = input({ type: 'date', name: 'expiresOn', 'data-testid': 'import-expires' });
  const status = statusLine();
  const result = h('div', { 'data-testid': 'import-result' });
  // Filled once the file is read: which column is which (one select per field) and the file's first rows.
  const mapping = h('div', { 'data-testid': 'import-mapping' });
  const preview = h('div', { class: 'import-preview', 'data-testid': 'import-preview' });
  const checking = progressBar(dt('checkingRows'), 'import-check-progress');
  const importing = progressBar(dt('importingRows'), 'import-progress');
  const check = button(t('importDryRun'), () => void go(true), { 'data-testid': 'import-check' });
  const run = button(t('importRun'), () => void go(false), { class: 'btn primary', disabled: true, 'data-testid': 'import-run' });
  let busy = false;
  /** The chosen file as read and inspected; null until then (or when it could not be read). */
  let inspected: { fileName: string; contentBase64: string; selects: Record<Field, HTMLSelectElement> } | null = null;
  let reading: Promise<void> | null = null;
  let readSeq = 0;

  // Any change to what would be imported closes the import button until it is checked again.
  const changed = () => {
    run.disabled = true;
    replace(result);
    checking.hide();
    importing.hide();
  };

  async function inspect(): Promise<void> {
    const seq = ++readSeq;
    inspected = null;
    replace(mapping);
    replace(preview);
    const f = file.files?.[0];
    if (!f) return;
    status.busy(dt('readingFile'));
    try {
      const contentBase64 = toBase64(new Uint8Array(await f.arrayBuffer()));
      const r = await api.imports.inspect({ fileName: f.name, contentBase64 });
      if (seq !== readSeq) return; // another file was chosen meanwhile
      // A column name the import can find: not empty, and the first of the same name (as the import matches names).
      const seen = new Set<string>();
      const columns = r.columns.filter((c) => {
        const key = c.trim().toLowerCase();
        if (key === '' || seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const options: [string, string][] = [['', dt('notImported')], ...columns.map((c): [string, string] => [c, c])];
      const selects = {} as Record<Field, HTMLSelectElement>;
      const fields = FIELDS.map((key) => {
        const el = select(options, r.guessedMapping[key] ?? '', { name: `column-${key}`, 'data-testid': `import-column-${key}`, ...(key === 'phone' ? { required: true, 'aria-required': 'true' } : {}) });
        el.addEventListener('change', changed);
        selects[key] = el;
        return field(dt(FIELD_LABEL[key]), el, key === 'card' ? dt('fieldCardHint') : undefined);
      });
      replace(mapping,
        h('fieldset', null, h('legend', null, dt('mappingTitle')), h('p', { class: 'hint' }, r.guessedMapping.phone ? dt('mappingHint') : dt('phoneNotFound')), h('div', { class: 'grid3' }, fields)));
      replace(preview,
        r.looksLikeHeader ? null : h('p', { class: 'status error', 'data-testid': 'import-no-header' }, dt('noHeaderRow')),
        h('p', null, dt('previewRows', { rows: ctx.num(r.rows) })),
        table(dt('previewTitle'), r.columns, r.sampleRows, { 'data-testid': 'import-sample' }));
      inspected = { fileName: f.name, contentBase64, selects };
      status.clear();
    } catch (e) {
      if (seq === readSeq) status.error(errorText(e));
    }
  }

  /** The request as the selects say, or why it cannot be sent (the words are shown). */
  const request = (): ImportRequest | string => {
    if (!inspected) return dt('chooseFile');
    const chosen: Partial<Record<Field, string>> = {};
    const used = new Set<string>();
    for (const f of FIELDS) {
      const column = inspected.selects[f].value;
      if (!column) continue;
      if (used.has(column)) return dt('mapTwice', { column });
      used.add(column);
      chosen[f] = column;
    }
    if (!chosen.phone) return dt('mapPhoneMissing');
    return { fileName: inspected.fileName, contentBase64: inspected.contentBase64, mapping: { ...chosen, phone: chosen.phone }, expiresOn: expires.value || null };
  };

  async function go(dry: boolean): Promise<void> {
    if (busy) return;
    // The file may still be reading; a file that could not be read is read again (saying why it cannot be).
    await reading;
    if (!inspected) {
      if (!file.files?.[0]) return status.error(dt('chooseFile'));
      await (reading = inspect());
      if (!inspected) return;
    }
    const req = request();
    if (typeof req === 'string') {
      if (!inspected.selects.phone.value) inspected.selects.phone.focus();
      return status.error(req);
    }
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
  file.addEventListener('change', () => {
    changed();
    reading = inspect();
  });
  expires.addEventListener('change', changed);
  return section(t('importTitle'),
    h('div', { class: 'grid3' }, field(dt('importFileAny'), file, dt('importFileHint')), field(dt('importExpiresOn'), expires, dt('importExpiresHint'))),
    mapping,
    preview,
    h('div', { class: 'row' }, check, run),
    checking.el,
    importing.el,
    status.el,
    result);
}
