// The ports the use cases need; src/store implements them on PostgreSQL. Every call runs inside one transaction.
import type { Actor, NewLedgerTransaction } from './ledger.js';
import type { Minor, Points } from './money.js';
import type { ClaimedWebhookDelivery, Webhook, WebhookAttemptOutcome, WebhookDeliverySummary } from './records.js';
import type { BotConnection, BotRole, Business, Consent, Location, Member, MemberLot, OutboxEvent, Purchase, PurchaseItem, Refund } from './records.js';
import type { AuditEntry, StaffInvite, StaffMember } from './records.js';
import type { CampaignRepository } from './campaignPorts.js';
import type { ChatRepository } from './chatPorts.js';
import type { MessageRepository } from './messagePorts.js';
import type { CampaignJobRepository } from './campaignJobPorts.js';
import type { NotificationChannelRepository } from './channelPorts.js';
import type { ReportRepository } from './reportPorts.js';
import type { ExportRepository, ImportRepository, WorkProgressRepository } from './dataPorts.js';
import type { OperatorRepository, SetupRepository } from './setupPorts.js';
import type { BusinessProfile } from './businessProfile.js';

export interface BusinessRepository {
  insert(b: Business): Promise<void>;
  get(id: string): Promise<Business | null>;
  findByName(name: string): Promise<Business | null>;
  update(b: Business): Promise<void>;
  insertLocation(l: Location): Promise<void>;
  locationExists(businessId: string, locationId: string): Promise<boolean>;
  /** The business's locations by name (the admin panel's choices). */
  locations(businessId: string): Promise<{ id: string; name: string }[]>;
  /** The secret member QR tokens of this business are signed with. */
  qrSecret(businessId: string): Promise<string | null>;
  hasPurchases(businessId: string): Promise<boolean>;
  /** The business profile (address, hours, Info page…); null until it is first set. */
  profile(businessId: string): Promise<BusinessProfile | null>;
  setProfile(businessId: string, profile: BusinessProfile): Promise<void>;
}

