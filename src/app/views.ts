// JSON-safe results of the use cases (also what an idempotent replay returns).
import type { Member } from '../core/index.js';

export interface MemberView {
  id: string;
  cardNumber: string;
  phone: string;
  name: string | null;
  birthday: string | null;
  email: string | null;
  blocked: boolean;
  createdAt: string;
}

export interface BalanceView {
  available: number;
  pending: number;
}

export const memberView = (m: Member): MemberView => ({
  id: m.id,
  cardNumber: m.cardNumber,
  phone: m.phone,
  name: m.name,
  birthday: m.birthday,
  email: m.email,
  blocked: m.blocked,
  createdAt: m.createdAt.toISOString(),
});
