// About the program: the business's Info page (rich text, cleaned by the server), its address with the map link,
// opening hours with today marked, phone and social links, and the rules in numbers.
import type { CardInfo, Weekday } from '../../../../src/client/card.js';
import type { Page, PageContext } from '../context.js';
import { h } from '../../../shared/dom.js';
import { formatMoney, formatNumber, formatPercent } from '../format.js';
import { locale, t, type MessageKey } from '../i18n.js';
import { richText } from '../../../shared/richText.js';
import { brandMark } from './card.js';

const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const SOCIAL: Record<CardInfo['socialLinks'][number]['kind'], MessageKey> = {
  vk: 'socialVk', telegram: 'socialTelegram', instagram: 'socialInstagram', whatsapp: 'socialWhatsapp', website: 'socialWebsite', other: 'socialOther',
};

/** "+7 495 123-45-67" for a Russian E.164 number; others as they are. */
const phoneText = (e164: string) => {
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(e164);
  return m ? `+7 ${m[1]} ${m[2]}-${m[3]}-${m[4]}` : e164;
};

function hoursSection(info: CardInfo, lc: string): HTMLElement | null {
  const hours = info.hours;
  if (!hours) return null;
  const dayName = new Intl.DateTimeFormat(lc, { weekday: 'long', timeZone: 'UTC' });
  const rows = DAYS.map((d, i) => {
    const x = hours.days[d];
    const today = d === info.today;
    return h(
      'li',
      { class: today ? 'hours-row today' : 'hours-row', 'data-day': d, ...(today ? { 'aria-current': 'date' } : {}) },
      h('span', { class: 'hours-day' }, dayName.format(new Date(Date.UTC(2024, 0, 1 + i))), today ? h('span', { class: 'hours-today' }, ` · ${t('infoToday')}`) : null),
      h('span', { class: 'hours-time' }, x ? `${x.open}–${x.close}` : t('infoClosed')),
    );
  });
  return h(
    'section',
    { class: 'panel', 'data-testid': 'info-hours' },
    h('h2', null, t('infoHours')),
    h('ul', { class: 'hours' }, rows),
    hours.note ? h('p', { class: 'hours-note' }, hours.note) : null,
  );
}

function contactsSection(info: CardInfo): HTMLElement | null {
  if (!info.address && !info.mapUrl && !info.phone && info.socialLinks.length === 0) return null;
  const external = { target: '_blank', rel: 'noopener noreferrer' };
  return h(
    'section',
    { class: 'panel contacts', 'data-testid': 'info-contacts' },
    h('h2', null, t('infoContacts')),
    info.address || info.mapUrl
      ? h('p', { class: 'contact-address', 'data-testid': 'info-address' }, info.address, info.address && info.mapUrl ? ' ' : null, info.mapUrl ? h('a', { href: info.mapUrl, ...external }, t('infoMap')) : null)
      : null,
    info.phone ? h('p', null, h('a', { href: `tel:${info.phone}`, 'data-testid': 'info-phone' }, phoneText(info.phone))) : null,
    info.socialLinks.length > 0
      ? h('ul', { class: 'social', 'data-testid': 'info-social' }, info.socialLinks.map((l) => h('li', null, h('a', { href: l.url, ...external }, t(SOCIAL[l.kind])))))
      : null,
  );
}

export function infoPage(ctx: PageContext): Page {
  const { business, program, info } = ctx.view;
  const lc = locale();
  const rules = [
    t('ruleEarn', { percent: formatPercent(program.earnPercent, lc) }),
    t('ruleRedeem', { percent: formatPercent(program.maxRedeemPercent, lc) }),
    program.pointsLifetimeDays ? t('ruleLifetime', { days: formatNumber(program.pointsLifetimeDays, lc) }) : t('ruleNoExpiry'),
    t('ruleValue', { money: formatMoney(program.pointValue, program.currency, lc) }),
  ];
  return {
    el: h(
      'div',
      { class: 'page' },
      h('h1', null, t('infoTitle')),
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'info-brand' }, brandMark(business.name, business.branding.logoUrl)),
        info.html ? h('div', { class: 'info-text rich', 'data-testid': 'info-text' }, richText(info.html)) : null,
      ),
      contactsSection(info),
      hoursSection(info, lc),
      h('section', { class: 'panel' }, h('h2', null, t('rulesTitle')), h('ul', { class: 'rules', 'data-testid': 'rules' }, rules.map((r) => h('li', null, r)))),
    ),
  };
}
