// A broadcast's progress in the admin panel while it is sent (issue 7: long work shows progress in the page), in
// headless Chromium: the owner opens Broadcasts while one runs; its progress meter (a native <progress>, role
// progressbar) and words move by themselves as messages go out, and once the broadcast is done the meter is gone and
// the list stops refreshing. Screenshots: test-results/screenshots/admin-broadcast-progress-*.png.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { finishBroadcasts, planDueBroadcasts } from '../../src/app/broadcasts.js';
import { recordConsent } from '../../src/app/consents.js';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';
import { aMember } from '../support/factories.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';

const h = useApi({ cardApp: true });
const chrome = useChromium();

const shot = async (page: Page, name: string) => writeFileSync(path.join(SCREENSHOTS, `admin-broadcast-progress-${name}.png`), await page.screenshot({ fullPage: true }));

describe('a broadcast\'s progress in the admin panel', () => {
  it('moves by itself while the broadcast is sent, and is gone once it is done', async () => {
    const shop = await h.business();
    for (let i = 0; i < 4; i++) {
      const m = await aMember(h.t.deps, shop.id);
      await recordConsent(h.t.deps, { businessId: shop.id, memberId: m.id, kind: 'marketing', granted: true, textVersion: 'v1', channel: 'api' });
    }
    const created = await shop.api.broadcasts.create({ name: 'Весна', text: 'Весенняя распродажа!', controlPercent: 0 });
    await planDueBroadcasts(h.t.deps, { businessId: shop.id });
    expect(await shop.api.broadcasts.get(created.id)).toMatchObject({ status: 'running', progress: { planned: 4, pending: 4, sent: 0 } });
    const owner = await aStaff(h, shop.id, 'owner', 'Владелец Анна');

    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.url}/admin/?b=${shop.id}`);
    await page.getByLabel(/Эл. почта|Email/).fill(owner.email);
    await page.getByLabel(/Пароль|Password/).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: /Войти|Sign in/ }).click();
    await page.getByRole('link', { name: 'Рассылки' }).click();

    const meter = page.getByRole('progressbar', { name: /Отправлено 0 из 4/ });
    await meter.waitFor({ timeout: 15_000 });
    expect([await meter.getAttribute('value'), await meter.getAttribute('max')]).toEqual(['0', '4']);
    await shot(page, 'running');

    // Two messages go out: the list refreshes itself and the meter moves.
    const ids = (await h.t.db.selectFrom('messages').select('id').where('campaign_id', '=', created.id).orderBy('id').execute()).map((r) => r.id);
    expect(ids).toHaveLength(4);
    await h.t.db.updateTable('messages').set({ status: 'sent' }).where('id', 'in', ids.slice(0, 2)).execute();
    const moved = page.getByRole('progressbar', { name: /Отправлено 2 из 4/ });
    await moved.waitFor({ timeout: 15_000 });
    expect([await moved.getAttribute('value'), await moved.getAttribute('max')]).toEqual(['2', '4']);
    await shot(page, 'half');

    // The rest go out and the broadcast finishes: no meter any more, the words say done.
    await h.t.db.updateTable('messages').set({ status: 'sent' }).where('campaign_id', '=', created.id).execute();
    expect(await finishBroadcasts(h.t.deps, { businessId: shop.id })).toBe(1);
    await expect.poll(() => page.locator('table tbody tr').first().innerText(), { timeout: 15_000 }).toMatch(/завершена[\s\S]*Отправлено 4 из 4/);
    expect(await page.getByRole('progressbar').count()).toBe(0);
    await shot(page, 'done');

    // The list now stays still: no more reads of /broadcasts once nothing is being sent.
    let reads = 0;
    page.on('request', (r) => (r.url().includes('/api/v1/broadcasts') ? reads++ : null));
    await page.waitForTimeout(4000);
    expect(reads).toBe(0);
    // The API agrees, in its documented shape (checked against the OpenAPI document by h.fetch).
    const one = (await (await h.fetch(`${h.url}/api/v1/broadcasts/${created.id}`, { headers: { authorization: `Bearer ${shop.apiKey}` } })).json()) as { status: string; progress: { sent: number } };
    expect(one).toMatchObject({ status: 'done', progress: { sent: 4 } });
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
