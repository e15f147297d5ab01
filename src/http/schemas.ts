// The API contract: zod schemas that validate requests and, registered by id, become the OpenAPI components.
// Response schemas describe what the use cases return (see the type checks at the end of this file).
import { z } from 'zod';
import type { AdjustmentResult } from '../app/adjustPoints.js';
import type { PurchaseView } from '../app/getPurchase.js';
import type { TransactionPage } from '../app/listTransactions.js';
import type { ProgramView } from '../app/program.js';
import type { QrTokenView } from '../app/qrTokens.js';
import type { PurchaseQuoteView } from '../app/quotePurchase.js';
import type { PurchaseResult } from '../app/recordPurchase.js';
import type { RefundResult } from '../app/refundPurchase.js';
import type { MemberDetails } from '../app/views.js';

export interface SchemaMeta {
  id: string;
  description?: string;
}
/** Request bodies (converted as inputs) and responses (as outputs) are registered separately. */
export const requestSchemas = z.registry<SchemaMeta>();
export const responseSchemas = z.registry<SchemaMeta>();

const MAX_AMOUNT = 100_000_000_000;
const MAX_POINTS = 1_000_000_000;
const amount = (d: string) => z.number().int().min(1).max(MAX_AMOUNT).describe(d);
const money = (d: string) => z.number().int().min(0).describe(d);
const points = (d: string) => z.number().int().describe(d);
const id = (d: string) => z.string().describe(d);
const timestamp = (d: string) => z.iso.datetime({ offset: true }).describe(d);
const percent = (d: string) => z.number().min(0).max(100).describe(`${d} (up to two decimals, e.g. 5 or 2.5)`);
const days = (d: string) => z.number().int().min(0).max(3650).describe(d);

// ── requests ─────────────────────────────────────────────────────────────────────────────────────────────────────

export const MemberRefInput = z
  .union([
    z.strictObject({ id: z.string().min(1).max(100).describe('Member id') }),
    z.strictObject({ phone: z.string().min(1).max(40).describe('Phone in any common format; the business region applies without a country code') }),
    z.strictObject({ card: z.string().min(1).max(40).describe('Card number (10 digits, spaces allowed)') }),
    z.strictObject({ qrToken: z.string().min(1).max(200).describe('Token from the member\'s QR code') }),
  ])
  .register(requestSchemas, { id: 'MemberRef', description: 'Exactly one way to name the member' });

export const PurchaseItemInput = z
  .strictObject({
    sku: z.string().min(1).max(100),
    name: z.string().min(1).max(200),
    category: z.string().min(1).max(100).nullable().optional(),
    quantity: z.number().positive().max(1_000_000).describe('Up to three decimals (weighed goods)'),
    price: money('Price of one unit, minor units'),
  })
  .register(requestSchemas, { id: 'PurchaseItemInput' });

const redeemPoints = z
  .union([z.number().int().min(0).max(MAX_POINTS), z.literal('max')])
  .describe('Points to pay with, or "max" for as many as the rules allow');

export const PurchaseCreate = z
  .strictObject({
    member: MemberRefInput,
    amount: amount('Purchase total before points, minor units'),
    redeemPoints: redeemPoints.optional(),
    externalId: z.string().min(1).max(200).optional().describe('The till\'s receipt id; unique per business'),
    locationId: z.string().min(1).max(100).optional(),
    occurredAt: timestamp('When the purchase happened, for receipts sent late; not in the future nor older than the program allows').optional(),
    items: z.array(PurchaseItemInput).max(500).optional(),
  })
  .register(requestSchemas, { id: 'PurchaseCreate' });

export const PurchaseQuoteRequest = z
  .strictObject({ member: MemberRefInput, amount: amount('Purchase total before points, minor units'), redeemPoints: redeemPoints.optional() })
  .register(requestSchemas, { id: 'PurchaseQuoteRequest' });

