// The settings sections' checks before saving, the same rules as src/core/program.ts, customerSettings.ts and
// notificationSettings.ts: each problem names the field by the API's own path (tiers.1.minTotalSpent), so a
// problem found here and one the server reports (422) land next to the same field. Pure (settingsRules.test.ts).
import { parseDecimal, parseMoney, previewRules, type RulesPreview } from './rules.js';

export interface Problem {
  /** The field as the API names it, dots for indexes: tiers.1.minTotalSpent, notifications.birthday.bonus. */
  path: string;
  /** A message key of the settings texts, and its values. */
  key: 'required' | 'wholeNumber' | 'percentRange' | 'moneyNumber' | 'tooLong' | 'idFormat' | 'duplicate' | 'tierAscending' | 'tierDuplicateName' | 'tierMax' | 'pointsWhole' | 'questionOnce' | 'questionLabelNeeded' | 'channelNone' | 'timeFormat';
  vars?: Record<string, number>;
}

export const MAX_DAYS = 3650;
export const MAX_POINTS = 1_000_000_000;
const ID_RE = /^[a-z0-9_-]{1,40}$/i;

/** The server's paths as one form: "tiers[1].minTotalSpent" and "tiers.1.minTotalSpent" alike; a trailing ":" goes. */
export const normalizePath = (path: string): string => path.replace(/\[(\d+)\]/g, '.$1').replace(/[:,]+$/, '').replace(/^\.+/, '');

