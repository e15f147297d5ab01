// Notification settings and message texts through the Integration API: changed part by part, checked whole with
// every problem listed, templates previewed before saving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from './support/apiServer.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  expect(h.checked.failures).toEqual([]);
  await h?.close();
});

const call = async (key: string, method: string, path: string, body?: unknown) => {
  const res = await h.fetch(`${h.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('notification settings', () => {
  it('start with the defaults: reminders 4 and 1 days before at noon, quiet 21–9, Telegram first', async () => {
    const b = await h.business();
    const { body } = await call(b.apiKey, 'GET', '/program');
    expect(body.notifications).toMatchObject({ language: 'ru', channelOrder: ['telegram', 'vk', 'sms', 'email'], quietHours: { start: '21:00', end: '09:00' }, sendAt: '12:00', expiryReminderDays: [4, 1], accrualNotices: true, birthday: { enabled: false }, winback: { enabled: false, afterDays: 45 }, templates: {} });
  });

  it('change part by part: one campaign field keeps the others, one template keeps the rest, null restores the default', async () => {
    const b = await h.business();
    let r = await call(b.apiKey, 'PATCH', '/program', { notifications: { birthday: { enabled: true, bonus: 200 }, templates: { ru: { accrual: 'Плюс {points}!' } } } });
    expect(r.status).toBe(200);
    expect(r.body.notifications.birthday).toEqual({ enabled: true, bonus: 200, validDays: 7, controlPercent: 0 });
    r = await call(b.apiKey, 'PATCH', '/program', { notifications: { expiryReminderDays: [7, 3, 1], templates: { ru: { welcome: 'Привет, {name}' } } } });
    expect(r.body.notifications.templates).toEqual({ ru: { accrual: 'Плюс {points}!', welcome: 'Привет, {name}' } });
    expect(r.body.notifications.birthday.bonus).toBe(200);
    expect(r.body.notifications.expiryReminderDays).toEqual([7, 3, 1]);
    r = await call(b.apiKey, 'PATCH', '/program', { notifications: { templates: { ru: { accrual: null } } } });
    expect(r.body.notifications.templates).toEqual({ ru: { welcome: 'Привет, {name}' } });
    const t = await call(b.apiKey, 'GET', '/program/templates');
    const accrual = t.body.items.find((i: { kind: string }) => i.kind === 'accrual');
    expect(accrual.custom).toEqual({ ru: false, en: false });
    expect(accrual.variables).toEqual(expect.arrayContaining(['name', 'points', 'balance', 'pointsName']));
    expect(t.body.items.find((i: { kind: string }) => i.kind === 'welcome').texts.ru).toBe('Привет, {name}');
  });

  it('every problem at once, and nothing changes', async () => {
    const b = await h.business();
    const before = await call(b.apiKey, 'GET', '/program');
    const r = await call(b.apiKey, 'PATCH', '/program', {
      notifications: { quietHours: { start: '25:00', end: '09:00' }, sendAt: 'noon', expiryReminderDays: [0, 4, 4], channelOrder: ['sms', 'sms'], birthday: { controlPercent: 90 }, templates: { ru: { accrual: 'Начислено {pionts}' } } },
    });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('invalid_program');
    const messages = (r.body.errors as { message: string }[]).map((e) => e.message).join('\n');
    for (const field of ['quietHours', 'sendAt', 'expiryReminderDays', 'channelOrder', 'birthday.controlPercent', 'templates.ru.accrual']) expect(messages).toContain(`notifications.${field}`);
    expect(messages).toContain('{pionts} is not a variable');
    expect((await call(b.apiKey, 'GET', '/program')).body).toEqual(before.body);
  });

  it('unknown fields and kinds are refused by the schema', async () => {
    const b = await h.business();
    expect((await call(b.apiKey, 'PATCH', '/program', { notifications: { smsEverything: true } })).status).toBe(400);
    expect((await call(b.apiKey, 'PATCH', '/program', { notifications: { templates: { de: { accrual: 'x' } } } })).status).toBe(400);
    expect((await call(b.apiKey, 'PATCH', '/program', { notifications: { templates: { ru: { broadcast: 'x' } } } })).status).toBe(400);
  });
});

describe('template preview', () => {
  it('fills a text with sample values in the chosen language', async () => {
    const b = await h.business({ pointsName: 'зёрна' });
    const r = await call(b.apiKey, 'POST', '/program/templates/preview', { kind: 'expiry_reminder', text: '{name}, {points} {pointsName} сгорят после {expiresAt}; карта {cardUrl}' });
    expect(r.status).toBe(200);
    expect(r.body.text).toMatch(/^Анна, 150 зёрна сгорят после \d\d\.\d\d\.\d{4}; карта http:\/\/127\.0\.0\.1:\d+\/card\/\?b=/);
    const en = await call(b.apiKey, 'POST', '/program/templates/preview', { kind: 'birthday', text: 'Happy birthday, {name}! {bonus} until {expiresAt}', language: 'en' });
    expect(en.body.text).toMatch(/^Happy birthday, Anna! 300 until \d{1,2} [A-Z][a-z]{2} \d{4}$/);
  });

  it('a missing or misspelt variable is invalid_template, with every problem', async () => {
    const b = await h.business();
    const r = await call(b.apiKey, 'POST', '/program/templates/preview', { kind: 'accrual', text: 'Начислено {pionts} {expiresAt} {' });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('invalid_template');
    expect(r.body.errors).toHaveLength(3);
  });
});

describe('the typed client', () => {
  it('reads and previews templates, lists channels, and makes, lists and reports a broadcast', async () => {
    const b = await h.business();
    expect((await b.api.program.templates()).items.map((i) => i.kind)).toContain('expiry_reminder');
    expect((await b.api.program.previewTemplate({ kind: 'welcome', text: 'Привет, {name}!' })).text).toBe('Привет, Анна!');
    expect(await b.api.notificationChannels.list()).toEqual([]);
    const created = await b.api.broadcasts.create({ text: 'Всем привет', controlPercent: 10 });
    expect((await b.api.broadcasts.list()).items.map((x) => x.id)).toEqual([created.id]);
    expect((await b.api.broadcasts.get(created.id)).text).toBe('Всем привет');
    expect((await b.api.broadcasts.preview({})).recipients).toBe(0);
    const report = await b.api.campaigns.report(created.id, { days: 7 });
    expect(report.treated.members).toBe(0);
    expect((await b.api.broadcasts.cancel(created.id)).status).toBe('cancelled');
  });
});
