// The member at the till: who they are and their points; the purchase amount (typed or on the keypad), what it earns
// and how much of it points may pay (quote, debounced), and the two big buttons: Earn and Pay with points. Paying
// with points needs the customer's QR token, or else a code sent to the customer. Every press is one operation with
// one idempotency key, reused by its retries; the buttons are disabled while a request is out. Managers also get the
// recent history and a manual accrual / write-off.
import type { LookupResult, Receipt, TillMember, TillOperation, TillQuote, TillRedeem, TillTransaction } from '../../../../src/client/staff.js';
import { parseAmount, pressKey, type AmountResult, type KeypadKey } from '../amount.js';
import { describe, isApiError, isUnauthorized, newKey, type Problem } from '../api.js';
import type { Ctx, Page } from '../context.js';
import { h, replace } from '../../../shared/dom.js';
import { t, type MessageKey } from '../i18n.js';
import { OperationKeys } from '../operation.js';
import { problemBlock } from './status.js';

export const QUOTE_DEBOUNCE_MS = 250;
/** A duplicate still being processed (idempotency_in_flight): asked again this often, this many times. */
const IN_FLIGHT_RETRY_MS = 800;
const IN_FLIGHT_TRIES = 6;

const KEYS: { key: KeypadKey; label: string; aria?: MessageKey }[] = [
  { key: '7', label: '7' },
  { key: '8', label: '8' },
  { key: '9', label: '9' },
  { key: '4', label: '4' },
  { key: '5', label: '5' },
  { key: '6', label: '6' },
  { key: '1', label: '1' },
  { key: '2', label: '2' },
  { key: '3', label: '3' },
  { key: 'sep', label: ',' },
  { key: '0', label: '0' },
  { key: 'back', label: '⌫', aria: 'keyBack' },
];

