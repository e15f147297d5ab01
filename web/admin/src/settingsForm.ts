// Building blocks of the settings sections: their texts (st), fields with their own error line, a form that checks
// before it saves and shows the server's per-field problems (422/400 errors[].path) next to those fields, and
// an editable list of rows (add, remove, move up/down by buttons, so the keyboard works).
import './settings.css';
import { h, replace, type Child } from '../../shared/dom.js';
import { fill } from '../../shared/format.js';
import { KopilkaError } from '../../../src/client/index.js';
import { errorText } from './api.js';
import { language } from './i18n.js';
import { settingsEn, settingsRu, type SettingsMessages } from './locales/settings.js';
import { normalizePath, type Problem } from './settingsRules.js';
import { field, statusLine } from './ui.js';

export type SettingsKey = keyof SettingsMessages;
export const st = (key: SettingsKey, vars: Record<string, string | number> = {}): string => fill((language() === 'en' ? settingsEn : settingsRu)[key], vars);

let seq = 0;

/** Where a field's problem is said: a line under the control, tied to it by aria-describedby. */
export interface Slot {
  control: HTMLElement;
  show(text: string): void;
  clear(): void;
}

function addSlot(container: HTMLElement, control: HTMLElement): Slot {
  const id = `ferr-${++seq}`;
  const msg = h('small', { id, class: 'field-error', hidden: true });
  container.append(msg);
  const described = control.getAttribute('aria-describedby');
  control.setAttribute('aria-describedby', described ? `${described} ${id}` : id);
  return {
    control,
    show(text) {
      msg.textContent = text;
      msg.hidden = false;
      control.setAttribute('aria-invalid', 'true');
    },
    clear() {
      msg.textContent = '';
      msg.hidden = true;
      control.removeAttribute('aria-invalid');
    },
  };
}

/** A labelled control with its error line. */
export function fieldE(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): { el: HTMLElement; slot: Slot } {
  const el = field(label, control, hint);
  return { el, slot: addSlot(el, control) };
}

/** A checkbox inside its label, with its error line. */
export function checkE(label: string, checked: boolean, props: Record<string, string> = {}): { el: HTMLElement; input: HTMLInputElement; slot: Slot } {
  const input = h('input', { type: 'checkbox', checked, ...props });
  const el = h('div', { class: 'field check' }, h('label', null, input, ' ', label));
  return { el, input, slot: addSlot(el, input) };
}

export const problemText = (p: Problem): string => st(p.key, p.vars ?? {});

/** The server's English sentence in the panel's language when it is one the panel knows. */
export function serverMessage(message: string): string {
  if (/must be greater than the tier before it/.test(message)) return st('tierAscending');
  if (/^tiers\S*\.name ".*" is used twice/.test(message)) return st('tierDuplicateName');
  if (/give at least one side a bonus/.test(message)) return st('referralNoBonus');
  if (/^\S+ is required$/.test(message)) return st('required');
  if (/must be an e-mail address/.test(message)) return st('emailFormat');
  if (/must be an http:\/\/ or https:\/\/ URL/.test(message)) return st('urlFormat');
  const whole = /must be a whole number from (\d+) to (\d+)/.exec(message);
  if (whole) return st('wholeNumber', { min: whole[1] ?? '', max: whole[2] ?? '' });
  const long = /must be 1–(\d+) characters/.exec(message);
  if (long) return st('tooLong', { max: long[1] ?? '' });
  return st('serverSays', { message });
}

/** The slot for a path, or for the nearest field above it (notifications.quietHours.start → notifications.quietHours). */
export function findSlot(slots: Map<string, Slot>, path: string): Slot | null {
  const parts = normalizePath(path).split('.');
  while (parts.length) {
    const s = slots.get(parts.join('.'));
    if (s) return s;
    parts.pop();
  }
  return null;
}

export interface SectionOptions<C, R> {
  title: string;
  testid: string;
  hint?: string;
  body: Child[];
  /** The fields' slots by API path (read each time: rows come and go). */
  slots(): Map<string, Slot>;
  /** The change to send, or the problems found before sending. */
  build(): C | Problem[];
  send(change: C): Promise<R>;
  after?(result: R): void;
  /** Check on every keystroke, not only on saving. */
  live?: boolean;
  extraButtons?: Child[];
}

