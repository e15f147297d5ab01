// The first-run wizard (/admin/setup#token=kst_…): business, program (with a live example), optional bots (checked
// with Telegram on request), owner → one POST /api/setup → the final screen with the poster, cashier, card and bot
// links. Shown before anyone signs in; the server's problems are listed next to their fields.
import { h, replace } from '../../../shared/dom.js';
import { currencyDigits, fill, formatMoney } from '../../../shared/format.js';
import { createSetupClient, SetupError, type BotRole, type SetupDone, type SetupInput, type SetupStatus } from '../../../../src/client/setup.js';
import { language, setLanguage, type Lang } from '../i18n.js';
import { setupEn, setupRu, type SetupMessages } from '../locales/setup.js';
import { brandingContrast, bt } from '../brandingContrast.js';
import { previewRules, parseDecimal } from '../rules.js';
import { button, input, select } from '../ui.js';

const client = createSetupClient();
const LANG_KEY = 'kopilka.admin.lang';
const MAX_LOGO_BYTES = 100 * 1024;
const CURRENCIES = ['RUB', 'KZT', 'BYN', 'UZS', 'AMD', 'GEL', 'USD', 'EUR'];
const REMINDER_CHOICES = [4, 1];

type Key = keyof SetupMessages;
const st = (key: Key, vars: Record<string, string | number> = {}) => fill((language() === 'en' ? setupEn : setupRu)[key], vars);
/** The server's English message, in Russian when we know it. */
const serverText = (m: string) => ((`srv.${m}` as Key) in setupRu ? st(`srv.${m}` as Key) : m);

let seq = 0;

/** A field with its label, optional hint and an error line that the input points to (aria-describedby). */
function wizardField(label: string, control: HTMLInputElement | HTMLSelectElement, hint?: string) {
  const id = control.id || `w-${++seq}`;
  control.id = id;
  const errorEl = h('small', { id: `${id}-err`, class: 'field-error', role: 'alert' });
  const hintEl = hint ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null;
  control.setAttribute('aria-describedby', [hintEl ? `${id}-hint` : '', `${id}-err`].filter(Boolean).join(' '));
  const el = h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl, errorEl);
  const setError = (messages: string[]) => {
    errorEl.textContent = messages.join(' ');
    if (messages.length) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  };
  // A field's problem goes once it is changed (the next "Next" or "Create" checks again).
  control.addEventListener('input', () => setError([]));
  return { el, control, setError };
}
type WField = ReturnType<typeof wizardField>;

