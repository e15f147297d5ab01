// Settings: "refer a friend" (on/off, both bonuses, a sentence saying who gets what), the rewards catalogue (rows of
// code, title, price in points), the sign-up questionnaire (questions in order) and how far back a till may date a
// receipt. Each part saves alone; problems are shown by their fields.
import { h } from '../../../shared/dom.js';
import type { Program } from '../../../../src/client/index.js';
import { api } from '../api.js';
import type { Ctx } from '../context.js';
import { checkE, fieldE, rowList, sectionForm, st, type RowItem, type Slot } from '../settingsForm.js';
import { MAX_DAYS, MAX_POINTS, checkQuestions, checkRewards, parseWhole, wholeField, type Problem, type QuestionDraft, type QuestionType, type RewardDraft } from '../settingsRules.js';
import { input, select } from '../ui.js';

export function referralSection(p: Program, ctx: Ctx): HTMLElement {
  const r = p.referral;
  const enabled = checkE(st('referralEnabled'), r.enabled, { name: 'referralEnabled' });
  const inviter = fieldE(st('inviterBonus'), input({ type: 'number', name: 'inviterBonus', min: 0, value: String(r.inviterBonus), inputmode: 'numeric' }));
  const friend = fieldE(st('friendBonus'), input({ type: 'number', name: 'friendBonus', min: 0, value: String(r.friendBonus), inputmode: 'numeric' }));
  const inviterInput = inviter.slot.control as HTMLInputElement;
  const friendInput = friend.slot.control as HTMLInputElement;
  const preview = h('p', { class: 'preview', 'aria-live': 'polite', 'data-testid': 'referral-preview' });
  const update = () => {
    const i = parseWhole(inviterInput.value, 0, MAX_POINTS);
    const f = parseWhole(friendInput.value, 0, MAX_POINTS);
    if (!enabled.input.checked) preview.textContent = st('referralOff');
    else if (i === null || f === null) preview.textContent = st('pointsWhole', { min: 0 });
    else preview.textContent = st('referralPreview', { inviter: ctx.num(i), friend: ctx.num(f), pointsName: p.pointsName });
  };
  const { form } = sectionForm({
    title: st('referralTitle'),
    testid: 'referral',
    body: [enabled.el, h('div', { class: 'grid3' }, inviter.el, friend.el), preview],
    slots: () => new Map<string, Slot>([['referral', enabled.slot], ['referral.enabled', enabled.slot], ['referral.inviterBonus', inviter.slot], ['referral.friendBonus', friend.slot]]),
    build: () => {
      const problems: Problem[] = [];
      const inviterBonus = wholeField(problems, 'referral.inviterBonus', inviterInput.value, 0, MAX_POINTS);
      const friendBonus = wholeField(problems, 'referral.friendBonus', friendInput.value, 0, MAX_POINTS);
      if (problems.length || inviterBonus === null || friendBonus === null) return problems;
      return { referral: { enabled: enabled.input.checked, inviterBonus, friendBonus } };
    },
    send: (c) => api.program.update(c),
  });
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
  return form;
}

interface RewardRow extends RowItem {
  read(): RewardDraft;
}

export function rewardsSection(p: Program): HTMLElement {
  let next = p.rewards.length + 1;
  const makeRow = (w?: Program['rewards'][number]): RewardRow => {
    const id = input({ name: 'rewardId', maxlength: 40, value: w?.id ?? `reward-${next++}`, autocomplete: 'off' });
    const title = input({ name: 'rewardTitle', maxlength: 100, value: w?.title ?? '' });
    const points = input({ type: 'number', name: 'rewardPoints', min: 1, value: w ? String(w.points) : '', inputmode: 'numeric' });
    const f = { id: fieldE(st('rewardId'), id), title: fieldE(st('rewardTitle'), title), points: fieldE(st('rewardPoints'), points) };
    return {
      el: h('div', { class: 'grid3' }, f.title.el, f.points.el, f.id.el),
      slots: { id: f.id.slot, title: f.title.slot, points: f.points.slot },
      read: () => ({ id: id.value, title: title.value, points: points.value }),
    };
  };
  const list = rowList<RewardRow>({ legend: (n) => st('reward', { n }), empty: st('rewardsNone'), addLabel: st('addReward'), max: 50, make: () => makeRow(), changed: () => undefined, testid: 'reward-rows' }, p.rewards.map((w) => makeRow(w)));
  return sectionForm({
    title: st('rewardsTitle'),
    testid: 'rewards',
    hint: st('rewardsHint'),
    body: [list.el],
    slots: () => list.slots('rewards'),
    build: () => {
      const r = checkRewards(list.rows().map((row) => row.read()));
      return r.problems.length ? r.problems : { rewards: r.rewards };
    },
    send: (c) => api.program.update(c),
  }).form;
}

interface QuestionRow extends RowItem {
  read(): QuestionDraft;
}

const TYPES: QuestionType[] = ['name', 'birthday', 'email', 'text'];

export function questionnaireSection(p: Program): HTMLElement {
  const makeRow = (q?: Program['questionnaire'][number]): QuestionRow => {
    const type = select(TYPES.map((x) => [x, st(`q_${x}`)]), q?.type ?? 'text', { name: 'questionType' });
    const label = input({ name: 'questionLabel', maxlength: 100, value: q?.label ?? '' });
    const required = checkE(st('questionRequired'), q?.required ?? false, { name: 'questionRequired' });
    const f = { type: fieldE(st('questionType'), type), label: fieldE(st('questionLabel'), label) };
    let id = q?.id;
    // Changing what is asked makes it another question.
    type.addEventListener('change', () => (id = undefined));
    return {
      el: h('div', { class: 'grid3' }, f.type.el, f.label.el, required.el),
      slots: { type: f.type.slot, label: f.label.slot, required: required.slot },
      read: () => ({ id, type: type.value as QuestionType, label: label.value, required: required.input.checked }),
    };
  };
  const list = rowList<QuestionRow>({ legend: (n) => st('question', { n }), empty: st('questionsNone'), addLabel: st('addQuestion'), max: 10, make: () => makeRow(), changed: () => undefined, testid: 'question-rows' }, p.questionnaire.map((q) => makeRow(q)));
  return sectionForm({
    title: st('questionsTitle'),
    testid: 'questionnaire',
    hint: st('questionsHint'),
    body: [list.el],
    slots: () => list.slots('questionnaire'),
    build: () => {
      const r = checkQuestions(list.rows().map((row) => row.read()));
      return r.problems.length ? r.problems : { questionnaire: r.questionnaire };
    },
    send: (c) => api.program.update(c),
  }).form;
}

export function receiptsSection(p: Program): HTMLElement {
  const late = fieldE(st('lateReceiptWindow'), input({ type: 'number', name: 'lateReceiptWindowDays', min: 0, max: MAX_DAYS, value: String(p.lateReceiptWindowDays), inputmode: 'numeric' }));
  return sectionForm({
    title: st('receiptsTitle'),
    testid: 'receipts',
    body: [h('div', { class: 'grid3' }, late.el)],
    slots: () => new Map([['lateReceiptWindowDays', late.slot]]),
    build: () => {
      const problems: Problem[] = [];
      const n = wholeField(problems, 'lateReceiptWindowDays', (late.slot.control as HTMLInputElement).value, 0, MAX_DAYS);
      return n === null ? problems : { lateReceiptWindowDays: n };
    },
    send: (c) => api.program.update(c),
  }).form;
}
