// The one way the card app talks to Kopilka: src/client/card.ts, plus Retry-After of the last 429 (the client's
// errors carry the problem body, not the headers) and plain-words messages for its errors.
import { CardApiError, createCardClient, type CardClient } from '../../../src/client/card.js';
import { t } from './i18n.js';

let lastRetryAfter: number | null = null;

export function makeClient(sessionToken: string | null): CardClient {
  return createCardClient({
    sessionToken,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (res.status === 429) {
        const s = Number(res.headers.get('retry-after'));
        lastRetryAfter = Number.isFinite(s) && s > 0 ? Math.ceil(s) : null;
      }
      return res;
    },
  });
}

export function isUnauthorized(e: unknown): boolean {
  return e instanceof CardApiError && e.status === 401;
}

export interface Problem {
  text: string;
  /** Field problems from validation_failed. */
  details: string[];
  /** A network or server failure: trying again may help. */
  retry: boolean;
  code: string;
}

/** Any error → words from the locale. */
export function describe(e: unknown): Problem {
  if (!(e instanceof CardApiError)) {
    // fetch's TypeError (no network), or a proxy's HTML page instead of JSON.
    return { text: t(e instanceof SyntaxError ? 'errServer' : 'errNetwork'), details: [], retry: true, code: 'network' };
  }
  const p = (text: string, retry = false, details: string[] = []): Problem => ({ text, details, retry, code: e.code });
  switch (e.code) {
    case 'invalid_sign_in':
      return p(t('errInvalidSignIn'));
    case 'invalid_code':
      return p(t('errInvalidCode'));
    case 'rate_limited':
      return p(lastRetryAfter ? t('errRateLimited', { seconds: lastRetryAfter }) : t('errRateLimitedSoon'));
    case 'member_blocked':
      return p(t('errMemberBlocked'));
    case 'member_not_found':
      return p(t('errMemberNotFound'));
    case 'validation_failed':
      return p(t('errValidation'), false, (e.problem.errors ?? []).map((x) => (x.path ? `${x.path}: ${x.message}` : x.message)));
    case 'unauthorized':
      return p(t('errUnauthorized'));
    case 'not_found':
    case 'business_not_found':
      return p(t('errNotFound'));
  }
  if (e.status === 401) return p(t('errUnauthorized'));
  if (e.status >= 500 || e.status === 408) return p(t('errServer'), true);
  return p(e.problem.detail ?? t('errServer'), true);
}
