// The inbox: members' conversations with their unread counts, one conversation (opening it marks it read) and a
// reply box. Staff with chat.reply (managers and up), through GET/POST /api/v1/chats….
import { h, replace } from '../../../shared/dom.js';
import type { ChatMessage, ChatThread, ChatThreadSummary } from '../../../../src/client/staff.js';
import { api, errorText } from '../api.js';
import type { Ctx } from '../context.js';
import { t } from '../i18n.js';
import { button, statusLine } from '../ui.js';

const snippet = (s: string) => (s.length > 80 ? `${s.slice(0, 79)}…` : s);

export async function inboxPage(main: HTMLElement, ctx: Ctx, params: Record<string, string>): Promise<void> {
  const selected = params.id ?? null;
  const listStatus = statusLine();
  const list = h('div', { class: 'inbox-list', 'data-testid': 'inbox-list' });
  const pane = h('section', { class: 'inbox-thread', 'aria-label': t('inboxThread'), 'data-testid': 'inbox-thread' }, h('p', { class: 'muted' }, t('inboxPick')));
  replace(main, h('h1', null, t('inboxTitle')), listStatus.el, h('div', { class: 'inbox' }, h('nav', { 'aria-label': t('inboxTitle') }, list), pane));

  // Conversations a page at a time ("More" adds the next page).
  let threads: ChatThreadSummary[] = [];
  let nextBefore: string | null = null;
  async function loadList(more = false): Promise<void> {
    listStatus.busy(t('loading'));
    try {
      const page = await api.chats.list({ limit: 50, ...(more && nextBefore ? { before: nextBefore } : {}) });
      threads = more ? [...threads, ...page.items] : page.items;
      nextBefore = page.nextBefore;
      listStatus.clear();
      if (!threads.length) return void replace(list, h('p', { class: 'muted' }, t('inboxEmpty')));
      replace(
        list,
        h('ul', null, threads.map((c) => {
          const who = c.member.name ?? c.member.cardNumber;
          const unread = c.member.id === selected ? 0 : c.unread;
          return h('li', null, h('a', {
            href: `/admin/inbox/${encodeURIComponent(c.member.id)}`,
            class: `chat-item${unread ? ' unread' : ''}`,
            'data-member': c.member.id,
            ...(c.member.id === selected ? { 'aria-current': 'true' } : {}),
            onclick: (e: Event) => {
              const m = e as MouseEvent;
              if (m.ctrlKey || m.metaKey || m.shiftKey || m.button !== 0) return;
              e.preventDefault();
              ctx.go('inboxThread', { id: c.member.id });
            },
          },
          h('span', { class: 'row between' }, h('strong', null, who), unread ? h('span', { class: 'badge', 'data-testid': 'unread', 'aria-label': t('inboxUnread', { n: unread }) }, String(unread)) : null),
          h('span', { class: 'muted small' }, `${c.last.direction === 'out' ? `${t('inboxYou')}: ` : ''}${snippet(c.last.text)}`),
          h('span', { class: 'muted small' }, ctx.when(c.last.at))));
        })),
        nextBefore ? button(t('more'), () => void loadList(true), { class: 'btn link' }) : null,
      );
    } catch (e) {
      listStatus.error(errorText(e));
    }
  }

  const bubble = (m: ChatMessage) =>
    h('li', { class: `msg ${m.direction}`, 'data-direction': m.direction },
      h('p', { class: 'msg-text' }, m.text),
      h('small', { class: 'muted' }, `${m.direction === 'out' ? (m.staff?.name ?? t('inboxYou')) : t('inboxMember')} · ${ctx.when(m.at)}${m.direction === 'in' && !m.readAt ? ` · ${t('inboxNew')}` : ''}`));

  async function loadThread(memberId: string, older: ChatMessage[] = [], before: string | null = null): Promise<void> {
    const status = statusLine();
    if (!before) replace(pane, status.el);
    else pane.append(status.el);
    status.busy(t('loading'));
    let thread: ChatThread;
    try {
      const page = await api.chats.thread(memberId, { limit: 100, ...(before ? { before } : {}) });
      // Newer first: what was shown, then the older page.
      thread = { ...page, items: [...older, ...page.items] };
    } catch (e) {
      return status.error(errorText(e));
    }
    const who = thread.member.name ?? thread.member.cardNumber;
    const text = h('textarea', { id: 'inbox-reply', name: 'reply', rows: 3, maxlength: 4000, required: true });
    const sendStatus = statusLine();
    const send = h('button', { type: 'submit', class: 'btn primary' }, t('inboxSend'));
    const form = h('form', { class: 'reply', 'data-testid': 'inbox-reply', onsubmit: (e: Event) => {
      e.preventDefault();
      void reply();
    } }, h('label', { for: 'inbox-reply' }, t('inboxReply')), text, h('div', { class: 'row' }, send), sendStatus.el);
    async function reply(): Promise<void> {
      const value = text.value.trim();
      if (!value) return sendStatus.error(t('inboxEmptyReply'));
      send.disabled = true;
      sendStatus.busy(t('saving'));
      try {
        await api.chats.reply(memberId, value);
        text.value = '';
        await loadThread(memberId);
        void loadList();
      } catch (e) {
        sendStatus.error(errorText(e));
      } finally {
        send.disabled = false;
      }
    }
    replace(
      pane,
      h('div', { class: 'row between' }, h('h2', null, who), h('a', { href: `/admin/customers/${encodeURIComponent(memberId)}`, onclick: (e: Event) => {
        e.preventDefault();
        ctx.go('member', { id: memberId });
      } }, t('inboxOpenMember'))),
      h('p', { class: 'muted small' }, `${thread.member.cardNumber} · ${thread.member.phoneMasked}`),
      thread.nextBefore ? button(t('more'), () => void loadThread(memberId, thread.items, thread.nextBefore), { class: 'btn link', 'data-testid': 'older' }) : null,
      thread.items.length ? h('ol', { class: 'msgs', 'data-testid': 'messages' }, [...thread.items].reverse().map(bubble)) : h('p', { class: 'muted' }, t('empty')),
      thread.member.blocked ? h('p', { class: 'note' }, t('inboxBlocked')) : form,
    );
  }

  // The thread first: opening it marks it read, so the list then shows its count as zero.
  if (selected) await loadThread(selected);
  await loadList();
}
