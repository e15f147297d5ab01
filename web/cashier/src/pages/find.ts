// "Find the customer": the big Scan button (Telegram's scanner inside the staff bot, else the camera), a photo of the
// QR code, or what the cashier types — phone, last 4 digits, card number, a pasted QR token, or a name.
import type { LookupQuery, LookupResult, TillMember } from '../../../../src/client/staff.js';
import { describe, isUnauthorized, type Problem } from '../api.js';
import type { Ctx, FindOptions, Page } from '../context.js';
import { h, icon, replace } from '../../../shared/dom.js';
import { t, type MessageKey } from '../i18n.js';
import { telegramCanScan } from '../launch.js';
import { detectLookup, type LookupProblem } from '../lookup.js';
import { decodeImageFile } from '../qrDecode.js';
import { scanWithCamera } from '../scanner.js';
import { scanWithTelegram } from '../../../shared/telegram.js';
import { problemBlock } from './status.js';

const QR_ICON = 'M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h2v2h-2zM18 14h2v2h-2zM14 18h2v2h-2zM18 18h2v2h-2zM16 16h2v2h-2z';
const PHOTO_ICON = 'M4 8h3l2-3h6l2 3h3v11H4zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z';

const LOOKUP_PROBLEMS: Record<LookupProblem, MessageKey> = {
  empty: 'lookupEmpty',
  digits: 'lookupDigits',
  name_not_allowed: 'lookupNameNotAllowed',
  not_card_qr: 'notCardQr',
};