/** A whole number typed in a field, within [min, max]; null when it is not one. */
export function parseWhole(s: string, min: number, max: number): number | null {
  const t = s.trim().replace(/[\s\u00a0]/g, '');
  if (!/^-?\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

/** Checks a whole-number field, recording a problem at `path`; returns the number or null. */
export function wholeField(problems: Problem[], path: string, s: string, min: number, max: number): number | null {
  if (!s.trim()) {
    problems.push({ path, key: 'required' });
    return null;
  }
  const n = parseWhole(s, min, max);
  if (n === null) problems.push({ path, key: 'wholeNumber', vars: { min, max } });
  return n;
}

/** A rate typed as "5" or "2,5": 0–100 with at most two decimals. */
export function percentField(problems: Problem[], path: string, s: string): number | null {
  const t = s.trim().replace(',', '.');
  if (!t) problems.push({ path, key: 'required' });
  else if (!/^\d{1,3}(\.\d{1,2})?$/.test(t) || Number(t) > 100) problems.push({ path, key: 'percentRange' });
  else return Number(t);
  return null;
}

export interface TierDraft {
  id?: string | undefined;
  name: string;
  /** The threshold in major units, as typed. */
  threshold: string;
  earnPercent: string;
  maxRedeemPercent: string;
}

export interface TierValue {
  id?: string;
  name: string;
  minTotalSpent: number;
  earnPercent: number;
  maxRedeemPercent: number;
}

/** The tiers as the API takes them, or every problem (thresholds must go up, names be unique). */
export function checkTiers(rows: TierDraft[], digits: number): { tiers: TierValue[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const tiers: TierValue[] = [];
  if (rows.length > 20) problems.push({ path: 'tiers', key: 'tierMax' });
  const names = new Set<string>();
  let prev: number | null = null;
  rows.forEach((r, i) => {
    const at = (f: string) => `tiers.${i}.${f}`;
    const name = r.name.trim();
    if (!name) problems.push({ path: at('name'), key: 'required' });
    else if (name.length > 40) problems.push({ path: at('name'), key: 'tooLong', vars: { max: 40 } });
    else if (names.has(name)) problems.push({ path: at('name'), key: 'tierDuplicateName' });
    names.add(name);
    let threshold: number | null = null;
    if (!r.threshold.trim()) problems.push({ path: at('minTotalSpent'), key: 'required' });
    else {
      const m = parseMoney(r.threshold, digits);
      if (Number.isNaN(m) || m > 1e15) problems.push({ path: at('minTotalSpent'), key: 'moneyNumber' });
      else threshold = m;
    }
    if (threshold !== null && prev !== null && threshold <= prev) problems.push({ path: at('minTotalSpent'), key: 'tierAscending' });
    if (threshold !== null) prev = threshold;
    const earn = percentField(problems, at('earnPercent'), r.earnPercent);
    const redeem = percentField(problems, at('maxRedeemPercent'), r.maxRedeemPercent);
    if (name && threshold !== null && earn !== null && redeem !== null) {
      tiers.push({ ...(r.id ? { id: r.id } : {}), name, minTotalSpent: threshold, earnPercent: earn, maxRedeemPercent: redeem });
    }
  });
  return { tiers: problems.length ? [] : tiers, problems };
}

/** What a sample purchase earns in a tier (its rates with the program's point value and minimum purchase). */
export function tierPreview(row: TierDraft, program: { pointValue: number; minPurchaseToEarn: number }, amount: number): RulesPreview | null {
  const earn = parseDecimal(row.earnPercent);
  const redeem = parseDecimal(row.maxRedeemPercent);
  return previewRules({ earnPercent: earn, maxRedeemPercent: redeem, pointValue: program.pointValue, minPurchaseToEarn: program.minPurchaseToEarn }, amount);
}

/** The tier window: empty = all time (null), else 1–3650 days. */
export function windowField(problems: Problem[], s: string): number | null {
  if (!s.trim()) return null;
  return wholeField(problems, 'tierWindowDays', s, 1, MAX_DAYS);
}

export interface RewardDraft {
  id: string;
  title: string;
  points: string;
}

export function checkRewards(rows: RewardDraft[]): { rewards: { id: string; title: string; points: number }[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const rewards = rows.map((r, i) => {
    const id = r.id.trim();
    if (!ID_RE.test(id)) problems.push({ path: `rewards.${i}.id`, key: id ? 'idFormat' : 'required' });
    else if (ids.has(id)) problems.push({ path: `rewards.${i}.id`, key: 'duplicate' });
    ids.add(id);
    const title = r.title.trim();
    if (!title) problems.push({ path: `rewards.${i}.title`, key: 'required' });
    else if (title.length > 100) problems.push({ path: `rewards.${i}.title`, key: 'tooLong', vars: { max: 100 } });
    const points = parseWhole(r.points, 1, MAX_POINTS);
    if (points === null) problems.push({ path: `rewards.${i}.points`, key: 'pointsWhole', vars: { min: 1 } });
    return { id, title, points: points ?? 0 };
  });
  return { rewards, problems };
}

export type QuestionType = 'name' | 'birthday' | 'email' | 'text';

export interface QuestionDraft {
  id?: string | undefined;
  type: QuestionType;
  label: string;
  required: boolean;
}

/** Name, birthday and e-mail may be asked once each; an own question needs its text. New questions get an id. */
export function checkQuestions(rows: QuestionDraft[]): { questionnaire: { id: string; type: QuestionType; label: string; required: boolean }[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const types = new Set<QuestionType>();
  const used = new Set(rows.map((r) => r.id).filter((x): x is string => Boolean(x)));
  const questionnaire = rows.map((r, i) => {
    if (r.type !== 'text' && types.has(r.type)) problems.push({ path: `questionnaire.${i}.type`, key: 'questionOnce' });
    types.add(r.type);
    const label = r.label.trim();
    if (r.type === 'text' && !label) problems.push({ path: `questionnaire.${i}.label`, key: 'questionLabelNeeded' });
    if (label.length > 100) problems.push({ path: `questionnaire.${i}.label`, key: 'tooLong', vars: { max: 100 } });
    let id = r.id;
    if (!id) {
      let n = i + 1;
      while (used.has(`${r.type}-${n}`)) n++;
      id = `${r.type}-${n}`;
      used.add(id);
    }
    return { id, type: r.type, label, required: r.required };
  });
  return { questionnaire, problems };
}

/** "HH:MM", 00:00–23:59. */
export const isClock = (s: string): boolean => /^([01]\d|2[0-3]):[0-5]\d$/.test(s);

/** The list with the item at `from` moved by `delta` places (clamped); the same list when it cannot move. */
export function moveItem<T>(list: readonly T[], from: number, delta: number): T[] {
  const to = Math.max(0, Math.min(list.length - 1, from + delta));
  const out = [...list];
  if (from < 0 || from >= list.length || to === from) return out;
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}
