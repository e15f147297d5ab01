import { describe, expect, it } from 'vitest';
import { checkChannelSettings, secretHint, shownChannelSettings, type EmailSettings, type SmsSettings } from './channelSettings.js';
import { DomainError } from './errors.js';

const problems = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError && e.code === 'invalid_channel_config') return e.details.problems as string[];
    throw e;
  }
  throw new Error('expected invalid_channel_config');
};

describe('channel settings', () => {
  it('fills defaults and trims', () => {
    expect(checkChannelSettings('sms', { provider: 'smsru', apiId: ' key ' }, null)).toEqual({ provider: 'smsru', apiId: 'key', test: false, sender: null, ratePerSecond: 10 });
    expect(checkChannelSettings('email', { host: 'smtp.x.ru', from: 'a@x.ru', secure: true }, null)).toMatchObject({ port: 465, secure: true, user: null, password: null, ratePerSecond: 5 });
    expect(checkChannelSettings('email', { host: 'smtp.x.ru', from: 'a@x.ru', port: 465 }, null)).toMatchObject({ secure: true });
    expect(checkChannelSettings('vk', { groupId: 1, token: 't' }, null)).toEqual({ groupId: 1, token: 't' });
  });

  it('reports every problem at once', () => {
    expect(problems(() => checkChannelSettings('sms', { provider: 'smsc', sender: 'Слишком длинное имя', ratePerSecond: 0, extra: true }, null))).toEqual([
      'sms.sender must be 1–15 characters on one line',
      'sms.extra is not a setting of this channel; use provider, login, password, sender, ratePerSecond',
      'sms.ratePerSecond must be a whole number from 1 to 100',
      'sms.login is required',
      'sms.password is required',
    ]);
    expect(problems(() => checkChannelSettings('sms', { provider: 'http', url: 'ftp://x' }, null))).toEqual(['sms.url must be an http:// or https:// URL']);
    expect(problems(() => checkChannelSettings('vk', [], null))).toEqual(['vk must be an object']);
    expect(problems(() => checkChannelSettings('email', { host: 'a b', from: 'x', replyTo: 'y', user: 'u' }, null))).toEqual([
      'email.host must be a host name or address',
      'email.password is required with email.user',
      'email.from must be an e-mail address',
      'email.replyTo must be an e-mail address',
    ]);
  });

  it('keeps a secret left out only where it is safe: same provider, same SMTP host and user, same gateway URL', () => {
    const smsc: SmsSettings = { provider: 'smsc', login: 'l', password: 'p', sender: null, ratePerSecond: 10 };
    expect(checkChannelSettings('sms', { provider: 'smsc', login: 'l' }, smsc)).toMatchObject({ password: 'p' });
    expect(problems(() => checkChannelSettings('sms', { provider: 'smsru' }, smsc))).toEqual(['sms.apiId is required']);
    const gw: SmsSettings = { provider: 'http', url: 'https://a/send', token: 'tok', sender: null, ratePerSecond: 10 };
    expect(checkChannelSettings('sms', { provider: 'http', url: 'https://a/send' }, gw)).toMatchObject({ token: 'tok' });
    expect(checkChannelSettings('sms', { provider: 'http', url: 'https://b/send' }, gw)).toMatchObject({ token: null });
    const mail: EmailSettings = { host: 'h', port: 587, secure: false, user: 'u', password: 'pw', from: 'a@b.cd', fromName: null, replyTo: null, ratePerSecond: 5 };
    expect(checkChannelSettings('email', { host: 'h', user: 'u', from: 'a@b.cd' }, mail)).toMatchObject({ password: 'pw' });
    expect(problems(() => checkChannelSettings('email', { host: 'evil', user: 'u', from: 'a@b.cd' }, mail))).toEqual(['email.password is required with email.user']);
  });

  it('never shows a secret back', () => {
    expect(secretHint('A1B2C3D4-E5F6-0000')).toBe('…0000');
    expect(secretHint('short')).toBe('…');
    expect(shownChannelSettings('sms', { provider: 'http', url: 'https://a', token: null, sender: null, ratePerSecond: 1 })).toMatchObject({ token: null });
    expect(shownChannelSettings('vk', { groupId: 1, token: 'vk1.a.very-long-token' })).toEqual({ groupId: 1, token: '…oken' });
  });
});
