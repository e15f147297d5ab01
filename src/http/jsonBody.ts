// A JSON request body checked against a zod schema, for the routes outside /api/v1 (the card app's, the cashier
// screen's, the panel's sign-in, the set-up wizard and the operator): 415 unless JSON, 400 for broken JSON, a NUL
// character (PostgreSQL cannot store it in text) or anything the schema refuses, with every problem listed.
import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from './errors.js';
import { issuesOf } from './route.js';

export async function jsonBody<T extends z.ZodType>(c: Context, schema: T, hint = 'The request body is not valid'): Promise<z.output<T>> {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) throw new HttpError(415, 'unsupported_media_type', 'Send JSON (Content-Type: application/json)');
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new HttpError(400, 'validation_failed', 'The body is not valid JSON', { errors: [{ path: '', message: 'not valid JSON' }] });
  }
  if (JSON.stringify(json).includes('\\u0000')) throw new HttpError(400, 'validation_failed', 'The body must not contain the NUL character', { errors: [{ path: '', message: 'must not contain NUL' }] });
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, 'validation_failed', hint, { errors: issuesOf(parsed.error, '') });
  return parsed.data;
}
