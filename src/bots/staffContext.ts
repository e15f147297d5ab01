// The staff bot's context: the business, the use cases' dependencies, who is writing (the staff member, once the
// access check found them), the conversation state, and texts in the user's language with money in the business's
// currency and points under the business's own name.
import { randomBytes } from 'node:crypto';
import type { Context } from 'grammy';
import type { AppDeps } from '../app/deps.js';
import { setStaffBotState } from '../app/staffBotSessions.js';
import type { TillCaller, TillDeps } from '../app/till.js';
import type { DomainError, StaffMember, StaffRole } from '../core/index.js';
import { langOf, type Lang } from './i18n.js';
import { staffEn } from './locales/staff.en.js';
import { staffRu, type StaffMessages } from './locales/staff.ru.js';

export type StaffKey = Exclude<keyof StaffMessages, 'errors'>;
const LOCALES: Record<Lang, StaffMessages> = { ru: staffRu, en: staffEn };

const fill = (template: string, params: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));

export function staffText(lang: Lang, key: StaffKey, params: Record<string, string | number> = {}): string {
  return fill(LOCALES[lang][key], params);
}

/** One operation in progress; `id` is made once per operation and is its idempotency key. */
export type StaffFlow =
  | { step: 'earn_amount'; id: string; memberId: string }
  | { step: 'redeem_amount'; id: string; memberId: string }
  | { step: 'redeem_points'; id: string; memberId: string; amount: number; max: number; value: number }
  | { step: 'redeem_code'; id: string; memberId: string; amount: number; points: number; expiresAt: string }
  | { step: 'adjust_points'; id: string; memberId: string }
  | { step: 'adjust_reason'; id: string; memberId: string; points: number }
  | { step: 'adjust_confirm'; id: string; memberId: string; points: number; reason: string }
  | { step: 'bonus_confirm'; id: string; points: number; reason: string }
  | { step: 'invite_name'; id: string; role: StaffRole }
  | { step: 'chat_reply'; id: string; memberId: string; who: string };

/** What the staff bot keeps for one Telegram user (under `staff` in the shared bot session). */
export interface StaffState {
  /** A stranger was told once that the bot is for staff: later messages get no answer. */
  told?: boolean;
  flow?: StaffFlow;
}

export const newOperationId = () => randomBytes(9).toString('base64url');
export const idempotencyKeyOf = (flow: { id: string }) => `tg:${flow.id}`;

export interface StaffFlavor {
  kopilka: {
    deps: AppDeps;
    till: TillDeps & { app: AppDeps };
    businessId: string;
    businessName: string;
    pointsName: string;
    currency: string;
    timezone: string;
    lang: Lang;
    /** The staff bot's @username, for invitation links. */
    botUsername: string;
    /** The cashier screen as a Mini App for this bot (https only); null without a public https address. */
    cashierUrl: string | null;
    /** `<base>/cashier/` for web invitation links; null when unknown. */
    cashierWebBase: string | null;
    /** The staff member behind this chat (set by the access check; null for anyone else). */
    staff: StaffMember | null;
    state: StaffState;
    t(key: StaffKey, params?: Record<string, string | number>): string;
    /** The human message for a domain error. */
    errorText(e: DomainError): string;
    money(minor: number): string;
    /** A date (ISO instant) in the business's time zone. */
    date(iso: string): string;
    roleName(role: StaffRole): string;
    /** Saves the state (and keeps it on the context). */
    save(state: StaffState): Promise<void>;
  };
}

export type StaffContext = Context & StaffFlavor;

/** The minor units of a currency (ISO 4217: RUB 2, JPY 0). */
export const currencyDigits = (currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

export function formatMoney(minor: number, currency: string, lang: Lang): string {
  const digits = currencyDigits(currency);
  const whole = minor % 10 ** digits === 0;
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'ru-RU', { style: 'currency', currency, minimumFractionDigits: whole ? 0 : digits, maximumFractionDigits: digits }).format(minor / 10 ** digits);
}

/** What a cashier types as an amount ("1500", "1 500,50", "1500.5 ₽") in minor units; null when it is not one. */
export function parseAmount(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const s = text.replace(/[\s\u00a0\u202f]/g, '').replace(/(₽|руб\.?|р\.?|rub|\$|€|£)$/i, '');
  const m = /^(\d{1,9})(?:[.,](\d+))?$/.exec(s);
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > digits) return null;
  const minor = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

export function staffContext(
  base: {
    deps: AppDeps;
    till: TillDeps;
    businessId: string;
    business: { name: string; pointsName: string; currency: string; timezone: string };
    botUsername: string;
    cashierUrl: string | null;
    cashierWebBase: string | null;
  },
  languageCode: string | undefined,
  telegramUserId: number | undefined,
  staff: StaffMember | null,
  state: StaffState,
): StaffFlavor['kopilka'] {
  const lang = langOf(languageCode);
  const { business } = base;
  const common = { points: business.pointsName, business: business.name };
  const roleName = (role: StaffRole) => staffText(lang, `role_${role}`);
  const k: StaffFlavor['kopilka'] = {
    deps: base.deps,
    till: { ...base.till, app: base.deps },
    businessId: base.businessId,
    businessName: business.name,
    pointsName: business.pointsName,
    currency: business.currency,
    timezone: business.timezone,
    lang,
    botUsername: base.botUsername,
    cashierUrl: base.cashierUrl,
    cashierWebBase: base.cashierWebBase,
    staff,
    state,
    t: (key, params = {}) => staffText(lang, key, { ...common, ...params }),
    errorText(e) {
      const d = e.details;
      const params: Record<string, string | number> = { ...common, role: staff ? roleName(staff.role) : '', detail: e.message };
      if (e.code === 'staff_limit_exceeded') {
        const limit = typeof d.limit === 'string' && ['per_operation', 'per_day', 'budget'].includes(d.limit) ? staffText(lang, `limit_${d.limit as 'per_day'}`) : String(d.limit ?? '');
        Object.assign(params, { limit, allowed: Number(d.allowed ?? 0), wanted: Number(d.wanted ?? 0) });
      }
      return fill(LOCALES[lang].errors[e.code], params);
    },
    money: (minor) => formatMoney(minor, business.currency, lang),
    date: (iso) => new Date(iso).toLocaleDateString(lang === 'en' ? 'en-GB' : 'ru-RU', { timeZone: business.timezone }),
    roleName,
    async save(next) {
      k.state = next;
      if (telegramUserId !== undefined) await setStaffBotState(base.deps, base.businessId, telegramUserId, next);
    },
  };
  return k;
}

/** The caller the use cases want: the staff member, from Telegram. */
export function callerOf(ctx: StaffContext): TillCaller {
  const staff = ctx.kopilka.staff;
  if (!staff) throw new Error('the access check lets only staff through');
  return { staff, channel: 'telegram' };
}
