// The audit log: staff actions, newest first, filtered by action and dates, a page at a time.
import { h, replace } from '../../../shared/dom.js';
import { formatSignedPoints } from '../../../shared/format.js';
import type { AuditEntry, AuditQuery } from '../../../../src/client/adminReads.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { language, t, tOr } from '../i18n.js';
import { button, field, input, statusLine, table } from '../ui.js';

export async function auditPage(main: HTMLElement, ctx: Ctx): Promise<void> {
  const action = input({ name: 'action', maxlength: 100 });
  const from = input({ type: 'date', name: 'from' });
  const to = input({ type: 'date', name: 'to' });
  const status = statusLine();
  const box = h('div', { 'data-testid': 'audit' });
  const more = button(t('more'), () => void load(true), { hidden: true });
  let rows: AuditEntry[] = [];
  let cursor: string | null = null;
  const form = h('form', { class: 'filters', onsubmit: (e: Event) => {
    e.preventDefault();
    void load(false);
  } }, field(t('actionFilter'), action), field(t('from'), from), field(t('to'), to), h('button', { type: 'submit', class: 'btn primary' }, t('apply')));
  replace(main, h('h1', null, t('auditTitle')), form, status.el, box, more);

  async function load(next: boolean): Promise<void> {
    status.busy(t('loading'));
    try {
      const q: AuditQuery = { limit: 50 };
      if (action.value.trim()) q.action = action.value.trim();
      if (from.value) q.from = from.value;
      if (to.value) q.to = to.value;
      if (next && cursor) q.cursor = cursor;
      const page = await api.admin.audit(q);
      rows = next ? [...rows, ...page.items] : page.items;
      cursor = page.nextCursor;
      more.hidden = !cursor;
      status.clear();
      replace(box, table(t('auditTitle'), [t('colWhen'), t('colAction'), t('colWho'), t('colMember'), t('colPoints'), t('colDetails')], rows.map((r) => [
        ctx.when(r.at),
        r.action,
        r.staffRole ? tOr(`role${r.staffRole[0]!.toUpperCase()}${r.staffRole.slice(1)}`, r.staffRole) : r.channel,
        r.memberId ? h('a', { href: `/admin/customers/${encodeURIComponent(r.memberId)}`, onclick: (e: Event) => {
          e.preventDefault();
          ctx.go('member', { id: r.memberId! });
        } }, r.memberId.slice(0, 8)) : '—',
        r.points === null ? '' : formatSignedPoints(r.points, language()),
        h('code', null, JSON.stringify(r.details).slice(0, 160)),
      ])));
    } catch (e) {
      status.error(errorText(e));
    }
  }
  await load(false);
}
