// The shapes the domain reads and writes through its ports.
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

export type MemberRef = { id: string } | { phone: string } | { card: string };
