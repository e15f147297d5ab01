// Settings: the business profile (name, address with a map link, phone, social links, opening hours as a 7-row grid)
// and the Info page's rich-text editor (contenteditable with a toolbar of real buttons, a live preview of the card).
// Both save with PATCH /business; the server cleans the page's HTML and answers with what it kept.
import '../profile.css';
import { h, icon, replace } from '../../../shared/dom.js';
import { fill } from '../../../shared/format.js';
import { cleanHtml, richText } from '../../../shared/richText.js';
import type { BusinessProfile, BusinessProfileUpdate } from '../../../../src/client/index.js';
import { api, errorText } from '../api.js';
import { language } from '../i18n.js';
import { profileEn, profileRu, type ProfileMessages } from '../locales/profile.js';
import { button, field, input, select, statusLine } from '../ui.js';

const pt = (key: keyof ProfileMessages, vars: Record<string, string | number> = {}): string => fill((language() === 'en' ? profileEn : profileRu)[key], vars);

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];
const KINDS = ['vk', 'telegram', 'instagram', 'whatsapp', 'website', 'other'] as const;
type Kind = (typeof KINDS)[number];
const dayName = (i: number) => new Intl.DateTimeFormat(language() === 'en' ? 'en-GB' : 'ru-RU', { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + i)));

/** The two sections, filled in once the profile is loaded (they replace the old plain-text info section). */
export function profileSections(): HTMLElement {
  const box = h('div', { class: 'profile-sections' }, h('p', null, pt('loading')));
  api.business.get().then(
    (p) => replace(box, profileForm(p), infoEditor(p)),
    (e) => replace(box, h('p', { class: 'status error' }, errorText(e))),
  );
  return box;
}

/** A form that saves its change with PATCH /business and shows every problem the server lists. */
function businessForm(testid: string, title: string, hint: string, saveLabel: string, body: HTMLElement[], change: () => BusinessProfileUpdate | string, after: (p: BusinessProfile, sent: BusinessProfileUpdate) => string | void): HTMLElement {
  const status = statusLine();
  const save = h('button', { type: 'submit', class: 'btn primary' }, saveLabel);
  const id = `${testid}-title`;
  return h(
    'form',
    { class: 'panel', 'data-testid': testid, 'aria-labelledby': id, novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      const c = change();
      if (typeof c === 'string') return status.error(c);
      save.disabled = true;
      status.busy(pt('saving'));
      try {
        const p = await api.business.update(c);
        status.ok(after(p, c) ?? pt('saved'));
      } catch (err) {
        status.error(errorText(err));
      } finally {
        save.disabled = false;
      }
    } },
    h('h2', { id }, title),
    h('p', { class: 'hint' }, hint),
    body,
    h('div', { class: 'row' }, save, status.el),
  );
}

// ── the profile ──────────────────────────────────────────────────────────────────────────────────────────────────

