// Messages to members: the outbox row each one is (unique key → sent once), the statuses it moves through, and the
// port every delivery channel (Telegram, VK, SMS, e-mail) implements.
import type { Channel, MessagePurpose } from './channels.js';
import type { MessageKind } from './messageTemplates.js';

/** Template kinds, plus chat replies (the staff member's own words) and card sign-in links staff send on request. */
export type MessageType = MessageKind | 'chat' | 'sign_in_link';

/**
 * scheduled: waits for its send time; queued: handed to the queue; sending: a worker has it; sent; failed: no
 * channel could deliver it (or retries ran out); skipped: no longer worth sending (consent withdrawn, points gone).
 */
export const MESSAGE_STATUSES = ['scheduled', 'queued', 'sending', 'sent', 'failed', 'skipped'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface NewMessage {
  businessId: string;
  id: string;
  /** Unique per business: the same key twice is one message (e.g. `expiry:<member>:<day>:<n>`, `broadcast:<id>:<member>`). */
  key: string;
  memberId: string;
  kind: MessageType;
  purpose: MessagePurpose;
  campaignId: string | null;
  /** Values for the template known when the message was made ({points}, {expiresAt}, {bonus} …). */
  vars: Record<string, string | number>;
  /** A fixed text (broadcasts, chat replies); null renders the business's template for `kind` when sent. */
  text: string | null;
  sendAfter: Date;
  createdAt: Date;
}

/** One message ready for a channel: the address on that channel and what to say. */
export interface OutgoingMessage {
  businessId: string;
  messageId: string;
  channel: Channel;
  /** Telegram chat id, VK user id, phone in E.164, or e-mail address. */
  address: string;
  text: string;
  /** E-mail only. */
  subject?: string;
  html?: string;
}

export type SendOutcome =
  /** Accepted by the channel; the provider's id when it gives one (SMS delivery reports refer to it). */
  | { status: 'sent'; providerMessageId: string | null }
  /** A temporary failure (network, 5xx, rate limit): try again later, after `retryAfterMs` when the channel says. */
  | { status: 'retry'; error: string; retryAfterMs?: number }
  /** This channel cannot reach the member (bot blocked, number invalid, address unknown): the next channel is tried. */
  | { status: 'dead'; error: string };

/** A channel as the delivery worker sees it: send one message, never throw (errors are outcomes). */
export interface ChannelSender {
  readonly channel: Channel;
  send(m: OutgoingMessage): Promise<SendOutcome>;
}
