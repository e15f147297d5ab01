// One declaration per endpoint: it validates the request, documents the operation in OpenAPI and types the handler.
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { HttpError } from './errors.js';
import type { ApiEnv, Caller } from './env.js';
import { can, type StaffAction } from '../core/index.js';
import type { StaffAlerts } from '../app/till.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** A body that is not JSON (a file): its media type, documented as binary. */
  mediaType?: string;
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** Hono style: /members/:memberId */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The operation changes state: an Idempotency-Key header is required. */
  idempotent?: boolean;
  /** Served without an API key. */
  public?: boolean;
  /**
   * What a signed-in staff member (the admin panel) needs for this operation (src/core/staffRoles.ts); null or
   * absent: API keys only — staff are refused (fail closed, so a new route is not open to cashiers by accident).
   */
  permission?: StaffAction | null;
  responses: Record<number, ResponseSpec>;
  /** Error codes this operation can answer with (documented; every operation may also give the common ones). */
  errors?: string[];
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The Idempotency-Key header of an idempotent route, namespaced for the use cases. */
  idempotencyKey: string | null;
  c: Context<ApiEnv>;
}

export interface Reply {
  status: ContentfulStatusCode | 204;
  body?: unknown;
  /** The use case answered from an earlier request with the same idempotency key. */
  replayed?: boolean;
}

const KEY_RE = /^[\x21-\x7e][\x20-\x7e]{0,199}$/;

function idempotencyKeyOf(c: Context<ApiEnv>): string {
  const key = c.req.header('idempotency-key');
  if (key === undefined || key === '') throw new HttpError(400, 'idempotency_key_missing', 'This request changes state: send an Idempotency-Key header (any unique string up to 200 characters, e.g. a UUID) so a retry cannot apply it twice');
  if (!KEY_RE.test(key)) throw new HttpError(400, 'validation_failed', 'Idempotency-Key must be 1–200 printable ASCII characters', { errors: [{ path: 'header.Idempotency-Key', message: 'must be 1–200 printable ASCII characters' }] });
  // A staff member's keys are their own: never answered with an API key's (or a colleague's) stored result.
  const caller = c.get('caller') as Caller | undefined;
  return caller?.kind === 'staff' ? `api:${caller.keyId}:${key}` : `api:${key}`;
}

/** Staff callers need the route's permission; API keys are not subject to it. */
function requireStaffPermission(caller: Caller, permission: StaffAction | null): void {
  if (caller.kind !== 'staff') return;
  if (permission === null) throw new HttpError(403, 'forbidden', 'Only an API key may do this; staff cannot, whatever their role', { role: caller.staff.role });
  if (!can(caller.staff.role, permission)) throw new HttpError(403, 'forbidden', `A ${caller.staff.role} may not do ${permission}`, { action: permission, role: caller.staff.role });
}

type Out<T extends z.ZodType | undefined> = T extends z.ZodType ? z.output<T> : undefined;

export type AnyRoute = RouteSpec<z.ZodType, z.ZodType, z.ZodType>;

/** A Hono app plus the specs of the routes declared on it (the OpenAPI document is built from them). */
export interface ApiRouter {
  hono: Hono<ApiEnv>;
  specs: AnyRoute[];
  /** Authenticates and rate-limits a request to a non-public route; sets c.var.caller and c.var.deps. */
  guard: (c: Context<ApiEnv>) => Promise<void>;
  /** Tells the owners when a signed-in staff member's operation is refused over their limits. */
  staffAlerts: StaffAlerts;
}

/** Zod issues as the problem document's errors list. */
export function issuesOf(error: z.ZodError, prefix: string): { path: string; message: string }[] {
  return error.issues.slice(0, 50).map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
}

/** PostgreSQL text cannot hold NUL; a string with one is refused here rather than failing in the database. */
function nulAt(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const at = k.includes('\u0000') ? `${path}.${k}` : nulAt(v, path ? `${path}.${k}` : k, depth + 1);
    if (at !== null) return at;
  }
  return null;
}

function parsePart<T extends z.ZodType>(schema: T, value: unknown, part: string): z.output<T> {
  const nul = nulAt(value, part === 'body' ? '' : part);
  if (nul !== null) throw new HttpError(400, 'validation_failed', `The request ${part} is not valid`, { errors: [{ path: nul, message: 'must not contain the NUL character' }] });
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, 'validation_failed', `The request ${part} is not valid`, { errors: issuesOf(r.error, part === 'body' ? '' : part) });
  return r.data;
}

async function readJson(c: Context<ApiEnv>): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  const text = await c.req.text();
  if (text.length === 0) return undefined;
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'validation_failed', 'The body is not valid JSON', { errors: [{ path: '', message: 'not valid JSON' }] });
  }
}

export function route<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType>(
  router: ApiRouter,
  spec: RouteSpec<P, Q, B>,
  handler: (input: RouteInput<Out<P>, Out<Q>, Out<B>>) => Promise<Reply>,
): void {
  router.specs.push(spec as unknown as AnyRoute);
  router.hono.on(spec.method.toUpperCase(), spec.path, async (c) => {
    if (!spec.public) {
      await router.guard(c);
      requireStaffPermission(c.var.caller, spec.permission ?? null);
    }
    const idempotencyKey = spec.idempotent ? idempotencyKeyOf(c) : null;
    const params = spec.params ? parsePart(spec.params, c.req.param(), 'path') : undefined;
    const query = spec.query ? parsePart(spec.query, c.req.query(), 'query') : undefined;
    let body: unknown;
    if (spec.body) {
      const raw = await readJson(c);
      body = parsePart(spec.body, raw === undefined ? {} : raw, 'body');
    }
    const reply = await handler({ params, query, body, idempotencyKey, c } as RouteInput<Out<P>, Out<Q>, Out<B>>);
    if (reply.status === 204) return c.body(null, 204);
    const headers: Record<string, string> = reply.replayed ? { 'Idempotent-Replayed': 'true' } : {};
    return c.json(reply.body as object, reply.status, headers);
  });
}