export function findPage(ctx: Ctx, opts: FindOptions = {}): Page {
  let stopped = false;
  let busy = false;
  const canName = ctx.can('member.search');
  const canLookup = ctx.can('member.lookup') || canName;

  const status = h('div', { class: 'find-status', 'aria-live': 'polite', 'data-testid': 'find-status' });
  const results = h('ul', { class: 'results', hidden: true, 'data-testid': 'lookup-results' });

  const scanBtn = h('button', { type: 'button', class: 'btn huge wide', 'data-testid': 'scan' }, icon(QR_ICON), h('span', null, t('scan')));
  const file = h('input', { type: 'file', accept: 'image/*', capture: 'environment', class: 'file-input', 'data-testid': 'qr-file', 'aria-label': t('scanPhoto') });
  const fileBtn = h('label', { class: 'btn btn-secondary wide file-btn' }, icon(PHOTO_ICON), h('span', null, t('scanPhoto')), file);
  const input = h('input', {
    class: 'input lookup-input',
    id: 'lookup',
    type: 'text',
    name: 'lookup',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    enterkeyhint: 'search',
    placeholder: t(canName ? 'lookupPlaceholderName' : 'lookupPlaceholder'),
    'data-testid': 'lookup-input',
  });
  const findBtn = h('button', { type: 'submit', class: 'btn', 'data-testid': 'lookup-submit' }, t('find'));
  const form = h('form', { class: 'lookup-form', novalidate: true, role: 'search' }, h('label', { for: 'lookup', class: 'label' }, t(canName ? 'lookupLabelName' : 'lookupLabel')), h('div', { class: 'input-row' }, input, findBtn));

  const el = h(
    'div',
    { class: 'page find' },
    h('h1', null, t('findTitle')),
    opts.notice ? h('p', { class: 'notice', role: 'status', 'data-testid': 'notice' }, opts.notice) : null,
    status,
    canLookup ? [h('section', { class: 'panel scan-panel' }, scanBtn, fileBtn), h('section', { class: 'panel' }, form, results)] : problemBlock({ text: t('errForbidden'), details: [], retry: false, code: 'forbidden' }),
  );
  if (opts.problem) replace(status, problemBlock(opts.problem));

  const setBusy = (on: boolean) => {
    busy = on;
    for (const b of [scanBtn, findBtn]) b.disabled = on;
    file.disabled = on;
    fileBtn.classList.toggle('disabled', on);
    el.setAttribute('aria-busy', String(on));
  };
  const showProblem = (p: Problem, retry?: () => void) => replace(status, problemBlock(p, retry));
  const say = (key: MessageKey) => replace(status, h('p', { class: 'hint', role: 'status' }, t(key)));

  /** Looks the member up; one → their screen; several → a list; none → "not found". */
  async function find(query: LookupQuery, fallback: LookupQuery | null): Promise<void> {
    if (busy) return;
    setBusy(true);
    results.hidden = true;
    replace(results);
    say('searching');
    try {
      let r = await ctx.client.lookup(query);
      if (!r.items.length && fallback && !stopped) r = await ctx.client.lookup(fallback);
      if (stopped) return;
      const token = 'qrToken' in query ? query.qrToken : null;
      const [first] = r.items;
      if (r.items.length === 1 && first) return ctx.showMember(first, r.identifiedBy, r.identifiedBy === 'qr' ? token : null);
      if (!first) return replace(status, h('p', { class: 'notice', role: 'status', 'data-testid': 'not-found' }, t('notFound')));
      replace(status, h('p', { class: 'hint', role: 'status' }, t('chooseMember', { count: r.items.length })));
      showList(r);
    } catch (e) {
      if (stopped) return;
      if (isUnauthorized(e)) return ctx.unauthorized();
      showProblem(describe(e), () => void find(query, fallback));
    } finally {
      if (!stopped) setBusy(false);
    }
  }

  function showList(r: LookupResult): void {
    replace(
      results,
      r.items.map((m: TillMember) =>
        h(
          'li',
          null,
          h(
            'button',
            { type: 'button', class: 'result', 'data-testid': 'lookup-item', onclick: () => ctx.showMember(m, r.identifiedBy, null) },
            h('span', { class: 'result-name' }, m.name || t('noName')),
            h('span', { class: 'result-meta' }, m.phoneMasked, ' · ', h('span', { class: 'mono' }, m.cardNumber)),
            m.blocked ? h('span', { class: 'badge danger' }, t('blocked')) : null,
          ),
        ),
      ),
    );
    results.hidden = false;
  }

  /** Text from a scanner or a photo: a card's token (or printed card number), never anything else. */
  function fromScan(text: string): void {
    const d = detectLookup(text, false, true);
    if (!d.ok) return showProblem({ text: t('notCardQr'), details: [], retry: false, code: 'not_card_qr' });
    void find(d.query, d.fallback);
  }
  const acceptScan = (text: string) => detectLookup(text, false, true).ok;

  async function scan(): Promise<void> {
    if (busy) return;
    replace(status);
    const text = telegramCanScan(ctx.telegram) ? await scanWithTelegram(t('scanPrompt')) : await scanWithCamera({ accept: acceptScan, rejectedHint: t('notCardQr') });
    if (!stopped && text) fromScan(text);
  }

  scanBtn.addEventListener('click', () => void scan());
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    file.value = '';
    if (!f || busy) return;
    setBusy(true);
    say('readingPhoto');
    let text: string | null = null;
    let failed = false;
    try {
      text = await decodeImageFile(f);
    } catch (e) {
      console.error(e);
      failed = true;
    } finally {
      setBusy(false);
    }
    if (stopped) return;
    if (text) return fromScan(text);
    showProblem({ text: t(failed ? 'photoFailed' : 'photoNoQr'), details: [], retry: false, code: 'photo' });
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = detectLookup(input.value, canName);
    if (!d.ok) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return showProblem({ text: t(LOOKUP_PROBLEMS[d.problem]), details: [], retry: false, code: d.problem });
    }
    input.setAttribute('aria-invalid', 'false');
    void find(d.query, d.fallback);
  });

  return {
    el,
    shown: () => {
      if (opts.scan && canLookup) void scan();
      else if (!matchMedia('(pointer: coarse)').matches) input.focus();
    },
    cleanup: () => void (stopped = true),
  };
}
