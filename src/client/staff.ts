// The typed client for the staff API (/api/staff): what the cashier screen (and later the admin panel) calls.
// Plain fetch, no dependencies. The server builds exactly these shapes (src/app/staff*.ts).

import { sessionCall, type ApiProblem, type FetchLike } from './sessionCall.js';

export type StaffRole = 'owner' | 'admin' | 'manager' | 'cashier';

/** What a role may do; the server's table is src/core/staffRoles.ts (docs/STAFF.md). */
export type StaffAction =
  | 'till.earn'
  | 'till.redeem'
  | 'member.lookup'
  | 'member.search'
  | 'member.history'
  | 'points.adjust'
  | 'points.bulk'
  | 'report.today'
  | 'report.export'
  | 'audit.read'
  | 'chat.reply'
  | 'settings.change'
  | 'staff.manage'
  | 'broadcast.send'
  | 'owner.transfer';

export interface StaffLimits {
  /** Most points in one manual accrual or write-off; null = no limit. */
  maxPointsPerOperation: number | null;
  /** Most points this person may issue (purchases and accruals) per day in the business's time zone; null = no limit. */
  maxPointsPerDay: number | null;
  /** Points this person may issue per period of `days`; null = no budget. */
  budget: { points: number; days: number } | null;
}

export interface StaffMe {
  staff: { id: string; name: string; role: StaffRole; locationIds: string[]; email: string | null; telegramUsername: string | null };
  business: { id: string; name: string; pointsName: string; currency: string; timezone: string };
  permissions: StaffAction[];
  limits: StaffLimits;
  /** Points issued today and in the budget's period so far. */
  issued: { today: number; budgetPeriod: number | null };
}

export interface StaffSession {
  sessionToken: string;
  expiresAt: string;
}

export type StaffSignIn =
  /** Inside the staff bot's Mini App. */
  | { botId: string; initData: string }
  /** Shops without Telegram. */
  | { businessId: string; email: string; password: string }
  /** The Telegram Login Widget's fields (checked with the business's staff bot token). */
  | { businessId: string; telegramLogin: Record<string, string | number> }
  /** Accepting an invitation on the web: sets the e-mail and password of the new staff member. */
  | { inviteToken: string; name: string; email: string; password: string };

/** A member as the till sees them: enough to greet and charge, the phone masked. */
export interface TillMember {
  id: string;
  cardNumber: string;
  name: string | null;
  /** e.g. "+7 ••• •••-45-67" */
  phoneMasked: string;
  tier: { id: string; name: string } | null;
  balance: { available: number; pending: number };
  blocked: boolean;
}

export interface TillTransaction {
  id: string;
  type: string;
  points: number;
  balanceAfter: number;
  reason: string | null;
  when: string;
}

export interface TillMemberDetails extends TillMember {
  recent: TillTransaction[];
}

export type LookupQuery = { qrToken: string } | { phone: string } | { last4: string } | { card: string } | { q: string };

export interface LookupResult {
  /** How the member was found: a redemption needs the QR, or else a code sent to the member. */
  identifiedBy: 'qr' | 'phone' | 'last4' | 'card' | 'name';
  items: TillMember[];
}

export interface TillQuote {
  memberId: string;
  amount: number;
  earnPoints: number;
  /** The most points this purchase may be paid with (share limit and balance). */
  maxRedeemPoints: number;
  maxRedeemValue: number;
  balance: { available: number; pending: number };
}

export interface TillOperation {
  memberId: string;
  /** Purchase amount in minor units. */
  amount: number;
  /** The QR token scanned from the customer's card, when that is how they were identified. */
  qrToken?: string;
}

export interface TillRedeem extends TillOperation {
  points: number | 'max';
  /** The code sent to the member, when they were not identified by their QR. */
  confirmationCode?: string;
}

export interface Receipt {
  purchaseId: string;
  memberId: string;
  amount: number;
  redeemedPoints: number;
  redeemValue: number;
  payableAmount: number;
  earnedPoints: number;
  balance: { available: number; pending: number };
  occurredAt: string;
}

/** The sign-in page's view of the business, before anyone signs in. */
export interface StaffBusiness {
  id: string;
  name: string;
  /** The staff bot's @username, for "Log in with Telegram"; null when the business has none. */
  staffBotUsername: string | null;
}

/** "Log in with Telegram": open `botLink`, press Start in the staff bot, and the page is signed in. */
export interface TelegramLoginStart {
  /** Secret: only this page may collect the session. */
  loginId: string;
  /** https://t.me/<staff bot>?start=login_<code> */
  botLink: string;
  expiresAt: string;
}

export type TelegramLoginState = { status: 'pending' } | { status: 'expired' } | ({ status: 'approved' } & StaffSession);

/** One message of the chat with a member: `in` the member wrote, `out` staff answered. */
export interface ChatMessage {
  id: string;
  memberId: string;
  direction: 'in' | 'out';
  text: string;
  channel: string;
  staff: { id: string; name: string } | null;
  at: string;
  /** When staff first saw it (in only); null while unread. */
  readAt: string | null;
}

