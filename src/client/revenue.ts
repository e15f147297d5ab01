// The typed client's takings methods: the business's total takings per day and location (all customers), which give
// the dashboard its share of revenue from members — PUT /revenue/{day}, POST /revenue (many days), GET /revenue.
import type { z } from 'zod';
import type * as R from '../http/api/revenue.js';

export type Takings = z.output<typeof R.Takings>;
export type TakingsBulkResult = z.output<typeof R.TakingsBulkResult>;
export type TakingsList = z.output<typeof R.TakingsPage>;
export type TakingsSet = z.input<typeof R.TakingsSet>;
export type TakingsBulk = z.input<typeof R.TakingsBulk>;

type Get = <T>(path: string, query?: Record<string, string | number | undefined>) => Promise<T>;
type Send = <T>(method: 'PUT' | 'POST', path: string, body: unknown) => Promise<T>;

export function revenueMethods(get: Get, send: Send) {
  return {
    /** Sets a day's takings (a location's, or the whole business's without locationId); changed: false if it was so already. */
    set: (day: string, input: TakingsSet) => send<Takings>('PUT', `/revenue/${encodeURIComponent(day)}`, input),
    /** Many days at once: all or nothing (validation_failed lists every bad row in problem.rows). */
    setMany: (input: TakingsBulk) => send<TakingsBulkResult>('POST', '/revenue', input),
    list: (query: { from?: string; to?: string; locationId?: string } = {}) => get<TakingsList>('/revenue', query),
  };
}
