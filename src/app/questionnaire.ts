// The business's own sign-up questions: answers are checked against the questions as configured now.
import { invalid, type Question } from '../core/index.js';

export const MAX_ANSWER = 500;

/** Keeps answers to the business's text questions only; each 1–500 characters, no control characters. */
export function checkAnswers(questions: readonly Question[], answers: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, value] of Object.entries(answers)) {
    const q = questions.find((x) => x.id === id && x.type === 'text');
    if (!q) throw invalid(`answers.${id}: the business asks no such question`, { field: `answers.${id}` });
    if (value === null) continue;
    const v = typeof value === 'string' ? value.trim() : '';
    if (v.length < 1 || v.length > MAX_ANSWER || /[\u0000-\u001f]/.test(v)) throw invalid(`answers.${id} must be 1–${MAX_ANSWER} characters of text`, { field: `answers.${id}` });
    out[id] = v;
  }
  return out;
}

/** The required questions a member has not answered yet (profile fields or text answers). */
export function missingRequired(questions: readonly Question[], m: { name: string | null; birthday: string | null; email: string | null; answers: Record<string, string> }): Question[] {
  return questions.filter((q) => q.required && !(q.type === 'text' ? m.answers[q.id] : m[q.type]));
}

export type ParsedAnswer = { ok: true; value: string } | { ok: false };

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Reads a typed answer: a birthday as 31.12.1990, 31/12/1990 or 1990-12-31 (a real past date), an e-mail, a name. */
export function parseAnswer(q: Pick<Question, 'type'>, input: string, today: string): ParsedAnswer {
  const v = input.trim();
  if (v.length < 1 || /[\u0000-\u001f]/.test(v)) return { ok: false };
  switch (q.type) {
    case 'name':
      return v.length <= 100 ? { ok: true, value: v } : { ok: false };
    case 'email':
      return v.length <= 254 && EMAIL_RE.test(v) ? { ok: true, value: v.toLowerCase() } : { ok: false };
    case 'text':
      return v.length <= MAX_ANSWER ? { ok: true, value: v } : { ok: false };
    case 'birthday': {
      const m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(v) ?? null;
      const iso = m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null;
      if (!iso) return { ok: false };
      const d = new Date(`${iso}T00:00:00Z`);
      const real = !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
      return real && iso <= today && iso >= '1900-01-01' ? { ok: true, value: iso } : { ok: false };
    }
  }
}
