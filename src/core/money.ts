// Money is an integer count of minor units (kopecks); points are integers. No floats anywhere.
export type Minor = number;
export type Points = number;

/** Largest amount a single purchase may carry: 10^11 minor units (a billion roubles). */
export const MAX_AMOUNT: Minor = 100_000_000_000;
/** Largest number of points in one operation. */
export const MAX_POINTS: Points = 1_000_000_000;
/** Rates are basis points: 10000 = 100%, 250 = 2.5%. */
export const FULL_RATE_BP = 10_000;

export function isWhole(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

/** floor(a * b / c) for non-negative integers, exact (BigInt inside, so no overflow). */
export function mulDivFloor(a: number, b: number, c: number): number {
  if (c <= 0) throw new RangeError('divisor must be positive');
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** ceil(a * b / c) for non-negative integers. */
export function mulDivCeil(a: number, b: number, c: number): number {
  if (c <= 0) throw new RangeError('divisor must be positive');
  const num = BigInt(a) * BigInt(b);
  const den = BigInt(c);
  return Number((num + den - 1n) / den);
}

/** Parses a percentage given as a number or decimal string ("5", 2.5, "2.55") into basis points, exactly. */
export function percentToBp(value: number | string): number | null {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= FULL_RATE_BP ? bp : null;
}

/** Basis points back to a percentage number for display (250 → 2.5). */
export function bpToPercent(bp: number): number {
  return bp / 100;
}
