// The operator's list of businesses as shown: search by name and the sort orders. Pure (operatorList.test.ts).
import type { BusinessHealth } from '../../../src/client/operator.js';
/** The panel's languages (as in i18n.ts, which needs the DOM and so stays out of this pure module). */
type Lang = 'ru' | 'en';

export type SortKey = 'name' | 'created' | 'members' | 'activity' | 'outstanding';

/** The list as shown: names containing the search (any case), in the chosen order (ties by name). Pure. */
export function arrange(list: readonly BusinessHealth[], query: string, sort: SortKey, lang: Lang): BusinessHealth[] {
  const q = query.trim().toLocaleLowerCase(lang);
  const byName = (a: BusinessHealth, b: BusinessHealth) => a.name.localeCompare(b.name, lang, { sensitivity: 'base' }) || a.id.localeCompare(b.id);
  const desc = (f: (b: BusinessHealth) => number) => (a: BusinessHealth, b: BusinessHealth) => f(b) - f(a) || byName(a, b);
  const time = (iso: string | null) => (iso ? Date.parse(iso) : -Infinity);
  const order: Record<SortKey, (a: BusinessHealth, b: BusinessHealth) => number> = {
    name: byName,
    created: desc((b) => Date.parse(b.createdAt)),
    members: desc((b) => b.members),
    activity: (a, b) => (time(b.lastActivityAt) === time(a.lastActivityAt) ? byName(a, b) : time(b.lastActivityAt) > time(a.lastActivityAt) ? 1 : -1),
    outstanding: desc((b) => b.outstandingPoints),
  };
  return list.filter((b) => !q || b.name.toLocaleLowerCase(lang).includes(q)).sort(order[sort]);
}