export interface ApiKeyRecord {
  id: string;
  businessId: string;
  name: string;
  prefix: string;
  secretHash: string;
  locationId: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface ApiKeyRepository {
  insert(k: Omit<ApiKeyRecord, 'revokedAt'>): Promise<void>;
  list(businessId: string): Promise<ApiKeyRecord[]>;
  findByPrefix(prefix: string): Promise<ApiKeyRecord | null>;
  /** Marks the key revoked; false when there is no such live key of this business. */
  revoke(businessId: string, id: string, at: Date): Promise<boolean>;
}

export interface MemberRepository {
  /** Inserts unless the phone or card number is taken; returns which one clashed. */
  insert(m: Member): Promise<'ok' | 'phone_taken' | 'card_taken'>;
  /**
   * Inserts many members in one statement (imports); a member whose phone or card number is taken is left out.
   * Returns what became of each, in the input's order: 'ok', or which one clashed (the phone first). Members in
   * `credited` start with ledger sequence 1: the LedgerRepository.writeMany that follows in this transaction credits
   * them, told so by its `inserted` (one update of each row fewer).
   */
  insertMany(members: readonly Member[], o?: { credited?: ReadonlySet<string> }): Promise<('ok' | 'phone_taken' | 'card_taken')[]>;
  get(businessId: string, id: string): Promise<Member | null>;
  findByPhone(businessId: string, phone: string): Promise<Member | null>;
  findByCard(businessId: string, cardNumber: string): Promise<Member | null>;
  findByLast4(businessId: string, last4: string, limit: number): Promise<Member[]>;
  /** Name (any part, any case), phone digits or card number digits; newest members first. */
  search(businessId: string, q: { text: string; digits: string }, limit: number): Promise<Member[]>;
  /** Saves the profile fields, answers and the blocked flag; with `at`, a changed birthday is dated then. */
  update(m: Member, at?: Date): Promise<void>;
  /** Gives the member an invite code unless they have one (or the code is taken); returns the code they now have, or null. */
  setReferralCode(businessId: string, memberId: string, code: string): Promise<string | null>;
  findByReferralCode(businessId: string, code: string): Promise<Member | null>;
  /** Ids of members who are not blocked, in id order after `afterId`, a page at a time. */
  activeIds(businessId: string, afterId: string | null, limit: number): Promise<string[]>;
  markReferralRewarded(businessId: string, memberId: string, at: Date): Promise<void>;
  /**
   * Erases the member's personal data (name, birthday, e-mail, answers, phone, Telegram and VK accounts, invite code) and
   * blocks the card; the ledger and consent log stay, tied to the anonymous member id.
   */
  erase(businessId: string, memberId: string, at: Date): Promise<void>;
  findByTelegram(businessId: string, telegramUserId: number): Promise<Member | null>;
  /** Ties the member to a Telegram account, taking it from any other member of the business. */
  linkTelegram(businessId: string, memberId: string, telegramUserId: number, username: string | null): Promise<void>;
  findByVk(businessId: string, vkUserId: number): Promise<Member | null>;
  /**
   * Sets (or with null clears) the member's VK account; false when another member of the business has it, unless
   * `takeFromOthers` (the account's owner proved it by writing to the community). A new account, or `reachable`,
   * takes VK off the member's dead channels.
   */
  setVkUser(businessId: string, memberId: string, vkUserId: number | null, o?: { takeFromOthers?: boolean; reachable?: boolean }): Promise<boolean>;
  addConsent(c: Consent): Promise<void>;
  /** The latest answer per kind. */
  consents(businessId: string, memberId: string): Promise<Consent[]>;
  /**
   * Locks the member row until the transaction ends (every points write locks its member first) and returns it
   * with its business and its open lots as they are after every earlier writer committed, in one round trip.
   */
  lock(businessId: string, id: string): Promise<LockedMemberRecord | null>;
  /**
   * Locks many members until the transaction ends, as `lock` does, in id order (so bulk writers never deadlock each
   * other); returns the ids found. Their open lots, read after this, are as every earlier writer left them.
   */
  lockMany(businessId: string, ids: readonly string[]): Promise<string[]>;
  /**
   * Claims an idempotency key (as IdempotencyRepository.claim: in flight and conflicts are refused) and, only when
   * the claim is new, locks the member, in one round trip. A replay returns the stored result and locks nothing.
   */
  lockWithClaim(businessId: string, id: string, claim: ClaimRequest): Promise<{ claim: IdempotencyClaim<unknown>; locked: LockedMemberRecord | null }>;
}

export interface LockedMemberRecord {
  member: Member;
  business: Business;
  lots: MemberLot[];
}

export interface ClaimRequest {
  key: string;
  requestHash: string;
  at: Date;
}

export interface LotRepository {
  /** Lots with points left (active, pending or due to expire). Lots only change under their member's lock. */
  open(businessId: string, memberId: string): Promise<MemberLot[]>;
  /** Open lots of several members at once (lists of members). */
  openMany(businessId: string, memberIds: readonly string[]): Promise<MemberLot[]>;
  get(businessId: string, lotId: string): Promise<MemberLot | null>;
}

/** Purchases and refunds are written by LedgerRepository.write, together with their points. */
export interface DayTotals {
  purchases: number;
  amount: Minor;
  earned: Points;
  redeemed: Points;
  newMembers: number;
}

export interface PurchaseRepository {
  /** Purchases, their money and points, and new members, between two instants. */
  totals(businessId: string, from: Date, to: Date): Promise<DayTotals>;
  get(businessId: string, id: string): Promise<Purchase | null>;
  findByExternalId(businessId: string, externalId: string): Promise<Purchase | null>;
  /** Purchases less their refunds since `since` (null: all time). */
  totalSpent(businessId: string, memberId: string, since: Date | null): Promise<Minor>;
  refunds(businessId: string, purchaseId: string): Promise<Refund[]>;
  items(businessId: string, purchaseId: string): Promise<PurchaseItem[]>;
}

/** Everything one points write changes, written together in one statement. */
export interface LedgerWrite {
  transactions: NewLedgerTransaction[];
  purchase?: Purchase | undefined;
  items?: PurchaseItem[] | undefined;
  refund?: Refund | undefined;
  /** Outbox events recorded in the same transaction as the change. */
  events: OutboxEvent[];
  at: Date;
  /** Stores the result of the claimed idempotency key in the same statement. */
  idempotency?: { key: string; requestHash: string; result: unknown } | undefined;
  /**
   * Nothing follows this write in its transaction: the store may commit together with it (one round trip fewer).
   * The caller must not touch the database, nor throw, after it returns.
   */
  last?: boolean | undefined;
}

export interface LedgerCredits {
  transactions: NewLedgerTransaction[];
  events: OutboxEvent[];
  at: Date;
  /** Members inserted in this transaction with their sequence already counting this write (insertMany's `credited`). */
  inserted?: ReadonlySet<string>;
}

/**
 * Every write that changes a member's lots also bumps the member's ledger sequence (members.ledger_seq), so a
 * locking read can tell whether its snapshot already holds the last writer's changes.
 */
export interface LedgerRepository {
  /** Writes the transactions, their postings and new lots, applies debits to lots, and records purchase, refund and events. */
  write(w: LedgerWrite): Promise<void>;
  /**
   * Credits to many members in one statement (imports): the transactions with their new lots and postings, and the
   * events in their order; each member's ledger sequence is bumped once. No debits, purchases, refunds or keys; the
   * caller holds the members' locks (or inserted them in this transaction).
   */
  writeMany(w: LedgerCredits): Promise<void>;
  /** A member's transactions, newest first, strictly older than `before` when given (keyset pagination). */
  history(businessId: string, memberId: string, limit: number, before: { createdAt: Date; id: string } | null): Promise<LedgerTransactionRecord[]>;
}

export interface LedgerTransactionRecord {
  id: string;
  memberId: string;
  type: string;
  points: Points;
  balanceAfter: Points;
  reason: string | null;
  actor: Actor;
  /** The staff member's or API key's name, when the actor is one. */
  actorName: string | null;
  purchaseId: string | null;
  createdAt: Date;
}

export type IdempotencyClaim<T> = { status: 'new' } | { status: 'replay'; result: T };

export interface IdempotencyRepository {
  /** Claims a key for this input hash; the same key with another hash is refused (idempotency_conflict). */
  /**
   * Claims a key for this input hash until the transaction ends (a transaction-level advisory lock: a concurrent
   * claim is refused as in flight); a key already stored with another hash is refused (idempotency_conflict).
   */
  claim<T>(businessId: string, key: string, requestHash: string, at: Date): Promise<IdempotencyClaim<T>>;
  /** Stores the claimed key with its result (the row exists only once the work is done). */
  complete(businessId: string, key: string, requestHash: string, result: unknown, at: Date): Promise<void>;
  /** Forgets keys claimed before `before`, up to `limit` of them; returns how many. */
  purge(before: Date, limit: number): Promise<number>;
}

export interface OutboxRepository {
  add(event: OutboxEvent, at: Date): Promise<void>;
}

export interface ExpiryRepository {
  /**
   * Expires what remains of lots whose expiry has passed, for up to `memberLimit` members, locking each member
   * first and skipping members locked by others; one expiry transaction per member with one posting per lot.
   */
  expireBatch(now: Date, memberLimit: number, businessId?: string): Promise<{ members: number; lots: number; points: Points }>;
  /** The earliest expiry among a business's lots with points left (the test clock steps through these). */
  nextDue(businessId: string): Promise<Date | null>;
}

export interface WebhookRepository {
  /**
   * Inserts the webhook unless its business already has `maxLive` live ones; concurrent inserts for one business are
   * serialised (a transaction-scoped lock), so the limit holds.
   */
  insert(w: Omit<Webhook, 'deletedAt'>, maxLive: number): Promise<'ok' | 'limit_reached'>;
  /** The business's live webhooks, oldest first, each with its latest delivery. */
  listLive(businessId: string): Promise<Array<{ webhook: Webhook; lastDelivery: WebhookDeliverySummary | null }>>;
  /** Marks a live webhook deleted and fails its pending deliveries; false when there is no such live webhook. */
  delete(businessId: string, id: string, at: Date): Promise<boolean>;
  /**
   * Takes up to `limit` unpublished outbox events in id order (skipping ones another dispatcher holds), queues one
   * pending delivery per live webhook subscribed to each, and marks the events published at `now`.
   */
  dispatch(now: Date, opts: { businessId: string | null; limit: number }): Promise<{ events: number; deliveries: number }>;
  /**
   * Claims up to `limit` pending deliveries due at `now` (skipping ones another worker holds) by moving their next
   * attempt to `leaseUntil`, so no other worker takes them while they are being sent.
   */
  claimDue(now: Date, leaseUntil: Date, opts: { businessId: string | null; limit: number }): Promise<ClaimedWebhookDelivery[]>;
  /** Records an attempt of a still-pending delivery; false when it was no longer pending or someone else recorded one. */
  recordAttempt(o: WebhookAttemptOutcome): Promise<boolean>;
  /** The earliest next attempt among the business's pending deliveries. */
  nextDueAt(businessId: string): Promise<Date | null>;
}

export interface BotRepository {
  /** Replaces the business's live bot of that role, if any. False when the Telegram bot is live for another business. */
  connect(b: BotConnection, at: Date): Promise<boolean>;
  disconnect(businessId: string, role: BotRole, at: Date): Promise<boolean>;
  /** Live bots: of one business, or of all (the process that serves them). */
  live(businessId?: string): Promise<BotConnection[]>;
}

/** A Telegram user's place in a bot conversation, per business. */
export interface BotSessionRepository {
  get(businessId: string, telegramUserId: number): Promise<Record<string, unknown> | null>;
  set(businessId: string, telegramUserId: number, state: Record<string, unknown> | null, at: Date): Promise<void>;
}

/** The card app's sign-in tokens and sessions; secrets are stored as hashes only. */
export interface CardSessionRepository {
  addSignInToken(t: { tokenHash: string; businessId: string; memberId: string; expiresAt: Date }): Promise<void>;
  /** Marks a live token used and returns whose it was; null when unknown, used or expired. */
  useSignInToken(tokenHash: string, at: Date): Promise<{ businessId: string; memberId: string } | null>;
  addSession(s: { secretHash: string; businessId: string; memberId: string; channel: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** channel: how the session was opened ('telegram', 'link', 'code'). */
  findSession(secretHash: string, at: Date): Promise<{ businessId: string; memberId: string; channel: string } | null>;
  endSession(secretHash: string): Promise<void>;
  /** Ends every session and burns every link and code of the member. */
  endAll(businessId: string, memberId: string): Promise<void>;
  addCode(c: { id: string; businessId: string; memberId: string; codeHash: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** How many codes the member was sent since `since`. */
  codesSince(businessId: string, memberId: string, since: Date): Promise<number>;
  /** The member's newest unused, unexpired code, locked until the transaction ends. */
  liveCode(businessId: string, memberId: string, at: Date): Promise<{ id: string; codeHash: string; attempts: number } | null>;
  /** Counts a wrong try, or marks the code used. */
  codeTried(businessId: string, id: string, outcome: 'wrong' | 'used', at: Date): Promise<void>;
}

/** The Telegram Bot API, as far as the use cases need it. */
export interface TelegramGateway {
  /** The bot a token belongs to; null when Telegram does not know the token. */
  getMe(token: string): Promise<{ id: number; username: string; firstName: string } | null>;
}

export interface StaffRepository {
  /** Inserts unless the e-mail or Telegram account is already staff of the business. */
  insert(s: StaffMember): Promise<'ok' | 'taken'>;
  get(businessId: string, id: string): Promise<StaffMember | null>;
  /** Locks the staff row until the transaction ends (limits are checked and spent under it). */
  lock(businessId: string, id: string): Promise<StaffMember | null>;
  findByEmail(businessId: string, email: string): Promise<StaffMember | null>;
  findByTelegram(businessId: string, telegramUserId: number): Promise<StaffMember | null>;
  list(businessId: string): Promise<StaffMember[]>;
  /** Saves name, role, locations, limits, status, credentials and the Telegram account. */
  update(s: StaffMember): Promise<void>;
  addInvite(tokenHash: string, invite: StaffInvite, createdAt: Date, expiresAt: Date): Promise<void>;
  /** Marks a live invitation used (by `staffId`) and returns it; null when unknown, used or expired. */
  useInvite(tokenHash: string, at: Date, staffId: string): Promise<StaffInvite | null>;
  addSession(s: { secretHash: string; businessId: string; staffId: string; channel: string; device: string | null; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** The active staff member a live session belongs to. */
  findSession(secretHash: string, at: Date): Promise<StaffMember | null>;
  endSession(secretHash: string): Promise<void>;
  endSessions(businessId: string, staffId: string): Promise<number>;
  /** The staff member's live sessions (id: a prefix of the secret's hash, safe to show). */
  sessions(businessId: string, staffId: string, at: Date): Promise<{ id: string; channel: string; device: string | null; createdAt: Date; expiresAt: Date }[]>;
  endSessionById(businessId: string, staffId: string, id: string): Promise<boolean>;
  addAudit(e: AuditEntry): Promise<void>;
  /** Points the staff member issued since `since` (from the audit log). */
  issuedSince(businessId: string, staffId: string, since: Date): Promise<number>;
  audit(businessId: string, q: { limit: number; beforeId?: number | null; staffId?: string | null; memberId?: string | null }): Promise<(AuditEntry & { id: number })[]>;
  addTelegramLogin(l: { businessId: string; code: string; secretHash: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** Approves a live, not yet approved login for the staff member; false when there is none. */
  approveTelegramLogin(businessId: string, code: string, staffId: string, at: Date): Promise<boolean>;
  /** The login a page holds, locked: its state and the approving staff member. */
  telegramLoginBySecret(secretHash: string): Promise<{ businessId: string; staffId: string | null; expiresAt: Date; collectedAt: Date | null } | null>;
  markTelegramLoginCollected(secretHash: string, at: Date): Promise<void>;
  addRedeemCode(c: { id: string; businessId: string; memberId: string; staffId: string; codeHash: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** The member's newest unused, unexpired redemption code, locked. */
  liveRedeemCode(businessId: string, memberId: string, at: Date): Promise<{ id: string; codeHash: string; attempts: number; createdAt: Date } | null>;
  redeemCodeTried(businessId: string, id: string, outcome: 'wrong' | 'used', at: Date): Promise<void>;
}

export interface Repositories {
  businesses: BusinessRepository;
  apiKeys: ApiKeyRepository;
  bots: BotRepository;
  botSessions: BotSessionRepository;
  cardSessions: CardSessionRepository;
  staff: StaffRepository;
  members: MemberRepository;
  lots: LotRepository;
  purchases: PurchaseRepository;
  ledger: LedgerRepository;
  idempotency: IdempotencyRepository;
  outbox: OutboxRepository;
  expiry: ExpiryRepository;
  webhooks: WebhookRepository;
  campaigns: CampaignRepository;
  chat: ChatRepository;
  messages: MessageRepository;
  campaignJobs: CampaignJobRepository;
  notificationChannels: NotificationChannelRepository;
  reports: ReportRepository;
  exports: ExportRepository;
  imports: ImportRepository;
  progress: WorkProgressRepository;
  setup: SetupRepository;
  operators: OperatorRepository;
}

/** Runs `work` in one database transaction; everything it does commits or rolls back together. */
export interface UnitOfWork {
  run<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
}
