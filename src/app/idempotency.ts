// Every write may carry an idempotency key: the same key and input replay the first result, other input is refused.
import { createHash } from 'node:crypto';
import type { ClaimRequest, IdempotencyClaim, Repositories } from '../core/index.js';
import { invalid } from '../core/index.js';

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function requestHash(operation: string, input: unknown): string {
  return createHash('sha256').update(`${operation}\n${canonical(input)}`).digest('hex');
}

export function checkIdempotencyKey(key: string | undefined | null): string | null {
  if (key === undefined || key === null) return null;
  if (typeof key !== 'string' || key.length < 1 || key.length > 200 || /[\u0000-\u001f]/.test(key)) {
    throw invalid('idempotency key must be 1–200 printable characters', { field: 'idempotencyKey' });
  }
  return key;
}

const replayed = new WeakSet<object>();
/** Whether a use case's result is the stored answer of an earlier call with the same key (HTTP says so in a header). */
export const wasReplayed = (result: unknown): boolean => typeof result === 'object' && result !== null && replayed.has(result);

/**
 * A claimed key whose result is still to be stored. A use case whose last statement is a ledger write hands the
 * ticket and its result to that write (one round trip fewer) and marks it done; otherwise `once` stores it.
 */
export interface KeyTicket {
  key: string;
  requestHash: string;
  done: boolean;
}

/** Runs `work` once per key inside the caller's transaction; a replay returns the stored result. */
export async function once<T>(
  repos: Repositories,
  businessId: string,
  key: string | null,
  operation: string,
  input: unknown,
  at: Date,
  work: (ticket: KeyTicket | null) => Promise<T>,
  /** Claims the key in a statement of the use case's own (e.g. with the member lock); default: a statement of its own. */
  claimWith?: (claim: ClaimRequest) => Promise<IdempotencyClaim<unknown>>,
): Promise<T> {
  if (key === null) return work(null);
  const request: ClaimRequest = { key, requestHash: requestHash(operation, input), at };
  const claim = (claimWith ? await claimWith(request) : await repos.idempotency.claim<T>(businessId, key, request.requestHash, at)) as IdempotencyClaim<T>;
  if (claim.status === 'replay') {
    if (typeof claim.result === 'object' && claim.result !== null) replayed.add(claim.result);
    return claim.result;
  }
  const ticket: KeyTicket = { key, requestHash: request.requestHash, done: false };
  const result = await work(ticket);
  if (!ticket.done) await repos.idempotency.complete(businessId, key, request.requestHash, result, at);
  return result;
}
