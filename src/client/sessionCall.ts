// The JSON call the session-based clients (card, staff) share: Bearer session, JSON in and out, problem+json
// answers turned into the client's own error class. Plain fetch, no dependencies.

export interface ApiProblem {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/** A problem+json answer as an error: its status, code and, for validation failures, each field's problems. */
export class ProblemError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(problem.detail ?? problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
  /** Each field's problems, keyed by its path ("owner.email"); '' for the form as a whole. */
  get fieldErrors(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const e of this.problem.errors ?? []) (out[e.path.replace(/^\//, '').replace(/\//g, '.')] ??= []).push(e.message);
    return out;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export function sessionCall(o: { base: string; fetch?: FetchLike | undefined; session: () => string | null; fail: (p: ApiProblem) => Error }) {
  const doFetch: FetchLike = o.fetch ?? ((input, init) => fetch(input, init));
  return async function call<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const session = o.session();
    if (session) headers.authorization = `Bearer ${session}`;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const res = await doFetch(o.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const p = (json ?? {}) as Partial<ApiProblem>;
      const code = p.code ?? 'http_error';
      throw o.fail({ status: res.status, code, title: p.title ?? res.statusText, ...(p.detail ? { detail: p.detail } : {}), ...(p.errors ? { errors: p.errors } : {}) });
    }
    return json as T;
  };
}
