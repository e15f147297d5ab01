// The admin panel's inbox in headless Chromium: members' messages (as the customer bot stores them) appear with their
// unread counts, a manager opens one conversation (it is marked read) and answers; the answer is stored, signed by
// the manager and scheduled for delivery. The /api/v1/chats routes refuse an API key. Screenshots: admin-inbox-*.png.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { receiveMemberMessage } from '../../src/app/chat.js';
import type { KopilkaError } from '../../src/client/index.js';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';
import { nextPhone } from '../support/factories.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';

const SHOTS = SCREENSHOTS;
const h = useApi({ cardApp: true });
const chrome = useChromium();

async function shot(page: Page, name: string): Promise<void> {
  writeFileSync(path.join(SHOTS, `admin-inbox-${name}.png`), await page.screenshot({ fullPage: true }));
}

describe('the inbox', () => {
  it('shows members\' messages with unread counts; a manager opens one and replies; the reply is stored', async () => {
    const shop = await h.business();
    const irina = await shop.api.members.create({ phone: nextPhone(), name: 'Ирина' });
    const oleg = await shop.api.members.create({ phone: nextPhone(), name: 'Олег' });
    await receiveMemberMessage(h.t.deps, { businessId: shop.id, memberId: oleg.id, text: 'Во сколько вы открываетесь?', channel: 'telegram' });
    h.t.clock.advance(60_000);
    await receiveMemberMessage(h.t.deps, { businessId: shop.id, memberId: irina.id, text: 'Здравствуйте!', channel: 'telegram' });
    await receiveMemberMessage(h.t.deps, { businessId: shop.id, memberId: irina.id, text: 'Не пришли баллы за вчерашнюю покупку', channel: 'telegram' });
    const manager = await aStaff(h, shop.id, 'manager', 'Мария');

    // An API key is nobody: it cannot read or answer members' messages.
    await expect(shop.api.chats.list()).rejects.toMatchObject({ status: 403, code: 'forbidden' } satisfies Partial<KopilkaError>);

    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' && !m.text().startsWith('Failed to load resource') ? errors.push(m.text()) : null));
    await page.goto(`${h.url}/admin/?b=${shop.id}`);
    await page.getByLabel('Эл. почта').fill(manager.email);
    await page.getByLabel('Пароль').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'Сообщения' }).click();

    const item = (id: string) => page.locator(`[data-testid="inbox-list"] a[data-member="${id}"]`);
    await item(irina.id).waitFor({ timeout: 15_000 });
    expect(await item(irina.id).locator('[data-testid="unread"]').innerText()).toBe('2');
    expect(await item(oleg.id).locator('[data-testid="unread"]').innerText()).toBe('1');
    expect(await item(irina.id).innerText()).toContain('Не пришли баллы');
    await shot(page, 'list');

    await item(irina.id).click();
    const thread = page.locator('[data-testid="inbox-thread"]');
    await thread.getByText('Не пришли баллы за вчерашнюю покупку').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/admin/inbox/${irina.id}`);
    await expect.poll(() => item(irina.id).locator('[data-testid="unread"]').count()).toBe(0); // opened: read
    await page.getByLabel('Ответ клиенту').fill('Ирина, проверили — баллы начислены, извините за задержку!');
    await page.getByRole('button', { name: 'Отправить' }).click();
    await thread.locator('li.msg.out').getByText('баллы начислены').waitFor();
    expect(await thread.locator('li.msg.out small').innerText()).toContain('Мария');
    await shot(page, 'thread');

    // Stored: the staff API sees the same conversation, the answer signed by the manager, the member's messages read.
    const stored = await manager.client.chatThread(shop.id, irina.id);
    expect(stored.items.map((m) => [m.direction, m.text])).toEqual([
      ['out', 'Ирина, проверили — баллы начислены, извините за задержку!'],
      ['in', 'Не пришли баллы за вчерашнюю покупку'],
      ['in', 'Здравствуйте!'],
    ]);
    expect(stored.items[0]!.staff).toMatchObject({ id: manager.id, name: 'Мария' });
    expect(stored.items.filter((m) => m.direction === 'in').every((m) => m.readAt !== null)).toBe(true);
    // … and handed to the notifications engine for delivery.
    const sent = await shop.api.admin.members.messages(irina.id);
    expect(sent.items.some((m) => m.kind === 'chat' && (m.text ?? '').includes('баллы начислены'))).toBe(true);

    // The panel's own calls match the OpenAPI document (checked by the harness).
    const cookie = (await context.cookies(h.url)).map((c) => `${c.name}=${c.value}`).join('; ');
    const list = (await (await h.fetch(`${h.url}/api/v1/chats`, { headers: { cookie } })).json()) as { items: { member: { id: string }; unread: number }[] };
    expect(list.items.map((c) => [c.member.id, c.unread])).toEqual([[irina.id, 0], [oleg.id, 1]]);
    expect((await h.fetch(`${h.url}/api/v1/chats/${oleg.id}`, { headers: { cookie } })).status).toBe(200);

    // English at a phone's width.
    await page.getByRole('button', { name: 'EN' }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Messages' }).click();
    await item(oleg.id).waitFor();
    await shot(page, 'list-phone-en');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a long conversation shows its newest 100 messages, and "More" the older ones', async () => {
    const shop = await h.business();
    const member = await shop.api.members.create({ phone: nextPhone(), name: 'Павел' });
    for (let i = 1; i <= 105; i++) {
      h.t.clock.advance(1000);
      await receiveMemberMessage(h.t.deps, { businessId: shop.id, memberId: member.id, text: `сообщение ${i}`, channel: 'telegram' });
    }
    const manager = await aStaff(h, shop.id, 'manager');
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${h.url}/admin/?b=${shop.id}`);
    await page.getByLabel('Эл. почта').fill(manager.email);
    await page.getByLabel('Пароль').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.locator('[data-testid="fig-members"]').waitFor({ timeout: 15_000 });
    await page.goto(`${h.url}/admin/inbox/${member.id}`);
    const msgs = page.locator('[data-testid="messages"] li.msg');
    await page.locator('[data-testid="messages"]').getByText('сообщение 105', { exact: true }).waitFor({ timeout: 15_000 });
    expect(await msgs.count()).toBe(100);
    await page.locator('[data-testid="older"]').click();
    await expect.poll(() => msgs.count()).toBe(105);
    expect(await msgs.first().innerText()).toContain('сообщение 1\n');
    expect(await msgs.last().innerText()).toContain('сообщение 105');
    expect(await page.locator('[data-testid="older"]').count()).toBe(0);
    await context.close();
  });
});
