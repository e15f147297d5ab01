// The shapes the domain reads and writes through its ports.
import type { StaffLimits, StaffRole } from './staffRoles.js';
import type { Lot } from './lots.js';
import type { Minor, Points } from './money.js';
import type { Program } from './program.js';

export interface Business {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  /** Default phone region (ISO 3166 alpha-2) for numbers typed without a country code. */
  region: string;
  program: Program;
  createdAt: Date;
}

export interface Location {
  id: string;
  businessId: string;
  name: string;
  address: string | null;
}

export interface Member {
  id: string;
  businessId: string;
  cardNumber: string;
  phone: string;
  name: string | null;
  birthday: string | null;
  email: string | null;
  blocked: boolean;
  /** Purchases less refunds, all time (kept by every ledger write). */
  totalSpent: Minor;
  purchasesCount: number;
  /** The Telegram account the member joined or signed in with (one per member per business). */
  telegramUserId: number | null;
  telegramUsername: string | null;
  /** The VK account the business's VK community writes to (linked by the member writing to it, or by the API). */
  vkUserId: number | null;
  /** Answers to the business's own text questions, by question id. */
  answers: Record<string, string>;
  /** This member's invite code (made on first use), who invited them, and when both sides were rewarded. */
  referralCode: string | null;
  referredBy: string | null;
  referralRewardedAt: Date | null;
  /** Personal data erased at the member's request: the card no longer works. */
  erasedAt: Date | null;
  createdAt: Date;
}

export interface MemberLot extends Lot {
  memberId: string;
  purchaseId: string | null;
  expiredPoints: Points;
}

export interface Purchase {
  id: string;
  businessId: string;
  memberId: string;
  amount: Minor;
  redeemedPoints: Points;
  redeemValue: Minor;
  earnedPoints: Points;
  payableAmount: Minor;
  earnLotId: string | null;
  tierId: string | null;
  externalId: string | null;
  locationId: string | null;
  occurredAt: Date;
  createdAt: Date;
}

export interface PurchaseItem {
  sku: string;
  name: string;
  category: string | null;
  /** Up to three decimals (weighed goods). */
  quantity: number;
  /** Price of one unit, minor units. */
  price: Minor;
}

export interface Refund {
  id: string;
  businessId: string;
  purchaseId: string;
  memberId: string;
  amount: Minor;
  clawedBackPoints: Points;
  returnedPoints: Points;
  absorbedByExpiry: Points;
  shortfall: Points;
  transactionId: string | null;
  createdAt: Date;
}

export interface OutboxEvent {
  businessId: string;
  type: string;
  payload: Record<string, unknown>;
}

export type MemberRef = { id: string } | { phone: string } | { card: string } | { qrToken: string };

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Webhook {
  id: string;
  businessId: string;
  url: string;
  events: string[];
  /** The signing secret; kept in clear because every delivery is signed with it. */
  secret: string;
  createdAt: Date;
  deletedAt: Date | null;
}

/** What the list shows of a webhook's latest delivery. */
export interface WebhookDeliverySummary {
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  statusCode: number | null;
  error: string | null;
  /** The last attempt, or null before the first. */
  at: Date | null;
}

/** A delivery claimed by a worker, with what it needs to send it. */
export interface ClaimedWebhookDelivery {
  id: string;
  businessId: string;
  webhookId: string;
  url: string;
  secret: string;
  webhookDeleted: boolean;
  eventType: string;
  payload: unknown;
  eventCreatedAt: Date;
  /** Attempts made before this claim. */
  attempts: number;
  /** When the delivery was queued: its 24 hours of retries count from here. */
  createdAt: Date;
}

/** The result of one attempt: delivered, another try at `nextAttemptAt`, or failed for good. */
export interface WebhookAttemptOutcome {
  businessId: string;
  id: string;
  /** The attempts the claim saw; the outcome is dropped if another worker has recorded one since. */
  claimedAttempts: number;
  at: Date;
  status: WebhookDeliveryStatus;
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: Date;
}

export type ConsentKind = 'personal_data' | 'marketing';

export interface Consent {
  businessId: string;
  memberId: string;
  kind: ConsentKind;
  granted: boolean;
  /** Which text the member agreed to (the business's consent texts are versioned). */
  textVersion: string;
  channel: string;
  at: Date;
}

export type BotRole = 'customer' | 'staff';

/** A business's own Telegram bot, connected by its BotFather token. */
export interface BotConnection {
  id: string;
  businessId: string;
  role: BotRole;
  token: string;
  telegramId: number;
  username: string;
  /** Sent by Telegram with each webhook call (secret_token), so forged calls are refused. */
  webhookSecret: string;
  createdAt: Date;
}

export type StaffStatus = 'active' | 'blocked' | 'removed';

export interface StaffMember {
  id: string;
  businessId: string;
  name: string;
  role: StaffRole;
  locationIds: string[];
  email: string | null;
  passwordHash: string | null;
  telegramUserId: number | null;
  telegramUsername: string | null;
  limits: StaffLimits;
  status: StaffStatus;
  createdAt: Date;
}

export interface StaffInvite {
  businessId: string;
  role: StaffRole;
  name: string;
  locationIds: string[];
  createdBy: string | null;
}

export interface AuditEntry {
  businessId: string;
  at: Date;
  staffId: string | null;
  staffRole: string | null;
  action: string;
  memberId: string | null;
  points: number | null;
  issuedPoints: number;
  amount: number | null;
  channel: string;
  details: Record<string, unknown>;
}