export function setupPage(root: HTMLElement): void {
  const saved = localStorage.getItem(LANG_KEY);
  setLanguage(saved === 'en' || saved === 'ru' ? saved : navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en');
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const frame = (...children: Parameters<typeof h>[2][]) => {
    document.title = `${st('title')} · Kopilka`;
    replace(root, h('main', { class: 'setup', id: 'main' }, h('div', { class: 'row between' }, h('h1', null, st('title')), langSwitch()), ...children));
  };
  // The language switch re-renders whatever is on screen; the form keeps its values (it is built once).
  let redraw: () => void = () => {};
  const langSwitch = () => {
    const mk = (l: Lang, label: string) =>
      h('button', { type: 'button', class: `lang${language() === l ? ' on' : ''}`, 'aria-pressed': String(language() === l), lang: l, onclick: () => {
        localStorage.setItem(LANG_KEY, l);
        setLanguage(l);
        redraw();
      } }, label);
    return h('div', { class: 'langs', role: 'group', 'aria-label': 'Язык / Language' }, mk('ru', 'RU'), mk('en', 'EN'));
  };

  if (!token) {
    redraw = () => frame(h('p', { class: 'status error', 'data-testid': 'setup-bad-link' }, st('noToken')));
    return redraw();
  }
  redraw = () => frame(h('p', { class: 'status busy', role: 'status' }, st('checking')));
  redraw();
  void client.status(token).then(
    (status) => {
      if (!status.valid) {
        redraw = () => frame(h('p', { class: 'status error', 'data-testid': 'setup-bad-link' }, st('badLink')));
        return redraw();
      }
      wizard(status);
    },
    (e: unknown) => {
      redraw = () => frame(h('p', { class: 'status error', role: 'alert' }, errorOf(e)));
      redraw();
    },
  );

  function wizard(status: SetupStatus): void {
    const d = status.defaults;
    // Business
    const name = wizardField('', input({ name: 'businessName', autocomplete: 'organization', required: true, maxlength: 200 }));
    const logoFile = wizardField('', h('input', { type: 'file', name: 'logoFile', accept: 'image/png,image/jpeg,image/svg+xml,image/webp' }));
    const logoUrl = wizardField('', input({ type: 'url', name: 'logoUrl', inputmode: 'url', placeholder: 'https://' }));
    const logoPreview = h('img', { class: 'logo-preview', alt: '', hidden: true });
    let logoData: string | null = null;
    logoFile.control.addEventListener('change', () => {
      const file = (logoFile.control as HTMLInputElement).files?.[0];
      logoData = null;
      logoFile.setError([]);
      if (!file) return showLogo();
      if (!file.type.startsWith('image/')) return logoFile.setError([st('logoNotImage')]);
      if (file.size > MAX_LOGO_BYTES) return logoFile.setError([st('logoTooBig')]);
      const reader = new FileReader();
      reader.onload = () => {
        logoData = typeof reader.result === 'string' ? reader.result : null;
        showLogo();
      };
      reader.readAsDataURL(file);
    });
    logoUrl.control.addEventListener('input', () => showLogo());
    function showLogo() {
      const src = logoData ?? (/^https:\/\//.test(logoUrl.control.value.trim()) ? logoUrl.control.value.trim() : '');
      logoPreview.hidden = !src;
      if (src) logoPreview.src = src;
    }
    const address = wizardField('', input({ name: 'address', autocomplete: 'street-address', maxlength: 300 }));
    // Colours, with the contrast check (it warns and offers a readable shade, never refuses).
    const accentColor = wizardField('', input({ type: 'color', name: 'accentColor', value: d.branding?.accentColor ?? '#2f6fed' }));
    const cardColor = wizardField('', input({ type: 'color', name: 'cardColor', value: d.branding?.cardColor ?? '#1f2a44' }));
    const cardTextColor = wizardField('', input({ type: 'color', name: 'cardTextColor', value: d.branding?.cardTextColor ?? '#ffffff' }));
    const contrast = brandingContrast({ accent: accentColor.control as HTMLInputElement, card: cardColor.control as HTMLInputElement, text: cardTextColor.control as HTMLInputElement });
    const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const zones = d.timezones.includes(localZone) || !localZone ? d.timezones : [localZone, ...d.timezones];
    const suggested = localZone && zones.includes(localZone) ? localZone : (d.timezones[0] ?? 'Europe/Moscow');
    const timezone = wizardField('', select(zones.map((z) => [z, z.replace(/_/g, ' ')]), suggested, { name: 'timezone' }));
    const currency = wizardField('', select((CURRENCIES.includes(d.currency) ? CURRENCIES : [d.currency, ...CURRENCIES]).map((c) => [c, c]), d.currency, { name: 'currency' }));

    // Program
    const pointsName = wizardField('', input({ name: 'pointsName', value: d.pointsName, maxlength: 30, required: true }));
    const earn = wizardField('', input({ name: 'earnPercent', inputmode: 'decimal', value: String(d.earnPercent) }));
    const redeem = wizardField('', input({ name: 'maxRedeemPercent', inputmode: 'decimal', value: String(d.maxRedeemPercent) }));
    const welcome = wizardField('', input({ type: 'number', name: 'welcomeBonus', min: 0, step: 1, value: String(d.welcomeBonus) }));
    const lifetime = wizardField('', input({ type: 'number', name: 'pointsLifetimeDays', min: 1, step: 1, value: d.pointsLifetimeDays === null ? '' : String(d.pointsLifetimeDays) }));
    const reminderBoxes = REMINDER_CHOICES.map((n) => h('input', { type: 'checkbox', name: `remind${n}`, value: String(n), checked: true, id: `w-remind-${n}` }));
    const remindersError = h('small', { id: 'w-reminders-err', class: 'field-error', role: 'alert' });
    const previewEl = h('p', { class: 'preview', 'data-testid': 'setup-preview', 'aria-live': 'polite' });
    const updatePreview = () => {
      const cur = currency.control.value;
      const digits = currencyDigits(cur);
      const r = previewRules({ earnPercent: parseDecimal(earn.control.value), maxRedeemPercent: parseDecimal(redeem.control.value), pointValue: 10 ** digits, minPurchaseToEarn: 0 }, 1000 * 10 ** digits);
      const money = (minor: number) => formatMoney(minor, cur, language());
      previewEl.textContent = r ? st('preview', { amount: money(r.amount), earn: r.earnPoints, pointsName: pointsName.control.value.trim() || d.pointsName, redeem: money(r.maxRedeemMoney) }) : st('previewBad');
    };
    for (const f of [earn, redeem, pointsName, currency]) f.control.addEventListener('input', updatePreview);
    currency.control.addEventListener('change', updatePreview);

    // Bots
    const botFields: Record<BotRole, { f: WField; result: HTMLElement }> = {
      customer: { f: wizardField('', input({ name: 'customerBot', autocomplete: 'off', spellcheck: 'false', placeholder: '123456789:AA…' })), result: h('div', { class: 'bot-result', role: 'status', 'aria-live': 'polite', 'data-testid': 'bot-customer' }) },
      staff: { f: wizardField('', input({ name: 'staffBot', autocomplete: 'off', spellcheck: 'false', placeholder: '123456789:AA…' })), result: h('div', { class: 'bot-result', role: 'status', 'aria-live': 'polite', 'data-testid': 'bot-staff' }) },
    };
    const checkBot = async (role: BotRole) => {
      const { f, result } = botFields[role];
      const value = f.control.value.trim();
      if (!value) return;
      replace(result, h('span', { class: 'busy' }, st('checkingBot')));
      try {
        const r = await client.checkBot({ setupToken: token, token: value, role });
        if (r.status === 'ok') replace(result, h('span', { class: 'ok' }, st('botOk', { username: r.bot.username }), ' ', h('a', { href: r.bot.link, target: '_blank', rel: 'noopener' }, r.bot.link)));
        else replace(result, h('span', { class: r.status === 'invalid' ? 'error' : 'warn' }, st(r.status === 'unreachable' ? 'botUnreachable' : /does not look like/.test(r.message) ? 'botMalformed' : 'botInvalid')), h('p', { class: 'hint' }, r.help[language()]));
      } catch (e) {
        replace(result, h('span', { class: 'error' }, errorOf(e)));
      }
    };

    // Owner
    const ownerName = wizardField('', input({ name: 'ownerName', autocomplete: 'name', required: true }));
    const email = wizardField('', input({ type: 'email', name: 'email', autocomplete: 'email', required: true }));
    const password = wizardField('', input({ type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: 10 }));
    const password2 = wizardField('', input({ type: 'password', name: 'password2', autocomplete: 'new-password', required: true }));

    // Which field shows the server's problem for each path, and on which step it is.
    const byPath: Record<string, [WField, number]> = {
      'business.name': [name, 0], 'business.logoUrl': [logoUrl, 0], 'business.address': [address, 0], 'business.timezone': [timezone, 0], 'business.currency': [currency, 0], 'business.accentColor': [accentColor, 0], 'business.cardColor': [cardColor, 0], 'business.cardTextColor': [cardTextColor, 0],
      'program.pointsName': [pointsName, 1], 'program.earnPercent': [earn, 1], 'program.maxRedeemPercent': [redeem, 1], 'program.welcomeBonus': [welcome, 1], 'program.pointsLifetimeDays': [lifetime, 1],
      'bots.customer': [botFields.customer.f, 2], 'bots.staff': [botFields.staff.f, 2],
      'owner.name': [ownerName, 3], 'owner.email': [email, 3], 'owner.password': [password, 3],
    };
    const allFields = [...Object.values(byPath).map(([f]) => f), logoFile, password2];

    let step = 0;
    const formStatus = h('p', { class: 'status', role: 'alert', 'data-testid': 'setup-status' });
    const submitBtn = h('button', { type: 'submit', class: 'btn primary' }, '');

    const labelled = (f: WField, label: string, hint?: string) => {
      (f.el.querySelector('label') as HTMLLabelElement).textContent = label;
      const hintEl = f.el.querySelector('.hint');
      if (hint) {
        if (hintEl) hintEl.textContent = hint;
        else f.el.insertBefore(h('small', { id: `${f.control.id}-hint`, class: 'hint' }, hint), f.el.querySelector('.field-error'));
        f.control.setAttribute('aria-describedby', `${f.control.id}-hint ${f.control.id}-err`);
      }
      return f.el;
    };

    const stepNames: Key[] = ['stepBusiness', 'stepProgram', 'stepBots', 'stepOwner'];
    const stepBody = (): HTMLElement[] => {
      switch (step) {
        case 0:
          return [labelled(name, st('businessName')), h('fieldset', null, h('legend', null, st('logo')), labelled(logoFile, st('logoFile')), labelled(logoUrl, st('logoUrl')), logoPreview), h('fieldset', { 'data-testid': 'setup-colours' }, h('legend', null, bt('colours')), h('p', { class: 'hint' }, bt('coloursHint')), h('div', { class: 'grid3' }, labelled(accentColor, bt('accentColor')), labelled(cardColor, bt('cardColor')), labelled(cardTextColor, bt('cardTextColor'))), contrast.el), labelled(address, st('address'), st('addressHint')), h('div', { class: 'grid3' }, labelled(timezone, st('timezone'), st('timezoneHint')), labelled(currency, st('currency')))];
        case 1:
          updatePreview();
          return [
            labelled(pointsName, st('pointsName')),
            h('div', { class: 'grid3' }, labelled(earn, st('earnPercent')), labelled(redeem, st('maxRedeemPercent'))),
            previewEl,
            h('div', { class: 'grid3' }, labelled(welcome, st('welcomeBonus')), labelled(lifetime, st('lifetime'), st('lifetimeHint'))),
            h('fieldset', { 'aria-describedby': 'w-reminders-err' }, h('legend', null, st('reminders')), REMINDER_CHOICES.map((n, i) => h('label', { class: 'check', for: `w-remind-${n}` }, reminderBoxes[i], ' ', st('remindDays', { n }))), remindersError),
          ];
        case 2:
          return [
            h('p', null, st('botsIntro')),
            h('p', { class: 'hint' }, status.botFatherHelp[language()]),
            ...(['customer', 'staff'] as const).map((role) =>
              h('div', { class: 'bot' }, labelled(botFields[role].f, st(role === 'customer' ? 'customerBot' : 'staffBot')), button(st('check'), () => void checkBot(role), { 'data-testid': `check-${role}` }), botFields[role].result),
            ),
          ];
        default:
          return [labelled(ownerName, st('ownerName')), labelled(email, st('email')), labelled(password, st('password'), st('passwordHint')), labelled(password2, st('password2'))];
      }
    };

    const form = h('form', { class: 'card-form wide', novalidate: true, 'aria-labelledby': 'setup-step-title', onsubmit: (e: Event) => void onSubmit(e) });
    const draw = () => {
      submitBtn.textContent = step === 3 ? st('submit') : st('next');
      const progress = h('ol', { class: 'steps', 'aria-label': st('steps') }, stepNames.map((k, i) => h('li', { class: i === step ? 'on' : i < step ? 'done' : '', ...(i === step ? { 'aria-current': 'step' } : {}) }, st(k))));
      replace(
        form,
        h('p', { class: 'muted' }, st('stepOf', { n: step + 1, total: 4 })),
        h('h2', { id: 'setup-step-title', tabindex: -1 }, st(stepNames[step]!)),
        ...stepBody(),
        h('div', { class: 'row' }, step > 0 ? button(st('back'), () => go(step - 1)) : null, submitBtn),
        formStatus,
      );
      frame(h('p', null, st('intro')), progress, form);
    };
    const go = (next: number) => {
      step = next;
      draw();
      (root.querySelector('#setup-step-title') as HTMLElement | null)?.focus();
    };
    redraw = draw;

    /** What the browser can tell before asking the server: required fields, numbers, the two passwords. */
    const localProblems = (s: number): [WField, string][] => {
      const out: [WField, string][] = [];
      const req = (f: WField) => (f.control.value.trim() ? null : out.push([f, st('required')]));
      const num = (f: WField, optional = false) => (f.control.value.trim() === '' ? (optional ? null : out.push([f, st('required')])) : Number.isNaN(parseDecimal(f.control.value)) ? out.push([f, st('notNumber')]) : null);
      if (s === 0) {
        req(name);
        if (logoFile.el.querySelector('.field-error')?.textContent) out.push([logoFile, logoFile.el.querySelector('.field-error')!.textContent!]);
      }
      if (s === 1) {
        req(pointsName);
        num(earn);
        num(redeem);
        num(welcome);
        num(lifetime, true);
      }
      if (s === 3) {
        req(ownerName);
        req(email);
        req(password);
        if (password.control.value && password.control.value !== password2.control.value) out.push([password2, st('passwordsDiffer')]);
      }
      return out;
    };

    const showProblems = (problems: [WField, string][]) => {
      for (const f of allFields) f.setError(problems.filter(([x]) => x === f).map(([, m]) => m));
    };

    async function onSubmit(e: Event): Promise<void> {
      e.preventDefault();
      formStatus.textContent = '';
      formStatus.className = 'status';
      const local = localProblems(step);
      showProblems(local);
      if (local.length) {
        formStatus.className = 'status error';
        formStatus.textContent = st('fixErrors', { n: local.length });
        local[0]![0].control.focus();
        return;
      }
      if (step < 3) return go(step + 1);
      const logo = logoData ?? (logoUrl.control.value.trim() || null);
      const body: SetupInput = {
        token,
        business: { name: name.control.value.trim(), logoUrl: logo, address: address.control.value.trim() || null, timezone: timezone.control.value, currency: currency.control.value, accentColor: accentColor.control.value, cardColor: cardColor.control.value, cardTextColor: cardTextColor.control.value },
        program: {
          pointsName: pointsName.control.value.trim(),
          earnPercent: earn.control.value.trim().replace(',', '.'),
          maxRedeemPercent: redeem.control.value.trim().replace(',', '.'),
          welcomeBonus: Number(welcome.control.value),
          pointsLifetimeDays: lifetime.control.value.trim() === '' ? null : Number(lifetime.control.value),
          expiryReminderDays: REMINDER_CHOICES.filter((_, i) => reminderBoxes[i]!.checked),
        },
        bots: { customer: botFields.customer.f.control.value.trim() || null, staff: botFields.staff.f.control.value.trim() || null },
        owner: { name: ownerName.control.value.trim(), email: email.control.value.trim(), password: password.control.value },
      };
      submitBtn.disabled = true;
      formStatus.className = 'status busy';
      formStatus.textContent = st('submitting');
      try {
        const done = await client.complete(body);
        finalScreen(done, body.business.name);
      } catch (err) {
        formStatus.className = 'status error';
        if (err instanceof SetupError && err.code === 'invalid_setup_token') {
          redraw = () => frame(h('p', { class: 'status error', 'data-testid': 'setup-bad-link' }, st('badLink')));
          return redraw();
        }
        if (err instanceof SetupError && Object.keys(err.fieldErrors).length) {
          const problems: [WField, string][] = [];
          let firstStep = 4;
          const other: string[] = [];
          for (const [path, messages] of Object.entries(err.fieldErrors)) {
            const target = byPath[path] ?? (path.startsWith('program.expiryReminderDays') ? null : undefined);
            if (target) {
              for (const m of messages) problems.push([target[0], serverText(m)]);
              firstStep = Math.min(firstStep, target[1]);
            } else if (path.startsWith('program.expiryReminderDays')) {
              remindersError.textContent = messages.join(' ');
              firstStep = Math.min(firstStep, 1);
            } else other.push(...messages.map((m) => (path ? `${path}: ${m}` : m)));
          }
          if (firstStep < 4 && firstStep !== step) go(firstStep);
          showProblems(problems);
          formStatus.className = 'status error';
          formStatus.textContent = [st('fixErrors', { n: problems.length + other.length }), ...other].join(' ');
          problems.find(([f]) => root.contains(f.control))?.[0].control.focus();
        } else formStatus.textContent = errorOf(err);
      } finally {
        submitBtn.disabled = false;
      }
    }

    draw();
  }

  function finalScreen(done: SetupDone, businessName: string): void {
    const botItems = done.bots.map((b) =>
      h('li', null, `${b.role === 'customer' ? st('customerBot') : st('staffBot')}: `, b.status === 'connected' ? h('a', { href: b.link, target: '_blank', rel: 'noopener', 'data-testid': `bot-link-${b.role}` }, `@${b.username}`) : st(b.status === 'pending' ? 'botPending' : 'botRefused', { message: b.status === 'invalid' ? b.message : '' })),
    );
    redraw = () =>
      frame(
        h(
          'section',
          { class: 'panel done', 'data-testid': 'setup-done', 'aria-labelledby': 'setup-done-title' },
          h('h2', { id: 'setup-done-title', tabindex: -1 }, st('doneTitle')),
          h('p', null, st('doneIntro', { name: businessName })),
          h('h3', null, st('posters')),
          h('p', { class: 'row' }, h('a', { href: done.posterUrls.png, download: 'poster.png', 'data-testid': 'poster-png' }, st('posterPng')), h('a', { href: done.posterUrls.pdf, download: 'poster.pdf', 'data-testid': 'poster-pdf' }, st('posterPdf'))),
          h('ul', { class: 'links' }, h('li', null, `${st('cashierLink')}: `, h('a', { href: done.cashierUrl, 'data-testid': 'cashier-link' }, done.cashierUrl)), h('li', null, `${st('cardLink')}: `, h('a', { href: done.cardUrl, 'data-testid': 'card-link' }, done.cardUrl))),
          botItems.length ? [h('h3', null, st('botLinks')), h('ul', { class: 'links' }, botItems)] : null,
          h('p', null, h('a', { class: 'btn primary', href: done.adminUrl, 'data-testid': 'to-dashboard' }, st('toDashboard'))),
        ),
      );
    redraw();
    // The link has been used up: drop it from the address so a reload does not show "link no longer works" first.
    history.replaceState(null, '', '/admin/setup');
    (root.querySelector('#setup-done-title') as HTMLElement | null)?.focus();
  }
}

function errorOf(e: unknown): string {
  if (e instanceof SetupError) {
    if (e.status === 429) return st('errRate');
    return st('errOther', { detail: e.problem.detail ?? e.problem.title ?? e.code });
  }
  if (e instanceof TypeError) return st('errNetwork');
  return st('errOther', { detail: e instanceof Error ? e.message : String(e) });
}
