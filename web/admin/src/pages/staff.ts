// Staff: the list (role, locations, contact, status, limits, points issued today), an invitation with its link to
// copy, and changes by permission — role (below one's own), locations, limits and budget, block, remove.
import { h, replace } from '../../../shared/dom.js';
import type { TeamMember } from '../../../../src/client/team.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { t, type MessageKey } from '../i18n.js';
import { assignableRoles, copyBox, tt, type Role } from '../teamText.js';
import { button, field, input, section, select, statusLine, table } from '../ui.js';
import { botsSection, integrationsTab } from './integrations.js';

type Location = { id: string; name: string };

const roleName = (r: string) => t(`role${r[0]!.toUpperCase()}${r.slice(1)}` as MessageKey);

/** Checkboxes for locations in a fieldset with its legend; returns the element and the chosen ids. */
function locationPicker(all: Location[], chosen: string[], name: string): { el: HTMLElement; value(): string[] } {
  const boxes = all.map((l) => ({ id: l.id, box: h('input', { type: 'checkbox', name, value: l.id, checked: chosen.includes(l.id) }) }));
  const el = h('fieldset', { class: 'field checks' }, h('legend', null, tt('locations')), all.length ? boxes.map((b, i) => h('label', { class: 'check' }, b.box, ' ', all[i]!.name)) : h('span', { class: 'muted' }, tt('allLocations')));
  return { el, value: () => boxes.filter((b) => b.box.checked).map((b) => b.id) };
}

const limitsText = (m: TeamMember, ctx: Ctx) => {
  const l = m.limits;
  const parts = [l.maxPointsPerOperation === null ? null : tt('perOperation', { n: ctx.num(l.maxPointsPerOperation) }), l.maxPointsPerDay === null ? null : tt('perDay', { n: ctx.num(l.maxPointsPerDay) }), l.budget ? tt('budget', { points: ctx.num(l.budget.points), days: l.budget.days }) : null].filter(Boolean);
  return parts.length ? parts.join('; ') : tt('noLimit');
};

type Tab = 'staff' | 'integrations' | 'bots';

