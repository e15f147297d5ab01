// Small building blocks of the panel's pages: labelled fields, tables, sections, status lines and the
// "not available yet" and "no access" notes. Text always goes in as text.
import { h, type Child, type Props } from '../../shared/dom.js';
import { t } from './i18n.js';

let seq = 0;
const nextId = (p: string) => `${p}-${++seq}`;

/** A label bound to its input (every input has one), with an optional hint tied by aria-describedby. */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  if (!input.id) input.id = nextId('f');
  const parts: Child[] = [h('label', { for: input.id }, label), input];
  if (hint) {
    const hid = nextId('h');
    input.setAttribute('aria-describedby', hid);
    parts.push(h('small', { id: hid, class: 'hint' }, hint));
  }
  return h('div', { class: 'field' }, parts);
}

export function input(props: Props = {}): HTMLInputElement {
  return h('input', { type: 'text', ...props });
}

export function select(options: [string, string][], value: string, props: Props = {}): HTMLSelectElement {
  return h('select', props, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

export function section(title: string, ...children: Child[]): HTMLElement {
  const id = nextId('s');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

/** A table with a caption for screen readers; rows are cells already made. */
export function table(caption: string, head: string[], rows: Child[][], props: Props = {}): HTMLElement {
  if (!rows.length) return h('p', { class: 'muted' }, t('empty'));
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h('table', props, h('caption', { class: 'sr-only' }, caption), h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col' }, c)))), h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c)))))),
  );
}

/** A live status line: screen readers hear what it says. */
export function statusLine(): { el: HTMLElement; ok(text: string): void; error(text: string): void; busy(text: string): void; clear(): void } {
  const el = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const set = (cls: string, text: string) => {
    el.className = `status ${cls}`;
    el.textContent = text;
  };
  return { el, ok: (s) => set('ok', s), error: (s) => set('error', s), busy: (s) => set('busy', s), clear: () => set('', '') };
}

export function placeholder(what: string): HTMLElement {
  return h('div', { class: 'note', 'data-testid': 'not-available' }, h('strong', null, t('notAvailable')), h('p', null, t('notAvailableText', { what })));
}

export function button(label: string, onclick: (e: Event) => void, props: Props = {}): HTMLButtonElement {
  return h('button', { type: 'button', class: 'btn', onclick, ...props }, label);
}
