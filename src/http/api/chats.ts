// The members' chat under /api/v1 for the admin panel's inbox (cookie session): the conversations, one member's
// thread (opening it marks their messages read) and a reply. The same use cases as the staff API's
// /api/staff/businesses/:id/chats (src/http/staffChat.ts). Staff only: a chat reply is signed by a person, so an API
// key (which is nobody) is refused.
import type { Context } from 'hono';
import { z } from 'zod';
import { chatThread, listChats, replyToMember } from '../../app/chat.js';
import { ADMIN_CHANNEL } from '../adminSession.js';
import type { ApiEnv } from '../env.js';
import { HttpError } from '../errors.js';
import { route, type ApiRouter } from '../route.js';
import { responseSchemas } from '../schemas.js';

const timestamp = (d: string) => z.iso.datetime({ offset: true }).describe(d);

const ChatMessage = z
  .object({
    id: z.string(),
    memberId: z.string(),
    direction: z.enum(['in', 'out']).describe('in: the member wrote; out: staff answered'),
    text: z.string(),
    channel: z.string(),
    staff: z.object({ id: z.string(), name: z.string() }).nullable().describe('Who answered (out only)'),
    at: timestamp('Written at'),
    readAt: timestamp('When staff first saw it (in only); null while unread').nullable(),
  })
  .register(responseSchemas, { id: 'ChatMessage' });

const ChatList = z
  .object({
    items: z.array(z.object({ member: z.object({ id: z.string(), name: z.string().nullable(), cardNumber: z.string(), blocked: z.boolean() }), last: ChatMessage, unread: z.number().int().describe("The member's messages nobody has opened yet") })),
    nextBefore: z.string().nullable().describe('Pass as before for the next page; null on the last page'),
  })
  .register(responseSchemas, { id: 'ChatList' });

const ChatThread = z
  .object({
    member: z.object({ id: z.string(), name: z.string().nullable(), cardNumber: z.string(), phoneMasked: z.string(), blocked: z.boolean() }),
    items: z.array(ChatMessage).describe('Newest first; readAt as it was before this view (null marks what is new)'),
    nextBefore: z.string().nullable().describe('Pass as before for older messages; null at the start'),
  })
  .register(responseSchemas, { id: 'ChatThread' });

const MemberPath = z.object({ memberId: z.string().max(100).describe('Member id') });
const ListQuery = z.object({
  unreadOnly: z.enum(['true', 'false']).optional().describe('Only conversations with unread messages'),
  limit: z.string().regex(/^\d{1,3}$/).optional().describe('1–100 (default 50)'),
  before: z.string().max(100).optional().describe('nextBefore of the previous page'),
});
const ThreadQuery = z.object({
  limit: z.string().regex(/^\d{1,3}$/).optional().describe('1–200 (default 50)'),
  before: z.string().max(100).optional().describe('nextBefore of the previous page'),
});
const Reply = z.strictObject({ text: z.string().min(1).max(4000).describe('The answer, 1–4000 characters') });

function staffOf(c: Context<ApiEnv>) {
  const caller = c.var.caller;
  if (caller.kind !== 'staff') throw new HttpError(403, 'forbidden', 'The chat with members is for signed-in staff (the admin panel); an API key cannot answer members');
  return caller.staff;
}

export function chatRoutes(r: ApiRouter): void {
  route(r, {
    method: 'get', path: '/chats', operationId: 'listChats', tag: 'Chat', summary: 'The inbox: one entry per member who wrote or was answered, newest first',
    permission: 'chat.reply',
    description: 'Staff only (chat.reply: managers and up); API keys get 403. With the unread count of each conversation.',
    query: ListQuery,
    responses: { 200: { description: 'One page of conversations', schema: ChatList } },
  }, async ({ query, c }) => ({
    status: 200,
    body: await listChats(c.var.deps, { businessId: c.var.caller.businessId, staff: staffOf(c), unreadOnly: query.unreadOnly === 'true', limit: query.limit === undefined ? undefined : Number(query.limit), before: query.before ?? null }),
  }));

  route(r, {
    method: 'get', path: '/chats/:memberId', operationId: 'getChatThread', tag: 'Chat', summary: "One member's conversation, newest first; opening it marks their messages read",
    permission: 'chat.reply',
    description: 'Staff only (chat.reply).',
    params: MemberPath, query: ThreadQuery,
    responses: { 200: { description: 'The conversation', schema: ChatThread } },
    errors: ['member_not_found'],
  }, async ({ params, query, c }) => ({
    status: 200,
    body: await chatThread(c.var.deps, { businessId: c.var.caller.businessId, staff: staffOf(c), memberId: params.memberId, limit: query.limit === undefined ? undefined : Number(query.limit), before: query.before ?? null }),
  }));

  route(r, {
    method: 'post', path: '/chats/:memberId', operationId: 'replyToChat', tag: 'Chat', summary: 'Answer a member: stored, sent on their channel, audited',
    permission: 'chat.reply',
    description: "Staff only (chat.reply). The member's messages are marked read; the same Idempotency-Key again returns the first reply and sends nothing more.",
    params: MemberPath, body: Reply, idempotent: true,
    responses: { 201: { description: 'The reply as stored', schema: ChatMessage } },
    errors: ['member_not_found'],
  }, async ({ params, body, c, idempotencyKey }) => ({
    status: 201,
    body: await replyToMember(c.var.deps, { businessId: c.var.caller.businessId, staff: staffOf(c), channel: ADMIN_CHANNEL, memberId: params.memberId, text: body.text, idempotencyKey }),
  }));
}
