// Settings: the program's rules with a live example of their effect, reminders and quiet hours, message texts with
// the server's preview, the card's design with a live card, and the customers' info text. Each part saves alone.
import { h, replace } from '../../../shared/dom.js';
import { currencyDigits, formatMoney } from '../../../shared/format.js';
import type { Program, ProgramUpdate } from '../../../../src/client/index.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { language, setPointsName, t, tOr } from '../i18n.js';
import { parseDecimal, parseMoney, previewRules } from '../rules.js';
import { field, input, select, statusLine } from '../ui.js';
import { isColor, readableOn, textColorOn } from '../../../shared/color.js';
import { brandingContrast } from '../brandingContrast.js';
import { profileSections } from './settingsProfile.js';
import { extraSections } from './settingsSections.js';

const SAMPLE_MAJOR = 1000;

export async function settingsPage(main: HTMLElement, ctx: Ctx): Promise<void> {
  replace(main, h('h1', null, t('navSettings')), h('p', null, t('loading')));
  let program: Program;
  try {
    program = await api.program.get();
  } catch (e) {
    replace(main, h('h1', null, t('navSettings')), h('p', { class: 'status error' }, errorText(e)));
    return;
  }
  replace(main, h('h1', null, t('navSettings')), rules(program, ctx), reminders(program), ...extraSections(program, ctx), templates(), branding(program, ctx), profileSections());
}

/** A form section that saves its own change with PATCH /program. */
function saver(title: string, testid: string, fields: HTMLElement[], change: () => ProgramUpdate | string, after?: (p: Program) => void): HTMLElement {
  const status = statusLine();
  const save = h('button', { type: 'submit', class: 'btn primary' }, t('save'));
  const id = `${testid}-title`;
  return h(
    'form',
    { class: 'panel', 'data-testid': testid, 'aria-labelledby': id, novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      const c = change();
      if (typeof c === 'string') return status.error(c);
      save.disabled = true;
      status.busy(t('saving'));
      try {
        const p = await api.program.update(c);
        status.ok(t('saved'));
        after?.(p);
      } catch (err) {
        status.error(errorText(err));
      } finally {
        save.disabled = false;
      }
    } },
    h('h2', { id }, title),
    fields,
    h('div', { class: 'row' }, save, status.el),
  );
}

function rules(p: Program, ctx: Ctx): HTMLElement {
  const digits = currencyDigits(p.currency);
  const major = (minor: number) => String(minor / 10 ** digits);
  const pointsName = input({ name: 'pointsName', value: p.pointsName, maxlength: 40, 'data-testid': 'points-name' });
  const earn = input({ name: 'earnPercent', value: String(p.earnPercent), inputmode: 'decimal' });
  const redeem = input({ name: 'maxRedeemPercent', value: String(p.maxRedeemPercent), inputmode: 'decimal' });
  const pointValue = input({ type: 'number', name: 'pointValue', value: String(p.pointValue), min: 1 });
  const minPurchase = input({ name: 'minPurchaseToEarn', value: major(p.minPurchaseToEarn), inputmode: 'decimal' });
  const welcome = input({ type: 'number', name: 'welcomeBonus', value: String(p.welcomeBonus), min: 0 });
  const lifetime = input({ type: 'number', name: 'pointsLifetimeDays', value: p.pointsLifetimeDays === null ? '' : String(p.pointsLifetimeDays), min: 1 });
  const activation = input({ type: 'number', name: 'activationDelayDays', value: String(p.activationDelayDays), min: 0 });
  const preview = h('p', { class: 'preview', 'aria-live': 'polite', 'data-testid': 'rules-preview' });

  const update = () => {
    const r = previewRules({ earnPercent: parseDecimal(earn.value), maxRedeemPercent: parseDecimal(redeem.value), pointValue: Number(pointValue.value), minPurchaseToEarn: parseMoney(minPurchase.value, digits) }, SAMPLE_MAJOR * 10 ** digits);
    const name = pointsName.value.trim() || p.pointsName;
    preview.textContent = r
      ? t('rulesPreview', { amount: formatMoney(r.amount, p.currency, language()), earn: ctx.num(r.earnPoints), redeem: formatMoney(r.maxRedeemMoney, p.currency, language()), pointsName: name })
      : t('rulesPreviewInvalid');
  };
  for (const i of [pointsName, earn, redeem, pointValue, minPurchase]) i.addEventListener('input', update);
  update();

  return saver(t('rulesTitle'), 'rules', [
    h('div', { class: 'grid3' },
      field(t('pointsName'), pointsName),
      field(t('earnPercent'), earn),
      field(t('maxRedeemPercent'), redeem),
      field(t('pointValue'), pointValue),
      field(t('minPurchase'), minPurchase),
      field(t('welcomeBonus'), welcome),
      field(t('lifetime'), lifetime),
      field(t('activation'), activation)),
    preview,
  ], () => {
    const c: ProgramUpdate = {
      pointsName: pointsName.value.trim(),
      earnPercent: parseDecimal(earn.value),
      maxRedeemPercent: parseDecimal(redeem.value),
      pointValue: Number(pointValue.value),
      minPurchaseToEarn: parseMoney(minPurchase.value, digits),
      welcomeBonus: Number(welcome.value),
      pointsLifetimeDays: lifetime.value.trim() ? Number(lifetime.value) : null,
      activationDelayDays: Number(activation.value),
    };
    if (!c.pointsName || [c.earnPercent, c.maxRedeemPercent, c.pointValue, c.minPurchaseToEarn, c.welcomeBonus, c.activationDelayDays].some((n) => typeof n !== 'number' || Number.isNaN(n))) return t('rulesPreviewInvalid');
    return c;
  }, (np) => setPointsName(np.pointsName));
}

