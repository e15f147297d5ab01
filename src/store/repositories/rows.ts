// Row → record mapping, in one place.
import { DEFAULT_PROGRAM, withNotificationDefaults, type Business, type Member, type MemberLot, type Program, type Purchase, type Refund } from '../../core/index.js';
import type { Selectable } from 'kysely';
import type { BusinessesTable, LotsTable, MembersTable, PurchaseRefundsTable, PurchasesTable } from '../schema.js';

export const toBusiness = (r: Omit<Selectable<BusinessesTable>, 'qr_secret' | 'profile'>): Business => ({
  id: r.id,
  name: r.name,
  timezone: r.timezone,
  currency: r.currency,
  region: r.region,
  // Programs stored before a setting existed get its default.
  program: { ...DEFAULT_PROGRAM, ...(r.program as Partial<Program>), notifications: withNotificationDefaults((r.program as Partial<Program>).notifications) },
  createdAt: r.created_at,
});

export const toMember = (r: Selectable<MembersTable>): Member => ({
  id: r.id,
  businessId: r.business_id,
  cardNumber: r.card_number,
  phone: r.phone,
  name: r.name,
  birthday: r.birthday,
  email: r.email,
  blocked: r.blocked,
  totalSpent: r.total_spent,
  purchasesCount: r.purchases_count,
  telegramUserId: r.telegram_user_id,
  telegramUsername: r.telegram_username,
  vkUserId: r.vk_user_id ?? null,
  answers: r.answers ?? {},
  referralCode: r.referral_code ?? null,
  referredBy: r.referred_by ?? null,
  referralRewardedAt: r.referral_rewarded_at ?? null,
  erasedAt: r.erased_at ?? null,
  createdAt: r.created_at,
});

export const toLot = (r: Selectable<LotsTable>): MemberLot => ({
  id: r.id,
  memberId: r.member_id,
  purchaseId: r.purchase_id,
  amount: r.amount,
  remaining: r.remaining,
  expiredPoints: r.expired_points,
  activatesAt: r.activates_at,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
});

export const toPurchase = (r: Selectable<PurchasesTable>): Purchase => ({
  id: r.id,
  businessId: r.business_id,
  memberId: r.member_id,
  amount: r.amount,
  redeemedPoints: r.redeemed_points,
  redeemValue: r.redeem_value,
  earnedPoints: r.earned_points,
  payableAmount: r.payable_amount,
  earnLotId: r.earn_lot_id,
  tierId: r.tier_id,
  externalId: r.external_id,
  locationId: r.location_id,
  occurredAt: r.occurred_at,
  createdAt: r.created_at,
});

export const toRefund = (r: Selectable<PurchaseRefundsTable>): Refund => ({
  id: r.id,
  businessId: r.business_id,
  purchaseId: r.purchase_id,
  memberId: r.member_id,
  amount: r.amount,
  clawedBackPoints: r.clawed_back_points,
  returnedPoints: r.returned_points,
  absorbedByExpiry: r.absorbed_by_expiry,
  shortfall: r.shortfall,
  transactionId: r.transaction_id,
  createdAt: r.created_at,
});
