// The ports the use cases need; src/store implements them on PostgreSQL. Every call runs inside one transaction.
import type { NewLedgerTransaction } from './ledger.js';
import type { Minor, Points } from './money.js';
import type { Business, Location, Member, MemberLot, OutboxEvent, Purchase, Refund } from './records.js';

export interface BusinessRepository {
  insert(b: Business): Promise<void>;
  get(id: string): Promise<Business | null>;
  findByName(name: string): Promise<Business | null>;
  update(b: Business): Promise<void>;
  insertLocation(l: Location): Promise<void>;
  locationExists(businessId: string, locationId: string): Promise<boolean>;
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
  get(businessId: string, id: string): Promise<Member | null>;
  findByPhone(businessId: string, phone: string): Promise<Member | null>;
  findByCard(businessId: string, cardNumber: string): Promise<Member | null>;
  findByLast4(businessId: string, last4: string, limit: number): Promise<Member[]>;
  /**
   * Locks the member row until the transaction ends (every points write locks its member first) and returns it
   * with its business and its open lots as they are after every earlier writer committed, in one round trip.
   */
  lock(businessId: string, id: string): Promise<{ member: Member; business: Business; lots: MemberLot[] } | null>;
}

export interface LotRepository {
  /** Lots with points left (active, pending or due to expire). Lots only change under their member's lock. */
  open(businessId: string, memberId: string): Promise<MemberLot[]>;
  get(businessId: string, lotId: string): Promise<MemberLot | null>;
}

/** Purchases and refunds are written by LedgerRepository.write, together with their points. */
export interface PurchaseRepository {
  get(businessId: string, id: string): Promise<Purchase | null>;
  findByExternalId(businessId: string, externalId: string): Promise<Purchase | null>;
  /** Purchases less their refunds since `since` (null: all time). */
  totalSpent(businessId: string, memberId: string, since: Date | null): Promise<Minor>;
  refunds(businessId: string, purchaseId: string): Promise<Refund[]>;
}

/** Everything one points write changes, written together in one statement. */
export interface LedgerWrite {
  transactions: NewLedgerTransaction[];
  purchase?: Purchase | undefined;
  refund?: Refund | undefined;
  /** Outbox events recorded in the same transaction as the change. */
  events: OutboxEvent[];
  at: Date;
}

/**
 * Every write that changes a member's lots also bumps the member's ledger sequence (members.ledger_seq), so a
 * locking read can tell whether its snapshot already holds the last writer's changes.
 */
export interface LedgerRepository {
  /** Writes the transactions, their postings and new lots, applies debits to lots, and records purchase, refund and events. */
  write(w: LedgerWrite): Promise<void>;
}

export type IdempotencyClaim<T> = { status: 'new' } | { status: 'replay'; result: T };

export interface IdempotencyRepository {
  /** Claims a key for this input hash; the same key with another hash is refused (idempotency_conflict). */
  claim<T>(businessId: string, key: string, requestHash: string, at: Date): Promise<IdempotencyClaim<T>>;
  complete(businessId: string, key: string, result: unknown): Promise<void>;
}

export interface OutboxRepository {
  add(event: OutboxEvent, at: Date): Promise<void>;
}

export interface ExpiryRepository {
  /**
   * Expires what remains of lots whose expiry has passed, for up to `memberLimit` members, locking each member
   * first and skipping members locked by others; one expiry transaction per member with one posting per lot.
   */
  expireBatch(now: Date, memberLimit: number): Promise<{ members: number; lots: number; points: Points }>;
}

export interface Repositories {
  businesses: BusinessRepository;
  apiKeys: ApiKeyRepository;
  members: MemberRepository;
  lots: LotRepository;
  purchases: PurchaseRepository;
  ledger: LedgerRepository;
  idempotency: IdempotencyRepository;
  outbox: OutboxRepository;
  expiry: ExpiryRepository;
}

/** Runs `work` in one database transaction; everything it does commits or rolls back together. */
export interface UnitOfWork {
  run<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
}
