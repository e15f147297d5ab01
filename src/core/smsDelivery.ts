// SMS delivery reports: each provider's status codes read as one of three states, and which ones mean the number
// itself cannot be reached (so later messages skip SMS for that member instead of paying for undeliverable texts).
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryState {
  status: DeliveryStatus;
  /** What the provider said, for the message's record. */
  detail: string;
  /** The number does not exist or cannot take SMS. */
  numberDead: boolean;
}

/** One report as a provider sent it, already read into our terms. */
export interface DeliveryReport extends DeliveryState {
  providerMessageId: string;
}

const s = (status: DeliveryStatus, detail: string, numberDead = false): DeliveryState => ({ status, detail, numberDead });

// https://sms.ru/api/status
const SMS_RU: Record<number, DeliveryState> = {
  100: s('pending', 'queued at SMS.ru'),
  101: s('pending', 'being passed to the operator'),
  102: s('pending', 'sent, on its way'),
  103: s('delivered', 'delivered'),
  104: s('failed', 'not delivered: its lifetime ran out'),
  105: s('failed', 'not delivered: deleted by the operator'),
  106: s('failed', 'not delivered: the phone failed'),
  107: s('failed', 'not delivered: unknown reason'),
  108: s('failed', 'not delivered: rejected'),
  110: s('delivered', 'delivered and read'),
  150: s('failed', 'not delivered: no route to this number', true),
};

// https://smsc.ru/api/http/status_messages/
const SMSC: Record<number, DeliveryState> = {
  [-1]: s('pending', 'waiting to be sent'),
  0: s('pending', 'passed to the operator'),
  1: s('delivered', 'delivered'),
  2: s('delivered', 'delivered and read'),
  3: s('failed', 'not delivered: expired'),
  4: s('delivered', 'delivered, link opened'),
  20: s('failed', 'not delivered: impossible to deliver'),
  22: s('failed', 'not delivered: wrong number', true),
  23: s('failed', 'not delivered: prohibited'),
  24: s('failed', 'not delivered: not enough money on the account'),
  25: s('failed', 'not delivered: the number is unavailable', true),
};

/** SMS.ru's status code; null for codes that are not about a message's delivery (-1: unknown message). */
export const smsRuDeliveryState = (code: number): DeliveryState | null => SMS_RU[code] ?? null;

/** SMSC.ru's status (and its `err` code when given); null for -3 (unknown message) and codes it does not define. */
export function smscDeliveryState(status: number, err: number | null): DeliveryState | null {
  const state = SMSC[status];
  if (!state) return null;
  return err !== null && err !== 0 && state.status === 'failed' ? { ...state, detail: `${state.detail} (error ${err})` } : state;
}

const GENERIC: Record<string, DeliveryState> = {
  accepted: s('pending', 'accepted'),
  queued: s('pending', 'queued'),
  sent: s('pending', 'sent'),
  pending: s('pending', 'pending'),
  delivered: s('delivered', 'delivered'),
  read: s('delivered', 'delivered and read'),
  failed: s('failed', 'not delivered'),
  undelivered: s('failed', 'not delivered'),
  expired: s('failed', 'not delivered: expired'),
  rejected: s('failed', 'not delivered: rejected'),
  invalid_number: s('failed', 'not delivered: invalid number', true),
};
export const GENERIC_SMS_STATUSES = Object.keys(GENERIC);

/** The generic HTTP provider's status word (case-insensitive), with its optional error text. */
export function genericDeliveryState(status: string, error: string | null): DeliveryState | null {
  const state = GENERIC[status.toLowerCase()];
  if (!state) return null;
  return error ? { ...state, detail: `${state.detail}: ${error.slice(0, 200)}` } : state;
}

/** A report may replace the recorded status only if it moves forward: pending → a final state; final states stay. */
export const deliveryStatusMayChange = (recorded: string | null, next: DeliveryStatus): boolean =>
  recorded === null || (recorded === 'pending' && next !== 'pending');
