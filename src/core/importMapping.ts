// Which column of an import file is which field, guessed from its header as 1C, Excel or another system writes it
// ("Телефон", "ФИО", "Контрагент", "Сумма бонусов", "E-mail", "Номер карты", "Код"…), in Russian or English.
import { IMPORT_FIELDS, type ImportField } from './imports.js';

/** A guess: for each field recognised, the column's header as the file has it (phone too may be missing). */
export type GuessedMapping = Partial<Record<ImportField, string>>;

/** A header as compared: lower case, ё as е, punctuation and extra spaces gone ("Эл. почта" → "эл почта"). */
export function normalizeHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

interface Words {
  /** Whole headers that are this field. */
  exact: string[];
  /** A word of the header that makes it this field, when no whole header matched. */
  words: string[];
}

// Whole-header matches win over word matches; among word matches, the field listed first here wins a column.
const FIELDS: Record<ImportField, Words> = {
  phone: {
    exact: ['телефон', 'тел', 'номер телефона', 'телефон клиента', 'мобильный телефон', 'мобильный', 'моб телефон', 'сотовый', 'сотовый телефон', 'контактный телефон', 'phone', 'phone number', 'mobile', 'mobile phone', 'cell', 'cell phone', 'cellphone', 'tel', 'telephone', 'msisdn'],
    words: ['телефон', 'телефона', 'тел', 'мобильный', 'сотовый', 'phone', 'telephone', 'mobile', 'cellphone', 'msisdn'],
  },
  email: {
    exact: ['e mail', 'email', 'эл почта', 'электронная почта', 'почта', 'адрес электронной почты', 'e mail адрес', 'mail', 'емейл', 'имейл'],
    words: ['email', 'mail', 'почта', 'почты', 'емейл', 'имейл'],
  },
  birthday: {
    exact: ['дата рождения', 'день рождения', 'др', 'д р', 'birthday', 'birth date', 'birthdate', 'date of birth', 'dob'],
    words: ['рождения', 'рождение', 'birthday', 'birth', 'birthdate', 'dob'],
  },
  balance: {
    exact: ['бонусы', 'баллы', 'баланс', 'баланс баллов', 'баланс бонусов', 'сумма бонусов', 'сумма баллов', 'бонусный баланс', 'остаток бонусов', 'остаток баллов', 'бонусные баллы', 'количество баллов', 'количество бонусов', 'balance', 'points', 'bonus', 'bonuses', 'points balance', 'bonus balance'],
    words: ['бонусы', 'бонусов', 'бонус', 'бонусный', 'бонусные', 'баллы', 'баллов', 'балл', 'баланс', 'points', 'balance', 'bonus', 'bonuses'],
  },
  card: {
    exact: ['номер карты', 'карта', 'карта лояльности', 'дисконтная карта', 'номер дисконтной карты', 'бонусная карта', 'номер бонусной карты', 'код карты', 'card', 'card number', 'loyalty card', 'card no'],
    words: ['карта', 'карты', 'card'],
  },
  externalId: {
    exact: ['код', 'код клиента', 'код контрагента', 'id', 'ид', 'идентификатор', 'внешний id', 'внешний код', 'guid', 'uuid', 'external id', 'externalid', 'customer id', 'client id'],
    words: ['код', 'id', 'ид', 'идентификатор', 'guid', 'uuid'],
  },
  name: {
    exact: ['фио', 'ф и о', 'имя', 'наименование', 'контрагент', 'клиент', 'покупатель', 'фамилия имя отчество', 'имя клиента', 'полное имя', 'полное наименование', 'держатель карты', 'владелец карты', 'name', 'full name', 'customer', 'client', 'customer name', 'client name'],
    words: ['фио', 'имя', 'наименование', 'контрагент', 'покупатель', 'name'],
  },
};
const ORDER = Object.keys(FIELDS) as ImportField[];

/**
 * For every field it can recognise, the column that holds it: whole-header synonyms first, then a telling word of the
 * header ("Телефон (моб.)", "Сумма бонусов на 01.12"). A column is never used for two fields, and a field takes the
 * first column that fits; the phone is only ever a column whose header says it is one.
 */
export function guessMapping(header: readonly string[]): GuessedMapping {
  const candidates: { score: number; rank: number; column: number; field: ImportField }[] = [];
  const seen = new Set<string>();
  header.forEach((text, column) => {
    const norm = normalizeHeader(text);
    // An empty header cannot be chosen; a repeated one means its first column (as the import reads it).
    const key = text.trim().toLowerCase();
    if (norm === '' || seen.has(key)) return;
    seen.add(key);
    const tokens = norm.split(' ');
    ORDER.forEach((field, rank) => {
      const f = FIELDS[field];
      if (f.exact.includes(norm)) candidates.push({ score: 2, rank, column, field });
      else if (tokens.some((w) => f.words.includes(w))) candidates.push({ score: 1, rank, column, field });
    });
  });
  candidates.sort((a, b) => b.score - a.score || a.rank - b.rank || a.column - b.column);
  const out: GuessedMapping = {};
  const used = new Set<number>();
  for (const c of candidates) {
    if (out[c.field] !== undefined || used.has(c.column)) continue;
    out[c.field] = (header[c.column] as string).trim();
    used.add(c.column);
  }
  // In the fields' own order, as the import lists them.
  return Object.fromEntries(IMPORT_FIELDS.flatMap((f) => (out[f] === undefined ? [] : [[f, out[f]]]))) as GuessedMapping;
}

const DATA_CELL = [
  /^[+(]?\d[\d\s()\-–]{5,}$/, // a phone or a long number
  /^-?\d+([.,]\d+)?$/, // a number
  /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/, // a date
  /^[^\s@]+@[^\s@]+\.[^\s@]+$/, // an e-mail address
];

/**
 * Whether a first row reads as a header: false when any of its cells is a phone, a number, a date or an e-mail
 * address (a file saved without its header row, whose first customer would be taken for column names).
 */
export function looksLikeHeader(row: readonly string[]): boolean {
  const cells = row.map((c) => c.trim()).filter((c) => c !== '');
  return cells.length > 0 && !cells.some((c) => DATA_CELL.some((re) => re.test(c)));
}
