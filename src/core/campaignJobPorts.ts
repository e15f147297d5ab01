// What the daily notification jobs need of the store: when each business's job last ran, the set-based expiry
// reminder planning, and the members the birthday and win-back campaigns are due for (the campaign rows and their
// recipients are CampaignRepository's).
import type { Business } from './records.js';

/** The daily jobs, as named in notification_runs. */
export const DAILY_JOBS = ['plan-reminders', 'birthday', 'winback'] as const;
export type DailyJob = (typeof DAILY_JOBS)[number];

/** The reminders for one local expiry day: every open lot expiring in [from, to) gets one message per entry. */
export interface ReminderDayPlan {
  /** The local date the points are gone. */
  expiresOn: string;
  from: Date;
  to: Date;
  reminders: { daysBefore: number; sendAfter: Date }[];
}

export interface BirthdayCandidate {
  memberId: string;
  birthday: string;
  /** When the birthday was last changed, or the member joined (a birthday given at sign-up is set then). */
  birthdayChangedAt: Date | null;
  lastBirthdayYear: number | null;
  language: string | null;
}

export interface WinbackCandidate {
  memberId: string;
  lastPurchaseAt: Date;
  lastWinbackAt: Date | null;
  language: string | null;
}

export interface CampaignJobRepository {
  /** Each business (one, or all) with the local date its job last ran (null: never). */
  runStates(job: DailyJob, businessId?: string): Promise<{ business: Business; lastLocalDate: string | null }[]>;
  markRun(businessId: string, job: DailyJob, localDate: string, at: Date): Promise<void>;
  /**
   * Adds the day's expiry reminders (kind expiry_reminder, purpose service) for every member who is not blocked or
   * erased and has points left in lots expiring in [from, to); keys already used are skipped. Returns how many were new.
   */
  planReminderDay(businessId: string, plan: ReminderDayPlan, now: Date): Promise<number>;
  /**
   * Members with one of these birthdays ('MM-DD') who consented to marketing, are not blocked or erased, and have
   * not had `year`'s greeting.
   */
  birthdayCandidates(businessId: string, monthDays: readonly string[], year: number): Promise<BirthdayCandidate[]>;
  /**
   * Members whose last purchase was before `purchasedBefore`, who consented to marketing, are not blocked or erased,
   * and had no win-back since that purchase.
   */
  winbackCandidates(businessId: string, purchasedBefore: Date): Promise<WinbackCandidate[]>;
  markBirthday(businessId: string, memberId: string, year: number): Promise<void>;
  markWinback(businessId: string, memberId: string, at: Date): Promise<void>;
}
