import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES, MESSAGE_KINDS, TEMPLATE_VARIABLES, checkTemplate, renderTemplate, templateProblems } from './messageTemplates.js';

describe('message templates', () => {
  it('refuse unknown variables, stray braces and empty text when saved, with every reason', () => {
    expect(templateProblems('accrual', 'Начислено {points} {pointsName}')).toEqual([]);
    expect(templateProblems('accrual', 'Сгорят {expiresAt} {pont}')).toEqual([
      expect.stringMatching(/^\{expiresAt\} is not a variable of accrual messages/),
      expect.stringMatching(/^\{pont\} is not a variable/),
    ]);
    expect(templateProblems('welcome', 'Привет {name')).toEqual(['a { or } without its pair']);
    expect(templateProblems('broadcast', ' ')).toEqual(['a template is 1–4000 characters']);
    expect(() => checkTemplate('winback', '{days}')).toThrow(/not a variable of winback/);
  });

  it('render every default template whole, and refuse to render without every variable', () => {
    for (const lang of ['ru', 'en'] as const) {
      for (const kind of MESSAGE_KINDS) {
        const text = DEFAULT_TEMPLATES[lang][kind];
        if (kind === 'broadcast') continue; // written by the business each time
        expect(templateProblems(kind, text)).toEqual([]);
        const vars = Object.fromEntries(TEMPLATE_VARIABLES[kind].map((v) => [v, `<${v}>`]));
        expect(renderTemplate(kind, text, vars)).not.toMatch(/[{}]/);
      }
    }
    expect(renderTemplate('accrual', '{name}: +{points}', { name: 'Оля', points: 50, pointsName: 'баллы', balance: 150, business: 'Зерно', cardUrl: 'https://x' })).toBe('Оля: +50');
    expect(() => renderTemplate('accrual', '{name}', { name: 'Оля' })).toThrow(/no value for pointsName/);
  });
});
