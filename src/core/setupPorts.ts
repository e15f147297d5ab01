// Storage for the first run (set-up links, bot tokens waiting for Telegram) and for the platform operator.
import type { BotRole } from './records.js';

export interface Operator {
  id: string;
  email: string;
  passwordHash: string;
  createdAt: Date;
}

/** One business as the operator sees it: who it is and whether it is alive. */
export interface BusinessHealth {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  createdAt: Date;
  members: number;
  purchases30d: number;
  lastPurchaseAt: Date | null;
  /** The latest ledger transaction or purchase. */
  lastActivityAt: Date | null;
  /** Points held by members and not yet expired (the program's liability). */
  outstandingPoints: number;
  /** Staff not blocked or removed, and whether an owner is among them (the invited owner has joined). */
  activeStaff: number;
  ownerJoined: boolean;
  bots: { role: BotRole; username: string }[];
  pendingBots: BotRole[];
  webhookFailures: number;
}

export interface SetupRepository {
  /** True when no business exists yet (a fresh install). */
  isFresh(): Promise<boolean>;
  /** Ends every live set-up link and stores a new one. */
  replaceToken(tokenHash: string, createdAt: Date, expiresAt: Date): Promise<void>;
  /** A set-up link that is neither used nor expired. */
  liveToken(tokenHash: string, at: Date): Promise<{ expiresAt: Date } | null>;
  /** Marks a live link used (locked, so two wizards cannot both use it); false when it is not live. */
  burnToken(tokenHash: string, at: Date): Promise<boolean>;
  savePendingBot(p: { businessId: string; role: BotRole; token: string; createdAt: Date }): Promise<void>;
  pendingBots(): Promise<{ businessId: string; role: BotRole; token: string }[]>;
  /** Forgets a pending token (connected, or refused by Telegram: `error` kept in the log instead). */
  dropPendingBot(businessId: string, role: BotRole): Promise<void>;
  notePendingBotError(businessId: string, role: BotRole, error: string): Promise<void>;
}

export interface OperatorRepository {
  insert(o: Operator): Promise<'ok' | 'taken'>;
  findByEmail(email: string): Promise<Operator | null>;
  addSession(s: { secretHash: string; operatorId: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  findSession(secretHash: string, at: Date): Promise<Operator | null>;
  endSession(secretHash: string): Promise<void>;
  /** Every business with its health figures (purchases counted since `since`; points outstanding at `now`). */
  health(since: Date, now: Date): Promise<BusinessHealth[]>;
  /** The instance's latest backup (backups are of the whole instance, not of one business). */
  lastBackup(): Promise<{ status: 'running' | 'done' | 'failed'; kind: 'manual' | 'daily'; createdAt: Date; finishedAt: Date | null } | null>;
}