export const RefundCreate = z
  .strictObject({ amount: amount('Minor units to refund; default: all that is left of the purchase').optional() })
  .register(requestSchemas, { id: 'RefundCreate' });

export const MemberCreate = z
  .strictObject({
    phone: z.string().min(1).max(40),
    name: z.string().max(100).nullable().optional(),
    birthday: z.iso.date().nullable().optional().describe('YYYY-MM-DD'),
    email: z.string().max(254).nullable().optional(),
  })
  .register(requestSchemas, { id: 'MemberCreate' });

export const MemberUpdate = z
  .strictObject({
    name: z.string().max(100).nullable().optional(),
    birthday: z.iso.date().nullable().optional(),
    email: z.string().max(254).nullable().optional(),
    blocked: z.boolean().optional(),
    vkUserId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable().optional().describe('The member\'s VK user id (the business\'s VK community writes to it); null unlinks. One member per VK account in a business'),
  })
  .register(requestSchemas, { id: 'MemberUpdate' });

export const AdjustmentCreate = z
  .strictObject({
    points: z.number().int().min(-MAX_POINTS).max(MAX_POINTS).refine((n) => n !== 0, 'points must not be 0').describe('Positive: accrual; negative: write-off'),
    reason: z.string().min(1).max(500),
  })
  .register(requestSchemas, { id: 'AdjustmentCreate' });

export const QrTokenCreate = z
  .strictObject({ ttlSeconds: z.number().int().min(10).max(366 * 86_400).optional().describe('Default 600') })
  .register(requestSchemas, { id: 'QrTokenCreate' });

const TierInput = z.strictObject({
  id: z.string().min(1).max(40).optional().describe('Keep a tier\'s id when changing it; new tiers get one'),
  name: z.string().min(1).max(40),
  minTotalSpent: money('Spend within the tier window that reaches this tier, minor units'),
  earnPercent: percent('Earn rate in this tier'),
  maxRedeemPercent: percent('Share of a purchase payable with points in this tier'),
});

const QuestionInput = z.strictObject({
  id: z.string().min(1).max(40),
  type: z.enum(['name', 'birthday', 'email', 'text']),
  label: z.string().max(100).optional().describe('Shown to the customer; required for text questions'),
  required: z.boolean().optional().describe('Default false'),
});

const customerSettingsInput = {
  infoText: z.string().max(4000).optional().describe('The owner\'s text shown in the bot and the card app (plain text)'),
  questionnaire: z.array(QuestionInput).max(10).optional().describe('Asked when a customer joins in Telegram, in this order'),
  referral: z
    .strictObject({ enabled: z.boolean().optional(), inviterBonus: z.number().int().min(0).max(MAX_POINTS).optional(), friendBonus: z.number().int().min(0).max(MAX_POINTS).optional() })
    .optional()
    .describe('Invite links: both sides get their bonus once, after the friend\'s first purchase'),
  rewards: z.array(z.strictObject({ id: z.string().min(1).max(40), title: z.string().min(1).max(100), points: z.number().int().min(1).max(MAX_POINTS) })).max(50).optional(),
  branding: z
    .strictObject({
      logoUrl: z.string().max(100_000).nullable().optional().describe('https:// or data:image/…;base64'),
      accentColor: z.string().max(7).optional().describe('#rrggbb'),
      cardColor: z.string().max(7).optional(),
      cardTextColor: z.string().max(7).optional(),
    })
    .optional(),
};

const TEMPLATE_KINDS = ['accrual', 'redemption', 'expiry_reminder', 'welcome', 'birthday', 'winback'] as const;
const clock = (d: string) => z.string().max(5).describe(`${d}, HH:MM in the business's time zone`);
const campaignInput = {
  enabled: z.boolean().optional(),
  bonus: z.number().int().min(0).max(MAX_POINTS).optional().describe('Gift points; 0 = a message only'),
  controlPercent: z.number().int().optional().describe('Share of members held out as a control group (get nothing), to measure the effect'),
};
const templatesOf = z.partialRecord(z.enum(TEMPLATE_KINDS), z.string().max(4000).nullable());

