// The two-way chat between members and the business: what a member wrote (in) and what staff answered (out), and
// the port the use cases store it through.
import type { Channel } from './channels.js';

export type ChatDirection = 'in' | 'out';

/** The longest chat message, either way (Telegram's own limit is 4096). */
export const MAX_CHAT_TEXT = 4000;

export interface ChatMessage {
  businessId: string;
  id: string;
  memberId: string;
  direction: ChatDirection;
  text: string;
  /** Where it came from (in) or is meant to go (out). */
  channel: Channel;
  /** Who answered (out); null for the member's own messages. */
  staffId: string | null;
  at: Date;
  /** When staff first saw a member's message; null while unread (always null for out). */
  readAt: Date | null;
}

export interface ChatMessageRecord extends ChatMessage {
  staffName: string | null;
}

/** One member's conversation in the inbox: who, the newest message, and how many of theirs nobody has read. */
export interface ChatThreadRecord {
  member: { id: string; name: string | null; cardNumber: string; blocked: boolean };
  last: ChatMessageRecord;
  unread: number;
}

export interface ChatRepository {
  /**
   * Stores a message. One the member wrote also takes its channel off the member's dead channels: they wrote through
   * it, so they are reachable there again (e.g. unblocked the bot).
   */
  add(m: ChatMessage): Promise<void>;
  /** Threads by their newest message, newest first, strictly older than `before` (keyset: at, member id). */
  threads(businessId: string, q: { unreadOnly: boolean; limit: number; before: { at: Date; memberId: string } | null }): Promise<ChatThreadRecord[]>;
  /** A member's messages, newest first, strictly older than the message `before` (its id) when given. */
  messages(businessId: string, memberId: string, q: { limit: number; before: string | null }): Promise<ChatMessageRecord[]>;
  /** Marks the member's unread messages read; returns how many. */
  markRead(businessId: string, memberId: string, at: Date): Promise<number>;
  /** Deletes the member's conversation (their data is erased); returns how many messages. */
  forget(businessId: string, memberId: string): Promise<number>;
}
