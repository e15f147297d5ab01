// The business's profile as customers see it: address with a map link, phone, social links, opening hours, and the
// Info page (rich text, stored sanitised — the sanitiser itself is in src/app, this module only checks and derives).
// Pure: validation lists every problem; the plain-text form of the Info page is derived here for the bot.
import { MAX_INFO_TEXT } from './customerSettings.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const SOCIAL_KINDS = ['vk', 'telegram', 'instagram', 'whatsapp', 'website', 'other'] as const;
export type SocialKind = (typeof SOCIAL_KINDS)[number];

export interface SocialLink {
  kind: SocialKind;
  url: string;
}

/** One day's hours, local time "HH:MM"; overnight: closes after midnight (close before open). */
export interface DayHours {
  open: string;
  close: string;
  overnight: boolean;
}

export interface OpeningHours {
  /** null: closed that day. */
  days: Record<Weekday, DayHours | null>;
  /** A free note: "санитарный день — последний четверг". */
  note: string;
}

export interface BusinessProfile {
  address: string;
  mapUrl: string | null;
  /** E.164. */
  phone: string | null;
  socialLinks: SocialLink[];
  /** null: not given. */
  hours: OpeningHours | null;
  /** The Info page, sanitised HTML (only the tags in INFO_HTML_TAGS). */
  infoHtml: string;
}

export const EMPTY_BUSINESS_PROFILE: BusinessProfile = { address: '', mapUrl: null, phone: null, socialLinks: [], hours: null, infoHtml: '' };

export const MAX_BUSINESS_NAME = 100;
export const MAX_ADDRESS = 300;
export const MAX_PROFILE_URL = 500;
export const MAX_SOCIAL_LINKS = 10;
export const MAX_HOURS_NOTE = 200;
/** The Info page's HTML after sanitising (its plain-text form is cut to MAX_INFO_TEXT). */
export const MAX_INFO_HTML = 20_000;

/** What the Info page may contain (enforced by the sanitiser in src/app/richText.ts). */
export const INFO_HTML_TAGS = ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'ul', 'ol', 'li', 'h2', 'h3', 'a'] as const;
export const INFO_LINK_SCHEMES = ['https', 'http', 'mailto', 'tel'] as const;

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const CLOSE_RE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function parseUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

