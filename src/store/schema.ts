// Kysely table types: what each table holds as the database returns it (bigint parsed as number, dates as text).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface BusinessesTable {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  region: string;
  program: ColumnType<unknown, string, string>;
  qr_secret: Generated<string>;
  /** The business profile (014): BusinessProfile as JSON, null until set. */
  profile: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface LocationsTable {
  business_id: string;
  id: string;
  name: string;
  address: string | null;
}

export interface ApiKeysTable {
  business_id: string;
  id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  location_id: string | null;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface MembersTable {
  business_id: string;
  id: string;
  card_number: string;
  phone: string;
  phone_last4: Generated<string>;
  name: string | null;
  birthday: string | null;
  email: string | null;
  blocked: Generated<boolean>;
  ledger_seq: Generated<number>;
  total_spent: Generated<number>;
  purchases_count: Generated<number>;
  telegram_user_id: number | null;
  telegram_username: string | null;
  answers: Generated<Record<string, string>>;
  referral_code: string | null;
  referred_by: string | null;
  referral_rewarded_at: Timestamp | null;
  erased_at: Timestamp | null;
  vk_user_id: number | null;
  language: string | null;
  dead_channels: Generated<string[]>;
  birthday_changed_at: Timestamp | null;
  last_birthday_year: number | null;
  last_winback_at: Timestamp | null;
  created_at: Timestamp;
}

export interface StaffTable {
  business_id: string;
  id: string;
  name: string;
  role: string;
  location_ids: string[];
  email: string | null;
  password_hash: string | null;
  telegram_user_id: number | null;
  telegram_username: string | null;
  limits: unknown;
  status: Generated<string>;
  created_at: Timestamp;
}

export interface StaffInvitesTable {
  token_hash: string;
  business_id: string;
  role: string;
  name: string;
  location_ids: string[];
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  used_by: string | null;
}

export interface StaffSessionsTable {
  secret_hash: string;
  business_id: string;
  staff_id: string;
  channel: string;
  device: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface AuditLogTable {
  business_id: string;
  id: Generated<number>;
  at: Timestamp;
  staff_id: string | null;
  staff_role: string | null;
  action: string;
  member_id: string | null;
  points: number | null;
  issued_points: Generated<number>;
  amount: number | null;
  channel: string;
  details: unknown;
}

export interface StaffTelegramLoginsTable {
  business_id: string;
  code: string;
  secret_hash: string;
  staff_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  approved_at: Timestamp | null;
  collected_at: Timestamp | null;
}

export interface RedeemCodesTable {
  business_id: string;
  id: string;
  member_id: string;
  staff_id: string;
  code_hash: string;
  attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SignInCodesTable {
  business_id: string;
  member_id: string;
  id: string;
  code_hash: string;
  attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface BotsTable {
  business_id: string;
  id: string;
  role: string;
  token: string;
  telegram_id: number;
  username: string;
  webhook_secret: string;
  created_at: Timestamp;
  disconnected_at: Timestamp | null;
}

export interface BotSessionsTable {
  business_id: string;
  telegram_user_id: number;
  state: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export interface SignInTokensTable {
  token_hash: string;
  business_id: string;
  member_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface MemberSessionsTable {
  secret_hash: string;
  business_id: string;
  member_id: string;
  channel: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface MemberConsentsTable {
  business_id: string;
  member_id: string;
  id: Generated<number>;
  kind: string;
  granted: boolean;
  text_version: string;
  channel: string;
  at: Timestamp;
}

export interface PurchasesTable {
  business_id: string;
  id: string;
  member_id: string;
  amount: number;
  redeemed_points: number;
  redeem_value: number;
  earned_points: number;
  payable_amount: number;
  earn_lot_id: string | null;
  tier_id: string | null;
  external_id: string | null;
  location_id: string | null;
  occurred_at: Timestamp;
  created_at: Timestamp;
}

export interface PurchaseItemsTable {
  business_id: string;
  purchase_id: string;
  line: number;
  sku: string;
  name: string;
  category: string | null;
  /** numeric(12,3): up to three decimals (weighed goods). */
  quantity: number;
  price: number;
}

export interface TestClocksTable {
  business_id: string;
  offset_ms: number;
}

export interface LedgerTransactionsTable {
  business_id: string;
  id: string;
  member_id: string;
  type: string;
  points: number;
  balance_after: number;
  reason: string | null;
  actor_type: string;
  actor_id: string | null;
  purchase_id: string | null;
  meta: ColumnType<unknown, string | undefined, string>;
  created_at: Timestamp;
}

export interface LotsTable {
  business_id: string;
  id: string;
  member_id: string;
  transaction_id: string;
  purchase_id: string | null;
  amount: number;
  remaining: number;
  expired_points: Generated<number>;
  activates_at: Timestamp;
  expires_at: Timestamp | null;
  created_at: Timestamp;
}

export interface PostingsTable {
  business_id: string;
  id: Generated<number>;
  transaction_id: string;
  member_id: string;
  lot_id: string;
  source: string;
  destination: string;
  amount: number;
}

export interface PurchaseRefundsTable {
  business_id: string;
  id: string;
  purchase_id: string;
  member_id: string;
  amount: number;
  clawed_back_points: number;
  returned_points: number;
  absorbed_by_expiry: number;
  shortfall: number;
  transaction_id: string | null;
  created_at: Timestamp;
}

export interface IdempotencyKeysTable {
  business_id: string;
  key: string;
  request_hash: string;
  result: ColumnType<unknown, string | null, string>;
  created_at: Timestamp;
}

export interface OutboxEventsTable {
  id: Generated<number>;
  business_id: string;
  type: string;
  payload: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  published_at: Timestamp | null;
  notified_at: Timestamp | null;
}

export interface NotificationChannelsTable {
  business_id: string;
  channel: string;
  config: ColumnType<unknown, string, string>;
  callback_secret: string;
  updated_at: Timestamp;
}

export interface CampaignsTable {
  business_id: string;
  id: string;
  kind: string;
  name: string;
  text: string | null;
  segment: ColumnType<unknown, string | undefined, string>;
  purpose: Generated<string>;
  control_percent: Generated<number>;
  status: string;
  scheduled_at: Timestamp | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface CampaignRecipientsTable {
  business_id: string;
  campaign_id: string;
  member_id: string;
  occurrence: Generated<string>;
  control: boolean;
  at: Timestamp;
}

export interface MessagesTable {
  business_id: string;
  id: string;
  key: string;
  member_id: string;
  kind: string;
  purpose: string;
  campaign_id: string | null;
  vars: ColumnType<unknown, string | undefined, string>;
  text: string | null;
  status: Generated<string>;
  channel: string | null;
  tried_channels: Generated<string[]>;
  send_after: Timestamp;
  attempts: Generated<number>;
  body: string | null;
  provider_message_id: string | null;
  delivery_status: string | null;
  last_error: string | null;
  created_at: Timestamp;
  queued_at: Timestamp | null;
  sent_at: Timestamp | null;
}

export interface NotificationRunsTable {
  business_id: string;
  job: string;
  last_local_date: string;
  ran_at: Timestamp;
}

export interface ChatMessagesTable {
  business_id: string;
  id: string;
  member_id: string;
  direction: string;
  text: string;
  channel: string;
  staff_id: string | null;
  at: Timestamp;
  read_at: Timestamp | null;
}

export interface WebhooksTable {
  business_id: string;
  id: string;
  url: string;
  events: string[];
  secret: string;
  created_at: Timestamp;
  deleted_at: Timestamp | null;
}

export interface WebhookDeliveriesTable {
  business_id: string;
  id: string;
  webhook_id: string;
  event_id: number;
  event_type: string;
  payload: ColumnType<unknown, string, string>;
  event_created_at: Timestamp;
  attempts: Generated<number>;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  next_attempt_at: Timestamp;
  last_attempt_at: Timestamp | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface Database {
  businesses: BusinessesTable;
  locations: LocationsTable;
  api_keys: ApiKeysTable;
  members: MembersTable;
  purchases: PurchasesTable;
  purchase_items: PurchaseItemsTable;
  member_consents: MemberConsentsTable;
  bots: BotsTable;
  bot_sessions: BotSessionsTable;
  sign_in_tokens: SignInTokensTable;
  sign_in_codes: SignInCodesTable;
  staff: StaffTable;
  staff_invites: StaffInvitesTable;
  staff_sessions: StaffSessionsTable;
  audit_log: AuditLogTable;
  redeem_codes: RedeemCodesTable;
  staff_telegram_logins: StaffTelegramLoginsTable;
  member_sessions: MemberSessionsTable;
  test_clocks: TestClocksTable;
  ledger_transactions: LedgerTransactionsTable;
  lots: LotsTable;
  postings: PostingsTable;
  purchase_refunds: PurchaseRefundsTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox_events: OutboxEventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  notification_channels: NotificationChannelsTable;
  campaigns: CampaignsTable;
  campaign_recipients: CampaignRecipientsTable;
  messages: MessagesTable;
  notification_runs: NotificationRunsTable;
  chat_messages: ChatMessagesTable;
}