export const NotificationsUpdate = z.strictObject({
  language: z.enum(['ru', 'en']).optional().describe('Language of messages to members who have not chosen one'),
  channelOrder: z.array(z.enum(['telegram', 'vk', 'sms', 'email'])).min(1).max(4).optional().describe('Channels tried in this order; a member is reached on the first that works'),
  quietHours: z.strictObject({ start: clock('Quiet from'), end: clock('Quiet until') }).nullable().optional().describe('Nothing scheduled or marketing goes out then; null = any time'),
  sendAt: clock('When reminders, birthday and win-back messages go out').optional(),
  accrualNotices: z.boolean().optional(),
  redemptionNotices: z.boolean().optional(),
  welcomeMessage: z.boolean().optional(),
  expiryReminderDays: z.array(z.number().int()).max(5).optional().describe('Days before points expire that a reminder goes, e.g. [4, 1]'),
  birthday: z.strictObject({ ...campaignInput, validDays: z.number().int().optional().describe('Days the birthday points stay valid') }).optional(),
  winback: z.strictObject({ ...campaignInput, afterDays: z.number().int().optional().describe('Days since the last purchase'), bonusValidDays: z.number().int().optional() }).optional(),
  reportWindowDays: z.number().int().optional().describe('Campaign reports count a purchase within this many days as a return'),
  templates: z.partialRecord(z.enum(['ru', 'en']), templatesOf).optional().describe('Your texts per language and kind; null goes back to the default. Variables in braces, e.g. {name}, {points}, {balance}'),
});

export const ProgramUpdate = z
  .strictObject({
    ...customerSettingsInput,
    notifications: NotificationsUpdate.optional().describe('Messages to members: channels, quiet hours, notices, reminders, campaigns, texts'),
    pointsName: z.string().min(1).max(40).optional(),
    currency: z.string().length(3).optional().describe('ISO 4217; cannot change once purchases exist'),
    timezone: z.string().min(1).max(64).optional().describe('IANA time zone, e.g. Europe/Moscow'),
    earnPercent: percent('Points earned per 100 units of money paid').optional(),
    maxRedeemPercent: percent('Share of a purchase payable with points').optional(),
    minPurchaseToEarn: money('Smallest purchase that earns points, minor units').optional(),
    welcomeBonus: z.number().int().min(0).max(MAX_POINTS).optional(),
    pointsLifetimeDays: days('Days points stay valid; null: never expire').min(1).nullable().optional(),
    activationDelayDays: days('Days before earned points can be spent').optional(),
    pointValue: z.number().int().min(1).max(1_000_000).optional().describe('Minor units one point pays for'),
    tierWindowDays: days('Rolling window for tier spend; null: all time').min(1).nullable().optional(),
    lateReceiptWindowDays: days('How far back occurredAt may go').optional(),
    tiers: z.array(TierInput).max(20).optional(),
  })
  .register(requestSchemas, { id: 'ProgramUpdate' });

export const WebhookCreate = z
  .strictObject({
    url: z.string().min(1).max(2000).describe('http(s) URL that receives POSTed events'),
    events: z.array(z.enum(['member.created', 'points.earned', 'points.redeemed', 'points.expired', 'points.adjusted', 'purchase.refunded'])).min(1),
  })
  .register(requestSchemas, { id: 'WebhookCreate' });

export const TestClockMove = z
  .union([
    z.strictObject({ advance: z.string().min(2).max(40).describe('ISO 8601 duration, e.g. P30D or PT12H') }),
    z.strictObject({ to: timestamp('The new time; not earlier than the current one') }),
  ])
  .register(requestSchemas, { id: 'TestClockMove' });

