// The branding contrast check (Settings → card design, and the set-up wizard): the accent as link text on the card
// app's light page and the card's text on the card colour, each with its WCAG contrast ratio. Below 4.5:1 it warns
// and offers a readable shade (web/shared/color.ts readableOn) — it never refuses: owners like their colours, and the
// card app keeps customers' text readable anyway (web/card/src/theme.ts).
import './branding.css';
import { h, replace } from '../../shared/dom.js';
import { fill } from '../../shared/format.js';
import { contrastRatio, isColor, readableOn, readableOnAll } from '../../shared/color.js';
import { language } from './i18n.js';
import { brandingEn, brandingRu, type BrandingMessages } from './locales/branding.js';
import { button } from './ui.js';

export const bt = (key: keyof BrandingMessages, vars: Record<string, string | number> = {}): string => fill((language() === 'en' ? brandingEn : brandingRu)[key], vars);

/** The card app's light page: the white panels and tab bar its links and tabs sit on (web/card/src/styles.css). */
export const CARD_PAGE = ['#ffffff'];
export const MIN_CONTRAST = 4.5;

/** "4,4" / "4.4": rounded down, so a pair just short of 4.5 never shows as 4.5. */
const ratioText = (r: number) =>
  new Intl.NumberFormat(language() === 'en' ? 'en' : 'ru', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.floor(r * 10) / 10);

interface Pair {
  id: 'accent' | 'card';
  label: keyof BrandingMessages;
  /** The colour being judged. */
  fg: HTMLInputElement;
  ratio(): number;
  readable(): string;
}

/** The check for these inputs; `update()` redraws it (call it on every input, as the preview does). */
export function brandingContrast(inputs: { accent: HTMLInputElement; card?: HTMLInputElement | undefined; text?: HTMLInputElement | undefined }): { el: HTMLElement; update(): void } {
  const { accent, card, text } = inputs;
  const pairs: Pair[] = [
    { id: 'accent', label: 'contrastAccent', fg: accent, ratio: () => Math.min(...CARD_PAGE.map((bg) => contrastRatio(bg, accent.value))), readable: () => readableOnAll(CARD_PAGE, accent.value, MIN_CONTRAST) },
  ];
  if (card && text) pairs.push({ id: 'card', label: 'contrastCard', fg: text, ratio: () => contrastRatio(card.value, text.value), readable: () => readableOn(card.value, text.value, MIN_CONTRAST) });
  const rows = h('ul', { class: 'contrast-rows' });
  const said = h('p', { class: 'muted contrast-said', role: 'status', 'aria-live': 'polite' });
  const el = h('div', { class: 'contrast', 'data-testid': 'branding-contrast' }, h('h3', null, bt('contrastTitle')), h('p', { class: 'hint' }, bt('contrastHint')), rows, said);

  const fix = (p: Pair) => {
    const next = p.readable();
    p.fg.value = next;
    // The page's own listeners (preview, this check) hear it as if the owner had picked it.
    p.fg.dispatchEvent(new Event('input', { bubbles: true }));
    p.fg.dispatchEvent(new Event('change', { bubbles: true }));
    said.textContent = bt('contrastFixed', { color: next, ratio: ratioText(p.ratio()) });
    p.fg.focus();
  };

  const update = () => {
    replace(
      rows,
      pairs
        .filter((p) => isColor(p.fg.value))
        .map((p) => {
          const r = p.ratio();
          const ok = r >= MIN_CONTRAST;
          return h(
            'li',
            { class: ok ? 'contrast-row ok' : 'contrast-row low', 'data-testid': `contrast-${p.id}`, 'data-ratio': r.toFixed(2) },
            h('span', { class: 'contrast-label' }, bt(p.label)),
            h('strong', { class: 'contrast-ratio' }, bt('contrastRatio', { ratio: ratioText(r) }), ok ? ` — ${bt('contrastOk')}` : null),
            ok
              ? null
              : h('div', { class: 'contrast-warn' }, h('p', { class: 'warn' }, bt('contrastLow')), button(bt('contrastFix'), () => fix(p), { class: 'btn small', 'data-testid': `contrast-fix-${p.id}` })),
          );
        }),
    );
  };
  for (const i of [accent, card, text]) i?.addEventListener('input', () => {
    said.textContent = '';
    update();
  });
  update();
  return { el, update };
}
