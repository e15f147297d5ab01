// Whole-screen states: loading, an error with a retry button, a plain message. Never a blank screen.
import type { Problem } from '../api.js';
import { h } from '../../../shared/dom.js';
import { t } from '../i18n.js';

export function loadingPage(): HTMLElement {
  return h('section', { class: 'status', 'aria-busy': 'true' }, h('div', { class: 'spinner', 'aria-hidden': 'true' }), h('p', { role: 'status' }, t('loading')));
}

export function problemBlock(problem: Problem, retry?: (() => void) | null): HTMLElement {
  return h(
    'div',
    { class: 'problem', role: 'alert', 'data-testid': 'problem', 'data-code': problem.code },
    h('p', null, problem.text),
    problem.details.length ? h('ul', null, problem.details.map((d) => h('li', null, d))) : null,
    problem.retry && retry ? h('button', { type: 'button', class: 'btn', onclick: retry, 'data-testid': 'retry' }, t('retry')) : null,
  );
}

export function messagePage(opts: { title?: string; text?: string; problem?: Problem; retry?: (() => void) | null; extra?: Node | null }): HTMLElement {
  return h(
    'section',
    { class: 'status' },
    opts.title ? h('h1', null, opts.title) : null,
    opts.text ? h('p', null, opts.text) : null,
    opts.problem ? problemBlock(opts.problem, opts.retry) : null,
    opts.extra ?? null,
  );
}