/** A form that checks, then saves alone; problems (its own or the server's) are shown next to their fields. */
export function sectionForm<C, R>(o: SectionOptions<C, R>): { form: HTMLFormElement; status: ReturnType<typeof statusLine>; showProblems(problems: { path: string; text: string }[]): string[] } {
  const status = statusLine();
  const save = h('button', { type: 'submit', class: 'btn primary' }, st('save'));
  const id = `${o.testid}-title`;
  const showProblems = (problems: { path: string; text: string }[]): string[] => {
    const slots = o.slots();
    for (const s of slots.values()) s.clear();
    const unplaced: string[] = [];
    const shown = new Set<Slot>();
    for (const p of problems) {
      const s = findSlot(slots, p.path);
      if (!s) unplaced.push(p.text);
      else if (!shown.has(s)) {
        s.show(p.text);
        shown.add(s);
      }
    }
    return unplaced;
  };
  const local = (saving: boolean): C | null => {
    const r = o.build();
    if (!Array.isArray(r)) {
      showProblems([]);
      if (!saving) status.clear();
      return r;
    }
    const unplaced = showProblems(r.map((p) => ({ path: p.path, text: problemText(p) })));
    if (saving || unplaced.length) status.error([saving ? st('fixFields') : '', ...unplaced].join(' ').trim());
    return null;
  };
  const form = h('form', {
    class: 'panel', 'data-testid': o.testid, 'aria-labelledby': id, novalidate: true,
    oninput: () => {
      if (o.live) local(false);
    },
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const c = local(true);
      if (c === null) {
        (form.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
        return;
      }
      save.disabled = true;
      status.busy(st('saving'));
      try {
        const r = await o.send(c);
        status.ok(st('saved'));
        o.after?.(r);
      } catch (err) {
        const errors = err instanceof KopilkaError ? (err.problem as { errors?: { path?: string; message?: string }[] }).errors : undefined;
        if (err instanceof KopilkaError && (err.status === 400 || err.status === 422) && Array.isArray(errors) && errors.length) {
          const unplaced = showProblems(errors.map((x) => ({ path: String(x.path ?? ''), text: serverMessage(String(x.message ?? '')) })));
          status.error([st('serverRefused'), ...unplaced].join(' '));
          (form.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
        } else status.error(errorText(err));
      } finally {
        save.disabled = false;
      }
    },
  },
  h('h2', { id }, o.title),
  o.hint ? h('p', { class: 'muted' }, o.hint) : null,
  o.body,
  h('div', { class: 'row' }, save, o.extraButtons ?? [], status.el));
  return { form, status, showProblems };
}

/** One row of an editable list: a group with a legend, its fields' slots by field name. */
export interface RowItem {
  el: HTMLElement;
  slots: Record<string, Slot>;
  /** Called with the row's new legend when rows move. */
  relabel?(legend: string): void;
}

/** Rows that can be added, removed and moved up or down with buttons (each says which row it acts on). */
export function rowList<R extends RowItem>(o: { legend(n: number): string; empty: string; addLabel: string; max: number; make(): R; changed(kind: 'add' | 'move' | 'remove'): void; testid: string }, initial: R[]): { el: HTMLElement; rows(): R[]; slots(prefix: string): Map<string, Slot> } {
  let rows = [...initial];
  const list = h('div', { class: 'rows', 'data-testid': o.testid });
  const add = h('button', { type: 'button', class: 'btn', 'data-testid': `${o.testid}-add` }, o.addLabel);
  const render = (focus?: { row: R; what: 'up' | 'down' | 'remove' | 'first' }) => {
    const nodes: HTMLElement[] = rows.map((row, i) => {
      const legend = o.legend(i + 1);
      const mk = (what: 'up' | 'down' | 'remove', label: string, disabled: boolean) =>
        h('button', { type: 'button', class: `btn small${what === 'remove' ? ' danger' : ''}`, 'data-act': what, 'aria-label': st('rowActions', { what: legend, action: label }), disabled, onclick: () => {
          if (what === 'remove') rows = rows.filter((r) => r !== row);
          else {
            const j = rows.indexOf(row) + (what === 'up' ? -1 : 1);
            const next = [...rows];
            next.splice(rows.indexOf(row), 1);
            next.splice(j, 0, row);
            rows = next;
          }
          render(what === 'remove' ? undefined : { row, what });
          o.changed(what === 'remove' ? 'remove' : 'move');
        } }, label);
      const actions = h('div', { class: 'row-actions' }, mk('up', st('moveUp'), i === 0), mk('down', st('moveDown'), i === rows.length - 1), mk('remove', st('remove'), false));
      row.relabel?.(legend);
      return h('fieldset', { class: 'item' }, h('legend', null, legend), row.el, actions);
    });
    replace(list, nodes.length ? nodes : h('p', { class: 'muted' }, o.empty));
    add.disabled = rows.length >= o.max;
    if (focus) {
      const fs = nodes[rows.indexOf(focus.row)];
      const target = focus.what === 'first' ? fs?.querySelector('input, select') : fs?.querySelector(`[data-act="${focus.what}"]:not([disabled])`) ?? fs?.querySelector('[data-act]:not([disabled])');
      (target as HTMLElement | null)?.focus();
    }
  };
  add.addEventListener('click', () => {
    const row = o.make();
    rows = [...rows, row];
    render({ row, what: 'first' });
    o.changed('add');
  });
  render();
  return {
    el: h('div', null, list, add),
    rows: () => rows,
    slots: (prefix) => {
      const m = new Map<string, Slot>();
      rows.forEach((r, i) => {
        for (const [k, s] of Object.entries(r.slots)) m.set(`${prefix}.${i}.${k}`, s);
      });
      return m;
    },
  };
}