function profileForm(p: BusinessProfile): HTMLElement {
  const name = input({ name: 'name', value: p.name, maxlength: 100, autocomplete: 'organization' });
  const address = input({ name: 'address', value: p.address, maxlength: 300, autocomplete: 'street-address' });
  const mapUrl = input({ name: 'mapUrl', type: 'url', value: p.mapUrl ?? '', maxlength: 500, placeholder: 'https://yandex.ru/maps/…' });
  const phone = input({ name: 'phone', type: 'tel', value: p.phone ?? '', maxlength: 40, autocomplete: 'tel' });

  // Social links: a row per link (where + link + remove).
  const links = h('div', { class: 'social-rows', 'data-testid': 'social-links' });
  const linkRow = (l: { kind: Kind; url: string }) => {
    const n = links.children.length + 1;
    const kind = select(KINDS.map((k) => [k, pt(`kind_${k}`)]), l.kind, { name: 'socialKind', 'aria-label': `${pt('socialKind')} ${n}` });
    const url = input({ name: 'socialUrl', type: 'url', value: l.url, maxlength: 500, 'aria-label': `${pt('socialUrl')} ${n}`, placeholder: 'https://' });
    const row: HTMLElement = h('div', { class: 'social-row' }, kind, url, button('×', () => row.remove(), { class: 'btn small', 'aria-label': pt('socialRemove', { n }) }));
    links.appendChild(row);
  };
  p.socialLinks.forEach(linkRow);
  const addLink = button(pt('socialAdd'), () => {
    linkRow({ kind: 'website', url: '' });
    (links.lastElementChild?.querySelector('input') as HTMLInputElement | null)?.focus();
  }, { class: 'btn small', 'data-testid': 'social-add' });

  // Opening hours: 7 rows of "open? from–to, past midnight".
  const show = h('input', { type: 'checkbox', name: 'hoursShow', checked: p.hours !== null });
  const rows = DAYS.map((d, i) => {
    const x = p.hours?.days[d] ?? null;
    const day = dayName(i);
    const open = h('input', { type: 'checkbox', name: `open-${d}`, checked: p.hours === null ? i < 5 : x !== null, 'aria-label': pt('hoursOpenDay', { day }) });
    const from = input({ type: 'time', name: `from-${d}`, value: x?.open ?? '09:00', 'aria-label': pt('hoursOpenLabel', { day }) });
    const to = input({ type: 'time', name: `to-${d}`, value: x?.close === '24:00' ? '00:00' : (x?.close ?? '21:00'), 'aria-label': pt('hoursCloseLabel', { day }) });
    const overnight = h('input', { type: 'checkbox', name: `overnight-${d}`, checked: x?.overnight ?? false, 'aria-label': pt('hoursOvernightLabel', { day }) });
    const sync = () => {
      for (const el of [from, to, overnight]) el.disabled = !open.checked || !show.checked;
      open.disabled = !show.checked;
    };
    open.addEventListener('change', sync);
    show.addEventListener('change', sync);
    sync();
    const el = h(
      'div',
      { class: 'hours-row', role: 'group', 'aria-label': day, 'data-day': d },
      h('span', { class: 'hours-day' }, day),
      h('label', { class: 'check' }, open, ` ${pt('hoursOpen')}`),
      h('span', { class: 'hours-range' }, h('span', { 'aria-hidden': 'true' }, pt('hoursFrom')), from, h('span', { 'aria-hidden': 'true' }, pt('hoursTo')), to),
      h('label', { class: 'check' }, overnight, ` ${pt('hoursOvernight')}`),
    );
    return { d, day, open, from, to, overnight, el };
  });
  const note = input({ name: 'hoursNote', value: p.hours?.note ?? '', maxlength: 200 });

  const change = (): BusinessProfileUpdate | string => {
    let hours: BusinessProfileUpdate['hours'] = null;
    if (show.checked) {
      const days: Partial<Record<Day, { open: string; close: string; overnight: boolean } | null>> = {};
      for (const r of rows) {
        if (!r.open.checked) {
          days[r.d] = null;
          continue;
        }
        if (!r.from.value || !r.to.value) return pt('hoursMissing', { day: r.day });
        // Closing at midnight: "00:00" in a time field is the end of the day unless past midnight is ticked.
        const close = r.to.value === '00:00' && !r.overnight.checked ? '24:00' : r.to.value;
        days[r.d] = { open: r.from.value, close, overnight: r.overnight.checked };
      }
      hours = { days, note: note.value };
    }
    const socialLinks = Array.from(links.querySelectorAll<HTMLElement>('.social-row'))
      .map((row) => ({ kind: (row.querySelector('select') as HTMLSelectElement).value as Kind, url: (row.querySelector('input') as HTMLInputElement).value.trim() }))
      .filter((l) => l.url !== '');
    return { name: name.value, address: address.value, mapUrl: mapUrl.value.trim() || null, phone: phone.value.trim() || null, socialLinks, hours };
  };

  return businessForm('business-profile', pt('profileTitle'), pt('profileHint'), pt('saveProfile'), [
    field(pt('name'), name),
    field(pt('address'), address),
    field(pt('mapUrl'), mapUrl, pt('mapUrlHint')),
    field(pt('phone'), phone),
    h('fieldset', { class: 'social' }, h('legend', null, pt('socialTitle')), links, addLink),
    h(
      'fieldset',
      { class: 'hours', 'data-testid': 'hours-grid' },
      h('legend', null, pt('hoursTitle')),
      h('label', { class: 'check' }, show, ` ${pt('hoursShow')}`),
      h('div', { class: 'hours-grid' }, rows.map((r) => r.el)),
      field(pt('hoursNote'), note, pt('hoursNoteHint')),
    ),
  ], change, (saved) => {
    phone.value = saved.phone ?? '';
    links.replaceChildren();
    saved.socialLinks.forEach(linkRow);
  });
}

