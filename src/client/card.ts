// The typed client for the card app's own API (/api/card): what the customer's phone calls. Plain fetch, no
// dependencies, so it stays tiny inside the card bundle. The server builds exactly these shapes (src/app/cardView.ts).

import { sessionCall, type ApiProblem, type FetchLike } from './sessionCall.js';

export interface CardBranding {
  /** https:// URL or data:image/… of the logo; null = the business name is shown instead. */
  logoUrl: string | null;
  /** #rrggbb: buttons, links, progress bars. */
  accentColor: string;
  /** #rrggbb background of the card itself, and the text colour on it. */
  cardColor: string;
  cardTextColor: string;
}

/** What the sign-in page shows before anyone is signed in. */
export interface CardBusiness {
  id: string;
  name: string;
  pointsName: string;
  branding: CardBranding;
  /** The customer bot's @username, to offer "Join in Telegram"; null when the business has no bot. */
  botUsername: string | null;
}

export interface CardTransaction {
  id: string;
  /** earn | redeem | welcome | referral | adjust | expire | refund */
  type: string;
  points: number;
  balanceAfter: number;
  reason: string | null;
  when: string;
  purchaseId: string | null;
}

export interface CardTransactionPage {
  items: CardTransaction[];
  nextCursor: string | null;
}

export interface CardQr {
  /** Letters, digits, - and _ only; accepted by POST /api/v1/purchases as member.qrToken until expiresAt. */
  token: string;
  expiresAt: string;
  /** How long the token lasts from now: the app counts from when it got it, never trusting the phone's clock. */
  expiresInSeconds: number;
  refreshAfterSeconds: number;
}

export interface CardQuestion {
  id: string;
  /** name, birthday, email: the member's own fields; text: a free answer the business asked for. */
  type: 'name' | 'birthday' | 'email' | 'text';
  label: string;
  required: boolean;
}

export interface CardProfile {
  name: string | null;
  birthday: string | null;
  email: string | null;
  phone: string;
  /** Answers to the business's own text questions, by question id. */
  answers: Record<string, string>;
  consents: { personalDataAt: string | null; marketing: boolean };
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** The Info page and the business profile as the card shows them. */
export interface CardInfo {
  /** Sanitised on the server (simple formatting, safe links): shown as it is. */
  html: string;
  address: string;
  /** https:// only. */
  mapUrl: string | null;
  /** E.164. */
  phone: string | null;
  socialLinks: { kind: 'vk' | 'telegram' | 'instagram' | 'whatsapp' | 'website' | 'other'; url: string }[];
  /** null: no hours given; a day null: closed. Local times HH:MM; overnight: closes after midnight. */
  hours: { days: Record<Weekday, { open: string; close: string; overnight: boolean } | null>; note: string } | null;
  /** The business's weekday now (its time zone). */
  today: Weekday;
}

export interface CardView {
  business: CardBusiness & { infoText: string };
  info: CardInfo;
  member: {
    id: string;
    cardNumber: string;
    name: string | null;
    tier: { id: string; name: string } | null;
    balance: { available: number; pending: number; expiringSoon: { points: number; expiresAt: string }[] };
    totalSpent: number;
    purchasesCount: number;
  };
  profile: CardProfile;
  questions: CardQuestion[];
  program: { earnPercent: number; maxRedeemPercent: number; pointsLifetimeDays: number | null; pointValue: number; currency: string; timezone: string };
  nextTier: { name: string; missing: number } | null;
  rewards: { id: string; title: string; points: number; available: boolean }[];
  /** The member's invite link and what both sides get; null when the business has referrals off or no bot. */
  referral: { link: string; inviterBonus: number; friendBonus: number } | null;
  /** The member's VK account is linked: the business's VK community writes to them. */
  vkConnected: boolean;
  /** Opens the business's VK community and connects VK with the first message (one-time, 60 minutes); null without a community or once connected. */
  vkConnectUrl: string | null;
  qr: CardQr;
}

export interface CardProfileChange {
  name?: string | null;
  birthday?: string | null;
  email?: string | null;
  answers?: Record<string, string | null>;
  marketing?: boolean;
}

export interface CardSession {
  sessionToken: string;
  expiresAt: string;
}

export type CardSignIn =
  | { signInToken: string }
  | { botId: string; initData: string }
  | { businessId: string; phone: string; code: string };

export type CardProblem = ApiProblem;

export class CardApiError extends Error {
  override readonly name = 'CardApiError';
  constructor(readonly status: number, readonly code: string, readonly problem: CardProblem) {
    super(problem.detail ?? problem.title);
  }
}

export interface CardClientOptions {
  /** '' in the browser (same origin), or e.g. http://127.0.0.1:3000 */
  baseUrl?: string;
  sessionToken?: string | null;
  fetch?: FetchLike;
}

export function createCardClient(options: CardClientOptions = {}) {
  const base = `${options.baseUrl ?? ''}/api/card`;
  let session = options.sessionToken ?? null;
  const call = sessionCall({ base, fetch: options.fetch, session: () => session, fail: (p) => new CardApiError(p.status, p.code, p) });

  return {
    get sessionToken() {
      return session;
    },
    setSession(token: string | null) {
      session = token;
    },
    business: (businessId: string) => call<CardBusiness>('GET', `/businesses/${encodeURIComponent(businessId)}`),
    /** Sends a one-time code (and link) to a member with this phone through their channel; the same answer either way. */
    requestCode: (input: { businessId: string; phone: string }) => call<{ expiresAt: string }>('POST', '/codes', input),
    async signIn(input: CardSignIn): Promise<CardSession> {
      const s = await call<CardSession>('POST', '/sessions', input);
      session = s.sessionToken;
      return s;
    },
    async signOut(): Promise<void> {
      await call<void>('DELETE', '/sessions/current');
      session = null;
    },
    me: () => call<CardView>('GET', '/me'),
    qr: () => call<CardQr>('POST', '/qr'),
    transactions: (q: { limit?: number; cursor?: string | null } = {}) => {
      const params = new URLSearchParams();
      if (q.limit !== undefined) params.set('limit', String(q.limit));
      if (q.cursor) params.set('cursor', q.cursor);
      const qs = params.toString();
      return call<CardTransactionPage>('GET', `/transactions${qs ? `?${qs}` : ''}`);
    },
    updateProfile: (change: CardProfileChange) => call<CardProfile>('PATCH', '/profile', change),
    /** Erases the member's personal data and ends every session; points cannot be used afterwards. */
    async deleteMe(): Promise<void> {
      await call<void>('DELETE', '/me');
      session = null;
    },
  };
}

export type CardClient = ReturnType<typeof createCardClient>;