export const MemberSearchQuery = z.strictObject({
  phone: z.string().min(1).max(40).optional(),
  card: z.string().min(1).max(40).optional(),
  last4: z.string().min(1).max(10).optional(),
  q: z.string().min(1).max(100).optional().describe('Search by name, phone or card number'),
});

export const PageQuery = z.strictObject({
  limit: z.string().regex(/^\d{1,3}$/, 'limit must be a whole number').optional().describe('1–100, default 20'),
  cursor: z.string().min(1).max(200).optional().describe('nextCursor of the previous page'),
});

// ── responses ────────────────────────────────────────────────────────────────────────────────────────────────────

export const TierRef = z.object({ id: z.string(), name: z.string() }).register(responseSchemas, { id: 'TierRef' });

export const Balance = z
  .object({
    available: points('Points that can be spent now'),
    pending: points('Earned points not yet active'),
    expiringSoon: z.array(z.object({ points: points('Points'), expiresAt: timestamp('When they expire') })).describe('Points expiring within 30 days, soonest first'),
  })
  .register(responseSchemas, { id: 'Balance' });

export const Member = z
  .object({
    id: id('Member id'),
    cardNumber: z.string().describe('10 digits, the last one a Luhn check digit'),
    phone: z.string().describe('E.164'),
    name: z.string().nullable(),
    birthday: z.string().nullable().describe('YYYY-MM-DD'),
    email: z.string().nullable(),
    blocked: z.boolean(),
    vkUserId: z.number().int().nullable().describe('The VK account the business\'s VK community writes to; null until the member connects VK (or the API sets it)'),
    tier: TierRef.nullable(),
    balance: Balance,
    totalSpent: money('Purchases less refunds, all time'),
    purchasesCount: z.number().int().min(0),
    createdAt: timestamp('Joined'),
  })
  .register(responseSchemas, { id: 'Member' });

export const MemberList = z.object({ items: z.array(Member) }).register(responseSchemas, { id: 'MemberList' });

export const Transaction = z
  .object({
    id: z.string(),
    type: z.string().describe('earn, redeem, welcome, adjust, expire, refund'),
    points: points('Signed change'),
    balanceAfter: points('Available points right after'),
    reason: z.string().nullable(),
    who: z.object({ type: z.string().describe('system, api_key, staff, cli, member'), id: z.string().nullable(), name: z.string().nullable().describe('The staff member\'s or API key\'s name; null for others') }),
    when: timestamp('When it happened'),
    purchaseId: z.string().nullable(),
  })
  .register(responseSchemas, { id: 'Transaction' });

