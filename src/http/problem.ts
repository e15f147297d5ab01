// RFC 9457 problem details: the one error shape every HTTP answer uses.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface Problem {
  type?: string;
  title: string;
  status: ContentfulStatusCode;
  detail?: string;
  [extension: string]: unknown;
}

export function problem(c: Context, p: Problem): Response {
  return c.body(JSON.stringify({ type: 'about:blank', ...p }), p.status, {
    'content-type': 'application/problem+json',
  });
}
