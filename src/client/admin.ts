// The admin panel's session (/api/admin/session): sign in with e-mail + password (the server sets the HttpOnly
// session cookie and the readable CSRF cookie), who is signed in, sign out. The Integration API itself is then
// called with createClient({ baseUrl, session: true }) from ./index.ts. Plain fetch, no dependencies.
import { csrfFromDocument } from './index.js';
import { ProblemError, type ApiProblem, type FetchLike } from './sessionCall.js';
import type { StaffMe } from './staff.js';

export class AdminSessionError extends ProblemError {
  override readonly name = 'AdminSessionError';
}

export interface AdminSessionClientOptions {
  /** '' (default) in the panel: the same origin. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Default: the kopilka_csrf cookie in document.cookie. */
  csrfToken?: () => string | null | undefined;
}

export function createAdminSessionClient(o: AdminSessionClientOptions = {}) {
  const base = `${(o.baseUrl ?? '').replace(/\/+$/, '')}/api/admin/session`;
  const doFetch: FetchLike = o.fetch ?? ((input, init) => fetch(input, init));
  const csrfToken = o.csrfToken ?? csrfFromDocument;

  async function call(method: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const csrf = method === 'GET' ? null : csrfToken();
    if (csrf) headers['x-csrf-token'] = csrf;
    return doFetch(base, { method, headers, credentials: 'include', body: body === undefined ? undefined : JSON.stringify(body) });
  }
  async function fail(res: Response): Promise<never> {
    const text = await res.text();
    let p: Partial<ApiProblem> = {};
    try {
      p = text ? (JSON.parse(text) as Partial<ApiProblem>) : {};
    } catch {
      // not a problem document (a proxy's error page): the status says enough
    }
    throw new AdminSessionError({ status: res.status, code: p.code ?? 'http_error', title: p.title ?? res.statusText, ...(p.detail ? { detail: p.detail } : {}), ...(p.errors ? { errors: p.errors } : {}) });
  }

  return {
    /** Signs in (wrong e-mail or password: invalid_credentials; too many failures: rate_limited). */
    async signIn(input: { businessId: string; email: string; password: string }): Promise<void> {
      const res = await call('POST', input);
      if (!res.ok) await fail(res);
    },
    /** The signed-in staff member, their business and permissions; null when not signed in. */
    async me(): Promise<StaffMe | null> {
      const res = await call('GET');
      if (res.status === 401) return null;
      if (!res.ok) await fail(res);
      return (await res.json()) as StaffMe;
    },
    /** Ends the session on the server and clears both cookies. */
    async signOut(): Promise<void> {
      const res = await call('DELETE');
      if (!res.ok) await fail(res);
    },
  };
}

export type AdminSessionClient = ReturnType<typeof createAdminSessionClient>;
