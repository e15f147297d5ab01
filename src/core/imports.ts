// Importing members with their balances from another system's table: which column is what, and each row's checks.
import { DomainError, invalid } from './errors.js';
import { isIsoDate } from './localDate.js';
import { MAX_POINTS } from './money.js';
import { normalizePhone } from './phone.js';
import { isValidCardNumber } from './cardNumber.js';
import { unguardFormula } from './tabular.js';

export const IMPORT_FIELDS = ['phone', 'name', 'birthday', 'email', 'card', 'balance', 'externalId'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** For each field, the column's header text (matched ignoring case and surrounding spaces); phone is required. */
export type ImportMapping = { phone: string } & Partial<Record<Exclude<ImportField, 'phone'>, string>>;

export const MAX_IMPORT_ROWS = 200_000;

/** Why a row cannot be imported: a stable code (the panel words it) and an English sentence. */
export interface RowProblem {
  code:
    | 'phone_missing'
    | 'phone_invalid'
    | 'phone_duplicate'
    | 'member_exists'
    | 'member_blocked'
    | 'card_invalid'
    | 'card_duplicate'
    | 'card_taken'
    | 'balance_invalid'
    | 'birthday_invalid'
    | 'email_invalid'
    | 'name_too_long'
    | 'external_id_duplicate';
  field: ImportField;
  message: string;
}

export interface ImportRow {
  /** The row's number in the file as a spreadsheet shows it (the header is row 1). */
  row: number;
  phone: string | null;
  name: string | null;
  birthday: string | null;
  email: string | null;
  card: string | null;
  points: number;
  externalId: string | null;
  problems: RowProblem[];
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const norm = (s: string) => s.trim().toLowerCase();

/** The column index of each mapped field; an unknown column or a column mapped twice is refused. */
export function resolveMapping(header: readonly string[], mapping: ImportMapping): Partial<Record<ImportField, number>> {
  const names = header.map(norm);
  const out: Partial<Record<ImportField, number>> = {};
  const used = new Map<number, ImportField>();
  for (const field of IMPORT_FIELDS) {
    const column = mapping[field];
    if (column === undefined || column === null || column === '') continue;
    const at = names.indexOf(norm(column));
    if (at < 0) throw invalid(`mapping.${field}: the file has no column "${column}" (its columns: ${header.slice(0, 30).join(', ')})`, { field: `mapping.${field}` });
    const twice = used.get(at);
    if (twice) throw invalid(`mapping.${field}: column "${column}" is already mapped to ${twice}`, { field: `mapping.${field}` });
    used.set(at, field);
    out[field] = at;
  }
  if (out.phone === undefined) throw invalid('mapping.phone is required', { field: 'mapping.phone' });
  return out;
}

/** A date from "YYYY-MM-DD", "DD.MM.YYYY" (1C, Russian Excel) or a spreadsheet's day number; null if none of them. */
export function parseImportDate(text: string): string | null {
  const t = text.trim();
  let iso: string | null = null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) iso = t;
  const dmy = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(t);
  if (dmy) iso = `${dmy[3]}-${(dmy[2] as string).padStart(2, '0')}-${(dmy[1] as string).padStart(2, '0')}`;
  // An XLSX date cell is a day count from 1899-12-30.
  if (/^\d{1,5}$/.test(t) && Number(t) > 0) iso = new Date(Date.UTC(1899, 11, 30) + Number(t) * 86_400_000).toISOString().slice(0, 10);
  return iso !== null && isIsoDate(iso) ? iso : null;
}

/** Points from "1200", "1 200", "1200,00" or "1200.0"; null if not a whole non-negative number. */
export function parseImportPoints(text: string): number | null {
  const t = text.replace(/[\s\u00a0\u202f]/g, '');
  if (t === '') return 0;
  const m = /^(\d+)(?:[.,]0+)?$/.exec(t);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n <= MAX_POINTS ? n : null;
}

/** Checks every data row on its own and against the others in the file (duplicate phones, cards, external ids). */
export function checkImportRows(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  mapping: ImportMapping,
  o: { region: string; today: string },
): ImportRow[] {
  const at = resolveMapping(header, mapping);
  const cell = (r: readonly string[], f: ImportField): string => {
    const i = at[f];
    return i === undefined ? '' : unguardFormula((r[i] ?? '').trim());
  };
  const out: ImportRow[] = [];
  const phones = new Map<string, number>();
  const cards = new Map<string, number>();
  const externals = new Map<string, number>();
  rows.forEach((r, index) => {
    if (r.every((c) => c.trim() === '')) return; // blank lines are not rows
    const row = index + 2;
    const problems: RowProblem[] = [];
    let phone: string | null = null;
    const phoneText = cell(r, 'phone');
    if (phoneText === '') problems.push({ code: 'phone_missing', field: 'phone', message: 'no phone number' });
    else {
      try {
        phone = normalizePhone(phoneText, o.region);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        problems.push({ code: 'phone_invalid', field: 'phone', message: `"${phoneText.slice(0, 40)}" is not a valid phone number` });
      }
    }
    if (phone !== null) {
      const first = phones.get(phone);
      if (first !== undefined) problems.push({ code: 'phone_duplicate', field: 'phone', message: `the same phone as row ${first}` });
      else phones.set(phone, row);
    }
    const name = cell(r, 'name') || null;
    if (name !== null && name.length > 100) problems.push({ code: 'name_too_long', field: 'name', message: 'the name is longer than 100 characters' });
    const birthdayText = cell(r, 'birthday');
    let birthday: string | null = null;
    if (birthdayText !== '') {
      birthday = parseImportDate(birthdayText);
      if (birthday === null || birthday > o.today || birthday < '1900-01-01') {
        problems.push({ code: 'birthday_invalid', field: 'birthday', message: `"${birthdayText.slice(0, 30)}" is not a past date (YYYY-MM-DD or DD.MM.YYYY)` });
        birthday = null;
      }
    }
    const emailText = cell(r, 'email').toLowerCase();
    const email = emailText === '' ? null : emailText;
    if (email !== null && (email.length > 254 || !EMAIL_RE.test(email))) problems.push({ code: 'email_invalid', field: 'email', message: `"${emailText.slice(0, 60)}" is not an e-mail address` });
    const cardText = cell(r, 'card').replace(/[\s-]/g, '');
    const card = cardText === '' ? null : cardText;
    if (card !== null) {
      if (!isValidCardNumber(card)) problems.push({ code: 'card_invalid', field: 'card', message: `"${cardText.slice(0, 30)}" is not a Kopilka card number (10 digits, the last a check digit); leave the card column out to issue new cards` });
      else {
        const first = cards.get(card);
        if (first !== undefined) problems.push({ code: 'card_duplicate', field: 'card', message: `the same card number as row ${first}` });
        else cards.set(card, row);
      }
    }
    const balanceText = cell(r, 'balance');
    const points = parseImportPoints(balanceText);
    if (points === null) problems.push({ code: 'balance_invalid', field: 'balance', message: `"${balanceText.slice(0, 30)}" is not a whole number of points from 0 to ${MAX_POINTS}` });
    const externalId = cell(r, 'externalId') || null;
    if (externalId !== null) {
      const first = externals.get(externalId);
      if (first !== undefined) problems.push({ code: 'external_id_duplicate', field: 'externalId', message: `the same external id as row ${first}` });
      else externals.set(externalId, row);
    }
    out.push({ row, phone, name, birthday, email, card, points: points ?? 0, externalId, problems });
  });
  return out;
}
