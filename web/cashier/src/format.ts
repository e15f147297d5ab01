// The cashier screen's own formatting; the common part is web/shared/format.ts (pure: format.test.ts).
import { numberFormat } from '../../shared/format.js';

export * from '../../shared/format.js';

/** The decimal separator people write in this locale: "," (ru), "." (en). */
export function decimalSeparator(locale: string): string {
  return numberFormat(locale, { minimumFractionDigits: 1 }).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}
