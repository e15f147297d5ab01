// The staff API's chat with members (the admin panel's inbox): the conversations, one member's thread (opening it
// marks their messages read) and a reply (Idempotency-Key required, like every staff write). Mounted by staff.ts.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { chatThread, listChats, replyToMember } from '../app/chat.js';
import type { AppDeps } from '../app/deps.js';
import type * as C from '../client/staff.js';
import type { StaffMember } from '../core/index.js';
import { HttpError } from './errors.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Result<F extends (...a: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;
const proofs: [Same<Result<typeof listChats>, C.ChatList>, Same<Result<typeof chatThread>, C.ChatThread>, Same<Result<typeof replyToMember>, C.ChatMessage>] = [true, true, true];
void proofs;

const Reply = z.strictObject({ text: z.string().min(1).max(4000) });

export interface StaffRouteKit {
  deps: AppDeps;
  caller: (c: Context) => Promise<{ staff: StaffMember; channel: string }>;
  body: <T extends z.ZodType>(c: Context, schema: T) => Promise<z.output<T>>;
  key: (c: Context) => string;
}

const flag = (v: string | undefined, name: string): boolean => {
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new HttpError(400, 'validation_failed', `${name} must be true or false`, { errors: [{ path: name, message: 'true or false' }] });
};
const int = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d{1,6}$/.test(v)) throw new HttpError(400, 'validation_failed', `${name} must be a whole number`, { errors: [{ path: name, message: 'a whole number' }] });
  return Number(v);
};

export function mountStaffChat(api: Hono, k: StaffRouteKit): void {
  api.get('/businesses/:businessId/chats', async (c) => {
    const who = await k.caller(c);
    return c.json(await listChats(k.deps, { businessId: c.req.param('businessId'), staff: who.staff, unreadOnly: flag(c.req.query('unreadOnly'), 'unreadOnly'), limit: int(c.req.query('limit'), 'limit'), before: c.req.query('before') ?? null }));
  });
  api.get('/businesses/:businessId/chats/:memberId', async (c) => {
    const who = await k.caller(c);
    return c.json(await chatThread(k.deps, { businessId: c.req.param('businessId'), staff: who.staff, memberId: c.req.param('memberId'), limit: int(c.req.query('limit'), 'limit'), before: c.req.query('before') ?? null }));
  });
  api.post('/businesses/:businessId/chats/:memberId', async (c) => {
    const who = await k.caller(c);
    const input = await k.body(c, Reply);
    const idempotencyKey = k.key(c);
    return c.json(await replyToMember(k.deps, { businessId: c.req.param('businessId'), staff: who.staff, channel: who.channel, memberId: c.req.param('memberId'), text: input.text, idempotencyKey }), 201);
  });
}
