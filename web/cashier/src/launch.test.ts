import { describe, expect, it } from 'vitest';
import { parseLaunch, pickLanguage, telegramCanScan, versionAtLeast } from './launch.js';

const initData = new URLSearchParams({
  query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
  user: JSON.stringify({ id: 279058397, first_name: 'Анна', language_code: 'en' }),
  auth_date: '1700000000',
  hash: 'c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2',
}).toString();

describe('parseLaunch', () => {
  it('reads the staff bot Mini App: business, bot, initData exactly as signed, theme colours, platform', () => {
    const hash = `#${new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: '7.10', tgWebAppPlatform: 'android', tgWebAppThemeParams: JSON.stringify({ bg_color: '#212121', x: 'url(x)' }) })}`;
    const l = parseLaunch('?b=biz_1&bot=bot-2', hash);
    expect(l).toMatchObject({ businessId: 'biz_1', botId: 'bot-2', inviteToken: null });
    expect(l.telegram).toEqual({ initData, themeParams: { bg_color: '#212121' }, version: '7.10', platform: 'android', user: { id: 279058397, languageCode: 'en' } });
    expect(parseLaunch('?b=x', '#tgWebAppData=other', initData).telegram?.initData).toBe(initData);
  });

  it('reads an invitation and a plain web visit', () => {
    expect(parseLaunch('?b=B1', '#invite=inv_abc-123.x')).toEqual({ businessId: 'B1', botId: null, inviteToken: 'inv_abc-123.x', telegram: null });
    expect(parseLaunch('?b=B1', '')).toEqual({ businessId: 'B1', botId: null, inviteToken: null, telegram: null });
    expect(parseLaunch('?b=../x', '#invite=<script>').businessId).toBeNull();
    expect(parseLaunch('?b=../x', '#invite=<script>').inviteToken).toBeNull();
  });
});

describe('Telegram helpers', () => {
  it('compares versions part by part', () => {
    expect(versionAtLeast('6.10', '6.4')).toBe(true);
    expect(versionAtLeast('6.4', '6.4')).toBe(true);
    expect(versionAtLeast('6.3', '6.4')).toBe(false);
    expect(versionAtLeast('7', '6.4')).toBe(true);
    expect(versionAtLeast(null, '6.4')).toBe(false);
  });

  it('uses Telegram’s scanner only in its phone apps from 6.4', () => {
    expect(telegramCanScan({ version: '8.0', platform: 'ios' })).toBe(true);
    expect(telegramCanScan({ version: '8.0', platform: 'android' })).toBe(true);
    expect(telegramCanScan({ version: '6.2', platform: 'android' })).toBe(false);
    expect(telegramCanScan({ version: '8.0', platform: 'tdesktop' })).toBe(false);
    expect(telegramCanScan({ version: '8.0', platform: 'weba' })).toBe(false);
    expect(telegramCanScan(null)).toBe(false);
  });

  it('pickLanguage: English for en*, Russian otherwise; Telegram wins', () => {
    expect(pickLanguage(null, 'en-US')).toBe('en');
    expect(pickLanguage('en', 'ru-RU')).toBe('en');
    expect(pickLanguage('ru', 'en-GB')).toBe('ru');
    expect(pickLanguage(undefined, 'de')).toBe('ru');
  });
});
