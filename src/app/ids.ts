// UUIDv7: time-ordered ids keep new rows at the right edge of their indexes. Within one process they are also
// strictly increasing (RFC 9562, method 1: the 12 bits after the version count within a millisecond), so rows
// written in one instant — a purchase's redemption, then its accrual — keep their order by id.
// The other random bits come from crypto.randomUUID (fast, pooled by Node).
let lastMs = 0;
let seq = 0;

export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    seq = Math.floor(Math.random() * 0x400); // a random start leaves room for 3,000+ ids in the same millisecond
  } else if (++seq > 0xfff) {
    lastMs += 1; // borrow the next millisecond rather than repeat a value
    seq = 0;
  }
  const random = globalThis.crypto.randomUUID();
  const ts = lastMs.toString(16).padStart(12, '0').slice(-12);
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${seq.toString(16).padStart(3, '0')}-${random.slice(19, 23)}-${random.slice(24)}`;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
