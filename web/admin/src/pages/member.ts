// A member: balance, lots with their expiry, points history, purchases, messages; adjust points and block by role.
import { h, replace } from '../../../shared/dom.js';
import { formatSignedPoints } from '../../../shared/format.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { language, t, tOr } from '../i18n.js';
import { button, field, input, section, statusLine, table } from '../ui.js';

export async function memberPage(main: HTMLElement, ctx: Ctx, params: Record<string, string>): Promise<void> {
  const id = params.id ?? '';
  const status = statusLine();
  replace(main, h('p', null, t('loading')));
  let member;
  try {
    member = await api.members.get(id);
  } catch (e) {
    replace(main, h('h1', null, t('navMember')), status.el);
    status.error(errorText(e));
    return;
  }
  const m = member;
  const back = button(`← ${t('back')}`, () => ctx.go('customers'), { class: 'btn link' });
  const head = h(
    'div',
    { class: 'figures' },
    h('div', { class: 'figure', 'data-testid': 'member-balance' }, h('span', { class: 'label' }, t('memberBalance')), h('strong', null, ctx.num(m.balance.available)), m.balance.pending ? h('small', null, t('pending', { n: ctx.num(m.balance.pending) })) : null),
    h('div', { class: 'figure' }, h('span', { class: 'label' }, t('tier')), h('strong', null, m.tier?.name ?? '—')),
    h('div', { class: 'figure' }, h('span', { class: 'label' }, t('colSpent')), h('strong', null, ctx.money(m.totalSpent))),
    h('div', { class: 'figure' }, h('span', { class: 'label' }, t('joined')), h('strong', null, ctx.when(m.createdAt))),
  );
  const actions = h('div', { class: 'actions' });
  if (ctx.can('points.adjust')) actions.append(adjustForm(id, ctx, () => void memberPage(main, ctx, params)));
  if (ctx.can('points.adjust')) {
    actions.append(button(m.blocked ? t('unblock') : t('block'), async () => {
      if (!m.blocked && !confirm(t('blockConfirm'))) return;
      try {
        await api.members.update(id, { blocked: !m.blocked });
        await memberPage(main, ctx, params);
      } catch (e) {
        status.error(errorText(e));
      }
    }, { class: m.blocked ? 'btn' : 'btn danger', 'data-testid': 'block' }));
  }
  const lotsBox = h('div', null, t('loading'));
  const historyBox = h('div', null, t('loading'));
  const purchasesBox = h('div', null, t('loading'));
  const messagesBox = h('div', null, t('loading'));
  replace(
    main,
    back,
    h('h1', null, m.name ?? t('noName'), m.blocked ? h('span', { class: 'badge' }, ` ${t('blocked')}`) : null),
    h('p', { class: 'muted' }, `${m.phone} · ${m.cardNumber}`),
    status.el,
    head,
    actions,
    section(t('lots'), lotsBox),
    section(t('history'), historyBox),
    section(t('purchases'), purchasesBox),
    section(t('messages'), messagesBox),
  );
  const fill = async (box: HTMLElement, f: () => Promise<HTMLElement>) => {
    try {
      replace(box, await f());
    } catch (e) {
      replace(box, h('p', { class: 'status error' }, errorText(e)));
    }
  };
  await Promise.all([
    fill(lotsBox, async () => table(t('lots'), [t('colWhen'), t('colAmount'), t('colLeft'), t('colState'), t('colExpires')], (await api.admin.members.lots(id)).map((l) => [ctx.when(l.createdAt), ctx.num(l.amount), ctx.num(l.remaining), tOr(`lotState_${l.state}`, l.state), l.expiresAt ? ctx.when(l.expiresAt) : t('never')]))),
    fill(historyBox, async () => table(t('history'), [t('colWhen'), t('colWhat'), t('colPoints'), t('colBalance'), t('colReason')], (await api.members.transactions(id, { limit: 50 })).items.map((x) => [ctx.when(x.when), x.type, formatSignedPoints(x.points, language()), ctx.num(x.balanceAfter), x.reason ?? '']))),
    fill(purchasesBox, async () => table(t('purchases'), [t('colWhen'), t('colAmount'), t('colPaid'), t('colRedeemed'), t('colEarned')], (await api.admin.members.purchases(id, { limit: 50 })).items.map((p) => [ctx.when(p.occurredAt), ctx.money(p.amount), ctx.money(p.payableAmount), ctx.num(p.redeemedPoints), ctx.num(p.earnedPoints)]))),
    fill(messagesBox, async () => table(t('messages'), [t('colWhen'), t('colWhat'), t('colChannel'), t('colStatus'), t('colText')], (await api.admin.members.messages(id, { limit: 50 })).items.map((x) => [ctx.when(x.createdAt), x.kind, x.channel ?? '—', x.status, x.text ?? x.error ?? '']))),
  ]);
}

function adjustForm(memberId: string, ctx: Ctx, done: () => void): HTMLElement {
  const points = input({ type: 'number', name: 'points', step: 1, inputmode: 'numeric', required: true });
  const reason = input({ name: 'reason', maxlength: 500, required: true });
  const status = statusLine();
  return h(
    'form',
    { class: 'inline-form', 'aria-label': t('adjustTitle'), onsubmit: async (e: Event) => {
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
