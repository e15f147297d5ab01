// The live preview of the program's rules: what a sample purchase earns and how much of it points may pay.
// The same arithmetic as src/core/earning.ts (pointsEarned, redeemCap), checked against it in rules.test.ts.

export interface RulesInput {
  earnPercent: number;
  maxRedeemPercent: number;
  /** Minor units one point pays for. */
  pointValue: number;
  /** Smallest purchase that earns, minor units. */
  minPurchaseToEarn: number;
}

export interface RulesPreview {
  /** The sample purchase, minor units. */
  amount: number;
  earnPoints: number;
  /** The most points the purchase may be paid with, and what they are worth (minor units). */
  maxRedeemPoints: number;
  maxRedeemMoney: number;
}

const bp = (percent: number) => Math.round(percent * 100);
const floorDiv = (a: number, b: number) => Math.floor(a / b);

/** null when a number is missing or out of range (the form shows the field's error instead). */
export function previewRules(r: RulesInput, amount: number): RulesPreview | null {
  const ok = (n: number, max: number) => Number.isFinite(n) && n >= 0 && n <= max;
  if (!ok(r.earnPercent, 100) || !ok(r.maxRedeemPercent, 100) || !Number.isInteger(r.pointValue) || r.pointValue < 1 || !ok(r.minPurchaseToEarn, 1e12)) return null;
  const earnPoints = amount >= r.minPurchaseToEarn ? floorDiv(amount * bp(r.earnPercent), 10_000 * r.pointValue) : 0;
  const maxRedeemPoints = floorDiv(amount * bp(r.maxRedeemPercent), 10_000 * r.pointValue);
  return { amount, earnPoints, maxRedeemPoints, maxRedeemMoney: maxRedeemPoints * r.pointValue };
}

/** "12.5" or "12,5" → 12.5; "" or junk → NaN. */
export function parseDecimal(s: string): number {
  const t = s.trim().replace(',', '.');
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

/** A money field in major units ("1 000,50") → minor units; NaN when it is not a number. */
export function parseMoney(s: string, digits: number): number {
  const n = parseDecimal(s.replace(/[\s\u00a0]/g, ''));
  return Number.isNaN(n) ? n : Math.round(n * 10 ** digits);
}
