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
