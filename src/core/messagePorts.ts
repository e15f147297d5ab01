// The outbox of messages as the use cases see it: producers add rows; the releaser hands due ones to the queue in
// the same transaction; the delivery worker claims one, sends it and records what happened.
import type { Channel, MessagePurpose } from './channels.js';
import type { MessageStatus, MessageType, NewMessage } from './messages.js';

/** Runs SQL in the caller's transaction (the job queue's own inserts ride along with ours). */
export interface TransactionSql {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface StoredMessage {
  businessId: string;
  id: string;
  key: string;
  memberId: string;
  kind: MessageType;
  purpose: MessagePurpose;
  campaignId: string | null;
  vars: Record<string, string | number>;
  text: string | null;
  status: MessageStatus;
  channel: Channel | null;
  triedChannels: Channel[];
  sendAfter: Date;
  attempts: number;
  body: string | null;
  providerMessageId: string | null;
  deliveryStatus: string | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** What the worker needs of a member to reach them. */
export interface MemberReachRecord {
  id: string;
  name: string | null;
  phone: string;
  email: string | null;
  cardNumber: string;
  telegramUserId: number | null;
  vkUserId: number | null;
  language: string | null;
  deadChannels: Channel[];
  blocked: boolean;
  erased: boolean;
  /** The member's latest answer about marketing messages. */
  marketingConsent: boolean;
}

export interface OutboxEventRecord {
  id: number;
  businessId: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface MessageRepository {
  /** Outbox events not yet looked at by the notifications relay, oldest first, locked (others skip them). */
  takeEvents(limit: number, businessId: string | null): Promise<OutboxEventRecord[]>;
  markEventsNotified(ids: readonly number[], at: Date): Promise<void>;
  /** Whether the business has events the relay has not looked at. */
  hasPendingEvents(businessId: string): Promise<boolean>;
  /** Inserts the messages whose key the business has not used yet; returns how many were new. */
  add(messages: readonly NewMessage[]): Promise<number>;
  /**
   * Marks up to `limit` scheduled messages due at `now` queued (skipping rows others hold) and returns them; the caller
   * enqueues their jobs in the same transaction through `sql`. `from`: none due before it is left (a run releasing
   * batch after batch passes the last batch's send time, so the index is not walked again over rows just released).
   */
  releaseDue(now: Date, limit: number, businessId: string | null, from?: Date | null): Promise<{ businessId: string; id: string; sendAfter: Date }[]>;
  /** The transaction's SQL, for the job queue's inserts. */
  sql(): TransactionSql;
  /** The earliest send time among the business's scheduled messages. */
  nextScheduledAt(businessId: string): Promise<Date | null>;
  /**
   * Takes a queued message (or one whose worker died while sending) for delivery: status sending, one more attempt.
   * Null when it is already sent, failed or skipped (a duplicate job), or unknown.
   */
  claim(businessId: string, id: string, at: Date): Promise<{ message: StoredMessage; member: MemberReachRecord } | null>;
  /** The last statement of its transaction (the store may commit together with it). */
  recordSent(businessId: string, id: string, r: { channel: Channel; body: string; providerMessageId: string | null; triedChannels: Channel[]; at: Date }): Promise<void>;
  /** Back to queued for the queue's next try. */
  recordRetry(businessId: string, id: string, r: { error: string; triedChannels: Channel[] }): Promise<void>;
  recordFinal(businessId: string, id: string, r: { status: 'failed' | 'skipped'; error: string; triedChannels: Channel[]; at: Date }): Promise<void>;
  /** The channel failed for good for this member (blocked the bot, invalid number): skipped from now on. */
  markChannelDead(businessId: string, memberId: string, channel: Channel): Promise<void>;
  /** The member can be reached on the channel again (unblocked the bot). */
  markChannelAlive(businessId: string, memberId: string, channel: Channel): Promise<void>;
  get(businessId: string, id: string): Promise<StoredMessage | null>;
  /** Erasure: the member's messages keep their kind and status, lose what they said; unsent ones are skipped. */
  forgetMember(businessId: string, memberId: string): Promise<void>;
  /** How many of these messages are still queued or being sent. */
  unfinished(businessId: string, ids: readonly string[]): Promise<number>;
  /** A member's messages, newest first. */
  listForMember(businessId: string, memberId: string, limit: number): Promise<StoredMessage[]>;
}
