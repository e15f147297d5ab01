// What every page gets: the signed-in staff member, formatting in the business's currency and time zone, navigation.
import { formatDateTime, formatMoney, formatNumber } from '../../shared/format.js';
import type { StaffMe } from './api.js';
import { language } from './i18n.js';
import type { PageName } from './nav.js';

export interface Ctx {
  me: StaffMe;
  can(permission: string): boolean;
  go(page: PageName, params?: Record<string, string>): void;
  money(minor: number): string;
  num(n: number): string;
  when(iso: string | null): string;
}

export function makeCtx(me: StaffMe, go: Ctx['go']): Ctx {
  const { currency, timezone } = me.business;
  return {
    me,
    can: (p) => me.permissions.includes(p as StaffMe['permissions'][number]),
    go,
    money: (minor) => formatMoney(minor, currency, language()),
    num: (n) => formatNumber(n, language()),
    when: (iso) => (iso ? formatDateTime(iso, timezone, language()) : '—'),
  };
}