/** Tabs by permission: staff (staff.manage), API keys and webhooks, bots (settings.change); #integrations / #bots open one. */
export async function staffPage(main: HTMLElement, ctx: Ctx): Promise<void> {
  const tabs: [Tab, string][] = [];
  if (ctx.can('staff.manage')) tabs.push(['staff', tt('staffTitle')]);
  if (ctx.can('settings.change')) tabs.push(['integrations', tt('integrationsTitle')], ['bots', tt('botsTitle')]);
  const panel = h('div', { role: 'tabpanel', id: 'team-panel', tabindex: 0 });
  const buttons = tabs.map(([name, label]) => h('button', { type: 'button', role: 'tab', id: `tab-${name}`, class: 'tab', 'aria-controls': 'team-panel', 'data-testid': `tab-${name}`, onclick: () => void open(name), onkeydown: (e: Event) => {
    const k = (e as KeyboardEvent).key;
    const i = tabs.findIndex(([n]) => n === name);
    const next = k === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : k === 'ArrowLeft' ? tabs[(i - 1 + tabs.length) % tabs.length] : null;
    if (next) {
      e.preventDefault();
      void open(next[0]);
      document.getElementById(`tab-${next[0]}`)?.focus();
    }
  } }, label));
  replace(main, h('h1', null, t('navStaff')), h('div', { role: 'tablist', class: 'tabs', 'aria-label': tt('sections') }, buttons), panel);

  async function open(name: Tab): Promise<void> {
    for (const b of buttons) {
      const on = b.id === `tab-${name}`;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
    panel.setAttribute('aria-labelledby', `tab-${name}`);
    if (location.hash !== `#${name}`) history.replaceState(history.state, '', name === 'staff' ? location.pathname : `#${name}`);
    if (name === 'staff') await staffTab(panel, ctx);
    else if (name === 'integrations') await integrationsTab(panel, ctx);
    else await botsSection(panel, ctx);
  }
  const wanted = location.hash.slice(1);
  await open(tabs.find(([n]) => n === wanted)?.[0] ?? tabs[0]?.[0] ?? 'staff');
}

async function staffTab(main: HTMLElement, ctx: Ctx): Promise<void> {
  const me = ctx.me.staff;
  const myRole = me.role as Role;
  const status = statusLine();
  const listBox = h('div', { 'data-testid': 'staff-list' });
  const editBox = h('div');
  const inviteBox = h('div');
  replace(main, status.el, section(tt('staffList'), listBox, editBox), inviteBox);

  let locations: Location[] = [];
  const mayChange = (m: TeamMember) => m.id !== me.id && m.role !== 'owner' && assignableRoles(myRole).includes(m.role as Exclude<Role, 'owner'>);

  async function load(): Promise<void> {
    status.busy(tt('loading'));
    try {
      const r = await api.team.staff.list();
      locations = r.locations;
      status.clear();
      const names = new Map(locations.map((l) => [l.id, l.name]));
      replace(listBox, table(tt('staffList'), [tt('colName'), tt('colRole'), tt('colLocations'), tt('colContact'), tt('colStatus'), tt('colLimits'), tt('colToday'), tt('colActions')], r.items.map((m) => [
        h('span', { 'data-testid': 'staff-name' }, m.name, m.id === me.id ? ` ${tt('you')}` : ''),
        roleName(m.role),
        m.locationIds.length ? m.locationIds.map((id) => names.get(id) ?? id.slice(0, 8)).join(', ') : tt('allLocations'),
        [m.email, m.telegramUsername ? `@${m.telegramUsername}` : null].filter(Boolean).join(' · ') || '—',
        h('span', { class: m.status === 'blocked' ? 'status error' : '' }, tt(m.status)),
        limitsText(m, ctx),
        ctx.num(m.issuedToday),
        mayChange(m) ? actions(m) : h('span', { class: 'muted', title: tt('notYours') }, '—'),
      ])));
      if (!inviteBox.firstChild) replace(inviteBox, inviteForm());
    } catch (e) {
      status.error(errorText(e));
    }
  }

  function actions(m: TeamMember): HTMLElement {
    const block = button(m.status === 'blocked' ? tt('unblock') : tt('block'), () => void (async () => {
      if (m.status === 'active' && !confirm(tt('confirmBlock', { name: m.name }))) return;
      await act(() => api.team.staff.update(m.id, { blocked: m.status === 'active' }));
    })(), { class: 'btn small', 'aria-label': `${m.status === 'blocked' ? tt('unblock') : tt('block')}: ${m.name}` });
    const remove = button(tt('remove'), () => void (async () => {
      if (!confirm(tt('confirmRemove', { name: m.name }))) return;
      await act(() => api.team.staff.remove(m.id));
    })(), { class: 'btn small danger', 'aria-label': `${tt('remove')}: ${m.name}` });
    const edit = button(tt('edit'), () => replace(editBox, editForm(m)), { class: 'btn small', 'aria-label': `${tt('edit')}: ${m.name}` });
    return h('div', { class: 'row-actions' }, edit, block, remove);
  }

  async function act(f: () => Promise<unknown>): Promise<void> {
    status.busy(tt('loading'));
    try {
      await f();
      status.ok(tt('saved'));
      replace(editBox);
      await load();
    } catch (e) {
      status.error(errorText(e));
    }
  }

  const numberOrNull = (el: HTMLInputElement): number | null => (el.value.trim() === '' ? null : Math.max(0, Math.round(Number(el.value))));

  function editForm(m: TeamMember): HTMLElement {
    const role = select(assignableRoles(myRole).map((r) => [r, roleName(r)]), m.role, { name: 'role' });
    const locs = locationPicker(locations, m.locationIds, 'editLocations');
    const num = (v: number | null | undefined, name: string) => input({ type: 'number', min: 0, step: 1, name, value: v === null || v === undefined ? '' : String(v) });
    const perOp = num(m.limits.maxPointsPerOperation, 'maxPointsPerOperation');
    const perDay = num(m.limits.maxPointsPerDay, 'maxPointsPerDay');
    const budgetPoints = num(m.limits.budget?.points, 'budgetPoints');
    const budgetDays = num(m.limits.budget?.days, 'budgetDays');
    const form = h('form', { class: 'panel', 'data-testid': 'staff-edit', onsubmit: (e: Event) => {
      e.preventDefault();
      const points = numberOrNull(budgetPoints);
      const days = numberOrNull(budgetDays);
      void act(() => api.team.staff.update(m.id, {
        role: role.value as Exclude<Role, 'owner'>,
        locationIds: locs.value(),
        limits: { maxPointsPerOperation: numberOrNull(perOp), maxPointsPerDay: numberOrNull(perDay), budget: points === null ? null : { points, days: Math.min(366, Math.max(1, days ?? 30)) } },
      }));
    } },
    h('h3', null, tt('editTitle', { name: m.name })),
    field(tt('role'), role), locs.el,
    field(tt('maxPerOperation'), perOp, tt('emptyNoLimit')), field(tt('maxPerDay'), perDay, tt('emptyNoLimit')),
    field(tt('budgetPoints'), budgetPoints, tt('emptyNoLimit')), field(tt('budgetDays'), budgetDays),
    h('div', { class: 'row-actions' }, h('button', { type: 'submit', class: 'btn primary' }, tt('save')), button(tt('cancel'), () => replace(editBox))));
    queueMicrotask(() => role.focus());
    return form;
  }

  function inviteForm(): HTMLElement {
    const name = input({ name: 'inviteName', maxlength: 100, required: true, autocomplete: 'off' });
    const roles = assignableRoles(myRole);
    const role = select(roles.map((r) => [r, roleName(r)]), roles.includes('cashier') ? 'cashier' : (roles[0] ?? ''), { name: 'inviteRole' });
    const locs = locationPicker(locations, [], 'inviteLocations');
    const st = statusLine();
    const result = h('div', { 'data-testid': 'invite-result' });
    const form = h('form', { onsubmit: (e: Event) => {
      e.preventDefault();
      if (!name.value.trim()) return st.error(tt('fill'));
      void (async () => {
        st.busy(tt('loading'));
        try {
          const inv = await api.team.staff.invite({ name: name.value.trim(), role: role.value as Exclude<Role, 'owner'>, locationIds: locs.value() });
          st.ok(tt('inviteDone', { name: name.value.trim() }));
          replace(result, copyBox(tt('webLink'), inv.link, 'invite-link'), inv.telegramLink ? copyBox(tt('telegramLink'), inv.telegramLink, 'invite-telegram') : h('p', { class: 'muted' }, tt('noStaffBot')));
          name.value = '';
        } catch (err) {
          st.error(errorText(err));
        }
      })();
    } }, h('p', { class: 'muted' }, tt('inviteHint')), field(tt('name'), name), field(tt('role'), role), locs.el, h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'invite-submit' }, tt('invite')));
    return section(tt('inviteTitle'), form, st.el, result);
  }

  await load();
}
