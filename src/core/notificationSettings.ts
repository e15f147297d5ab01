// How a business talks to its members: channel order, quiet hours, the daily send time, which service notices go
// out, expiry reminder days, the birthday and win-back campaigns, and its own message texts. Part of the program.
import { CHANNELS, type Channel } from './channels.js';
import { MESSAGE_KINDS, templateProblems, type MessageKind } from './messageTemplates.js';
import { MAX_POINTS, isWhole, type Points } from './money.js';
import { parseClock, type QuietHours } from './sendWindow.js';

export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface BirthdayCampaignSettings {
  enabled: boolean;
  /** Points given on the birthday; 0 = a greeting only. */
  bonus: Points;
  /** Days the birthday points stay valid, counting the birthday itself. */
  validDays: number;
  /** Share of members held out as a control group (0–50 %): they get nothing, so the effect can be measured. */
  controlPercent: number;
}

export interface WinbackCampaignSettings {
  enabled: boolean;
  /** Days since the last purchase after which a member counts as lapsed. */
  afterDays: number;
  bonus: Points;
  bonusValidDays: number;
  controlPercent: number;
}

export interface NotificationSettings {
  /** The language of messages to members who have not chosen one. */
  language: Language;
  /** Channels in the order they are tried. */
  channelOrder: Channel[];
  /** Nothing marketing or scheduled goes out in this local window; null = any time. */
  quietHours: QuietHours | null;
  /** Local time of day for reminders, birthday and win-back messages, 'HH:MM'. */
  sendAt: string;
  accrualNotices: boolean;
  redemptionNotices: boolean;
  welcomeMessage: boolean;
  /** Days before expiry a reminder goes out (default 4 and 1); empty = no reminders. */
  expiryReminderDays: number[];
  birthday: BirthdayCampaignSettings;
  winback: WinbackCampaignSettings;
  /** Days after a campaign message that a purchase counts as a return, in campaign reports. */
  reportWindowDays: number;
  /** The business's own texts, per language and kind; a kind without one uses the default text. */
  templates: Partial<Record<Language, Partial<Record<MessageKind, string>>>>;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  language: 'ru',
  channelOrder: [...CHANNELS],
  quietHours: { start: '21:00', end: '09:00' },
  sendAt: '12:00',
  accrualNotices: true,
  redemptionNotices: true,
  welcomeMessage: true,
  expiryReminderDays: [4, 1],
  birthday: { enabled: false, bonus: 0, validDays: 7, controlPercent: 0 },
  winback: { enabled: false, afterDays: 45, bonus: 0, bonusValidDays: 14, controlPercent: 0 },
  reportWindowDays: 30,
  templates: {},
};

const MAX_DAYS = 3650;
const days = (v: unknown, min: number) => isWhole(v) && v >= min && v <= MAX_DAYS;
const points = (v: unknown) => isWhole(v) && v >= 0 && v <= MAX_POINTS;
const percent = (v: unknown) => isWhole(v) && v >= 0 && v <= 50;

/** Fills what a stored or partial value lacks with the defaults (settings saved before a field existed). */
export function withNotificationDefaults(s: Partial<NotificationSettings> | undefined): NotificationSettings {
  const d = DEFAULT_NOTIFICATION_SETTINGS;
  if (!s || typeof s !== 'object') return { ...d, birthday: { ...d.birthday }, winback: { ...d.winback }, templates: {} };
  return { ...d, ...s, birthday: { ...d.birthday, ...(s.birthday ?? {}) }, winback: { ...d.winback, ...(s.winback ?? {}) }, templates: s.templates ?? {} };
}