function reminders(p: Program): HTMLElement {
  const n = p.notifications;
  const start = input({ type: 'time', name: 'quietStart', value: n.quietHours?.start ?? '' });
  const end = input({ type: 'time', name: 'quietEnd', value: n.quietHours?.end ?? '' });
  const days = input({ name: 'expiryReminderDays', value: n.expiryReminderDays.join(', '), inputmode: 'numeric' });
  return saver(t('remindersTitle'), 'reminders', [h('div', { class: 'grid3' }, field(t('quietStart'), start), field(t('quietEnd'), end), field(t('expiryDays'), days))], () => {
    const list = days.value.split(/[,;\s]+/).filter(Boolean).map(Number);
    if (list.some((d) => !Number.isInteger(d) || d < 1)) return t('errValidation', { detail: t('expiryDays') });
    return { notifications: { quietHours: start.value && end.value ? { start: start.value, end: end.value } : null, expiryReminderDays: list } };
  });
}

function templates(): HTMLElement {
  const box = h('div', null, t('loading'));
  const form = h('section', { class: 'panel', 'aria-labelledby': 'tpl-title', 'data-testid': 'templates' }, h('h2', { id: 'tpl-title' }, t('templatesTitle')), box);
  void (async () => {
    try {
      const { items } = await api.program.templates();
      const lang = language();
      const kind = select(items.map((i) => [i.kind, tOr(`tpl_${i.kind}`, i.kind)]), items[0]?.kind ?? '', { name: 'kind' });
      const text = h('textarea', { name: 'template', rows: 4, maxlength: 4000 });
      const vars = h('small', { class: 'hint' });
      const preview = h('blockquote', { class: 'preview', 'aria-live': 'polite', 'data-testid': 'template-preview' });
      const status = statusLine();
      const pick = () => {
        const item = items.find((i) => i.kind === kind.value);
        text.value = item?.texts[lang] ?? '';
        vars.textContent = item ? item.variables.map((v) => `{${v}}`).join(' ') : '';
        void show();
      };
      let timer = 0;
      const show = async () => {
        try {
          const r = await api.program.previewTemplate({ kind: kind.value as 'accrual', text: text.value, language: lang });
          preview.textContent = r.text;
          preview.classList.remove('bad');
        } catch (e) {
          preview.textContent = errorText(e);
          preview.classList.add('bad');
        }
      };
      kind.addEventListener('change', pick);
      text.addEventListener('input', () => {
        clearTimeout(timer);
        timer = window.setTimeout(() => void show(), 300);
      });
      const save = h('button', { type: 'button', class: 'btn primary', onclick: async () => {
        status.busy(t('saving'));
        try {
          await api.program.update({ notifications: { templates: { [lang]: { [kind.value]: text.value } } } });
          const item = items.find((i) => i.kind === kind.value);
          if (item) item.texts[lang] = text.value;
          status.ok(t('saved'));
        } catch (e) {
          status.error(errorText(e));
        }
      } }, t('save'));
      replace(box, field(t('templateKind'), kind), field(t('templateText'), text), vars, h('p', { class: 'muted' }, t('templatePreview')), preview, h('div', { class: 'row' }, save, status.el));
      pick();
    } catch (e) {
      replace(box, h('p', { class: 'status error' }, errorText(e)));
    }
  })();
  return form;
}

function branding(p: Program, ctx: Ctx): HTMLElement {
  const b = p.branding;
  const card = input({ type: 'color', name: 'cardColor', value: b.cardColor });
  const text = input({ type: 'color', name: 'cardTextColor', value: b.cardTextColor });
  const accent = input({ type: 'color', name: 'accentColor', value: b.accentColor });
  const logo = input({ type: 'url', name: 'logoUrl', value: b.logoUrl ?? '', placeholder: 'https://' });
  const logoImg = h('img', { alt: '', class: 'logo', hidden: true });
  const balance = h('strong', { class: 'balance' }, `1 250`);
  const unit = h('span', null, '');
  const badge = h('span', { class: 'accent' }, ctx.me.business.name);
  const preview = h('div', { class: 'card-preview', role: 'img', 'aria-label': t('cardPreview'), 'data-testid': 'card-preview' },
    h('div', { class: 'card-top' }, logoImg, badge),
    h('div', null, balance, ' ', unit),
    h('div', { class: 'card-name' }, t('cardSample'), ' · 1234 5678 90'));
  const update = () => {
    // Colours through the CSSOM (allowed by the page's CSP, unlike style attributes).
    preview.style.background = card.value;
    // As customers will see it: the card app nudges text that would not read (the check below says so).
    preview.style.color = isColor(card.value) && isColor(text.value) ? readableOn(card.value, text.value) : text.value;
    badge.style.background = accent.value;
    if (isColor(accent.value)) badge.style.color = textColorOn(accent.value);
    unit.textContent = p.pointsName;
    const url = logo.value.trim();
    logoImg.hidden = !/^https:\/\//.test(url);
    if (!logoImg.hidden) logoImg.src = url;
  };
  for (const i of [card, text, accent, logo]) i.addEventListener('input', update);
  update();
  const contrast = brandingContrast({ accent, card, text });
  return saver(t('brandingTitle'), 'branding', [
    h('div', { class: 'split' },
      h('div', null, field(t('cardColor'), card), field(t('cardTextColor'), text), field(t('accentColor'), accent), field(t('logoUrl'), logo)),
      h('div', null, h('p', { class: 'muted' }, t('cardPreview')), preview, contrast.el)),
  ], () => ({ branding: { cardColor: card.value, cardTextColor: text.value, accentColor: accent.value, logoUrl: logo.value.trim() || null } }));
}
