// A member: profile (phone, e-mail, birthday, consents, channels, tier, card, joined), balance, lots with their expiry,
// points history with reasons and who did each, purchases with their items (a row opens), messages; and the actions
// the signed-in role may do — adjust points and block (points.adjust), a message and a new sign-in link (chat.reply).
// The server checks the same permissions (403 otherwise).
import { h, replace, type Child } from '../../../shared/dom.js';
import { formatSignedPoints } from '../../../shared/format.js';
import type { Member } from '../../../../src/client/index.js';
import type { MemberPurchase } from '../../../../src/client/adminReads.js';
import type { MemberProfile } from '../../../../src/client/memberActions.js';
import { KopilkaError } from '../../../../src/client/index.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { ct, ctOr } from '../customersText.js';
import { language, t, tOr } from '../i18n.js';
import { button, field, input, section, statusLine, table } from '../ui.js';
import { FROM_LIST } from './customers.js';

type Who = { type: string; id: string | null; name?: string | null };

/** Who did a history row, in words: the staff member's name, the API key's, the system … */
export function whoText(who: Who): string {
  if (who.type === 'staff') return who.name ?? ct('whoStaffGone');
  if (who.type === 'api_key') return who.name ? ct('whoApiKey', { name: who.name }) : ct('whoApiKeyGone');
  if (who.type === 'cli') return ct('whoCli');
  if (who.type === 'member') return ct('whoMember');
  return ct('whoSystem');
}

export async function memberPage(main: HTMLElement, ctx: Ctx, params: Record<string, string>): Promise<void> {
  const id = params.id ?? '';
  const status = statusLine();
  const reload = () => void memberPage(main, ctx, params);
  replace(main, h('p', null, t('loading')));
  let member: Member;
  try {
    member = await api.members.get(id);
  } catch (e) {
    replace(main, h('h1', null, t('navMember')), status.el);
    status.error(errorText(e));
    return;
  }
  const m = member;
  const back = button(`← ${t('back')}`, () => {
    if (sessionStorage.getItem(FROM_LIST) !== id) return ctx.go('customers');
    sessionStorage.removeItem(FROM_LIST);
    history.back();
  }, { class: 'btn link', 'data-testid': 'back' });
  const head = h(
    'div',
    { class: 'figures' },
    h('div', { class: 'figure', 'data-testid': 'member-balance' }, h('span', { class: 'label' }, t('memberBalance')), h('strong', null, ctx.num(m.balance.available)), m.balance.pending ? h('small', null, t('pending', { n: ctx.num(m.balance.pending) })) : null),
    h('div', { class: 'figure' }, h('span', { class: 'label' }, t('tier')), h('strong', null, m.tier?.name ?? '—')),
    h('div', { class: 'figure' }, h('span', { class: 'label' }, t('colSpent')), h('strong', null, ctx.money(m.totalSpent))),
    h('div', { class: 'figure' }, h('span', { class: 'label' }, t('joined')), h('strong', null, ctx.when(m.createdAt))),
  );

  const profileBox = h('div', { 'data-testid': 'member-profile' }, t('loading'));
  const lotsBox = h('div', null, t('loading'));
  const historyBox = h('div', { 'data-testid': 'member-history' }, t('loading'));
  const purchasesBox = h('div', { 'data-testid': 'member-purchases' }, t('loading'));
  const messagesBox = h('div', { 'data-testid': 'member-messages' }, t('loading'));
  const fill = async (box: HTMLElement, f: () => Promise<HTMLElement>) => {
    try {
      replace(box, await f());
    } catch (e) {
      replace(box, h('p', { class: 'status error' }, errorText(e)));
    }
  };
  const loadMessages = () => fill(messagesBox, async () => table(t('messages'), [t('colWhen'), t('colWhat'), t('colChannel'), t('colStatus'), t('colText')], (await api.admin.members.messages(id, { limit: 50 })).items.map((x) => [ctx.when(x.createdAt), ctOr(`kind_${x.kind}`, x.kind), x.channel ?? '—', x.status, x.text ?? x.error ?? ''])));
  const actions = h('div', { class: 'actions', 'data-testid': 'member-actions' });
  if (ctx.can('points.adjust')) actions.append(adjustForm(id, ctx, reload));
  if (ctx.can('points.adjust')) {
    actions.append(button(m.blocked ? t('unblock') : t('block'), async () => {
      if (!m.blocked && !confirm(t('blockConfirm'))) return;
      try {
        await api.members.update(id, { blocked: !m.blocked });
        reload();
      } catch (e) {
        status.error(errorText(e));
      }
    }, { class: m.blocked ? 'btn' : 'btn danger', 'data-testid': 'block' }));
  }
  if (ctx.can('chat.reply')) {
    if (m.blocked) actions.append(h('p', { class: 'muted' }, ct('blockedNoActions')));
    else actions.append(messageForm(id, () => void loadMessages()), signInLinkForm(id, ctx, () => void loadMessages()));
  }

  replace(
    main,
    back,
    h('h1', null, m.name ?? t('noName'), m.blocked ? h('span', { class: 'badge' }, ` ${t('blocked')}`) : null),
    h('p', { class: 'muted' }, `${m.phone} · ${m.cardNumber}`),
    status.el,
    head,
    section(ct('profile'), profileBox),
    actions.childElementCount ? section(ct('actions'), actions) : null,
    section(t('lots'), lotsBox),
    section(t('history'), historyBox),
    section(t('purchases'), purchasesBox),
    section(t('messages'), messagesBox),
  );
  await Promise.all([
    fill(profileBox, async () => profileList(m, await api.memberActions.profile(id), ctx)),
    fill(lotsBox, async () => table(t('lots'), [t('colWhen'), t('colAmount'), t('colLeft'), t('colState'), t('colExpires')], (await api.admin.members.lots(id)).map((l) => [ctx.when(l.createdAt), ctx.num(l.amount), ctx.num(l.remaining), tOr(`lotState_${l.state}`, l.state), l.expiresAt ? ctx.when(l.expiresAt) : t('never')]))),
    fill(historyBox, async () => table(t('history'), [t('colWhen'), t('colWhat'), t('colPoints'), t('colBalance'), t('colReason'), ct('colWho')], (await api.members.transactions(id, { limit: 50 })).items.map((x) => [
      ctx.when(x.when), ctOr(`tx_${x.type}`, x.type), formatSignedPoints(x.points, language()), ctx.num(x.balanceAfter), x.reason ?? '', h('span', { 'data-testid': 'who' }, whoText(x.who)),
    ]))),
    fill(purchasesBox, async () => purchasesTable((await api.admin.members.purchases(id, { limit: 50 })).items, ctx)),
    loadMessages(),
  ]);
}

