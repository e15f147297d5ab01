// The Data page's backups: the list (daily ones apart from those asked for, who asked, size, status), "Back up now"
// with its live progress (GET /backups/{id} polled), a download link once done, and how to restore (the CLI only: a
// restore replaces the whole database). The API lets only the owner, on a server with one business (route
// permission settings.change + the owner's role, src/http/api/backups.ts), so only the owner sees the section.
import { h, replace } from '../../../shared/dom.js';
import { KopilkaError, type Backup } from '../../../../src/client/index.js';
import { api, errorText } from '../api.js';
import { bt, fileSize } from '../backupsText.js';
import type { Ctx } from '../context.js';
import { button, section, statusLine, table } from '../ui.js';

/** How often a running backup is asked about. */
const POLL_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const percentOf = (b: Backup): number =>
  b.status === 'done' ? 100 : b.progress.tablesTotal > 0 ? Math.min(100, Math.floor((b.progress.tablesDone / b.progress.tablesTotal) * 100)) : 0;

export function backupsSection(ctx: Ctx): HTMLElement | null {
  if (ctx.me.staff.role !== 'owner' || !ctx.can('settings.change')) return null;

  const status = statusLine();
  const bar = h('div', { class: 'progress-bar' });
  const progressText = h('p', { class: 'muted', id: 'backup-progress-text', 'data-testid': 'backup-progress-text' });
  const meter = h(
    'div',
    { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, 'aria-label': bt('progressLabel'), 'aria-describedby': 'backup-progress-text', 'data-testid': 'backup-progressbar' },
    bar,
  );
  const result = h('div', { class: 'row', 'data-testid': 'backup-result' });
  const progress = h('div', { class: 'backup-progress', hidden: true, 'data-testid': 'backup-progress' }, meter, progressText, result);
  const list = h('div', { 'data-testid': 'backups-list' }, h('p', { class: 'muted' }, bt('loading')));
  const startButton = button(bt('start'), () => void start(), { class: 'btn primary', 'data-testid': 'backup-start' });
  const el = section(
    bt('title'),
    h('p', { class: 'muted' }, bt('hint')),
    h('div', { class: 'row' }, startButton),
    progress,
    status.el,
    list,
    h('div', { class: 'restore-note', 'data-testid': 'backup-restore-note' },
      h('h3', null, bt('restoreTitle')),
      h('p', null, bt('restoreText'), ' ', h('code', null, bt('restoreCommand')), ' ', bt('restoreAfter'))),
  );
  el.setAttribute('data-testid', 'backups');
  let following: string | null = null;

  const downloadLink = (b: Backup, testId: string) =>
    h('a', { class: 'btn', href: api.backups.downloadUrl(b.id), download: b.fileName, 'aria-label': bt('downloadLabel', { when: ctx.when(b.createdAt) }), 'data-testid': testId }, bt('download'));

  const who = (b: Backup) =>
    h('span', { class: `backup-kind ${b.kind}`, 'data-kind': b.kind }, b.kind === 'daily' ? bt('daily') : b.requestedBy ? bt('byStaff', { name: b.requestedBy }) : bt('manual'));

  const statusCell = (b: Backup) =>
    b.status === 'done'
      ? bt('statusDone')
      : b.status === 'running'
        ? bt('statusRunning', { percent: percentOf(b) })
        : h('span', { class: 'backup-failed', title: b.error ?? '' }, bt('statusFailed'), b.error ? `: ${b.error}` : '');

  function render(items: Backup[]): void {
    if (!items.length) return replace(list, h('p', { class: 'muted', 'data-testid': 'backups-none' }, bt('none')));
    replace(list, table(bt('listCaption'), [bt('colWhen'), bt('colWho'), bt('colSize'), bt('colStatus'), bt('colFile')], items.map((b) => [
      ctx.when(b.createdAt),
      who(b),
      b.size === null ? '—' : fileSize(b.size),
      statusCell(b),
      b.status === 'done' ? downloadLink(b, `backup-download-${b.id}`) : h('span', { class: 'muted' }, b.fileName),
    ])));
  }

  /** A server without backups, or one holding several businesses: say so, and offer nothing to press. */
  function fail(e: unknown): void {
    if (e instanceof KopilkaError && (e.code === 'backups_unavailable' || e.status === 403)) {
      startButton.hidden = true;
      replace(list);
      status.error(e.code === 'backups_unavailable' ? bt('unavailable') : bt('sharedServer'));
      return;
    }
    status.error(errorText(e));
  }

  function show(b: Backup): void {
    const percent = percentOf(b);
    const text =
      b.status === 'running'
        ? b.progress.tablesTotal > 0
          ? bt('running', { done: b.progress.tablesDone, total: b.progress.tablesTotal, rows: ctx.num(b.progress.rows) })
          : bt('preparing')
        : b.status === 'done'
          ? bt('done', { size: fileSize(b.size ?? 0) })
          : bt('failed', { error: b.error ?? '' });
    progress.hidden = false;
    meter.classList.toggle('failed', b.status === 'failed');
    bar.style.width = `${percent}%`; // CSSOM, which the page's CSP allows (a style attribute it would not)
    meter.setAttribute('aria-valuenow', String(percent));
    meter.setAttribute('aria-valuetext', text);
    progressText.textContent = text;
    progressText.className = b.status === 'failed' ? 'status error' : b.status === 'done' ? 'status ok' : 'muted';
    replace(result, b.status === 'done' ? downloadLink(b, 'backup-download') : null);
  }

  /** Polls one running backup until it is done or failed, showing its progress; then the list again. */
  async function follow(b: Backup): Promise<void> {
    following = b.id;
    startButton.disabled = true;
    let current = b;
    show(current);
    try {
      while (current.status === 'running') {
        await sleep(POLL_MS);
        if (!el.isConnected) return; // the page was left
        current = await api.backups.get(b.id);
        show(current);
      }
    } catch (e) {
      fail(e);
    } finally {
      following = null;
      startButton.disabled = false;
    }
    if (el.isConnected) await load();
  }

  async function load(): Promise<void> {
    try {
      const items = await api.backups.list();
      render(items);
      // One already running (the daily one, or asked for in another tab) is followed too.
      const running = items.find((x) => x.status === 'running');
      if (running && !following) void follow(running);
    } catch (e) {
      fail(e);
    }
  }

  async function start(): Promise<void> {
    startButton.disabled = true;
    status.busy(bt('starting'));
    try {
      const b = await api.backups.start();
      status.clear();
      const followed = follow(b);
      void load();
      await followed;
    } catch (e) {
      startButton.disabled = false;
      fail(e);
    }
  }

  void load();
  return el;
}
