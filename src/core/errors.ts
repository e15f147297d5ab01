// Domain errors carry a stable code; entry points (HTTP, bots, CLI) map codes to replies in one place each.
export const ERROR_CODES = {
  validation_failed: 'The input is not valid',
  invalid_phone: 'The phone number is not valid',
  invalid_card_number: 'The card number is not valid',
  invalid_program: 'The program settings are not valid',
  invalid_business_profile: 'The business profile is not valid; nothing was changed',
  business_not_found: 'No such business',
  member_not_found: 'No such member',
  member_exists: 'A member with this phone already exists',
  member_blocked: 'The member is blocked',
  insufficient_points: 'Not enough points',
  redeem_limit_exceeded: 'More points than this purchase allows',
  purchase_not_found: 'No such purchase',
  purchase_fully_refunded: 'The purchase is already fully refunded',
  refund_exceeds_purchase: 'The refund is larger than what is left of the purchase',
  idempotency_conflict: 'The idempotency key was used with different input',
  idempotency_in_flight: 'A request with this idempotency key is still being processed',
  occurred_at_out_of_window: 'The purchase time is in the future or too far in the past',
  purchase_exists: 'A purchase with this externalId already exists',
  invalid_qr_token: 'The QR code is not valid or has expired',
  webhook_not_found: 'No such webhook',
  location_not_found: 'No such location',
  contact_not_own: 'Only your own phone number can be shared to join',
  invalid_bot_token: 'Telegram does not know this bot token',
  bot_in_use: 'This bot is connected to another business',
  bot_not_found: 'No such bot',
  api_key_not_found: 'No live API key with this id in this business',
  telegram_unavailable: 'Telegram could not be reached; try again in a minute',
  invalid_init_data: 'The Telegram sign-in data is not valid or has expired',
  invalid_sign_in: 'The sign-in link is not valid, was used already or has expired',
  invalid_code: 'The code is wrong or has expired; ask for a new one',
  too_many_codes: 'Too many codes asked for this phone; wait a little',
  forbidden: 'Your role may not do this',
  not_staff: 'This account is not staff of this business',
  staff_not_found: 'No such staff member',
  staff_blocked: 'This staff member is blocked',
  invalid_credentials: 'Wrong e-mail or password',
  invalid_invite: 'The invitation is not valid, was used already or has expired',
  staff_exists: 'A staff member with this e-mail or Telegram account already exists',
  staff_limit_exceeded: 'Over your limit of points; the owner has been told',
  confirmation_required: 'A redemption without the customer\'s QR needs the code sent to the customer',
  invalid_confirmation_code: 'The confirmation code is wrong or has expired',
  too_many_attempts: 'Too many wrong codes; wait and ask for a new one',
  invalid_template: 'The message template is not valid',
  invalid_segment: 'The segment of members is not valid',
  campaign_not_found: 'No such campaign',
  campaign_finished: 'The broadcast has already finished or been cancelled',
  invalid_channel_config: 'The channel settings are not valid',
  channel_not_configured: 'This channel is not set up for the business',
  vk_user_taken: 'This VK account belongs to another member of the business',
  import_unreadable: 'The file is not a CSV or XLSX table that can be read',
  import_has_errors: 'Some rows of the file cannot be imported; nothing was imported',
  import_not_found: 'No such import',
  progress_not_found: 'No such piece of work (its progress is kept for a day)',
  backup_not_found: 'No such backup',
  backup_not_kopilka: 'This file is not a Kopilka backup',
  backup_corrupt: 'The backup file is damaged: its checksums do not match',
  backup_incompatible: 'The backup was made by a different version of the database schema',
  backup_target_not_empty: 'The database already holds businesses; restore with --force to wipe them first',
  backup_ledger_mismatch: 'The restored balances do not match the backup\'s ledger checksum',
  backups_unavailable: 'Backups are not set up on this server',
  invalid_setup_token: 'The set-up link is unknown, already used or expired; run `kopilka setup-link` for a new one',
  setup_invalid: 'Some answers in the set-up are not valid; nothing was created',
  operator_exists: 'An operator with this e-mail already exists',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

export function invalid(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('validation_failed', message, details);
}