function profileList(m: Member, p: MemberProfile, ctx: Ctx): HTMLElement {
  const consent = (c: MemberProfile['consents']['marketing']) => (c === null ? ct('consentNever') : ct(c.granted ? 'consentYes' : 'consentNo', { when: ctx.when(c.at) }));
  const channelState = (c: MemberProfile['channels'][number]) => (c.address === null ? ct('chNoAddress') : c.failed ? ct('chFailed') : !c.configured ? ct('chNotConfigured') : ct('chReachable'));
  const rows: [string, Child, string][] = [
    [ct('phone'), m.phone, 'phone'],
    [ct('email'), m.email ?? ct('none'), 'email'],
    [ct('birthday'), m.birthday ?? ct('none'), 'birthday'],
    [ct('card'), m.cardNumber, 'card'],
    [t('tier'), m.tier?.name ?? ct('none'), 'tier'],
    [t('joined'), ctx.when(m.createdAt), 'joined'],
    [ct('language'), p.language ?? ct('languageDefault'), 'language'],
    [ct('consentData'), consent(p.consents.personalData), 'consent-data'],
    [ct('consentMarketing'), consent(p.consents.marketing), 'consent-marketing'],
    [ct('channels'), h('ul', { class: 'plain' }, p.channels.map((c) => h('li', { 'data-channel': c.channel, 'data-reachable': String(c.reachable) },
      h('strong', null, ct(`ch_${c.channel}`)), c.address ? ` ${c.address}` : '', ` — ${channelState(c)}`))), 'channels'],
  ];
  return h('dl', { class: 'profile' }, rows.map(([label, value, key]) => [h('dt', null, label), h('dd', { 'data-testid': `profile-${key}` }, value)]));
}

