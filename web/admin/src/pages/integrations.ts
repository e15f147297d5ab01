// The staff page's other tabs: API keys (a new key shown once; revoke), webhooks (add with the secret shown once, list with the
// last delivery, delete) and the business's Telegram bots (connect by a @BotFather token, with guidance; disconnect).
import { h, replace } from '../../../shared/dom.js';
import type { Bot } from '../../../../src/client/team.js';
import type { WebhookCreate } from '../../../../src/client/index.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { copyBox, tt } from '../teamText.js';
import { button, field, input, section, select, statusLine, table } from '../ui.js';

const EVENTS: WebhookCreate['events'] = ['member.created', 'points.earned', 'points.redeemed', 'points.expired', 'points.adjusted', 'purchase.refunded'];

/** API keys and webhooks, one under the other. */
export async function integrationsTab(box: HTMLElement, ctx: Ctx): Promise<void> {
  const keys = h('div');
  const hooks = h('div');
  replace(box, keys, hooks);
  await Promise.all([keysSection(keys, ctx), webhooksSection(hooks, ctx)]);
}

async function keysSection(box: HTMLElement, ctx: Ctx): Promise<void> {
  const st = statusLine();
  const list = h('div', { 'data-testid': 'api-keys' });
  const shown = h('div', { 'data-testid': 'api-key-created' });
  const name = input({ name: 'keyName', maxlength: 100, required: true, autocomplete: 'off' });
  const location = select([['', tt('keyAnyLocation')]], '', { name: 'keyLocation' });
  const form = h('form', { class: 'filters', onsubmit: (e: Event) => {
    e.preventDefault();
    if (!name.value.trim()) return st.error(tt('fill'));
    void run(async () => {
      const k = await api.team.apiKeys.create({ name: name.value.trim(), locationId: location.value || null });
      replace(shown, copyBox(tt('keyShownOnce'), k.key, 'api-key-value'));
      name.value = '';
    });
  } }, field(tt('keyName'), name), field(tt('keyLocation'), location), h('button', { type: 'submit', class: 'btn primary' }, tt('createKey')));
  replace(box, section(tt('keysTitle'), h('p', { class: 'muted' }, tt('keysHint')), form, shown, st.el, list));

  async function run(f: () => Promise<void>): Promise<void> {
    st.busy(tt('loading'));
    try {
      await f();
      st.clear();
      await load();
    } catch (e) {
      st.error(errorText(e));
    }
  }
  async function load(): Promise<void> {
    try {
      const [items, team] = await Promise.all([api.team.apiKeys.list(), ctx.can('staff.manage') ? api.team.staff.list() : Promise.resolve({ items: [], locations: [] })]);
      if (location.options.length === 1) for (const l of team.locations) location.append(h('option', { value: l.id }, l.name));
      const names = new Map(team.locations.map((l) => [l.id, l.name]));
      replace(list, table(tt('keysTitle'), [tt('keyName'), tt('colPrefix'), tt('keyLocation'), tt('colCreated'), tt('colStatus'), tt('colActions')], items.map((k) => [
        k.name,
        h('code', null, `kop_${k.prefix}_…`),
        k.locationId ? (names.get(k.locationId) ?? k.locationId.slice(0, 8)) : tt('keyAnyLocation'),
        ctx.when(k.createdAt),
        k.revokedAt ? tt('revoked', { when: ctx.when(k.revokedAt) }) : tt('live'),
        k.revokedAt ? '' : button(tt('revoke'), () => {
          if (confirm(tt('confirmRevoke', { name: k.name }))) void run(() => api.team.apiKeys.revoke(k.id).then(() => undefined));
        }, { class: 'btn small danger', 'aria-label': `${tt('revoke')}: ${k.name}` }),
      ])));
    } catch (e) {
      st.error(errorText(e));
    }
  }
  await load();
}