/** An https:// URL with a host, no spaces or quotes. */
export function isHttpsUrl(s: unknown): s is string {
  if (typeof s !== 'string' || s.length > MAX_PROFILE_URL || /[\s"'<>`\\]/.test(s)) return false;
  const u = parseUrl(s);
  return u !== null && u.protocol === 'https:' && u.hostname.length > 0;
}

/**
 * A social link as stored: https:// for every kind; for telegram also tg://… and t.me/… (made https://t.me/…).
 * null when the URL is not acceptable.
 */
export function normalizeSocialUrl(kind: SocialKind, url: string): string | null {
  const s = url.trim();
  if (kind === 'telegram') {
    if (/^(t\.me|telegram\.me)\//i.test(s)) return normalizeSocialUrl(kind, `https://${s}`);
    if (/^tg:\/\/[a-z]+\?[\w=&%.-]+$/i.test(s) && s.length <= MAX_PROFILE_URL) return s;
  }
  return isHttpsUrl(s) ? s : null;
}

/** Pushes every problem with the profile (already normalised) onto `problems`, each starting with its field path. */
export function checkBusinessProfile(p: BusinessProfile, problems: string[]): void {
  if (typeof p.address !== 'string' || p.address.length > MAX_ADDRESS || CONTROL_RE.test(p.address.replace(/\n/g, ''))) {
    problems.push(`address must be at most ${MAX_ADDRESS} characters`);
  }
  if (p.mapUrl !== null && !isHttpsUrl(p.mapUrl)) problems.push(`mapUrl must be an https:// link of at most ${MAX_PROFILE_URL} characters`);
  if (!Array.isArray(p.socialLinks) || p.socialLinks.length > MAX_SOCIAL_LINKS) {
    problems.push(`socialLinks must be a list of at most ${MAX_SOCIAL_LINKS}`);
  } else {
    p.socialLinks.forEach((l, i) => {
      const at = `socialLinks[${i}]`;
      if (!(SOCIAL_KINDS as readonly string[]).includes(l.kind)) problems.push(`${at}.kind must be one of ${SOCIAL_KINDS.join(', ')}`);
      else if (typeof l.url !== 'string' || normalizeSocialUrl(l.kind, l.url) !== l.url) {
        problems.push(`${at}.url must be an https:// link${l.kind === 'telegram' ? ' (or tg://, t.me/…)' : ''} of at most ${MAX_PROFILE_URL} characters`);
      }
    });
  }
  if (p.hours !== null) {
    if (typeof p.hours.note !== 'string' || p.hours.note.length > MAX_HOURS_NOTE || CONTROL_RE.test(p.hours.note)) {
      problems.push(`hours.note must be one line of at most ${MAX_HOURS_NOTE} characters`);
    }
    for (const d of WEEKDAYS) {
      const h = p.hours.days[d];
      const at = `hours.${d}`;
      if (h === null) continue;
      if (h === undefined) {
        problems.push(`${at} must be given: hours or null (closed)`);
        continue;
      }
      const openOk = TIME_RE.test(h.open);
      const closeOk = CLOSE_RE.test(h.close);
      if (!openOk) problems.push(`${at}.open must be a time HH:MM (00:00–23:59)`);
      if (!closeOk) problems.push(`${at}.close must be a time HH:MM (00:00–24:00)`);
      if (!openOk || !closeOk) continue;
      const o = minutes(h.open);
      const c = minutes(h.close);
      if (h.overnight) {
        if (c >= o) problems.push(`${at}.close must be before open when overnight (closing after midnight), e.g. 18:00–02:00`);
      } else if (c <= o) {
        problems.push(`${at}.close must be after open (${h.open}); for hours past midnight set overnight: true`);
      }
    }
  }
  if (typeof p.infoHtml !== 'string' || p.infoHtml.length > MAX_INFO_HTML) problems.push(`infoHtml must be at most ${MAX_INFO_HTML} characters after cleaning`);
}

// ── the Info page in plain text (the bot, the legacy infoText) ───────────────────────────────────────────────────

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+\d*|#39);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * The plain-text form of sanitised Info HTML: tags stripped, paragraphs and headings on lines of their own, list
 * items as "• …", links as "text (url)" (just the url when the text is the url).
 */
export function infoPlainText(html: string): string {
  let s = html.replace(/\r?\n/g, ' ');
  s = s.replace(/<a\b[^>]*?href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, inner: string) => {
    const text = decodeEntities(inner.replace(/<[^>]*>/g, '')).trim();
    const url = decodeEntities(href).replace(/^mailto:|^tel:/i, '');
    return text === '' ? url : text === url || text === decodeEntities(href) ? text : `${text} (${url})`;
  });
  s = s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n• ')
    .replace(/<\/(p|h2|h3|ul|ol)>/gi, '\n\n')
    .replace(/<(p|h2|h3|ul|ol)\b[^>]*>/gi, '\n\n')
    .replace(/<[^>]*>/g, '');
  s = decodeEntities(s);
  return s
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The legacy `infoText` (plain, at most MAX_INFO_TEXT characters) written together with the HTML. */
export const infoTextOf = (html: string): string => infoPlainText(html).slice(0, MAX_INFO_TEXT);

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Plain text as Info HTML: paragraphs by blank lines, line breaks kept, everything escaped. */
export function plainTextToHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${p.trim().split('\n').map(escapeHtml).join('<br />')}</p>`)
    .join('');
}

/**
 * The Info page customers see. The HTML is current while its plain form is the program's infoText; a later
 * PATCH /program {infoText} (the older, plain-text way) replaces the page with that text.
 */
export function effectiveInfoHtml(infoHtml: string, infoText: string): string {
  if (infoHtml !== '' && infoTextOf(infoHtml) === infoText) return infoHtml;
  return plainTextToHtml(infoText);
}

// ── opening hours in words ───────────────────────────────────────────────────────────────────────────────────────

const DAY_NAMES: Record<'ru' | 'en', Record<Weekday, string>> = {
  ru: { mon: 'Пн', tue: 'Вт', wed: 'Ср', thu: 'Чт', fri: 'Пт', sat: 'Сб', sun: 'Вс' },
  en: { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' },
};
const CLOSED: Record<'ru' | 'en', string> = { ru: 'выходной', en: 'closed' };

export const weekdayName = (d: Weekday, lang: 'ru' | 'en'): string => DAY_NAMES[lang][d];

/** "08:00–22:00", or the language's word for closed. */
export const dayHoursText = (h: DayHours | null, lang: 'ru' | 'en'): string => (h === null ? CLOSED[lang] : `${h.open}–${h.close}`);

/** The weekday of a date "YYYY-MM-DD" (the business's local date). */
export function weekdayOf(date: string): Weekday {
  const d = new Date(`${date}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(d + 6) % 7] as Weekday;
}

/** The hours as lines "Пн 08:00–22:00", the note last. */
export function hoursLines(hours: OpeningHours, lang: 'ru' | 'en'): string[] {
  const lines = WEEKDAYS.map((d) => `${weekdayName(d, lang)} ${dayHoursText(hours.days[d], lang)}`);
  return hours.note.trim() ? [...lines, hours.note.trim()] : lines;
}

const LABELS = {
  ru: { address: 'Адрес', map: 'Карта', phone: 'Телефон', hours: 'Часы работы' },
  en: { address: 'Address', map: 'Map', phone: 'Phone', hours: 'Opening hours' },
} as const;

/** The profile as plain text for the bot: address (and map link), phone, hours, social links; '' when empty. */
export function profilePlainText(p: BusinessProfile, lang: 'ru' | 'en'): string {
  const l = LABELS[lang];
  const parts: string[] = [];
  if (p.address) parts.push(`${l.address}: ${p.address}${p.mapUrl ? `\n${l.map}: ${p.mapUrl}` : ''}`);
  else if (p.mapUrl) parts.push(`${l.map}: ${p.mapUrl}`);
  if (p.phone) parts.push(`${l.phone}: ${p.phone}`);
  if (p.hours) parts.push([`${l.hours}:`, ...hoursLines(p.hours, lang)].join('\n'));
  if (p.socialLinks.length > 0) parts.push(p.socialLinks.map((s) => s.url).join('\n'));
  return parts.join('\n\n');
}
