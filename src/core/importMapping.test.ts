import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guessMapping, looksLikeHeader, normalizeHeader } from './importMapping.js';
import { IMPORT_FIELDS, resolveMapping, type ImportMapping } from './imports.js';

describe('normalizeHeader', () => {
  it('ignores case, ё/е, punctuation and extra spaces', () => {
    expect(normalizeHeader('  Эл.  почта ')).toBe('эл почта');
    expect(normalizeHeader('E-MAIL')).toBe('e mail');
    expect(normalizeHeader('Номер телефона (моб.)')).toBe('номер телефона моб');
    expect(normalizeHeader('Остаток бонусов, шт.')).toBe('остаток бонусов шт');
    expect(normalizeHeader('Ёмкость')).toBe('емкость');
    expect(normalizeHeader('Ф.И.О.')).toBe('ф и о');
  });
});

describe('guessMapping', () => {
  it('reads a 1C export of counterparties', () => {
    expect(guessMapping(['Код', 'Наименование', 'Телефон', 'Дата рождения', 'Бонусы'])).toEqual({
      phone: 'Телефон', name: 'Наименование', birthday: 'Дата рождения', balance: 'Бонусы', externalId: 'Код',
    });
    expect(guessMapping(['Контрагент', 'Номер карты', 'Сумма бонусов', 'Эл. почта', 'Телефон'])).toEqual({
      phone: 'Телефон', name: 'Контрагент', email: 'Эл. почта', card: 'Номер карты', balance: 'Сумма бонусов',
    });
  });

  it('reads headers typed by hand in Excel, whatever their case, punctuation, ё or spaces', () => {
    expect(guessMapping([' ФИО ', 'ТЕЛЕФОН', 'баланс  баллов', 'E-mail', 'ДР'])).toEqual({
      phone: 'ТЕЛЕФОН', name: 'ФИО', birthday: 'ДР', email: 'E-mail', balance: 'баланс  баллов',
    });
    expect(guessMapping(['Ф.И.О.', 'Моб. телефон', 'Баллы', 'Почта'])).toEqual({ phone: 'Моб. телефон', name: 'Ф.И.О.', email: 'Почта', balance: 'Баллы' });
    expect(guessMapping(['Телефон (моб.)', 'Остаток бонусов на 01.12', 'Дата рождения клиента'])).toEqual({
      phone: 'Телефон (моб.)', birthday: 'Дата рождения клиента', balance: 'Остаток бонусов на 01.12',
    });
  });

  it('reads English headers', () => {
    expect(guessMapping(['Customer ID', 'Full name', 'Phone number', 'Date of birth', 'Email', 'Card number', 'Points'])).toEqual({
      phone: 'Phone number', name: 'Full name', birthday: 'Date of birth', email: 'Email', card: 'Card number', balance: 'Points', externalId: 'Customer ID',
    });
    expect(guessMapping(['phone', 'name', 'balance'])).toEqual({ phone: 'phone', name: 'name', balance: 'balance' });
  });

  it('a whole-header synonym wins over a word; a column is never used twice; the first fitting column wins', () => {
    // "Код клиента" is the id; "Телефон клиента" is the phone, not the name.
    expect(guessMapping(['Код клиента', 'Телефон клиента', 'Клиент'])).toEqual({ phone: 'Телефон клиента', name: 'Клиент', externalId: 'Код клиента' });
    // Two phone columns: the plain "Телефон" (a whole match) is taken, the other stays unmapped.
    expect(guessMapping(['Телефон рабочий', 'Телефон'])).toEqual({ phone: 'Телефон' });
    expect(guessMapping(['Тел. 1', 'Тел. 2'])).toEqual({ phone: 'Тел. 1' });
    // "Баланс карты" is a balance, and the card keeps its own column.
    expect(guessMapping(['Баланс карты', 'Карта', 'Телефон'])).toEqual({ phone: 'Телефон', card: 'Карта', balance: 'Баланс карты' });
    // A repeated header is the first of them (as the import reads it); an empty one is never chosen.
    expect(guessMapping(['', 'Телефон', 'телефон ', 'Имя'])).toEqual({ phone: 'Телефон', name: 'Имя' });
  });

  it('never takes a column for the phone unless its header says so', () => {
    expect(guessMapping(['Номер', 'Сумма', 'Комментарий', 'Дата'])).toEqual({});
    expect(guessMapping(['Номер карты', 'Код', 'Наименование'])).toEqual({ name: 'Наименование', card: 'Номер карты', externalId: 'Код' });
    expect(guessMapping([])).toEqual({});
  });

  it('whatever the header, the guess is accepted by resolveMapping when it has a phone (headers exist, no column twice)', () => {
    const words = ['Телефон', 'ФИО', 'Код', 'Баллы', 'Карта', 'E-mail', 'Дата рождения', 'Имя', 'Сумма', 'phone', 'ID', '', 'Тел.', 'Почта'];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 12 })), { maxLength: 12 }), (header) => {
        const guess = guessMapping(header);
        expect(Object.keys(guess).every((k) => (IMPORT_FIELDS as readonly string[]).includes(k))).toBe(true);
        const columns = Object.values(guess).map((c) => (c ?? '').trim().toLowerCase());
        expect(new Set(columns).size).toBe(columns.length);
        if (guess.phone !== undefined) {
          const at = resolveMapping(header, guess as ImportMapping);
          expect(new Set(Object.values(at)).size).toBe(Object.keys(guess).length);
        }
      }),
    );
  });
});

describe('looksLikeHeader', () => {
  it('column names are a header; a first customer is not', () => {
    expect(looksLikeHeader(['Код', 'Наименование', 'Телефон', 'Дата рождения', 'Бонусы'])).toBe(true);
    expect(looksLikeHeader(['Остаток на 01.12.2024', 'Phone'])).toBe(true);
    expect(looksLikeHeader(['Анна', '+7 916 123-45-67', '100'])).toBe(false);
    expect(looksLikeHeader(['Анна', '89161234567'])).toBe(false);
    expect(looksLikeHeader(['Анна', '01.05.1990'])).toBe(false);
    expect(looksLikeHeader(['Анна', 'anna@example.com'])).toBe(false);
    expect(looksLikeHeader(['Анна', '1200,50'])).toBe(false);
    expect(looksLikeHeader(['', ' '])).toBe(false);
  });
});