export const TransactionPageSchema = z
  .object({ items: z.array(Transaction), nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last') })
  .register(responseSchemas, { id: 'TransactionPage' });

const shortBalance = z.object({ available: points('Available'), pending: points('Pending') });

export const PurchaseQuote = z
  .object({
    memberId: z.string(),
    amount: money('Purchase total'),
    tier: TierRef.nullable(),
    maxRedeemPoints: points('Most points this purchase may take'),
    redeemPoints: points('Points it would take'),
    redeemValue: money('What they pay for, minor units'),
    payableAmount: money('Left to pay with money'),
    earnPoints: points('Points it would earn'),
    balance: shortBalance,
  })
  .register(responseSchemas, { id: 'PurchaseQuote' });

export const PurchaseRecorded = z
  .object({
    purchaseId: z.string(),
    memberId: z.string(),
    amount: money('Purchase total'),
    redeemedPoints: points('Points paid with'),
    redeemValue: money('Value of the points, minor units'),
    earnedPoints: points('Points earned'),
    payableAmount: money('Paid with money'),
    tier: TierRef.nullable(),
    earnActivatesAt: timestamp('When the earned points can be spent').nullable(),
    earnExpiresAt: timestamp('When they expire (null: never)').nullable(),
    occurredAt: timestamp('When the purchase happened'),
    balance: shortBalance,
    member: Member,
  })
  .register(responseSchemas, { id: 'PurchaseRecorded' });

export const PurchaseItem = z
  .object({ sku: z.string(), name: z.string(), category: z.string().nullable(), quantity: z.number(), price: money('Unit price') })
  .register(responseSchemas, { id: 'PurchaseItem' });

export const Purchase = z
  .object({
    purchaseId: z.string(),
    memberId: z.string(),
    amount: money('Purchase total'),
    redeemedPoints: points('Points paid with'),
    redeemValue: money('Value of the points'),
    earnedPoints: points('Points earned'),
    payableAmount: money('Paid with money'),
    tierId: z.string().nullable(),
    externalId: z.string().nullable(),
    locationId: z.string().nullable(),
    occurredAt: timestamp('When it happened'),
    createdAt: timestamp('When it was recorded'),
    items: z.array(PurchaseItem),
    refundedAmount: money('Refunded so far'),
    refunds: z.array(z.object({ refundId: z.string(), amount: money('Refunded'), clawedBackPoints: points('Taken back'), returnedPoints: points('Given back'), createdAt: timestamp('When') })),
  })
  .register(responseSchemas, { id: 'Purchase' });

export const Refund = z
  .object({
    refundId: z.string(),
    purchaseId: z.string(),
    memberId: z.string(),
    amount: money('Refunded now'),
    refundedTotal: money('Refunded in all'),
    clawedBackPoints: points('Earned points taken back'),
    returnedPoints: points('Redeemed points given back'),
    absorbedByExpiry: points('Points to take back that had already expired'),
    shortfall: points('Points to take back the member had already spent'),
    transactionId: z.string().nullable(),
    balance: shortBalance,
    member: Member,
  })
  .register(responseSchemas, { id: 'Refund' });

export const Adjustment = z
  .object({
    transactionId: z.string(),
    memberId: z.string(),
    points: points('Signed change'),
    reason: z.string(),
    activatesAt: timestamp('For an accrual: when it can be spent').nullable(),
    expiresAt: timestamp('For an accrual: when it expires').nullable(),
    balance: shortBalance,
    member: Member,
  })
  .register(responseSchemas, { id: 'Adjustment' });

export const Program = z
  .object({
    pointsName: z.string(),
    currency: z.string(),
    timezone: z.string(),
    earnPercent: z.number(),
    maxRedeemPercent: z.number(),
    minPurchaseToEarn: money('Smallest purchase that earns'),
    welcomeBonus: points('Points for joining'),
    pointsLifetimeDays: z.number().int().nullable(),
    activationDelayDays: z.number().int(),
    pointValue: z.number().int(),
    tierWindowDays: z.number().int().nullable(),
    lateReceiptWindowDays: z.number().int(),
    tiers: z.array(z.object({ id: z.string(), name: z.string(), minTotalSpent: money('Threshold'), earnPercent: z.number(), maxRedeemPercent: z.number() })),
    infoText: z.string(),
    questionnaire: z.array(z.object({ id: z.string(), type: z.enum(['name', 'birthday', 'email', 'text']), label: z.string(), required: z.boolean() })),
    referral: z.object({ enabled: z.boolean(), inviterBonus: points('For the member who invited'), friendBonus: points('For the friend who joined') }),
    rewards: z.array(z.object({ id: z.string(), title: z.string(), points: points('Price in points') })),
    branding: z.object({ logoUrl: z.string().nullable(), accentColor: z.string(), cardColor: z.string(), cardTextColor: z.string() }),
    notifications: z.object({
      language: z.enum(['ru', 'en']),
      channelOrder: z.array(z.enum(['telegram', 'vk', 'sms', 'email'])),
      quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
      sendAt: z.string(),
      accrualNotices: z.boolean(),
      redemptionNotices: z.boolean(),
      welcomeMessage: z.boolean(),
      expiryReminderDays: z.array(z.number().int()),
      birthday: z.object({ enabled: z.boolean(), bonus: z.number().int(), validDays: z.number().int(), controlPercent: z.number().int() }),
      winback: z.object({ enabled: z.boolean(), afterDays: z.number().int(), bonus: z.number().int(), bonusValidDays: z.number().int(), controlPercent: z.number().int() }),
      reportWindowDays: z.number().int(),
      templates: z.partialRecord(z.enum(['ru', 'en']), z.partialRecord(z.enum(TEMPLATE_KINDS), z.string())).describe('Only the texts the business changed; the rest are the defaults (GET /program/templates)'),
    }),
  })
  .register(responseSchemas, { id: 'Program' });

export const TemplatePreviewRequest = z
  .strictObject({
    kind: z.enum(TEMPLATE_KINDS),
    text: z.string().max(4000).describe('The template to check, with {variables}'),
    language: z.enum(['ru', 'en']).optional().describe('Default: the business\'s language'),
  })
  .register(requestSchemas, { id: 'TemplatePreviewRequest' });

export const TemplatePreview = z
  .object({ text: z.string().describe('The template filled with sample values'), variables: z.array(z.string()).describe('The variables this kind may use') })
  .register(responseSchemas, { id: 'TemplatePreview' });

export const TemplateList = z
  .object({
    items: z.array(z.object({
      kind: z.enum(TEMPLATE_KINDS),
      variables: z.array(z.string()),
      texts: z.object({ ru: z.string(), en: z.string() }).describe('What is sent now: the business\'s own text, or the default'),
      custom: z.object({ ru: z.boolean(), en: z.boolean() }),
    })),
  })
  .register(responseSchemas, { id: 'TemplateList' });

export const QrToken = z.object({ token: z.string(), expiresAt: timestamp('When it stops working') }).register(responseSchemas, { id: 'QrToken' });

const lastDelivery = z
  .object({
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
    at: timestamp('Last attempt').nullable(),
    eventType: z.string(),
  })
  .nullable();

export const Webhook = z
  .object({ id: z.string(), url: z.string(), events: z.array(z.string()), createdAt: timestamp('Created'), lastDelivery })
  .register(responseSchemas, { id: 'Webhook' });

export const WebhookCreated = z
  .object({ id: z.string(), url: z.string(), events: z.array(z.string()), createdAt: timestamp('Created'), lastDelivery, secret: z.string().describe('Signs deliveries; shown only now') })
  .register(responseSchemas, { id: 'WebhookCreated' });

export const WebhookList = z.object({ items: z.array(Webhook) }).register(responseSchemas, { id: 'WebhookList' });

export const TestClock = z.object({ now: timestamp('The business\'s current time'), ranJobs: z.array(z.object({ job: z.string(), at: timestamp('When'), result: z.record(z.string(), z.number()) })).optional() }).register(responseSchemas, { id: 'TestClock' });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string().describe('Stable machine-readable error code'),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('For validation_failed: every problem found'),
  })
  .catchall(z.unknown())
  .register(responseSchemas, { id: 'Problem', description: 'RFC 9457 problem details' });

// Compile-time proof that each response schema describes what its use case returns.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proofs: [
  Same<z.output<typeof Member>, MemberDetails>,
  Same<z.output<typeof PurchaseRecorded>, PurchaseResult>,
  Same<z.output<typeof PurchaseQuote>, PurchaseQuoteView>,
  Same<z.output<typeof Purchase>, PurchaseView>,
  Same<z.output<typeof Refund>, RefundResult>,
  Same<z.output<typeof Adjustment>, AdjustmentResult>,
  Same<z.output<typeof Program>, ProgramView>,
  Same<z.output<typeof TransactionPageSchema>, TransactionPage>,
  Same<z.output<typeof QrToken>, QrTokenView>,
] = [true, true, true, true, true, true, true, true, true];
void proofs;
