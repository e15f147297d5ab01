// Member QR tokens: short-lived, signed with the business's secret, so a screenshot stops working after a while and
// a token of one business means nothing in another. Only letters, digits, '-' and '_' (base64url), so any QR
// scanner and any till's input field carry it unchanged: "k1" + base64url(member id 16 B | expiry s 4 B | MAC 16 B).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../core/index.js';

const TOKEN_RE = /^k1([A-Za-z0-9_-]{48})$/;

const mac = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest().subarray(0, 16);

export function signQrToken(secret: string, memberId: string, expiresAt: Date): string {
  const body = Buffer.alloc(20);
  Buffer.from(memberId.replace(/-/g, ''), 'hex').copy(body, 0);
  body.writeUInt32BE(Math.floor(expiresAt.getTime() / 1000), 16);
  return `k1${Buffer.concat([body, mac(secret, body)]).toString('base64url')}`;
}

/** The member id a token names, or invalid_qr_token when it is malformed, forged or expired. */
export function verifyQrToken(secret: string, token: string, now: Date): string {
  const m = typeof token === 'string' ? TOKEN_RE.exec(token.trim()) : null;
  const raw = m?.[1] ? Buffer.from(m[1], 'base64url') : null;
  if (!raw || raw.length !== 36) throw new DomainError('invalid_qr_token');
  const body = raw.subarray(0, 20);
  if (!timingSafeEqual(raw.subarray(20), mac(secret, body))) throw new DomainError('invalid_qr_token');
  if (body.readUInt32BE(16) * 1000 <= now.getTime()) throw new DomainError('invalid_qr_token', 'The QR code has expired; ask the customer to refresh it');
  const hex = body.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
