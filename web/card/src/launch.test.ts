import { describe, expect, it } from 'vitest';
import { parseHash, parseLaunch, parseThemeParams, pickLanguage, routeOf, themeVariable } from './launch.js';

const initData = new URLSearchParams({
  query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
  user: JSON.stringify({ id: 279058397, first_name: 'Ника', language_code: 'en' }),
  auth_date: '1700000000',
  hash: 'c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2',
}).toString();

describe('parseLaunch', () => {
  it('reads a Telegram Mini App launch: initData exactly as signed, colours from the theme, the user language', () => {
    const theme = { bg_color: '#212121', text_color: '#ffffff', button_color: '#8774e1', bad: 'url(x)', header_bg_color: 'red' };
    const hash = `#${new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: '8.0', tgWebAppPlatform: 'android', tgWebAppThemeParams: JSON.stringify(theme) })}`;
    const l = parseLaunch('?b=biz_1&bot=bot-2', hash);
    expect(l.businessId).toBe('biz_1');
    expect(l.botId).toBe('bot-2');
    expect(l.signInToken).toBeNull();
    expect(l.telegram?.initData).toBe(initData);
    expect(l.telegram?.themeParams).toEqual({ bg_color: '#212121', text_color: '#ffffff', button_color: '#8774e1' });
    expect(l.telegram?.version).toBe('8.0');
    expect(l.telegram?.platform).toBe('android');
    expect(l.telegram?.user).toEqual({ id: 279058397, languageCode: 'en' });
  });

  it('keeps "+" and "%" in initData as Telegram encoded them (one decoding only)', () => {
    const data = 'user=%7B%22id%22%3A1%2C%22first_name%22%3A%22A+B%22%7D&auth_date=1&hash=ab';
    const l = parseLaunch('?b=x', `#tgWebAppData=${encodeURIComponent(data)}&tgWebAppVersion=7.0`);
    expect(l.telegram?.initData).toBe(data);
    expect(l.telegram?.user?.id).toBe(1);
  });

  it('prefers window.Telegram.WebApp.initData when given', () => {
    expect(parseLaunch('?b=x', '#tgWebAppData=other', initData).telegram?.initData).toBe(initData);
  });

  it('reads a sign-in link and a plain page route', () => {
    expect(parseLaunch('?b=B1', '#signin=tok_123-x')).toMatchObject({ businessId: 'B1', signInToken: 'tok_123-x', telegram: null, route: null });
    expect(parseLaunch('?b=B1', '#/history')).toMatchObject({ route: 'history', signInToken: null });
    expect(parseLaunch('', '')).toMatchObject({ businessId: null, botId: null, signInToken: null, route: null, telegram: null });
  });

  it('ignores ids that are not ids', () => {
    expect(parseLaunch('?b=../x&bot=a%20b', '').businessId).toBeNull();
    expect(parseLaunch('?b=../x&bot=a%20b', '').botId).toBeNull();
  });

  it('reads Telegram parameters after a page path', () => {
    const l = parseLaunch('?b=x', `#/profile?tgWebAppData=${encodeURIComponent(initData)}`);
    expect(l.route).toBe('profile');
    expect(l.telegram?.initData).toBe(initData);
  });
});

describe('helpers', () => {
  it('parseHash splits path and parameters', () => {
    expect(parseHash('#/card').path).toBe('/card');
    expect(parseHash('#a=1&b=2').params.get('b')).toBe('2');
    expect(parseHash('').path).toBe('');
  });

  it('routeOf knows the pages only', () => {
    expect(routeOf('/rewards')).toBe('rewards');
    expect(routeOf('info')).toBe('info');
    expect(routeOf('/nope')).toBeNull();
  });

  it('parseThemeParams survives garbage', () => {
    expect(parseThemeParams('not json')).toEqual({});
    expect(parseThemeParams('[1]')).toEqual({});
    expect(parseThemeParams(null)).toEqual({});
    expect(parseThemeParams('{"bg_color":"#fff","x":"#12345"}')).toEqual({ bg_color: '#fff' });
  });

  it('pickLanguage: English for en*, Russian otherwise; Telegram wins', () => {
    expect(pickLanguage(null, 'en-US')).toBe('en');
    expect(pickLanguage('en', 'ru-RU')).toBe('en');
    expect(pickLanguage('ru', 'en-GB')).toBe('ru');
    expect(pickLanguage(null, 'de-DE')).toBe('ru');
    expect(pickLanguage(undefined, undefined)).toBe('ru');
  });

  it('themeVariable names variables as Telegram does', () => {
    expect(themeVariable('secondary_bg_color')).toBe('--tg-theme-secondary-bg-color');
  });
});