async function webhooksSection(box: HTMLElement, ctx: Ctx): Promise<void> {
  const st = statusLine();
  const list = h('div', { 'data-testid': 'webhooks' });
  const shown = h('div');
  const url = input({ type: 'url', name: 'webhookUrl', maxlength: 2000, required: true, placeholder: 'https://' });
  const checks = EVENTS.map((ev) => ({ ev, box: h('input', { type: 'checkbox', name: 'events', value: ev, checked: true }) }));
  const events = h('fieldset', { class: 'field checks' }, h('legend', null, tt('events')), checks.map((c) => h('label', { class: 'check' }, c.box, ' ', h('code', null, c.ev))));
  const form = h('form', { onsubmit: (e: Event) => {
    e.preventDefault();
    const chosen = checks.filter((c) => c.box.checked).map((c) => c.ev);
    if (!url.value.trim() || !chosen.length) return st.error(tt('fill'));
    void run(async () => {
      const w = await api.webhooks.create({ url: url.value.trim(), events: chosen });
      replace(shown, copyBox(tt('webhookSecret'), w.secret, 'webhook-secret'));
      url.value = '';
    });
  } }, field(tt('url'), url), events, h('button', { type: 'submit', class: 'btn primary' }, tt('createWebhook')));
  replace(box, section(tt('webhooksTitle'), h('p', { class: 'muted' }, tt('webhooksHint')), form, shown, st.el, list));

  async function run(f: () => Promise<void>): Promise<void> {
    st.busy(tt('loading'));
    try {
      await f();
      st.clear();
      await load();
    } catch (e) {
      st.error(errorText(e));
    }
  }
  async function load(): Promise<void> {
    try {
      const items = await api.webhooks.list();
      replace(list, table(tt('webhooksTitle'), [tt('colUrl'), tt('colEvents'), tt('colLastDelivery'), tt('colActions')], items.map((w) => [
        h('code', null, w.url),
        w.events.join(', '),
        w.lastDelivery ? `${w.lastDelivery.status}${w.lastDelivery.statusCode ? ` (${w.lastDelivery.statusCode})` : ''} · ${ctx.when(w.lastDelivery.at)}${w.lastDelivery.error ? ` · ${w.lastDelivery.error}` : ''}` : tt('neverDelivered'),
        button(tt('delete'), () => {
          if (confirm(tt('confirmDeleteWebhook', { url: w.url }))) void run(() => api.webhooks.delete(w.id));
        }, { class: 'btn small danger', 'aria-label': `${tt('delete')}: ${w.url}` }),
      ])));
    } catch (e) {
      st.error(errorText(e));
    }
  }
  await load();
}

export async function botsSection(box: HTMLElement, ctx: Ctx): Promise<void> {
  const st = statusLine();
  const cards = h('div', { class: 'bots', 'data-testid': 'bots' });
  replace(box, section(tt('botsTitle'), h('p', { class: 'muted' }, tt('botsHint')), st.el, cards));

  const card = (role: 'customer' | 'staff', bot: Bot | undefined): HTMLElement => {
    const title = role === 'customer' ? tt('customerBot') : tt('staffBot');
    if (bot) {
      return h('div', { class: 'panel', 'data-testid': `bot-${role}` }, h('h3', null, title), h('p', null, tt('connectedAs', { username: bot.username, when: ctx.when(bot.connectedAt) })),
        button(tt('disconnect'), () => {
          if (confirm(tt('confirmDisconnect', { username: bot.username }))) void run(async () => void (await api.team.bots.disconnect(role)));
        }, { class: 'btn danger', 'aria-label': `${tt('disconnect')}: ${title}` }));
    }
    const token = input({ name: `${role}Token`, autocomplete: 'off', spellcheck: 'false', placeholder: '123456789:AA…' });
    return h('form', { class: 'panel', 'data-testid': `bot-${role}`, onsubmit: (e: Event) => {
      e.preventDefault();
      if (!token.value.trim()) return st.error(tt('fill'));
      void run(async () => {
        const b = await api.team.bots.connect(role, token.value.trim());
        st.ok(tt('connectedOk', { username: b.username }));
      }, true);
    } }, h('h3', null, title), h('p', { class: 'muted' }, tt('notConnected')), field(tt('token'), token), h('button', { type: 'submit', class: 'btn primary' }, tt('connect')));
  };

  async function run(f: () => Promise<void>, keepStatus = false): Promise<void> {
    st.busy(tt('loading'));
    try {
      await f();
      if (!keepStatus) st.clear();
      await load();
    } catch (e) {
      st.error(errorText(e));
    }
  }
  async function load(): Promise<void> {
    try {
      const items = await api.team.bots.list();
      replace(cards, card('customer', items.find((b) => b.role === 'customer')), card('staff', items.find((b) => b.role === 'staff')));
    } catch (e) {
      st.error(errorText(e));
    }
  }
  await load();
}
