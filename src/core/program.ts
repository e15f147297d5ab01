// A business's loyalty rules. Rates are basis points (500 = 5%), money in minor units, points integers.
import { DomainError } from './errors.js';
import { DEFAULT_CUSTOMER_SETTINGS, checkCustomerSettings, type CustomerSettings } from './customerSettings.js';
import { DEFAULT_NOTIFICATION_SETTINGS, checkNotificationSettings, mergeNotificationSettings, type NotificationSettings, type NotificationSettingsChange } from './notificationSettings.js';
import { FULL_RATE_BP, MAX_AMOUNT, MAX_POINTS, isWhole, type Minor, type Points } from './money.js';

export interface Tier {
  id: string;
  name: string;
  /** Total spent (minor units) within the tier window that reaches this tier. */
  minTotalSpent: Minor;
  earnRateBp: number;
  maxRedeemBp: number;
}

export interface Program extends CustomerSettings {
  pointsName: string;
  earnRateBp: number;
  maxRedeemBp: number;
  minPurchaseToEarn: Minor;
  welcomeBonus: Points;
  /** Days a lot stays valid after the day it was earned; null = points never expire. */
  pointsLifetimeDays: number | null;
  activationDelayDays: number;
  /** Minor units one point pays for (100 = 1 point is 1 ₽). */
  pointValue: Minor;
  /** Rolling window for tier totals in days; null = all time. */
  tierWindowDays: number | null;
  tiers: Tier[];
  /** How far back a till may date a late receipt. */
  lateReceiptWindowDays: number;
  /** Messages to members: channels, quiet hours, notices, reminders, campaigns, texts. */
  notifications: NotificationSettings;
}

export const DEFAULT_PROGRAM: Program = {
  pointsName: 'баллы',
  earnRateBp: 500,
  maxRedeemBp: 3000,
  minPurchaseToEarn: 0,
  welcomeBonus: 0,
  pointsLifetimeDays: 180,
  activationDelayDays: 0,
  pointValue: 100,
  tierWindowDays: null,
  tiers: [],
  lateReceiptWindowDays: 7,
  notifications: DEFAULT_NOTIFICATION_SETTINGS,
  ...DEFAULT_CUSTOMER_SETTINGS,
};

const MAX_DAYS = 3650;

function check(problems: string[], ok: boolean, message: string): void {
  if (!ok) problems.push(message);
}

const rate = (n: unknown) => isWhole(n) && n >= 0 && n <= FULL_RATE_BP;
const days = (n: unknown) => isWhole(n) && n >= 0 && n <= MAX_DAYS;

/** Returns the program if every rule is valid and the combination makes sense; otherwise throws with all reasons. */
export function validateProgram(p: Program): Program {
  const problems: string[] = [];
  check(problems, typeof p.pointsName === 'string' && p.pointsName.trim().length >= 1 && p.pointsName.length <= 40,
    'pointsName must be 1–40 characters');
  check(problems, rate(p.earnRateBp), 'earnPercent must be between 0 and 100 with at most two decimals');
  check(problems, rate(p.maxRedeemBp), 'maxRedeemPercent must be between 0 and 100 with at most two decimals');
  check(problems, isWhole(p.minPurchaseToEarn) && p.minPurchaseToEarn >= 0 && p.minPurchaseToEarn <= MAX_AMOUNT,
    'minPurchaseToEarn must be a non-negative whole number of minor units');
  check(problems, isWhole(p.welcomeBonus) && p.welcomeBonus >= 0 && p.welcomeBonus <= MAX_POINTS,
    'welcomeBonus must be a non-negative whole number of points');
  check(problems, p.pointsLifetimeDays === null || (days(p.pointsLifetimeDays) && p.pointsLifetimeDays >= 1),
    `pointsLifetimeDays must be null (never expire) or 1–${MAX_DAYS}`);
  check(problems, days(p.activationDelayDays), `activationDelayDays must be 0–${MAX_DAYS}`);
  check(problems, isWhole(p.pointValue) && p.pointValue >= 1 && p.pointValue <= 1_000_000,
    'pointValue must be a whole number of minor units from 1 to 1000000');
  check(problems, p.tierWindowDays === null || (days(p.tierWindowDays) && p.tierWindowDays >= 1),
    `tierWindowDays must be null (all time) or 1–${MAX_DAYS}`);
  check(problems, days(p.lateReceiptWindowDays), `lateReceiptWindowDays must be 0–${MAX_DAYS}`);
  if (p.pointsLifetimeDays !== null && days(p.activationDelayDays) && p.activationDelayDays >= p.pointsLifetimeDays) {
    problems.push('activationDelayDays must be shorter than pointsLifetimeDays, or points would expire before they can be used');
  }
  if (!Array.isArray(p.tiers) || p.tiers.length > 20) {
    problems.push('tiers must be a list of at most 20');
  } else {
    const names = new Set<string>();
    const ids = new Set<string>();
    p.tiers.forEach((t, i) => {
      const at = `tiers[${i}]`;
      check(problems, typeof t.id === 'string' && /^[a-z0-9_-]{1,40}$/i.test(t.id), `${at}.id must be 1–40 letters, digits, - or _`);
      check(problems, typeof t.name === 'string' && t.name.trim().length >= 1 && t.name.length <= 40, `${at}.name must be 1–40 characters`);
      check(problems, isWhole(t.minTotalSpent) && t.minTotalSpent >= 0 && t.minTotalSpent <= MAX_AMOUNT * 1000,
        `${at}.minTotalSpent must be a non-negative whole number of minor units`);
      check(problems, rate(t.earnRateBp), `${at}.earnPercent must be between 0 and 100`);
      check(problems, rate(t.maxRedeemBp), `${at}.maxRedeemPercent must be between 0 and 100`);
      if (names.has(t.name)) problems.push(`${at}.name "${t.name}" is used twice`);
      if (ids.has(t.id)) problems.push(`${at}.id "${t.id}" is used twice`);
      names.add(t.name);
      ids.add(t.id);
      const prev = p.tiers[i - 1];
      if (prev && isWhole(prev.minTotalSpent) && isWhole(t.minTotalSpent) && t.minTotalSpent <= prev.minTotalSpent) {
        problems.push(`${at}.minTotalSpent must be greater than the tier before it`);
      }
    });
  }
  checkCustomerSettings(p, problems);
  checkNotificationSettings(p.notifications, problems);
  if (problems.length) {
    throw new DomainError('invalid_program', problems.join('; '), { problems });
  }
  return p;
}

/** Merges a partial change into a program and validates the result as a whole. */
export function changeProgram(current: Program, change: Partial<Omit<Program, 'notifications'>> & { notifications?: NotificationSettingsChange | undefined }): Program {
  const { notifications, ...rest } = change;
  return validateProgram({ ...current, ...rest, notifications: notifications ? mergeNotificationSettings(current.notifications, notifications) : current.notifications });
}
