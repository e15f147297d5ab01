import { describe, expect, it } from 'vitest';
import { checkAnswers, missingRequired, parseAnswer } from './questionnaire.js';

describe('parseAnswer', () => {
  const today = '2026-11-23';
  it('reads birthdays in the forms people type, and refuses impossible or future dates', () => {
    expect(parseAnswer({ type: 'birthday' }, '01.05.1990', today)).toEqual({ ok: true, value: '1990-05-01' });
    expect(parseAnswer({ type: 'birthday' }, '1/5/1990', today)).toEqual({ ok: true, value: '1990-05-01' });
    expect(parseAnswer({ type: 'birthday' }, '1990-05-01', today)).toEqual({ ok: true, value: '1990-05-01' });
    for (const bad of ['31.02.1990', '01.05.2030', '01.05.1890', 'вчера', '1990', '']) expect(parseAnswer({ type: 'birthday' }, bad, today)).toEqual({ ok: false });
  });
  it('checks e-mails, names and free text', () => {
    expect(parseAnswer({ type: 'email' }, ' Ann@Mail.RU ', today)).toEqual({ ok: true, value: 'ann@mail.ru' });
    expect(parseAnswer({ type: 'email' }, 'ann@', today)).toEqual({ ok: false });
    expect(parseAnswer({ type: 'name' }, 'x'.repeat(101), today)).toEqual({ ok: false });
    expect(parseAnswer({ type: 'text' }, 'капучино', today)).toEqual({ ok: true, value: 'капучино' });
    expect(parseAnswer({ type: 'text' }, 'a\u0000b', today)).toEqual({ ok: false });
  });
});

describe('answers', () => {
  const qs = [
    { id: 'name', type: 'name' as const, label: '', required: true },
    { id: 'pet', type: 'text' as const, label: 'Pet', required: true },
    { id: 'drink', type: 'text' as const, label: 'Drink', required: false },
  ];
  it('keeps answers to text questions only and lists what is still required', () => {
    expect(checkAnswers(qs, { pet: ' cat ' })).toEqual({ pet: 'cat' });
    expect(() => checkAnswers(qs, { name: 'x' })).toThrow(/no such question/);
    expect(() => checkAnswers(qs, { pet: '' })).toThrow(/1–500/);
    expect(missingRequired(qs, { name: null, birthday: null, email: null, answers: { drink: 'tea' } }).map((q) => q.id)).toEqual(['name', 'pet']);
    expect(missingRequired(qs, { name: 'Ann', birthday: null, email: null, answers: { pet: 'cat' } })).toEqual([]);
  });
});