/** Purchases, newest first; a row's button opens its items beneath it. */
function purchasesTable(items: MemberPurchase[], ctx: Ctx): HTMLElement {
  if (!items.length) return h('p', { class: 'muted' }, t('empty'));
  const head = [t('colWhen'), t('colAmount'), t('colPaid'), t('colRedeemed'), t('colEarned'), ct('colItems')];
  const body = h('tbody');
  for (const p of items) {
    const detailsId = `items-${p.id}`;
    const details = h('tr', { id: detailsId, class: 'details', hidden: true }, h('td', { colspan: head.length },
      table(ct('itemsOf', { when: ctx.when(p.occurredAt) }), [ct('colItem'), ct('colQty'), ct('colPrice'), ct('colSum')], p.items.map((i) => [
        i.category ? `${i.name} (${i.category})` : i.name, ctx.num(i.quantity), ctx.money(i.price), ctx.money(Math.round(i.price * i.quantity)),
      ]), { 'data-testid': 'purchase-items' })));
    const toggle = p.items.length
      ? button(ct('showItems', { n: p.items.length }), (e: Event) => {
        const b = e.currentTarget as HTMLButtonElement;
        details.hidden = !details.hidden;
        b.setAttribute('aria-expanded', String(!details.hidden));
      }, { class: 'btn small', 'aria-expanded': 'false', 'aria-controls': detailsId, 'data-testid': 'purchase-toggle' })
      : h('span', { class: 'muted' }, ct('noItems'));
    const amount: Child[] = [ctx.money(p.amount)];
    if (p.refundedAmount) amount.push(h('small', { class: 'muted' }, ` (${ct('refunded', { amount: ctx.money(p.refundedAmount) })})`));
    body.append(
      h('tr', { 'data-purchase': p.id }, ([ctx.when(p.occurredAt), amount, ctx.money(p.payableAmount), ctx.num(p.redeemedPoints), ctx.num(p.earnedPoints), toggle] as Child[]).map((c) => h('td', null, c))),
      details,
    );
  }
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': t('purchases') },
    h('table', null, h('caption', { class: 'sr-only' }, t('purchases')), h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col' }, c)))), body),
  );
}

function messageForm(memberId: string, done: () => void): HTMLElement {
  const text = h('textarea', { name: 'message', maxlength: 4000, rows: 3, required: true });
  const status = statusLine();
  return h(
    'form',
    { class: 'inline-form', 'aria-label': ct('messageTitle'), 'data-testid': 'send-message', onsubmit: async (e: Event) => {
      e.preventDefault();
      const value = text.value.trim();
      if (!value) return status.error(t('fillFields'));
      status.busy(t('saving'));
      try {
        await api.chats.reply(memberId, value);
        text.value = '';
        status.ok(ct('messageSent'));
        done();
      } catch (err) {
        status.error(errorText(err));
      }
    } },
    h('h2', null, ct('messageTitle')),
    field(ct('messageText'), text, ct('messageHint')),
    h('button', { type: 'submit', class: 'btn primary' }, ct('messageSend')),
    status.el,
  );
}

function signInLinkForm(memberId: string, ctx: Ctx, done: () => void): HTMLElement {
  const status = statusLine();
  const send = button(ct('linkSend'), async () => {
    send.disabled = true;
    status.busy(t('saving'));
    try {
      const r = await api.memberActions.sendSignInLink(memberId);
      status.ok(ct('linkSent', { when: ctx.when(r.expiresAt) }));
      done();
    } catch (err) {
      status.error(err instanceof KopilkaError && err.code === 'too_many_codes' ? ct('linkTooSoon') : errorText(err));
    } finally {
      send.disabled = false;
    }
  }, { 'data-testid': 'send-sign-in-link' });
  return h('div', { class: 'inline-form', role: 'group', 'aria-label': ct('linkTitle') }, h('h2', null, ct('linkTitle')), h('p', { class: 'hint' }, ct('linkHint')), send, status.el);
}

function adjustForm(memberId: string, ctx: Ctx, done: () => void): HTMLElement {
  const points = input({ type: 'number', name: 'points', step: 1, inputmode: 'numeric', required: true });
  const reason = input({ name: 'reason', maxlength: 500, required: true });
  const status = statusLine();
  return h(
    'form',
    { class: 'inline-form', 'aria-label': t('adjustTitle'), 'data-testid': 'adjust', onsubmit: async (e: Event) => {
      e.preventDefault();
      const n = Number(points.value);
      if (!Number.isInteger(n) || n === 0 || !reason.value.trim()) return status.error(t('fillFields'));
      status.busy(t('saving'));
      try {
        const r = await api.members.adjust(memberId, { points: n, reason: reason.value.trim() });
        status.ok(t('adjustDone', { balance: ctx.num(r.balance.available) }));
        setTimeout(done, 800);
      } catch (err) {
        status.error(errorText(err));
      }
    } },
    h('h2', null, t('adjustTitle')),
    field(t('adjustPoints'), points),
    field(t('adjustReason'), reason),
    h('button', { type: 'submit', class: 'btn primary' }, t('adjustDo')),
    status.el,
  );
}
