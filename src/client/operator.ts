// The platform operator's API (/api/operator): sign in with e-mail + password (the server sets the HttpOnly
// kopilka_operator cookie and the readable CSRF cookie), who is signed in, the businesses with their health, a new
// business with its owner's invitation, sign out. Not part of /api/v1; plain fetch, no dependencies.
import { csrfFromDocument } from './index.js';
import { ProblemError, type ApiProblem, type FetchLike } from './sessionCall.js';

export class OperatorError extends ProblemError {
  override readonly name = 'OperatorError';
  /** Seconds to wait when rate limited (the Retry-After header), else null. */
  retryAfter: number | null = null;
}

export interface OperatorMe {
  id: string;
  email: string;
  createdAt: string;
}

export interface BusinessHealth {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  createdAt: string;
  members: number;
  purchasesLast30Days: number;
  lastPurchaseAt: string | null;
  /** The latest ledger transaction or purchase. */
  lastActivityAt: string | null;
  /** Points members hold and that have not expired (the program's liability). */
  outstandingPoints: number;
  activeStaff: number;
  /** The invited owner has accepted (an active owner exists). */
  ownerJoined: boolean;
  bots: { role: 'customer' | 'staff'; username: string }[];
  pendingBots: ('customer' | 'staff')[];
  webhookFailures: number;
}

export interface InstanceBackup {
  status: 'running' | 'done' | 'failed';
  kind: 'manual' | 'daily';
  createdAt: string;
  finishedAt: string | null;
}

export interface BusinessList {
  businesses: BusinessHealth[];
  /** Backups hold the whole instance: the latest one, or null when none was made. */
  lastBackup: InstanceBackup | null;
}

export interface NewBusiness {
  name: string;
  timezone?: string;
  currency?: string;
  ownerName: string;
}

export interface NewBusinessDone {
  businessId: string;
  name: string;
  /** One-time link (72 hours) the owner opens to set their e-mail and password. */
  ownerInvitation: { url: string; expiresAt: string };
  /** Where the owner signs in to the panel afterwards. */
  adminUrl: string;
}

export interface OperatorClientOptions {
  /** '' (default) in the panel: the same origin. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Default: the kopilka_csrf cookie in document.cookie. */
  csrfToken?: () => string | null | undefined;
}

export function createOperatorClient(o: OperatorClientOptions = {}) {
  const base = `${(o.baseUrl ?? '').replace(/\/+$/, '')}/api/operator`;
  const doFetch: FetchLike = o.fetch ?? ((input, init) => fetch(input, init));
  const csrfToken = o.csrfToken ?? csrfFromDocument;

  async function call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const csrf = method === 'GET' ? null : csrfToken();
    if (csrf) headers['x-csrf-token'] = csrf;
    return doFetch(base + path, { method, headers, credentials: 'include', body: body === undefined ? undefined : JSON.stringify(body) });
  }
  async function fail(res: Response): Promise<never> {
    const text = await res.text();
    let p: Partial<ApiProblem> = {};
    try {
      p = text ? (JSON.parse(text) as Partial<ApiProblem>) : {};
    } catch {
      // not a problem document (a proxy's error page): the status says enough
    }
    const e = new OperatorError({ status: res.status, code: p.code ?? 'http_error', title: p.title ?? res.statusText, ...(p.detail ? { detail: p.detail } : {}), ...(p.errors ? { errors: p.errors } : {}) });
    const wait = Number(res.headers.get('retry-after'));
    if (Number.isFinite(wait) && wait > 0) e.retryAfter = wait;
    throw e;
  }
  async function json<T>(res: Response): Promise<T> {
    if (!res.ok) await fail(res);
    return (await res.json()) as T;
  }

  return {
    /** Signs in (wrong e-mail or password: invalid_credentials; too many failures: rate_limited with retryAfter). */
    async signIn(input: { email: string; password: string }): Promise<void> {
      const res = await call('POST', '/session', input);
      if (!res.ok) await fail(res);
    },
    /** The signed-in operator; null when not signed in (an owner's session is not an operator's). */
    async me(): Promise<OperatorMe | null> {
      const res = await call('GET', '/session');
      if (res.status === 401) return null;
      return json<OperatorMe>(res);
    },
    /** Ends the session on the server and clears its cookie. */
    async signOut(): Promise<void> {
      const res = await call('DELETE', '/session');
      if (!res.ok) await fail(res);
    },
    /** Every business with its health figures (never its members or money beyond these). */
    businesses: async (): Promise<BusinessList> => json<BusinessList>(await call('GET', '/businesses')),
    /** A new business and its owner's one-time invitation. */
    createBusiness: async (input: NewBusiness): Promise<NewBusinessDone> => json<NewBusinessDone>(await call('POST', '/businesses', input)),
  };
}

export type OperatorClient = ReturnType<typeof createOperatorClient>;
