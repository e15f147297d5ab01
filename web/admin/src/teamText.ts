// The team pages' texts in the panel's current language, a link with a copy button, and who may give which role (src/core/staffRoles.ts
// canAssignRole: roles below one's own, never the owner's).
import './team.css';
import { h } from '../../shared/dom.js';
import { fill } from '../../shared/format.js';
import { language } from './i18n.js';
import { teamEn, teamRu, type TeamMessages } from './locales/team.js';
import { button, field, input } from './ui.js';

export const tt = (key: keyof TeamMessages, vars: Record<string, string | number> = {}): string => fill((language() === 'en' ? teamEn : teamRu)[key], vars);

const ORDER = ['owner', 'admin', 'manager', 'cashier'] as const;
export type Role = (typeof ORDER)[number];

/** The roles a staff member with `by` may give: below their own, never the owner's. */
export const assignableRoles = (by: Role): Exclude<Role, 'owner'>[] =>
  ORDER.filter((r): r is Exclude<Role, 'owner'> => r !== 'owner' && (by === 'owner' || ORDER.indexOf(r) > ORDER.indexOf(by)));

/** A read-only link with a copy button that says whether copying worked. */
export function copyBox(label: string, value: string, testId: string): HTMLElement {
  const box = input({ value, readonly: true, 'data-testid': testId, onfocus: (e: Event) => (e.target as HTMLInputElement).select() });
  const said = h('span', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  const copy = button(tt('copy'), () => {
    box.select();
    navigator.clipboard.writeText(value).then(() => (said.textContent = tt('copied')), () => (said.textContent = tt('copyFailed')));
  }, { class: 'btn small' });
  return h('div', { class: 'copy-box' }, field(label, box), copy, said);
}