/** Pushes every problem with the settings onto `problems` (field names as the API shows them: notifications.*). */
export function checkNotificationSettings(s: NotificationSettings, problems: string[]): void {
  const at = (f: string) => `notifications.${f}`;
  if (typeof s !== 'object' || s === null) {
    problems.push('notifications must be an object');
    return;
  }
  if (!LANGUAGES.includes(s.language)) problems.push(`${at('language')} must be one of ${LANGUAGES.join(', ')}`);
  if (!Array.isArray(s.channelOrder) || s.channelOrder.length < 1 || s.channelOrder.some((c) => !CHANNELS.includes(c)) || new Set(s.channelOrder).size !== s.channelOrder.length) {
    problems.push(`${at('channelOrder')} must list some of ${CHANNELS.join(', ')}, each once`);
  }
  if (s.quietHours !== null) {
    const q = s.quietHours;
    if (typeof q !== 'object' || parseClock(q?.start) === null || parseClock(q?.end) === null) problems.push(`${at('quietHours')} must be null or {start, end} as HH:MM`);
    else if (q.start === q.end) problems.push(`${at('quietHours')}: start and end must differ (or set null for no quiet hours)`);
  }
  if (parseClock(s.sendAt) === null) problems.push(`${at('sendAt')} must be a time of day as HH:MM`);
  for (const k of ['accrualNotices', 'redemptionNotices', 'welcomeMessage'] as const) {
    if (typeof s[k] !== 'boolean') problems.push(`${at(k)} must be true or false`);
  }
  const r = s.expiryReminderDays;
  if (!Array.isArray(r) || r.length > 5 || r.some((n) => !days(n, 1) || n > 60) || new Set(r).size !== r.length) {
    problems.push(`${at('expiryReminderDays')} must be up to 5 different whole numbers of days from 1 to 60`);
  }
  const b = s.birthday;
  if (typeof b !== 'object' || b === null || typeof b.enabled !== 'boolean') problems.push(`${at('birthday.enabled')} must be true or false`);
  else {
    if (!points(b.bonus)) problems.push(`${at('birthday.bonus')} must be a non-negative whole number of points`);
    if (!days(b.validDays, 1) || b.validDays > 365) problems.push(`${at('birthday.validDays')} must be 1–365`);
    if (!percent(b.controlPercent)) problems.push(`${at('birthday.controlPercent')} must be a whole number from 0 to 50`);
  }
  const w = s.winback;
  if (typeof w !== 'object' || w === null || typeof w.enabled !== 'boolean') problems.push(`${at('winback.enabled')} must be true or false`);
  else {
    if (!days(w.afterDays, 1) || w.afterDays > 730) problems.push(`${at('winback.afterDays')} must be 1–730`);
    if (!points(w.bonus)) problems.push(`${at('winback.bonus')} must be a non-negative whole number of points`);
    if (!days(w.bonusValidDays, 1) || w.bonusValidDays > 365) problems.push(`${at('winback.bonusValidDays')} must be 1–365`);
    if (!percent(w.controlPercent)) problems.push(`${at('winback.controlPercent')} must be a whole number from 0 to 50`);
  }
  if (!days(s.reportWindowDays, 1) || s.reportWindowDays > 365) problems.push(`${at('reportWindowDays')} must be 1–365`);
  if (typeof s.templates !== 'object' || s.templates === null || Array.isArray(s.templates)) {
    problems.push(`${at('templates')} must be an object of languages`);
    return;
  }
  for (const [lang, byKind] of Object.entries(s.templates)) {
    if (!LANGUAGES.includes(lang as Language)) {
      problems.push(`${at('templates')}: "${lang}" is not a language; use ${LANGUAGES.join(', ')}`);
      continue;
    }
    if (typeof byKind !== 'object' || byKind === null || Array.isArray(byKind)) {
      problems.push(`${at(`templates.${lang}`)} must be an object of message kinds`);
      continue;
    }
    for (const [kind, text] of Object.entries(byKind)) {
      if (!MESSAGE_KINDS.includes(kind as MessageKind) || kind === 'broadcast') {
        problems.push(`${at(`templates.${lang}`)}: "${kind}" is not a message kind with a template; use ${MESSAGE_KINDS.filter((k) => k !== 'broadcast').join(', ')}`);
        continue;
      }
      for (const p of templateProblems(kind as MessageKind, text as string)) problems.push(`${at(`templates.${lang}.${kind}`)}: ${p}`);
    }
  }
}

/** A change to the settings: any field; birthday, win-back and templates change part by part (a template set to null goes back to the default). */
export type NotificationSettingsChange = Partial<Omit<NotificationSettings, 'birthday' | 'winback' | 'templates'>> & {
  birthday?: Partial<BirthdayCampaignSettings>;
  winback?: Partial<WinbackCampaignSettings>;
  templates?: Partial<Record<Language, Partial<Record<MessageKind, string | null>>>>;
};

export function mergeNotificationSettings(current: NotificationSettings, change: NotificationSettingsChange): NotificationSettings {
  const defined = <T extends object>(o: T | undefined): Partial<T> => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  const { birthday, winback, templates, ...rest } = change;
  const merged: NotificationSettings = { ...current, ...defined(rest), birthday: { ...current.birthday, ...defined(birthday) }, winback: { ...current.winback, ...defined(winback) }, templates: { ...current.templates } };
  if (templates !== undefined && (typeof templates !== 'object' || templates === null || Array.isArray(templates))) {
    merged.templates = templates as never; // reported by checkNotificationSettings
    return merged;
  }
  for (const [lang, byKind] of Object.entries(templates ?? {})) {
    if (typeof byKind !== 'object' || byKind === null || Array.isArray(byKind)) {
      (merged.templates as Record<string, unknown>)[lang] = byKind;
      continue;
    }
    const next: Record<string, string> = { ...(merged.templates[lang as Language] ?? {}) };
    for (const [kind, text] of Object.entries(byKind)) {
      if (text === null) delete next[kind];
      else next[kind] = text as string;
    }
    (merged.templates as Record<string, unknown>)[lang] = next;
  }
  return merged;
}