const TYPE_NAMES: Record<string, MessageKey> = {
  earn: 'txEarn',
  redeem: 'txRedeem',
  welcome: 'txWelcome',
  referral: 'txReferral',
  adjust: 'txAdjust',
  expire: 'txExpire',
  refund: 'txRefund',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function memberPage(ctx: Ctx, start: { member: TillMember; identifiedBy: LookupResult['identifiedBy']; qrToken: string | null }): Page {
  const f = ctx.fmt;
  let member = start.member;
  let qrToken = start.identifiedBy === 'qr' ? start.qrToken : null;
  let stopped = false;
  let busy = false;
  /** An operation's answer never came (network): the amount stays as it was until it is retried or given up. */
  let unresolved = false;
  let amount: AmountResult = { ok: false, error: 'empty' };
  let quote: TillQuote | null = null;
  let quoteSeq = 0;
  let quoteTimer: number | undefined;
  let codeStep = false;
  const ops = new OperationKeys(newKey);
  const canEarn = ctx.can('till.earn');
  const canRedeem = ctx.can('till.redeem');

  // --- who --------------------------------------------------------------------------------------------------------
  const balance = h('span', { class: 'member-balance-value', 'data-testid': 'member-balance' });
  const pending = h('span', { class: 'hint', 'data-testid': 'member-pending' });
  const renderBalance = () => {
    replace(balance, f.points(member.balance.available));
    replace(pending, member.balance.pending > 0 ? t('pending', { points: f.points(member.balance.pending) }) : '');
  };
  renderBalance();
  const who = h(
    'section',
    { class: 'member-card', 'data-testid': 'member' },
    h(
      'div',
      { class: 'member-head' },
      h('div', { class: `member-name${member.name ? '' : ' unnamed'}`, 'data-testid': 'member-name' }, member.name || t('noName')),
      member.tier ? h('span', { class: 'badge', 'data-testid': 'member-tier' }, member.tier.name) : null,
    ),
    h('div', { class: 'member-meta' }, h('span', { class: 'mono', 'data-testid': 'member-card' }, member.cardNumber), h('span', { 'data-testid': 'member-phone' }, member.phoneMasked), start.identifiedBy === 'qr' ? h('span', { class: 'badge ok' }, t('byQr')) : null),
    h('div', { class: 'member-balance' }, h('span', { class: 'label' }, t('balanceCaption')), balance, pending),
    member.blocked ? h('p', { class: 'problem', role: 'alert', 'data-testid': 'member-blocked' }, t('errMemberBlocked')) : null,
  );

  // --- amount, keypad, quote --------------------------------------------------------------------------------------
  const amountInput = h('input', {
    class: 'input amount',
    id: 'amount',
    type: 'text',
    inputmode: 'decimal',
    autocomplete: 'off',
    enterkeyhint: 'done',
    placeholder: '0',
    'aria-describedby': 'amount-value',
    'data-testid': 'amount',
  });
  const amountValue = h('div', { class: 'amount-value', id: 'amount-value', 'aria-live': 'polite', 'data-testid': 'amount-value' });
  const clearBtn = h('button', { type: 'button', class: 'amount-clear', 'aria-label': t('keyClear'), 'data-testid': 'amount-clear' }, '×');
  const keypad = h(
    'div',
    { class: 'keypad', 'data-testid': 'keypad' },
    KEYS.map((k) =>
      h(
        'button',
        { type: 'button', class: 'key', 'data-key': k.key, 'aria-label': k.aria ? t(k.aria) : null },
        k.key === 'sep' ? f.decimalSeparator : k.label,
      ),
    ),
  );
  if (f.digits === 0) keypad.querySelector<HTMLButtonElement>('[data-key="sep"]')?.setAttribute('disabled', '');
  const quoteEarn = h('div', { class: 'quote-line', 'data-testid': 'quote-earn' });
  const quoteRedeem = h('div', { class: 'quote-line', 'data-testid': 'quote-redeem' });
  const quoteBox = h('div', { class: 'quote', 'aria-live': 'polite', 'data-testid': 'quote' }, quoteEarn, quoteRedeem);

  const earnBtn = h('button', { type: 'submit', class: 'btn huge', 'data-testid': 'earn' }, t('earn'));
  const redeemBtn = h('button', { type: 'button', class: 'btn huge btn-alt', 'data-testid': 'redeem' }, t('redeem'));
  const opStatus = h('div', { class: 'op-status', 'data-testid': 'op-status' });

  const codeInput = h('input', { class: 'input code', id: 'confirmation-code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, pattern: '[0-9]{4,6}', 'data-testid': 'confirmation-code' });
  const codeConfirm = h('button', { type: 'submit', class: 'btn big', 'data-testid': 'confirm-redeem' }, t('confirmRedeem'));
  const codeStatus = h('div', { class: 'code-status', 'data-testid': 'code-status' });
  const codeResend = h('button', { type: 'button', class: 'link', 'data-testid': 'resend-code' }, t('resendCode'));
  const codeCancel = h('button', { type: 'button', class: 'link', 'data-testid': 'cancel-code' }, t('cancel'));
  const codeForm = h(
    'form',
    { class: 'code-step', hidden: true, novalidate: true, 'data-testid': 'code-step' },
    h('p', { class: 'code-sent', role: 'status' }, t('codeSent')),
    h('label', { for: 'confirmation-code', class: 'label' }, t('codeLabel')),
    h('div', { class: 'input-row' }, codeInput, codeConfirm),
    codeStatus,
    h('div', { class: 'row between' }, codeCancel, codeResend),
  );

  const tillForm = h(
    'form',
    { class: 'till-form', novalidate: true },
    h('label', { for: 'amount', class: 'label' }, t('amountLabel', { currency: currencySymbol(f.money(0)) })),
    h('div', { class: 'amount-row' }, amountInput, clearBtn),
    amountValue,
    keypad,
    quoteBox,
    h('div', { class: 'actions' }, canEarn ? earnBtn : null, redeemBtn),
  );
  const till = h('section', { class: 'panel till' }, tillForm, opStatus, codeForm);

  // --- history and manual points (roles that may) ---------------------------------------------------------------
  const recentList = h('ul', { class: 'tx-list' });
  const recent = h('details', { class: 'panel recent', hidden: true, 'data-testid': 'recent' }, h('summary', null, t('recentTitle')), recentList);
  const adjust = ctx.can('points.adjust') ? adjustBlock() : null;

  const el = h(
    'div',
    { class: 'page member-page' },
    h('div', { class: 'back-row' }, h('button', { type: 'button', class: 'link back', 'data-testid': 'back-to-find', onclick: () => ctx.showFind() }, t('otherCustomer'))),
    // Phones: who, then the till (amount, keypad, buttons within the first screen), then the extras. Wide screens:
    // who and the extras on the left, the till on the right (styles.css).
    h('div', { class: 'member-grid' }, who, till, h('div', { class: 'member-extras' }, recent, adjust?.el ?? null)),
  );

  // --- behaviour ----------------------------------------------------------------------------------------------------
  function updateButtons(): void {
    const amountOk = amount.ok && amount.minor > 0;
    const locked = busy || codeStep || unresolved || member.blocked;
    earnBtn.disabled = locked || !amountOk;
    const quoted = quote !== null && amount.ok && quote.amount === amount.minor;
    redeemBtn.disabled = locked || !canRedeem || !amountOk || !quoted || (quote?.maxRedeemPoints ?? 0) <= 0;
    const inputLocked = busy || codeStep || unresolved;
    amountInput.readOnly = inputLocked;
    clearBtn.disabled = inputLocked;
    for (const k of keypad.querySelectorAll<HTMLButtonElement>('.key')) k.disabled = inputLocked || (k.dataset.key === 'sep' && f.digits === 0);
    codeConfirm.disabled = busy;
    till.setAttribute('aria-busy', String(busy));
  }

  function renderAmount(): void {
    if (amount.ok) replace(amountValue, amount.minor > 0 ? `= ${f.money(amount.minor)}` : '');
    else replace(amountValue, amount.error === 'empty' ? '' : h('span', { class: 'error' }, t(amount.error === 'decimals' ? 'amountDecimals' : amount.error === 'too_large' ? 'amountTooLarge' : 'amountInvalid', { digits: f.digits })));
    amountInput.setAttribute('aria-invalid', String(!amount.ok && amount.error !== 'empty'));
  }

  function renderQuote(state: 'none' | 'loading' | 'ready' | 'failed'): void {
    quoteBox.dataset.state = state;
    if (state === 'none') {
      replace(quoteEarn, canRedeem && member.balance.available > 0 ? h('span', { class: 'hint' }, t('quoteHint')) : '');
      return replace(quoteRedeem);
    }
    if (state === 'loading') {
      replace(quoteEarn, h('span', { class: 'hint' }, t('quoteLoading')));
      return replace(quoteRedeem);
    }
    if (state === 'failed' || !quote) {
      replace(quoteEarn, h('span', { class: 'hint' }, t('quoteFailed'), ' ', h('button', { type: 'button', class: 'link', onclick: () => void loadQuote() }, t('retry'))));
      return replace(quoteRedeem);
    }
    replace(quoteEarn, t('quoteEarn', { points: f.points(quote.earnPoints) }));
    replace(
      quoteRedeem,
      !canRedeem ? '' : quote.maxRedeemPoints > 0 ? t('quoteRedeem', { points: f.points(quote.maxRedeemPoints), money: f.money(quote.maxRedeemValue) }) : h('span', { class: 'hint' }, t('quoteNoRedeem')),
    );
  }

  function onAmountChanged(): void {
    amount = parseAmount(amountInput.value, f.digits);
    renderAmount();
    window.clearTimeout(quoteTimer);
    quoteSeq++;
    quote = null;
    if (amount.ok && amount.minor > 0) {
      renderQuote('loading');
      quoteTimer = window.setTimeout(() => void loadQuote(), QUOTE_DEBOUNCE_MS);
    } else renderQuote('none');
    replace(opStatus);
    updateButtons();
  }

  async function loadQuote(): Promise<void> {
    if (!amount.ok || amount.minor <= 0) return;
    const seq = ++quoteSeq;
    const value = amount.minor;
    renderQuote('loading');
    try {
      const q = await ctx.client.quote({ memberId: member.id, amount: value });
      if (stopped || seq !== quoteSeq) return;
      quote = q;
      member = { ...member, balance: q.balance };
      renderBalance();
      renderQuote('ready');
    } catch (e) {
      if (stopped || seq !== quoteSeq) return;
      if (isUnauthorized(e)) return ctx.unauthorized();
      if (isApiError(e, 'member_blocked')) member = { ...member, blocked: true };
      renderQuote('failed');
    }
    updateButtons();
  }

  /** Runs one operation: the same key for its retries; the answer → the receipt, a refusal → plain words. */
  async function perform(kind: 'earn' | 'redeem', input: TillOperation | TillRedeem, call: (key: string) => Promise<Receipt>, onRefused?: (p: Problem, e: unknown) => boolean): Promise<void> {
    if (busy) return;
    const key = ops.keyFor(kind, input);
    busy = true;
    updateButtons();
    const label = kind === 'earn' ? earnBtn : kind === 'redeem' && codeStep ? codeConfirm : redeemBtn;
    const text = label.textContent;
    label.textContent = t('working');
    replace(opStatus);
    try {
      for (let tries = 0; ; tries++) {
        try {
          const receipt = await call(key);
          ops.finish();
          unresolved = false;
          if (!stopped) ctx.showReceipt(receipt, { ...member, balance: receipt.balance });
          return;
        } catch (e) {
          if (stopped) return;
          if (isUnauthorized(e)) return ctx.unauthorized();
          if (isApiError(e, 'idempotency_in_flight') && tries < IN_FLIGHT_TRIES) {
            await sleep(IN_FLIGHT_RETRY_MS);
            continue;
          }
          const p = describe(e);
          if (p.retry) {
            // The answer is unknown (the purchase may be recorded): only a retry with the same key, or giving up.
            unresolved = true;
            replace(
              opStatus,
              h(
                'div',
                { class: 'problem', role: 'alert', 'data-testid': 'problem', 'data-code': p.code },
                h('p', null, p.text),
                h('p', { class: 'hint' }, t('maybeDone')),
                h(
                  'div',
                  { class: 'row' },
                  h('button', { type: 'button', class: 'btn', 'data-testid': 'retry', onclick: () => void perform(kind, input, call, onRefused) }, t('retry')),
                  h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': 'give-up', onclick: () => giveUp() }, t('cancel')),
                ),
              ),
            );
          } else {
            // Refused: nothing happened; the next press is a new operation.
            ops.finish();
            unresolved = false;
            if (!onRefused?.(p, e)) replace(opStatus, problemBlock(p));
          }
          return;
        }
      }
    } finally {
      busy = false;
      label.textContent = text;
      if (!stopped) updateButtons();
    }
  }

  /** The cashier gives up on an operation whose answer never came: look at the member again (did it happen?). */
  function giveUp(): void {
    ops.finish();
    unresolved = false;
    replace(opStatus, h('p', { class: 'notice', role: 'status' }, t('checkHistory')));
    updateButtons();
    void loadDetails();
    if (amount.ok && amount.minor > 0) void loadQuote();
  }

  /** Problems that change what the page offers; true when shown here. */
  function refused(p: Problem, e: unknown): boolean {
    if (isApiError(e, 'invalid_qr_token') && qrToken) {
      // The QR lapsed while the purchase was rung up: earning needs no QR; paying with points now needs the code.
      qrToken = null;
      replace(
        opStatus,
        h(
          'div',
          { class: 'problem', role: 'alert', 'data-testid': 'problem', 'data-code': p.code },
          h('p', null, p.text),
          h('p', { class: 'hint' }, t('qrLapsedNext')),
          h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => ctx.showFind({ scan: true }) }, t('scanAgain')),
        ),
      );
      return true;
    }
    if (isApiError(e, 'member_blocked')) {
      member = { ...member, blocked: true };
      updateButtons();
    }
    if (isApiError(e, 'insufficient_points') || isApiError(e, 'redeem_limit_exceeded')) void loadQuote();
    return false;
  }

  function earn(): void {
    if (busy || !amount.ok || amount.minor <= 0 || !canEarn) return;
    const input: TillOperation = { memberId: member.id, amount: amount.minor, ...(qrToken ? { qrToken } : {}) };
    void perform('earn', input, (key) => ctx.client.earn(input, { idempotencyKey: key }), refused);
  }

  function redeemInput(extra: { qrToken?: string; confirmationCode?: string }): TillRedeem | null {
    if (!quote || !amount.ok || quote.amount !== amount.minor || quote.maxRedeemPoints <= 0) return null;
    return { memberId: member.id, amount: amount.minor, points: quote.maxRedeemPoints, ...extra };
  }

  function redeem(): void {
    if (busy || redeemBtn.disabled) return;
    if (qrToken) {
      const input = redeemInput({ qrToken });
      if (!input) return;
      void perform('redeem', input, (key) => ctx.client.redeem(input, { idempotencyKey: key }), (p, e) => {
        if (isApiError(e, 'confirmation_required')) {
          // The server wants the customer's code after all: ask for it once this request has let go of the buttons.
          window.setTimeout(() => void askCode(), 0);
          return true;
        }
        return refused(p, e);
      });
    } else void askCode();
  }

  /** Sends the customer a code (their QR is not at hand) and shows the field to type it. */
  async function askCode(): Promise<void> {
    if (busy) return;
    busy = true;
    updateButtons();
    replace(opStatus, h('p', { class: 'hint', role: 'status' }, t('sendingCode')));
    try {
      await ctx.client.requestRedeemCode({ memberId: member.id });
      if (stopped) return;
      replace(opStatus);
      replace(codeStatus);
      codeStep = true;
      codeForm.hidden = false;
      keypad.hidden = true; // the amount is fixed now: the code field takes the keypad's place
      codeInput.value = '';
      codeInput.focus();
      codeForm.scrollIntoView?.({ block: 'nearest' });
    } catch (e) {
      if (stopped) return;
      if (isUnauthorized(e)) return ctx.unauthorized();
      const p = describe(e);
      replace(opStatus, problemBlock(p, () => void askCode()));
      refused(p, e);
    } finally {
      busy = false;
      if (!stopped) updateButtons();
    }
  }

  function closeCode(): void {
    codeStep = false;
    codeForm.hidden = true;
    keypad.hidden = false;
    replace(codeStatus);
    updateButtons();
  }

  function confirmCode(): void {
    const code = codeInput.value.replace(/\D/g, '');
    if (busy) return;
    if (code.length < 4 || code.length > 6) {
      codeInput.setAttribute('aria-invalid', 'true');
      codeInput.focus();
      return;
    }
    codeInput.setAttribute('aria-invalid', 'false');
    const input = redeemInput({ confirmationCode: code });
    if (!input) return;
    void perform('redeem', input, (key) => ctx.client.redeem(input, { idempotencyKey: key }), (p, e) => {
      // Wrong code: say so (with the tries left, as the server counts them) and let the cashier type it again.
      if (isApiError(e, 'invalid_confirmation_code')) {
        replace(opStatus);
        replace(codeStatus, problemBlock(p));
        codeInput.value = '';
        codeInput.focus();
        return true;
      }
      if (isApiError(e, 'too_many_attempts')) {
        closeCode();
        replace(opStatus, problemBlock(p));
        return true;
      }
      closeCode();
      return refused(p, e);
    });
  }

  async function loadDetails(): Promise<void> {
    try {
      const d = await ctx.client.member(member.id);
      if (stopped) return;
      member = { ...member, ...d, balance: quote && amount.ok && quote.amount === amount.minor ? quote.balance : d.balance };
      renderBalance();
      renderRecent(d.recent);
    } catch (e) {
      if (stopped) return;
      if (isUnauthorized(e)) return ctx.unauthorized();
      // The history is extra: without it (a role that may not, a hiccup) the till works the same.
    }
  }

  function renderRecent(items: TillTransaction[]): void {
    recent.hidden = false;
    if (!items.length) return replace(recentList, h('li', { class: 'hint empty' }, t('recentEmpty')));
    replace(
      recentList,
      items.map((tx) =>
        h(
          'li',
          { class: 'tx', 'data-testid': 'transaction' },
          h('div', { class: 'tx-main' }, h('div', { class: 'tx-type' }, t(TYPE_NAMES[tx.type] ?? 'txOther')), tx.reason ? h('div', { class: 'tx-reason' }, tx.reason) : null, h('time', { class: 'tx-date', datetime: tx.when }, f.dateTime(tx.when))),
          h('div', { class: 'tx-side' }, h('div', { class: `tx-points ${tx.points >= 0 ? 'plus' : 'minus'}` }, f.signedPoints(tx.points)), h('div', { class: 'tx-after' }, t('balanceAfter', { points: f.points(tx.balanceAfter) }))),
        ),
      ),
    );
  }

  function adjustBlock(): { el: HTMLElement } {
    const keys = new OperationKeys(newKey);
    const points = h('input', { class: 'input', id: 'adjust-points', type: 'text', inputmode: 'numeric', autocomplete: 'off', 'data-testid': 'adjust-points' });
    const reason = h('input', { class: 'input', id: 'adjust-reason', type: 'text', maxlength: 200, autocomplete: 'off', 'data-testid': 'adjust-reason' });
    const add = h('button', { type: 'button', class: 'btn', 'data-testid': 'adjust-add' }, t('adjustAdd'));
    const sub = h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': 'adjust-subtract' }, t('adjustSubtract'));
    const status = h('div', { class: 'form-status', 'data-testid': 'adjust-status' });
    const max = ctx.me.limits.maxPointsPerOperation;
    let working = false;
    const go = async (sign: 1 | -1) => {
      if (working) return;
      const n = /^\s*\d{1,9}\s*$/.test(points.value) ? Number(points.value.trim()) : 0;
      const why = reason.value.trim();
      points.setAttribute('aria-invalid', String(n <= 0));
      reason.setAttribute('aria-invalid', String(!why));
      if (n <= 0 || !why) {
        replace(status, h('p', { class: 'error' }, t(n <= 0 ? 'adjustPointsInvalid' : 'adjustReasonMissing')));
        return (n <= 0 ? points : reason).focus();
      }
      const input = { memberId: member.id, points: sign * n, reason: why };
      const key = keys.keyFor('adjust', input);
      working = true;
      add.disabled = sub.disabled = true;
      replace(status, h('p', { class: 'hint', role: 'status' }, t('working')));
      try {
        const r = await ctx.client.adjust(input, { idempotencyKey: key });
        keys.finish();
        if (stopped) return;
        member = { ...member, balance: r.balance };
        renderBalance();
        points.value = '';
        reason.value = '';
        replace(status, h('p', { class: 'ok', role: 'status', 'data-testid': 'adjust-done' }, t('adjustDone', { points: f.signedPoints(input.points), balance: f.points(r.balance.available) })));
        void loadDetails();
        if (amount.ok && amount.minor > 0) void loadQuote();
      } catch (e) {
        if (stopped) return;
        if (isUnauthorized(e)) return ctx.unauthorized();
        const p = describe(e);
        if (!p.retry) keys.finish(); // refused: a new press is a new operation; else the retry keeps the key
        replace(status, problemBlock(p, () => void go(sign)));
      } finally {
        working = false;
        add.disabled = sub.disabled = false;
      }
    };
    add.addEventListener('click', () => void go(1));
    sub.addEventListener('click', () => void go(-1));
    const el = h(
      'details',
      { class: 'panel adjust', 'data-testid': 'adjust' },
      h('summary', null, t('adjustTitle')),
      h(
        'div',
        { class: 'form' },
        h('div', { class: 'field' }, h('label', { for: 'adjust-points' }, t('adjustPoints')), points, max !== null ? h('p', { class: 'hint field-hint' }, t('adjustLimit', { points: f.points(max) })) : null),
        h('div', { class: 'field' }, h('label', { for: 'adjust-reason' }, t('adjustReason')), reason),
        status,
        h('div', { class: 'row' }, add, sub),
      ),
    );
    return { el };
  }

  // --- wiring -------------------------------------------------------------------------------------------------------
  amountInput.addEventListener('input', onAmountChanged);
  clearBtn.addEventListener('click', () => {
    amountInput.value = '';
    onAmountChanged();
  });
  keypad.addEventListener('pointerdown', (e) => {
    // Keeps the focus (and a phone's own keyboard) where it was.
    if ((e.target as Element).closest('.key')) e.preventDefault();
  });
  keypad.addEventListener('click', (e) => {
    const btn = (e.target as Element).closest<HTMLButtonElement>('.key');
    if (!btn || btn.disabled || amountInput.readOnly) return;
    amountInput.value = pressKey(amountInput.value, btn.dataset.key as KeypadKey, f.digits, f.decimalSeparator);
    onAmountChanged();
  });
  tillForm.addEventListener('submit', (e) => {
    e.preventDefault();
    earn();
  });
  redeemBtn.addEventListener('click', redeem);
  codeForm.addEventListener('submit', (e) => {
    e.preventDefault();
    confirmCode();
  });
  codeInput.addEventListener('input', () => {
    const digits = codeInput.value.replace(/\D/g, '').slice(0, 6);
    if (digits !== codeInput.value) codeInput.value = digits;
  });
  codeCancel.addEventListener('click', () => {
    closeCode();
    replace(opStatus);
  });
  codeResend.addEventListener('click', () => {
    closeCode();
    void askCode();
  });

  renderAmount();
  renderQuote('none');
  updateButtons();
  void loadDetails();

  return {
    el,
    shown: () => {
      if (!matchMedia('(pointer: coarse)').matches) amountInput.focus();
    },
    cleanup: () => {
      stopped = true;
      window.clearTimeout(quoteTimer);
    },
  };
}

/** "₽" out of "0 ₽", for the amount's caption. */
function currencySymbol(zero: string): string {
  return zero.replace(/[\d\s\u00a0\u202f.,]/g, '') || zero;
}
