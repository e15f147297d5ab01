import { describe, expect, it } from 'vitest';
import { EMPTY_BUSINESS_PROFILE, checkBusinessProfile, effectiveInfoHtml, hoursLines, infoTextOf, normalizeSocialUrl, plainTextToHtml, profilePlainText, weekdayOf, type BusinessProfile } from './businessProfile.js';

const problemsOf = (p: Partial<BusinessProfile>) => {
  const problems: string[] = [];
  checkBusinessProfile({ ...EMPTY_BUSINESS_PROFILE, ...p }, problems);
  return problems;
};
const week = (x: { open: string; close: string; overnight: boolean } | null) => ({ mon: x, tue: x, wed: x, thu: x, fri: x, sat: x, sun: x });

describe('business profile rules', () => {
  it('accepts a full, valid profile', () => {
    expect(problemsOf({
      address: 'ул. Ленина, 1', mapUrl: 'https://yandex.ru/maps/-/X', phone: '+74951234567',
      socialLinks: [{ kind: 'telegram', url: 'tg://resolve?domain=zerno' }, { kind: 'vk', url: 'https://vk.com/zerno' }],
      hours: { days: { ...week({ open: '08:00', close: '22:00', overnight: false }), fri: { open: '18:00', close: '02:00', overnight: true }, sun: null }, note: 'санитарный день — последний четверг' },
      infoHtml: '<p>ok</p>',
    })).toEqual([]);
  });

  it('lists every problem: URLs only https (tg:// and t.me for telegram), valid times, close after open unless overnight, limits', () => {
    const problems = problemsOf({
      address: 'a'.repeat(301),
      mapUrl: 'javascript:alert(1)',
      socialLinks: [{ kind: 'vk', url: 'http://vk.com/x' }, { kind: 'website', url: 'tg://resolve?domain=x' }, { kind: 'nope' as never, url: 'https://x.ru' }],
      hours: { days: { ...week(null), mon: { open: '8:00', close: '22:00', overnight: false }, tue: { open: '10:00', close: '10:00', overnight: false }, wed: { open: '22:00', close: '23:00', overnight: true }, thu: { open: '00:00', close: '24:00', overnight: false } }, note: 'line\nbreak' },
    });
    expect(problems).toEqual([
      'address must be at most 300 characters',
      'mapUrl must be an https:// link of at most 500 characters',
      'socialLinks[0].url must be an https:// link of at most 500 characters',
      'socialLinks[1].url must be an https:// link of at most 500 characters',
      'socialLinks[2].kind must be one of vk, telegram, instagram, whatsapp, website, other',
      'hours.note must be one line of at most 200 characters',
      'hours.mon.open must be a time HH:MM (00:00–23:59)',
      'hours.tue.close must be after open (10:00); for hours past midnight set overnight: true',
      'hours.wed.close must be before open when overnight (closing after midnight), e.g. 18:00–02:00',
    ]);
    expect(problemsOf({ socialLinks: Array.from({ length: 11 }, () => ({ kind: 'other' as const, url: 'https://x.ru' })) })).toEqual(['socialLinks must be a list of at most 10']);
  });

  it('normalises telegram links and refuses the rest', () => {
    expect(normalizeSocialUrl('telegram', 't.me/zerno')).toBe('https://t.me/zerno');
    expect(normalizeSocialUrl('telegram', 'tg://resolve?domain=zerno')).toBe('tg://resolve?domain=zerno');
    expect(normalizeSocialUrl('vk', 't.me/zerno')).toBeNull();
    expect(normalizeSocialUrl('website', 'https://a.ru/"onmouseover=x')).toBeNull();
  });

  it('plain text and back: the legacy infoText, and a plain text shown as a page', () => {
    expect(infoTextOf('<p>a &lt;b&gt;</p><ol><li>x</li><li><b>y</b></li></ol><p><a href="https://a.ru" target="_blank">https://a.ru</a></p>')).toBe('a <b>\n\n• x\n• y\n\nhttps://a.ru');
    expect(infoTextOf(`<p>${'x'.repeat(5000)}</p>`)).toHaveLength(4000);
    expect(plainTextToHtml('Line <1>\nline 2\n\nPara & 2')).toBe('<p>Line &lt;1&gt;<br />line 2</p><p>Para &amp; 2</p>');
    expect(effectiveInfoHtml('<p><b>hi</b></p>', 'hi')).toBe('<p><b>hi</b></p>');
    expect(effectiveInfoHtml('<p><b>hi</b></p>', 'changed later')).toBe('<p>changed later</p>');
    expect(effectiveInfoHtml('', '')).toBe('');
  });

  it('hours in words, and the weekday of a local date', () => {
    expect(hoursLines({ days: { ...week({ open: '08:00', close: '22:00', overnight: false }), sun: null }, note: 'note' }, 'ru')).toEqual(['Пн 08:00–22:00', 'Вт 08:00–22:00', 'Ср 08:00–22:00', 'Чт 08:00–22:00', 'Пт 08:00–22:00', 'Сб 08:00–22:00', 'Вс выходной', 'note']);
    expect(weekdayOf('2026-12-05')).toBe('sat');
    expect(weekdayOf('2026-12-07')).toBe('mon');
  });
});

describe('the profile for the bot', () => {
  it('address with the map link, phone, hours with the note, links; nothing when empty', () => {
    expect(profilePlainText(EMPTY_BUSINESS_PROFILE, 'ru')).toBe('');
    expect(profilePlainText({
      ...EMPTY_BUSINESS_PROFILE, address: 'ул. Ленина, 1', mapUrl: 'https://yandex.ru/maps/-/X', phone: '+74951234567',
      socialLinks: [{ kind: 'vk', url: 'https://vk.com/zerno' }],
      hours: { days: { ...week(null), mon: { open: '08:00', close: '22:00', overnight: false } }, note: 'санитарный день — последний четверг' },
    }, 'ru')).toBe('Адрес: ул. Ленина, 1\nКарта: https://yandex.ru/maps/-/X\n\nТелефон: +74951234567\n\nЧасы работы:\nПн 08:00–22:00\nВт выходной\nСр выходной\nЧт выходной\nПт выходной\nСб выходной\nВс выходной\nсанитарный день — последний четверг\n\nhttps://vk.com/zerno');
  });
});
