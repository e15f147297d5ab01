// The typed client's admin reads: the dashboard, the members list, a member's lots, messages and purchases, and the
// audit log. Types are the API's response schemas (each checked against its use case in src/http/api/adminSchemas.ts).
import type { z } from 'zod';
import type * as A from '../http/api/adminSchemas.js';

export type Dashboard = z.output<typeof A.Dashboard>;
export type MemberListItem = z.output<typeof A.MemberListItem>;
export type MemberLot = z.output<typeof A.LotList>['items'][number];
export type MemberMessage = z.output<typeof A.MessagePage>['items'][number];
export type MemberPurchase = z.output<typeof A.MemberPurchasePage>['items'][number];
export type AuditEntry = z.output<typeof A.AuditPage>['items'][number];

export interface DashboardQuery {
  from?: string;
  to?: string;
  locationId?: string;
  bucket?: 'day' | 'week';
}

export interface MemberListQuery {
  sort?: 'created' | 'lastPurchase' | 'balance' | 'totalSpent' | 'name';
  order?: 'asc' | 'desc';
  tier?: string;
  lastPurchaseBefore?: string;
  lastPurchaseAfter?: string;
  balanceMin?: number;
  balanceMax?: number;
  birthdayMonth?: number;
  marketing?: boolean;
  channel?: 'telegram' | 'vk' | 'sms' | 'email';
  limit?: number;
  cursor?: string;
}

export interface AuditQuery {
  staffId?: string;
  memberId?: string;
  action?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Get = <T>(path: string, query?: Record<string, string | number | undefined>) => Promise<T>;
const q = (o: object): Record<string, string | number | undefined> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : (v as string | number | undefined)]));
const enc = encodeURIComponent;

export function adminReadMethods(get: Get) {
  return {
    dashboard: (query: DashboardQuery = {}) => get<Dashboard>('/stats/dashboard', q(query)),
    audit: (query: AuditQuery = {}) => get<Page<AuditEntry>>('/audit', q(query)),
    members: {
      list: (query: MemberListQuery = {}) => get<Page<MemberListItem>>('/members', q(query)),
      lots: async (memberId: string) => (await get<{ items: MemberLot[] }>(`/members/${enc(memberId)}/lots`)).items,
      messages: (memberId: string, page: { limit?: number; cursor?: string } = {}) => get<Page<MemberMessage>>(`/members/${enc(memberId)}/messages`, q(page)),
      purchases: (memberId: string, page: { limit?: number; cursor?: string } = {}) => get<Page<MemberPurchase>>(`/members/${enc(memberId)}/purchases`, q(page)),
    },
  };
}
