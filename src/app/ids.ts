// UUIDv7: time-ordered ids keep new rows at the right edge of their indexes.
// Random bits come from crypto.randomUUID (fast, pooled by Node); its first 48 bits are replaced by the time.
export function uuidv7(now: number = Date.now()): string {
  const random = globalThis.crypto.randomUUID();
  const ts = now.toString(16).padStart(12, '0').slice(-12);
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19, 23)}-${random.slice(24)}`;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
