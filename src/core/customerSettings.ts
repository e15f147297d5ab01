// What customers see of a program besides its rules: the owner's text, the sign-up questions, referrals, the
// rewards catalog and the card's branding. Validated with the rest of the program.
import { MAX_POINTS, isWhole, type Points } from './money.js';

export type QuestionType = 'name' | 'birthday' | 'email' | 'text';

export interface Question {
  id: string;
  type: QuestionType;
  /** Shown to the customer; may be empty for name/birthday/email (a standard text is used), required for text. */
  label: string;
  required: boolean;
}

export interface Referral {
  enabled: boolean;
  /** Points for the member who shared the link, and for the friend who joined by it, after the friend's first purchase. */
  inviterBonus: Points;
  friendBonus: Points;
}

export interface Reward {
  id: string;
  title: string;
  points: Points;
}

export interface Branding {
  logoUrl: string | null;
  accentColor: string;
  cardColor: string;
  cardTextColor: string;
}

export interface CustomerSettings {
  infoText: string;
  questionnaire: Question[];
  referral: Referral;
  rewards: Reward[];
  branding: Branding;
}

export const DEFAULT_CUSTOMER_SETTINGS: CustomerSettings = {
  infoText: '',
  questionnaire: [{ id: 'birthday', type: 'birthday', label: '', required: false }],
  referral: { enabled: false, inviterBonus: 0, friendBonus: 0 },
  rewards: [],
  branding: { logoUrl: null, accentColor: '#2f6fed', cardColor: '#1f2a44', cardTextColor: '#ffffff' },
};

export const MAX_INFO_TEXT = 4000;
export const MAX_QUESTIONS = 10;
export const MAX_REWARDS = 50;
/** A logo given inline (data:image/…) stays small: it travels with every card page. */
export const MAX_LOGO_URL = 100_000;

const QUESTION_TYPES: readonly string[] = ['name', 'birthday', 'email', 'text'];
const ID_RE = /^[a-z0-9_-]{1,40}$/i;
const COLOR_RE = /^#[0-9a-f]{6}$/i;
const LOGO_RE = /^(https:\/\/[^\s"'<>]+|data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+)$/;

const text = (v: unknown, min: number, max: number) => typeof v === 'string' && v.trim().length >= min && v.length <= max;
const points = (v: unknown) => isWhole(v) && v >= 0 && v <= MAX_POINTS;

/** Pushes every problem with the customer-facing settings onto `problems`. */
export function checkCustomerSettings(s: CustomerSettings, problems: string[]): void {
  if (typeof s.infoText !== 'string' || s.infoText.length > MAX_INFO_TEXT) problems.push(`infoText must be at most ${MAX_INFO_TEXT} characters`);
  if (!Array.isArray(s.questionnaire) || s.questionnaire.length > MAX_QUESTIONS) {
    problems.push(`questionnaire must be a list of at most ${MAX_QUESTIONS} questions`);
  } else {
    const ids = new Set<string>();
    const types = new Set<string>();
    s.questionnaire.forEach((q, i) => {
      const at = `questionnaire[${i}]`;
      if (typeof q.id !== 'string' || !ID_RE.test(q.id)) problems.push(`${at}.id must be 1–40 letters, digits, - or _`);
      else if (ids.has(q.id)) problems.push(`${at}.id "${q.id}" is used twice`);
      ids.add(q.id);
      if (!QUESTION_TYPES.includes(q.type)) problems.push(`${at}.type must be one of ${QUESTION_TYPES.join(', ')}`);
      else if (q.type !== 'text' && types.has(q.type)) problems.push(`${at}: only one ${q.type} question is allowed`);
      types.add(q.type);
      if (!text(q.label, q.type === 'text' ? 1 : 0, 100)) problems.push(`${at}.label must be ${q.type === 'text' ? '1' : '0'}–100 characters`);
      if (typeof q.required !== 'boolean') problems.push(`${at}.required must be true or false`);
    });
  }
  const r = s.referral;
  if (typeof r !== 'object' || r === null || typeof r.enabled !== 'boolean') problems.push('referral.enabled must be true or false');
  else {
    if (!points(r.inviterBonus)) problems.push('referral.inviterBonus must be a non-negative whole number of points');
    if (!points(r.friendBonus)) problems.push('referral.friendBonus must be a non-negative whole number of points');
    if (r.enabled && points(r.inviterBonus) && points(r.friendBonus) && r.inviterBonus + r.friendBonus === 0) {
      problems.push('referral: give at least one side a bonus, or turn referrals off');
    }
  }
  if (!Array.isArray(s.rewards) || s.rewards.length > MAX_REWARDS) {
    problems.push(`rewards must be a list of at most ${MAX_REWARDS}`);
  } else {
    const ids = new Set<string>();
    s.rewards.forEach((w, i) => {
      const at = `rewards[${i}]`;
      if (typeof w.id !== 'string' || !ID_RE.test(w.id)) problems.push(`${at}.id must be 1–40 letters, digits, - or _`);
      else if (ids.has(w.id)) problems.push(`${at}.id "${w.id}" is used twice`);
      ids.add(w.id);
      if (!text(w.title, 1, 100)) problems.push(`${at}.title must be 1–100 characters`);
      if (!points(w.points) || w.points < 1) problems.push(`${at}.points must be a positive whole number`);
    });
  }
  const b = s.branding;
  if (typeof b !== 'object' || b === null) problems.push('branding must be an object');
  else {
    if (b.logoUrl !== null && (typeof b.logoUrl !== 'string' || b.logoUrl.length > MAX_LOGO_URL || !LOGO_RE.test(b.logoUrl))) {
      problems.push(`branding.logoUrl must be null, an https:// URL or a data:image/(png|jpeg|webp|gif);base64 URL of at most ${MAX_LOGO_URL} characters`);
    }
    for (const k of ['accentColor', 'cardColor', 'cardTextColor'] as const) {
      if (typeof b[k] !== 'string' || !COLOR_RE.test(b[k])) problems.push(`branding.${k} must be a colour like #1f2a44`);
    }
  }
}
