// The panel's pages and who may open them: one table for the side menu and for pages opened by their address.
// Pure (nav.test.ts). Permissions are the staff actions of src/core/staffRoles.ts, as GET /api/admin/session lists them.

export type PageName = 'dashboard' | 'customers' | 'member' | 'inbox' | 'inboxThread' | 'broadcasts' | 'settings' | 'staff' | 'data' | 'audit';

export interface PageDef {
  name: PageName;
  /** The address under /admin/. */
  path: string;
  /** Any one of these lets the page open (and shows it in the menu). */
  anyOf: readonly string[];
  /** Shown in the side menu (the member page is reached from the list). */
  menu: boolean;
}

export const PAGES: readonly PageDef[] = [
  { name: 'dashboard', path: 'dashboard', anyOf: ['report.today'], menu: true },
  { name: 'customers', path: 'customers', anyOf: ['member.search'], menu: true },
  { name: 'member', path: 'customers/:id', anyOf: ['member.search', 'member.history'], menu: false },
  { name: 'inbox', path: 'inbox', anyOf: ['chat.reply'], menu: true },
  { name: 'inboxThread', path: 'inbox/:id', anyOf: ['chat.reply'], menu: false },
  { name: 'broadcasts', path: 'broadcasts', anyOf: ['broadcast.send'], menu: true },
  { name: 'settings', path: 'settings', anyOf: ['settings.change'], menu: true },
  { name: 'staff', path: 'staff', anyOf: ['staff.manage'], menu: true },
  { name: 'data', path: 'data', anyOf: ['report.export'], menu: true },
  { name: 'audit', path: 'audit', anyOf: ['audit.read'], menu: true },
];

export const mayOpen = (page: PageDef, permissions: readonly string[]): boolean => page.anyOf.some((p) => permissions.includes(p));

/** The side menu for these permissions. */
export const menuFor = (permissions: readonly string[]): PageDef[] => PAGES.filter((p) => p.menu && mayOpen(p, permissions));

export interface Route {
  page: PageDef | null;
  params: Record<string, string>;
  /** The address named no page at all. */
  unknown: boolean;
}

/** "/admin/customers/abc" → the member page with { id: 'abc' }; "/admin/" → the first page these permissions allow. */
export function resolve(pathname: string, permissions: readonly string[], base = '/admin/'): Route {
  let rest = pathname.startsWith(base) ? pathname.slice(base.length) : pathname.replace(/^\/+/, '');
  rest = rest.replace(/\/+$/, '');
  if (rest === '' || rest === 'index.html') return { page: menuFor(permissions)[0] ?? null, params: {}, unknown: false };
  const parts = rest.split('/');
  for (const page of PAGES) {
    const pattern = page.path.split('/');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    pattern.forEach((seg, i) => {
      const part = parts[i] ?? '';
      if (seg.startsWith(':')) {
        try {
          params[seg.slice(1)] = decodeURIComponent(part);
        } catch {
          ok = false;
        }
      } else if (seg !== part) ok = false;
    });
    if (ok) return { page, params, unknown: false };
  }
  return { page: null, params: {}, unknown: true };
}

export const pathOf = (name: PageName, params: Record<string, string> = {}, base = '/admin/'): string => {
  const page = PAGES.find((p) => p.name === name);
  if (!page) return base;
  return base + page.path.split('/').map((s) => (s.startsWith(':') ? encodeURIComponent(params[s.slice(1)] ?? '') : s)).join('/');
};