export interface ChatThreadSummary {
  member: { id: string; name: string | null; cardNumber: string; blocked: boolean };
  last: ChatMessage;
  unread: number;
}

/** The inbox: newest conversation first; `nextBefore` fetches the next page. */
export interface ChatList {
  items: ChatThreadSummary[];
  nextBefore: string | null;
}

/** One conversation, newest first; opening it marks the member's messages read (`readAt` null here = new). */
export interface ChatThread {
  member: { id: string; name: string | null; cardNumber: string; phoneMasked: string; blocked: boolean };
  items: ChatMessage[];
  nextBefore: string | null;
}

export type StaffProblem = ApiProblem;

export class StaffApiError extends Error {
  override readonly name = 'StaffApiError';
  constructor(readonly status: number, readonly code: string, readonly problem: StaffProblem) {
    super(problem.detail ?? problem.title);
  }
}

export interface StaffClientOptions {
  baseUrl?: string;
  sessionToken?: string | null;
  fetch?: FetchLike;
  /** Makes idempotency keys; default crypto.randomUUID. */
  newKey?: () => string;
}

/** One operation at the till: the same key on every retry and double tap, so it happens once. */
export interface WriteOptions {
  idempotencyKey?: string;
}

export function createStaffClient(options: StaffClientOptions = {}) {
  const base = `${options.baseUrl ?? ''}/api/staff`;
  const newKey = options.newKey ?? (() => crypto.randomUUID());
  let session = options.sessionToken ?? null;
  const call = sessionCall({ base, fetch: options.fetch, session: () => session, fail: (p) => new StaffApiError(p.status, p.code, p) });
  const query = (q: Record<string, string>) => new URLSearchParams(q).toString();
  const search = (q: Record<string, string | number | boolean | undefined>) => {
    const set = Object.entries(q).filter(([, v]) => v !== undefined);
    return set.length > 0 ? `?${query(Object.fromEntries(set.map(([k, v]) => [k, String(v)])))}` : '';
  };
  const chatPath = (businessId: string, memberId?: string) => `/businesses/${encodeURIComponent(businessId)}/chats${memberId === undefined ? '' : `/${encodeURIComponent(memberId)}`}`;

  return {
    get sessionToken() {
      return session;
    },
    setSession(token: string | null) {
      session = token;
    },
    async signIn(input: StaffSignIn): Promise<StaffSession> {
      const s = await call<StaffSession>('POST', '/sessions', input);
      session = s.sessionToken;
      return s;
    },
    async signOut(): Promise<void> {
      await call<void>('DELETE', '/sessions/current');
      session = null;
    },
    business: (businessId: string) => call<StaffBusiness>('GET', `/businesses/${encodeURIComponent(businessId)}`),
    startTelegramLogin: (input: { businessId: string }) => call<TelegramLoginStart>('POST', '/telegram-logins', input),
    /** Asks whether the staff member pressed Start in the bot; on approval the session is kept by this client. */
    async pollTelegramLogin(loginId: string): Promise<TelegramLoginState> {
      const r = await call<TelegramLoginState>('POST', '/telegram-logins/poll', { loginId });
      if (r.status === 'approved') session = r.sessionToken;
      return r;
    },
    me: () => call<StaffMe>('GET', '/me'),
    lookup: (q: LookupQuery) => call<LookupResult>('GET', `/members?${query(q as Record<string, string>)}`),
    member: (id: string) => call<TillMemberDetails>('GET', `/members/${encodeURIComponent(id)}`),
    quote: (input: { memberId: string; amount: number }) => call<TillQuote>('POST', '/quotes', input),
    earn: (input: TillOperation, o: WriteOptions = {}) => call<Receipt>('POST', '/earn', input, o.idempotencyKey ?? newKey()),
    redeem: (input: TillRedeem, o: WriteOptions = {}) => call<Receipt>('POST', '/redeem', input, o.idempotencyKey ?? newKey()),
    /** Sends a confirmation code to the member (for a redemption without their QR). */
    requestRedeemCode: (input: { memberId: string }) => call<{ expiresAt: string }>('POST', '/redeem-codes', input),
    adjust: (input: { memberId: string; points: number; reason: string }, o: WriteOptions = {}) =>
      call<{ transactionId: string; balance: { available: number; pending: number } }>('POST', '/adjustments', input, o.idempotencyKey ?? newKey()),
    /** Members' conversations with the business (managers and up). */
    chats: (businessId: string, q: { unreadOnly?: boolean; limit?: number; before?: string } = {}) =>
      call<ChatList>('GET', `${chatPath(businessId)}${search(q)}`),
    chatThread: (businessId: string, memberId: string, q: { limit?: number; before?: string } = {}) =>
      call<ChatThread>('GET', `${chatPath(businessId, memberId)}${search(q)}`),
    /** Answers a member; it reaches them on their channel (Telegram first). */
    replyToChat: (businessId: string, memberId: string, text: string, o: WriteOptions = {}) =>
      call<ChatMessage>('POST', chatPath(businessId, memberId), { text }, o.idempotencyKey ?? newKey()),
  };
}

export type StaffClient = ReturnType<typeof createStaffClient>;
