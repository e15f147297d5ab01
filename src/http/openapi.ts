// The OpenAPI 3.1 document, built from the same route declarations and zod schemas that validate requests.
import { z } from 'zod';
import { DOMAIN_STATUS, HTTP_CODES } from './errors.js';
import type { AnyRoute } from './route.js';
import { requestSchemas, responseSchemas } from './schemas.js';

type Json = Record<string, unknown>;

const REF = (id: string) => `#/components/schemas/${id}`;

function clean(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

/** A schema inline, or a $ref when it is a registered component. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const registry = io === 'input' ? requestSchemas : responseSchemas;
  const meta = registry.get(schema);
  if (meta?.id) return { $ref: REF(meta.id) };
  return clean(z.toJSONSchema(schema, { io, unrepresentable: 'any', metadata: z.registry() }) as Json);
}

function components(): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [registry, io] of [[requestSchemas, 'input'], [responseSchemas, 'output']] as const) {
    const { schemas } = z.toJSONSchema(registry, { io, uri: REF, unrepresentable: 'any' }) as { schemas: Record<string, Json> };
    for (const [id, s] of Object.entries(schemas)) out[id] = clean(s);
  }
  return out;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', metadata: z.registry() }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: where, required: where === 'path' || (js.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: REF('Problem') } } } });

const statusOfCode = (code: string): number =>
  code in DOMAIN_STATUS ? DOMAIN_STATUS[code as keyof typeof DOMAIN_STATUS] : ({ unauthorized: 401, forbidden: 403, csrf_failed: 403, rate_limited: 429, idempotency_key_missing: 400 } as Record<string, number>)[code] ?? 400;

/** Which staff permission the admin panel's signed-in staff need (docs/STAFF.md). */
const staffNote = (r: AnyRoute): string => (r.permission ? `Staff: ${r.permission}` : 'Staff: not allowed (API keys only)');

function operation(r: AnyRoute): Json {
  const responses: Json = {};
  for (const [status, res] of Object.entries(r.responses)) {
    responses[status] = res.schema ? { description: res.description, content: { 'application/json': { schema: schemaOf(res.schema, 'output') } } } : { description: res.description };
    if (res.mediaType) responses[status] = { description: res.description, content: { [res.mediaType]: { schema: { type: 'string', format: 'binary' } } } };
    if (r.idempotent && Number(status) < 300) {
      (responses[status] as Json).headers = { 'Idempotent-Replayed': { description: '"true" when this is the stored answer to an earlier request with the same key', schema: { type: 'string' } } };
    }
  }
  // Every error an operation can give, grouped by status, with the codes listed.
  const codes = [...(r.errors ?? []), 'validation_failed', ...(r.public ? [] : ['unauthorized', 'rate_limited', 'forbidden', 'csrf_failed']), ...(r.idempotent ? ['idempotency_key_missing', 'idempotency_conflict', 'idempotency_in_flight'] : [])];
  const byStatus = new Map<number, string[]>();
  for (const code of new Set(codes)) byStatus.set(statusOfCode(code), [...(byStatus.get(statusOfCode(code)) ?? []), code]);
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) responses[String(status)] = problemResponse(`Codes: ${list.join(', ')}`);
  responses.default = problemResponse('Any other error (internal_error)');

  const params = [...parameters(r.params, 'path'), ...parameters(r.query, 'query')];
  if (r.idempotent) {
    params.push({ name: 'Idempotency-Key', in: 'header', required: true, description: 'Unique per intended change (1–200 characters); a retry with the same key and body gets the stored answer. Kept at least 24 hours.', schema: { type: 'string', minLength: 1, maxLength: 200 } });
  }
  return {
    operationId: r.operationId,
    summary: r.summary,
    ...(r.public ? (r.description ? { description: r.description } : {}) : { description: [r.description, staffNote(r)].filter(Boolean).join('\n\n') }),
    tags: [r.tag],
    ...(r.public ? { security: [] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(r.body, 'input') } } } } : {}),
    responses,
  };
}

export function openApiDocument(routes: readonly AnyRoute[], opts: { version: string; serverUrl?: string }): Json {
  const paths: Record<string, Json> = {};
  for (const r of routes) {
    const path = `/api/v1${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    paths[path] = { ...(paths[path] ?? {}), [r.method]: operation(r) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kopilka Integration API',
      version: opts.version,
      description: [
        'The HTTP contract for tills, online shops and every Kopilka front end. JSON in and out; money in integer minor units, points as integers.',
        'Authentication: send an API key of your business as `Authorization: Bearer <key>` (create one with `kopilka api-key create --business ID`). A key sees only its own business.',
        'Every POST that changes state needs an `Idempotency-Key` header: a retry with the same key and body gets the stored answer with `Idempotent-Replayed: true`; the same key with another body is refused (422 idempotency_conflict); while the first request is still running the answer is 409 idempotency_in_flight.',
        `Errors are application/problem+json (RFC 9457) with a stable \`code\`. Codes: ${[...Object.keys(DOMAIN_STATUS), ...Object.keys(HTTP_CODES)].join(', ')}.`,
        'Staff signed in to the admin panel (POST /api/admin/session) call the same operations with the kopilka_session cookie instead of a key; every write also needs the X-CSRF-Token header equal to the kopilka_csrf cookie (otherwise 403 csrf_failed), and each operation needs the staff permission its description names (otherwise 403 forbidden).',
        'Rate limit: per key (default 50 requests per second); over it the answer is 429 with Retry-After.',
      ].join('\n\n'),
    },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    security: [{ apiKey: [] }, { staffSession: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components(),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: kop_<prefix>_<secret>' },
        staffSession: { type: 'apiKey', in: 'cookie', name: 'kopilka_session', description: 'The admin panel: a staff session from POST /api/admin/session. Writes also need X-CSRF-Token equal to the kopilka_csrf cookie; each operation names the staff permission it needs ("Staff: …").' },
      },
    },
  };
}
