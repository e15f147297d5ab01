// Long work's progress in a page: a bar (role=progressbar with aria-valuenow of aria-valuemax rows) and its words
// ("12,345 of 40,000 rows, 1.2 MB"), fed by polling GET /progress/{id} while the work's own request runs.
import './progress.css';
import { h } from '../../shared/dom.js';
import { fill, formatNumber } from '../../shared/format.js';
import type { WorkProgress } from '../../../src/client/index.js';
import { api } from './api.js';
import { language } from './i18n.js';
import { dataEn, dataRu, type DataMessages } from './locales/dataExchange.js';

export const dt = (key: keyof DataMessages, vars: Record<string, string | number> = {}): string => fill((language() === 'en' ? dataEn : dataRu)[key], vars);

const num = (n: number) => formatNumber(n, language());
export const sizeText = (bytes: number): string =>
  bytes >= 1 << 20 ? dt('mb', { n: formatNumber(bytes / (1 << 20), language(), 1) }) : dt('kb', { n: num(Math.max(1, Math.round(bytes / 1024))) });

/** A progress id the server accepts (a v4 UUID), made without crypto.randomUUID, which plain-http pages lack. */
export function newProgressId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const x = Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export interface ProgressBar {
  el: HTMLElement;
  show(p: Pick<WorkProgress, 'state' | 'done' | 'total' | 'bytes'> | null): void;
  hide(): void;
}

/** The bar and its words; `label` names the work for screen readers ("Importing rows"). */
export function progressBar(label: string, testId: string): ProgressBar {
  const fillEl = h('span', { class: 'work-progress-fill' });
  const track = h('div', { class: 'work-progress-track', role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0' }, fillEl);
  const words = h('span', { class: 'work-progress-text' });
  const el = h('div', { class: 'work-progress', 'data-testid': testId, hidden: true }, h('span', null, label), track, words);
  return {
    el,
    show(p) {
      el.hidden = false;
      if (p === null) {
        track.removeAttribute('aria-valuenow');
        track.removeAttribute('aria-valuemax');
        track.removeAttribute('aria-valuetext');
        words.textContent = dt('progressWaiting');
        el.dataset.state = 'waiting';
        return;
      }
      el.dataset.state = p.state;
      const rows = p.total === null ? dt('progressRowsSoFar', { done: num(p.done) }) : dt('progressRows', { done: num(p.done), total: num(p.total) });
      const text = p.bytes > 0 ? dt('progressBytes', { text: rows, size: sizeText(p.bytes) }) : rows;
      words.textContent = text;
      track.setAttribute('aria-valuetext', text);
      if (p.total === null) {
        track.removeAttribute('aria-valuenow');
        track.removeAttribute('aria-valuemax');
        return;
      }
      const max = Math.max(p.total, p.done);
      track.setAttribute('aria-valuemax', String(max));
      track.setAttribute('aria-valuenow', String(p.done));
      fillEl.style.width = `${max === 0 ? 100 : Math.round((100 * p.done) / max)}%`;
    },
    hide() {
      el.hidden = true;
    },
  };
}

/**
 * Polls the progress of `id` every `every` ms until stop() (or the work ends): each answer goes to onUpdate; "not
 * started yet" (404) is null. stop() resolves after one last read, so the final state is shown.
 */
export function pollProgress(id: string, onUpdate: (p: WorkProgress | null) => void, every = 400): { stop(): Promise<WorkProgress | null> } {
  let stopped = false;
  let last: WorkProgress | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Reads may come back out of order: only one newer than the last shown is shown.
  let asked = 0;
  let shown = 0;
  const read = async () => {
    const seq = ++asked;
    let got: WorkProgress | null = null;
    try {
      got = await api.progress.get(id);
    } catch {
      // Not started yet (404) or a lost poll: the next one tells.
    }
    if (seq < shown) return;
    shown = seq;
    if (got) last = got;
    onUpdate(last);
  };
  const loop = async () => {
    await read();
    if (!stopped && last?.state !== 'done' && last?.state !== 'failed') timer = setTimeout(() => void loop(), every);
  };
  timer = setTimeout(() => void loop(), Math.min(every, 150));
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await read();
      return last;
    },
  };
}
