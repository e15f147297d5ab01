// The one way the cashier screen talks to Kopilka: src/client/staff.ts, plus Retry-After of the last 429 (the client's
// errors carry the problem body, not the headers) and plain-words messages for its errors.
import { StaffApiError, createStaffClient, type StaffClient } from '../../../src/client/staff.js';
import { t, type MessageKey } from './i18n.js';

let lastRetryAfter: number | null = null;

export function makeClient(sessionToken: string | null): StaffClient {
  return createStaffClient({
    sessionToken,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (res.status === 429) {
        const s = Number(res.headers.get('retry-after'));
        lastRetryAfter = Number.isFinite(s) && s > 0 ? Math.ceil(s) : null;
      }
      return res;
    },
    newKey,
  });
}

/** An idempotency key: crypto.randomUUID where there is one (secure contexts), else random bytes. */
export function newKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof c?.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return `till-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export const isApiError = (e: unknown, code?: string): e is StaffApiError => e instanceof StaffApiError && (code === undefined || e.code === code);

export function isUnauthorized(e: unknown): boolean {
  return e instanceof StaffApiError && e.status === 401;
}

export interface Problem {
  text: string;
  /** Field problems from validation_failed; the server's own words for a few codes (tries left). */
  details: string[];
  /** A network or server failure: trying again may help (with the same idempotency key). */
  retry: boolean;
  code: string;
}

const MESSAGES: Record<string, MessageKey> = {
  invalid_credentials: 'errInvalidCredentials',
  invalid_init_data: 'errInvalidInitData',
  not_staff: 'errNotStaff',
  staff_blocked: 'errStaffBlocked',
  staff_not_found: 'errNotStaff',
  invalid_invite: 'errInvalidInvite',
  staff_exists: 'errStaffExists',
  forbidden: 'errForbidden',
  staff_limit_exceeded: 'errStaffLimit',
  confirmation_required: 'errConfirmationRequired',
  invalid_confirmation_code: 'errInvalidConfirmationCode',
  too_many_attempts: 'errTooManyAttempts',
  insufficient_points: 'errInsufficientPoints',
  redeem_limit_exceeded: 'errRedeemLimit',
  member_blocked: 'errMemberBlocked',
  member_not_found: 'errMemberNotFound',
  invalid_qr_token: 'errInvalidQr',
  invalid_card_number: 'errInvalidCardNumber',
  invalid_phone: 'errInvalidPhone',
  idempotency_conflict: 'errIdempotencyConflict',
  unauthorized: 'errUnauthorized',
  business_not_found: 'errBusinessNotFound',
  bot_not_found: 'errNoStaffBot',
  not_found: 'errNotFound',
};

/** Codes whose server detail adds something the cashier needs (how many tries are left, which limit). */
const WITH_DETAIL = new Set(['invalid_confirmation_code', 'too_many_attempts', 'staff_limit_exceeded', 'redeem_limit_exceeded', 'insufficient_points']);

/** Any error → words from the locale. */
export function describe(e: unknown): Problem {
  if (!(e instanceof StaffApiError)) {
    // fetch's TypeError (no network), or a proxy's HTML page instead of JSON.
    return { text: t(e instanceof SyntaxError ? 'errServer' : 'errNetwork'), details: [], retry: true, code: 'network' };
  }
  const p = (text: string, retry = false, details: string[] = []): Problem => ({ text, details, retry, code: e.code });
  const detail = e.problem.detail && e.problem.detail !== e.problem.title ? [e.problem.detail] : [];
  if (e.code === 'rate_limited') return p(lastRetryAfter ? t('errRateLimited', { seconds: lastRetryAfter }) : t('errRateLimitedSoon'), true);
  if (e.code === 'idempotency_in_flight') return p(t('errInFlight'), true);
  if (e.code === 'validation_failed') return p(t('errValidation'), false, (e.problem.errors ?? []).map((x) => (x.path ? `${x.path}: ${x.message}` : x.message)));
  const key = MESSAGES[e.code];
  if (key) return p(t(key), false, WITH_DETAIL.has(e.code) ? detail : []);
  if (e.status === 401) return p(t('errUnauthorized'));
  if (e.status === 403) return p(t('errForbidden'));
  if (e.status >= 500 || e.status === 408) return p(t('errServer'), true);
  return p(e.problem.detail ?? t('errServer'), true);
}
