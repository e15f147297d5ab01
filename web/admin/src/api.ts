// The panel talks only through the typed client: the Integration API with the staff member's cookie session, and the
// session endpoint (sign in, who am I, sign out). Errors become words for people here.
import { createAdminSessionClient, AdminSessionError } from '../../../src/client/admin.js';
import { createClient, KopilkaError } from '../../../src/client/index.js';
import { t } from './i18n.js';

export const api = createClient({ baseUrl: '', session: true, retries: 1 });
export const session = createAdminSessionClient();
export type { StaffMe } from '../../../src/client/staff.js';

/** Called when the server says the session is gone (401): the app shows the sign-in page. */
let onSignedOut: () => void = () => {};
export const whenSignedOut = (f: () => void) => {
  onSignedOut = f;
};

function details(e: { problem?: { detail?: string; title?: string; errors?: { path: string; message: string }[] } }): string {
  const p = e.problem;
  const errs = p?.errors?.map((x) => (x.path ? `${x.path}: ${x.message}` : x.message)).join('; ');
  return errs || p?.detail || p?.title || '';
}

/** One sentence for any failure of a call. */
export function errorText(e: unknown): string {
  if (e instanceof KopilkaError || e instanceof AdminSessionError) {
    const code = e.code;
    if (e.status === 401 && code !== 'invalid_credentials') {
      onSignedOut();
      return t('errSession');
    }
    if (code === 'invalid_credentials') return t('errInvalidCredentials');
    if (code === 'rate_limited' || e.status === 429) return t('errRateLimited');
    if (code === 'forbidden' || e.status === 403) return t('errForbidden');
    if (code === 'validation_failed' || code === 'invalid_input') return t('errValidation', { detail: details(e) });
    return t('errOther', { detail: details(e) || code });
  }
  if (e instanceof TypeError) return t('errNetwork');
  return t('errOther', { detail: e instanceof Error ? e.message : String(e) });
}

/** A 404 for a route the server does not have yet (the panel shows "not available yet"). */
export const isMissingRoute = (e: unknown): boolean => e instanceof KopilkaError && e.status === 404 && e.code === 'not_found';
