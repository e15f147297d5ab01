// Who a scheduled campaign is for, on a given day: birthdays (not for a birthday changed lately — a common way to
// farm the bonus) and win-back (a member whose last purchase was N days ago, once per lapse).
import { addDays, daysBetween } from './localDate.js';

/** A birthday changed within this many days does not trigger the birthday campaign. */
export const BIRTHDAY_CHANGE_COOLDOWN_DAYS = 30;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The date of a member's birthday in `year` (29 February → 28 February in other years). */
export function birthdayIn(birthday: string, year: number): string {
  const md = birthday.slice(5);
  return md === '02-29' && !isLeap(year) ? `${year}-02-28` : `${year}-${md}`;
}

/**
 * Whether the birthday campaign is due for a member today (local date): it is their birthday, the birthday was not
 * changed in the last 30 days, and they have not had this year's greeting.
 */
export function birthdayDue(m: { birthday: string | null; birthdayChangedOn: string | null; lastBirthdayYear: number | null }, today: string): boolean {
  if (!m.birthday) return false;
  const year = Number(today.slice(0, 4));
  if (birthdayIn(m.birthday, year) !== today) return false;
  if (m.lastBirthdayYear === year) return false;
  return m.birthdayChangedOn === null || daysBetween(m.birthdayChangedOn, today) >= BIRTHDAY_CHANGE_COOLDOWN_DAYS;
}

/** The last local date a birthday bonus may be spent: `validDays` after the birthday (the bonus lot's lifetime). */
export const birthdayBonusLastDay = (today: string, validDays: number): string => addDays(today, Math.max(0, validDays - 1));

/**
 * Whether a win-back message is due: the last purchase was at least `afterDays` days ago, and no win-back was sent
 * since that purchase (once per lapse; a new purchase starts a new one).
 */
export function winbackDue(lastPurchaseOn: string | null, lastWinbackOn: string | null, today: string, afterDays: number): boolean {
  if (!lastPurchaseOn || afterDays < 1) return false;
  if (daysBetween(lastPurchaseOn, today) < afterDays) return false;
  return lastWinbackOn === null || lastWinbackOn < lastPurchaseOn;
}