// ── the Info page ────────────────────────────────────────────────────────────────────────────────────────────────

const SAFE_LINK = /^(https?:\/\/\S+|mailto:\S+@\S+|tel:\+?[\d\s()-]{3,})$/i;

function infoEditor(p: BusinessProfile): HTMLElement {
  const labelId = 'info-editor-label';
  const editor = h('div', { class: 'rich-editor', contenteditable: 'true', role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': labelId, 'data-testid': 'info-editor-text', spellcheck: 'true' });
  editor.appendChild(richText(p.infoHtml));
  const preview = h('div', { class: 'info-preview rich', 'data-testid': 'info-preview' });
  const refresh = () => {
    const html = editor.innerHTML;
    replace(preview, html.replace(/<[^>]*>|\s|&nbsp;/g, '') === '' ? h('p', { class: 'muted' }, pt('previewEmpty')) : richText(html));
  };
  editor.addEventListener('input', refresh);
  editor.addEventListener('focus', () => document.execCommand('defaultParagraphSeparator', false, 'p'));
  refresh();

  // The selection inside the editor, kept while the link field has the focus.
  let saved: Range | null = null;
  const keepSelection = () => {
    const sel = document.getSelection();
    if (sel && sel.rangeCount > 0 && editor.contains(sel.anchorNode)) saved = sel.getRangeAt(0).cloneRange();
  };
  const restore = () => {
    const sel = document.getSelection();
    if (sel && sel.rangeCount > 0 && editor.contains(sel.anchorNode)) return keepSelection();
    editor.focus();
    if (saved && sel) {
      sel.removeAllRanges();
      sel.addRange(saved);
    }
  };
  const exec = (command: string, value?: string) => {
    restore();
    document.execCommand(command, false, value);
    refresh();
    updatePressed();
  };

  // Pasted text comes in cleaned: only the page's formatting and safe links (the server cleans again on save).
  editor.addEventListener('paste', (e: ClipboardEvent) => {
    const data = e.clipboardData;
    if (!data) return;
    e.preventDefault();
    const html = data.getData('text/html');
    if (html) document.execCommand('insertHTML', false, cleanHtml(html));
    else document.execCommand('insertText', false, data.getData('text/plain'));
    refresh();
  });

  const linkUrl = input({ type: 'url', name: 'linkUrl', placeholder: 'https://', 'data-testid': 'link-url' });
  const linkStatus = h('span', { class: 'status error', role: 'status', 'aria-live': 'polite' });
  const applyLink = () => {
    const url = linkUrl.value.trim();
    if (!SAFE_LINK.test(url)) {
      linkStatus.textContent = pt('linkBad');
      linkUrl.focus();
      return;
    }
    linkBox.hidden = true;
    linkStatus.textContent = '';
    exec('createLink', url);
    linkUrl.value = '';
  };
  linkUrl.addEventListener('keydown', (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      applyLink();
    } else if (e.key === 'Escape') {
      linkBox.hidden = true;
      restore();
    }
  });
  const linkBox = h(
    'div',
    { class: 'link-box', hidden: true, 'data-testid': 'link-box' },
    field(pt('linkUrl'), linkUrl),
    button(pt('linkApply'), applyLink, { class: 'btn small primary', 'data-testid': 'link-apply' }),
    button(pt('linkCancel'), () => {
      linkBox.hidden = true;
      restore();
    }, { class: 'btn small' }),
    linkStatus,
  );
  const openLink = () => {
    restore();
    const sel = document.getSelection();
    if (!sel || sel.isCollapsed) {
      linkStatus.textContent = pt('linkNoText');
      linkBox.hidden = false;
      return;
    }
    linkStatus.textContent = '';
    linkBox.hidden = false;
    linkUrl.focus();
  };

  const tool = (label: string, text: string | SVGSVGElement, onclick: () => void, testid: string, pressable = false) =>
    h('button', { type: 'button', class: 'btn tool', 'aria-label': label, title: label, 'data-testid': testid, ...(pressable ? { 'aria-pressed': 'false' } : {}), tabindex: -1, onmousedown: (e: Event) => e.preventDefault(), onclick }, text);
  const tools = [
    tool(pt('bold'), 'B', () => exec('bold'), 'tool-bold', true),
    tool(pt('italic'), 'I', () => exec('italic'), 'tool-italic', true),
    tool(pt('heading'), 'H', () => exec('formatBlock', document.queryCommandValue('formatBlock') === 'h2' ? 'p' : 'h2'), 'tool-heading', true),
    tool(pt('list'), '•', () => exec('insertUnorderedList'), 'tool-list', true),
    tool(pt('numbered'), '1.', () => exec('insertOrderedList'), 'tool-numbered', true),
    tool(pt('link'), icon('M10 13a5 5 0 0 0 7.07 0l3-3a5 5 0 0 0-7.07-7.07l-1.5 1.5M14 11a5 5 0 0 0-7.07 0l-3 3a5 5 0 0 0 7.07 7.07l1.5-1.5'), openLink, 'tool-link'),
  ];
  tools[0]!.tabIndex = 0;
  const updatePressed = () => {
    const state = [document.queryCommandState('bold'), document.queryCommandState('italic'), document.queryCommandValue('formatBlock') === 'h2', document.queryCommandState('insertUnorderedList'), document.queryCommandState('insertOrderedList')];
    state.forEach((on, i) => tools[i]!.setAttribute('aria-pressed', String(on)));
  };
  const onSelection = () => {
    if (!editor.isConnected) return document.removeEventListener('selectionchange', onSelection);
    if (!editor.contains(document.getSelection()?.anchorNode ?? null)) return;
    keepSelection();
    updatePressed();
  };
  document.addEventListener('selectionchange', onSelection);
  // One tab stop for the toolbar; arrows move between its buttons (the WAI-ARIA toolbar pattern).
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': pt('toolbar'), 'aria-controls': 'info-editor-text', onkeydown: (ev: Event) => {
    const e = ev as KeyboardEvent;
    const i = tools.indexOf(e.target as HTMLButtonElement);
    if (i < 0) return;
    const next = e.key === 'ArrowRight' ? (i + 1) % tools.length : e.key === 'ArrowLeft' ? (i - 1 + tools.length) % tools.length : e.key === 'Home' ? 0 : e.key === 'End' ? tools.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    tools.forEach((b, j) => (b.tabIndex = j === next ? 0 : -1));
    tools[next]!.focus();
  } }, tools);
  editor.id = 'info-editor-text';
  editor.addEventListener('keydown', (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      openLink();
    }
  });

  return businessForm('info-editor', pt('infoTitle'), pt('infoHint'), pt('saveInfo'), [
    h('p', { id: labelId, class: 'label' }, pt('editorLabel')),
    toolbar,
    linkBox,
    editor,
    h('h3', null, pt('preview')),
    preview,
  ], () => ({ infoHtml: editor.innerHTML }), (saved, sent) => {
    editor.replaceChildren(richText(saved.infoHtml));
    refresh();
    for (const b of tools) if (b.hasAttribute('aria-pressed')) b.setAttribute('aria-pressed', 'false');
    // What the server kept differs from what was sent (beyond its own link attributes): say so.
    const plain = (s: string) => s.replace(/\s(target|rel)="[^"]*"/g, '').replace(/<br>/g, '<br />');
    return plain(cleanHtml(sent.infoHtml ?? '')) === plain(saved.infoHtml) && !/<(script|style|img|iframe)|\son\w+=/i.test(sent.infoHtml ?? '') ? pt('saved') : pt('savedCleaned');
  });
}
