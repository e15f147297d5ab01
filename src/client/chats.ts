// The members' chat on the Integration API (GET/POST /chats…): the admin panel's inbox, with the staff cookie session.
// The shapes are the staff API's (./staff.ts): both serve the same use cases.
import type { ChatList, ChatMessage, ChatThread } from './staff.js';

type Get = <T>(path: string, query?: Record<string, string | number | undefined>) => Promise<T>;
type Write = <T>(method: 'POST', path: string, body: unknown, w?: { idempotencyKey?: string }) => Promise<T>;

export function chatMethods(get: Get, write: Write) {
  const enc = encodeURIComponent;
  return {
    /** The conversations, newest first, with each one's unread count. */
    list: (q: { unreadOnly?: boolean; limit?: number; before?: string } = {}) =>
      get<ChatList>('/chats', { unreadOnly: q.unreadOnly === undefined ? undefined : String(q.unreadOnly), limit: q.limit, before: q.before }),
    /** One member's conversation, newest first; opening it marks their messages read. */
    thread: (memberId: string, q: { limit?: number; before?: string } = {}) => get<ChatThread>(`/chats/${enc(memberId)}`, q),
    /** Answers the member (sent on their channel); the same idempotency key again sends nothing more. */
    reply: (memberId: string, text: string, w?: { idempotencyKey?: string }) => write<ChatMessage>('POST', `/chats/${enc(memberId)}`, { text }, w),
  };
}
