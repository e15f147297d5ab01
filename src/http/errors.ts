// The one mapping from error codes to HTTP answers: domain errors and the HTTP layer's own.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERROR_CODES, isDomainError, type ErrorCode } from '../core/index.js';
import { problem } from './problem.js';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const DOMAIN_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  validation_failed: 400,
  invalid_phone: 400,
  invalid_card_number: 400,
  invalid_qr_token: 400,
  invalid_program: 422,
  invalid_business_profile: 422,
  business_not_found: 404,
  member_not_found: 404,
  purchase_not_found: 404,
  webhook_not_found: 404,
  location_not_found: 404,
  member_exists: 409,
  purchase_exists: 409,
  idempotency_in_flight: 409,
  member_blocked: 422,
  contact_not_own: 403,
  invalid_bot_token: 400,
  bot_in_use: 409,
  bot_not_found: 404,
  api_key_not_found: 404,
  telegram_unavailable: 503,
  invalid_init_data: 401,
  invalid_sign_in: 401,
  invalid_code: 401,
  too_many_codes: 429,
  forbidden: 403,
  not_staff: 403,
  staff_not_found: 404,
  staff_blocked: 403,
  invalid_credentials: 401,
  invalid_invite: 401,
  staff_exists: 409,
  staff_limit_exceeded: 422,
  confirmation_required: 422,
  invalid_confirmation_code: 422,
  too_many_attempts: 429,
  invalid_template: 422,
  invalid_segment: 422,
  campaign_not_found: 404,
  campaign_finished: 409,
  invalid_channel_config: 422,
  channel_not_configured: 404,
  vk_user_taken: 409,
  import_unreadable: 422,
  import_has_errors: 422,
  import_not_found: 404,
  progress_not_found: 404,
  backup_not_found: 404,
  backup_not_kopilka: 422,
  backup_corrupt: 422,
  backup_incompatible: 422,
  backup_target_not_empty: 409,
  backup_ledger_mismatch: 422,
  backups_unavailable: 404, // a server without backup storage (only tests build one): the feature is not here, nothing failed
  invalid_setup_token: 401,
  setup_invalid: 422,
  operator_exists: 409,
  insufficient_points: 422,
  redeem_limit_exceeded: 422,
  purchase_fully_refunded: 422,
  refund_exceeds_purchase: 422,
  occurred_at_out_of_window: 422,
  idempotency_conflict: 422,
};

/** Codes only the HTTP layer gives. */
export const HTTP_CODES: Record<string, string> = {
  unauthorized: 'A valid API key is required',
  forbidden: 'This API key or staff role may not do that',
  csrf_failed: 'The X-CSRF-Token header or the Origin of a signed-in request is wrong',
  rate_limited: 'Too many requests',
  not_found: 'No such resource',
  method_not_allowed: 'Method not allowed',
  payload_too_large: 'The body is too large',
  unsupported_media_type: 'The body must be JSON',
  idempotency_key_missing: 'This request needs an Idempotency-Key header',
  internal_error: 'Something went wrong on our side',
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

// A relative reference to the server's own reference page (RFC 9457 allows relative type URIs).
export const problemType = (code: string) => `/api/docs#problem-${code.replace(/_/g, '-')}`;

export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  const res = problem(c, { type: problemType(code), title: TITLES[status] ?? 'Error', status, detail, code, ...extra });
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

/** Known errors become problem documents; anything else is for the caller to log and answer 500. */
export function toProblem(c: Context, e: unknown): Response | null {
  if (e instanceof HttpError) return errorResponse(c, e.status, e.code, e.message, e.extra, e.headers);
  if (isDomainError(e)) {
    const extra: Record<string, unknown> = { ...e.details };
    if (e.code === 'validation_failed' || e.code === 'invalid_phone' || e.code === 'invalid_card_number') {
      const field = typeof e.details.field === 'string' ? e.details.field : '';
      extra.errors = [{ path: field, message: e.message }];
    }
    if ((e.code === 'invalid_program' || e.code === 'invalid_business_profile' || e.code === 'invalid_channel_config' || e.code === 'invalid_segment' || e.code === 'invalid_template') && Array.isArray(e.details.problems)) {
      extra.errors = (e.details.problems as string[]).map((message) => ({ path: message.split(' ')[0] ?? '', message }));
    }
    return errorResponse(c, DOMAIN_STATUS[e.code], e.code, e.message ?? ERROR_CODES[e.code], extra);
  }
  return null;
}
