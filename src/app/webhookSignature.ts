// Webhook signatures: kopilka-signature is "v1=" + hex HMAC-SHA256(secret, `${timestamp}.${body}`), where timestamp
// is the kopilka-timestamp header (unix seconds) and body the exact bytes of the request body.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The hex HMAC-SHA256 of `${timestamp}.${body}` under the webhook's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The kopilka-signature header value for this timestamp and body. */
export function signatureHeader(secret: string, timestamp: string, body: string): string {
  return `v1=${webhookSignature(secret, timestamp, body)}`;
}

/**
 * True when `header` (a kopilka-signature value; several comma-separated "v1=" entries are allowed) holds the
 * signature of this timestamp and body under `secret`. Compares in constant time. It does not judge the timestamp's
 * age: receivers should also refuse timestamps more than a few minutes from their own clock.
 */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, header: string): boolean {
  if (typeof secret !== 'string' || typeof timestamp !== 'string' || typeof body !== 'string' || typeof header !== 'string') return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body), 'hex');
  let ok = false;
  for (const part of header.split(',')) {
    const m = /^\s*v1=([0-9a-fA-F]{64})\s*$/.exec(part);
    if (!m?.[1]) continue;
    const given = Buffer.from(m[1], 'hex');
    // Every entry is compared, whether or not an earlier one matched, so timing says nothing about which did.
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  return ok;
}
