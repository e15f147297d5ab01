// The customers list's filters and the member page in headless Chromium. The filters (tier, marketing consent,
// reachable channel, "no purchase in N days", last 4 digits) give exactly the members the database says, and stay in
// the address through a reload. The member page shows who did each history row (staff by name, the API key by name,
// the system), a purchase's items in a row that opens, the profile; "send a message" makes a `messages` row for that
// member and "send a sign-in link" another (masked in the page). A manager sees only the actions their role may do;
// a cashier has no member page at all, and the API refuses them whatever the page shows.
// Screenshots: test-results/screenshots/admin-member-*.png.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordConsent } from '../../src/app/consents.js';
import { can } from '../../src/core/index.js';
import { useApi } from '../support/apiServer.js';
import { launchChromium, SCREENSHOTS } from '../support/chromium.js';
import { nextPhone } from '../support/factories.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';

const h = useApi({ cardApp: true });
let browser: Browser;
const DAY = 86_400_000;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function shot(page: Page, name: string): Promise<void> {
  writeFileSync(path.join(SCREENSHOTS, `admin-member-${name}.png`), await page.screenshot({ fullPage: true }));
}

async function signIn(page: Page, businessId: string, email: string): Promise<void> {
  await page.goto(`${h.url}/admin/?b=${businessId}`);
  await page.getByLabel('Эл. почта').fill(email);
  await page.getByLabel('Пароль').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.locator('nav.side').waitFor({ timeout: 15_000 });
}

const listed = async (page: Page): Promise<string[]> => {
  const rows = page.locator('[data-testid="members"] a[data-member]');
  return (await rows.evaluateAll((as) => as.map((a) => a.getAttribute('data-member') ?? ''))).sort();
};

/** Applies the filters and waits for the list the server gives (the count line is written with it). */
async function apply(page: Page): Promise<string[]> {
  await page.locator('[data-testid="members-count"]').evaluate((el) => el.replaceChildren());
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect.poll(() => page.locator('[data-testid="members-count"]').innerText()).not.toBe('');
  return listed(page);
}

describe('customers and the member page', () => {
  it('filters match the database and survive a reload; the member page shows who, items, profile; message and sign-in link make messages rows', async () => {
    // The server's clock runs with the browser's: purchases 60 and 3 days ago, then now.
    h.t.clock.set(Date.now() - 60 * DAY);
    const shop = await h.business({ welcomeBonus: 20, earnRateBp: 500, tiers: [{ id: 'silver', name: 'Серебро', minTotalSpent: 3000_00, earnRateBp: 700, maxRedeemBp: 3000 }] });
    const mk = (name: string, extra: { email?: string } = {}) => shop.api.members.create({ phone: nextPhone(), name, ...extra });
    const irina = await mk('Ирина');
    const oleg = await mk('Олег', { email: 'oleg@x.test' });
    const maria = await mk('Мария');
    const pavel = await mk('Павел');
    const anna = await mk('Анна', { email: 'anna@x.test' });
    const buy = (id: string, amount: number, items: { sku: string; name: string; quantity: number; price: number }[] = []) =>
      shop.api.purchases.create({ member: { id }, amount, items });
    await buy(irina.id, 5000_00, [{ sku: 'beans', name: 'Зёрна 1 кг', quantity: 2, price: 2000_00 }, { sku: 'latte', name: 'Латте', quantity: 4, price: 250_00 }]);
    await buy(anna.id, 1000_00);
    h.t.clock.set(Date.now() - 3 * DAY);
    await buy(oleg.id, 500_00);
    await buy(maria.id, 4000_00);
    h.t.clock.set(Date.now());
    for (const [m, granted] of [[irina, true], [oleg, false], [maria, true], [anna, true]] as const) {
      await recordConsent(h.t.deps, { businessId: shop.id, memberId: m.id, kind: 'marketing', granted, textVersion: 'v1', channel: 'telegram' });
    }
    await h.t.db.updateTable('members').set({ telegram_user_id: 880001 }).where('id', '=', irina.id).execute();
    await h.t.db.updateTable('members').set({ vk_user_id: 990001 }).where('id', '=', maria.id).execute();
    await h.t.db.updateTable('members').set({ telegram_user_id: 880002, dead_channels: ['telegram'] }).where('id', '=', pavel.id).execute();
    await shop.api.members.adjust(irina.id, { points: -7, reason: 'ошибка на кассе' });
    const keyName = (await h.t.db.selectFrom('api_keys').select('name').where('business_id', '=', shop.id).executeTakeFirstOrThrow()).name;
    const owner = await aStaff(h, shop.id, 'owner', 'Светлана Владелец');

    // What the database says for each filter.
    const ids = async (where: ReturnType<typeof sql>) => (await sql<{ id: string }>`select m.id from members m where m.business_id = ${shop.id} and ${where}`.execute(h.t.db)).rows.map((r) => r.id).sort();
    const silver = await ids(sql`m.total_spent >= 300000`);
    const agreed = await ids(sql`(select c.granted from member_consents c where c.business_id = m.business_id and c.member_id = m.id and c.kind = 'marketing' order by c.at desc limit 1)`);
    const telegram = await ids(sql`m.telegram_user_id is not null and not ('telegram' = any(m.dead_channels))`);
    expect(silver).toEqual([irina.id, maria.id].sort());
    expect(agreed).toEqual([irina.id, maria.id, anna.id].sort());
    expect(telegram).toEqual([irina.id]);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' && !m.text().startsWith('Failed to load resource') ? errors.push(m.text()) : null));
    await signIn(page, shop.id, owner.email);
    await page.getByRole('link', { name: 'Клиенты' }).click();
    await page.locator('[data-testid="members"] table').waitFor();
    expect(await listed(page)).toEqual([irina.id, oleg.id, maria.id, pavel.id, anna.id].sort());

    await page.getByLabel('Уровень').selectOption('silver');
    expect(await apply(page)).toEqual(silver);
    await page.getByLabel('Уровень').selectOption('');
    await page.getByLabel('Согласие на рассылки').selectOption('true');
    expect(await apply(page)).toEqual(agreed);
    await page.getByLabel('Согласие на рассылки').selectOption('');
    await page.getByLabel('Можно написать в').selectOption('telegram');
    expect(await apply(page)).toEqual(telegram);
    await page.getByLabel('Можно написать в').selectOption('');

    // "No purchase in the last 30 days": bought, but the last purchase was before the day 29 days ago.
    await page.getByLabel('Не покупали, дней').fill('30');
    const idle = await apply(page);
    const cut = new URL(page.url()).searchParams.get('idle');
    expect(cut).toBe('30');
    const { timezone } = await h.t.db.selectFrom('businesses').select('timezone').where('id', '=', shop.id).executeTakeFirstOrThrow();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const cutoff = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * DAY).toISOString().slice(0, 10);
    expect(idle).toEqual(await ids(sql`(select max(p.occurred_at) from purchases p where p.business_id = m.business_id and p.member_id = m.id) < (${cutoff}::date::timestamp at time zone ${timezone})`));
    expect(idle).toEqual([irina.id, anna.id].sort());

    // Several at once, then a reload keeps them (they are in the address).
    await page.getByLabel('Уровень').selectOption('silver');
    await page.getByLabel('Согласие на рассылки').selectOption('true');
    expect(await apply(page)).toEqual([irina.id]);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({ tier: 'silver', mk: 'true', idle: '30' });
    await shot(page, 'filters');
    await page.reload();
    await page.locator('[data-testid="members"] table').waitFor({ timeout: 15_000 });
    expect(await listed(page)).toEqual([irina.id]);
    expect(await page.getByLabel('Уровень').inputValue()).toBe('silver');
    expect(await page.getByLabel('Не покупали, дней').inputValue()).toBe('30');
    await page.getByRole('button', { name: 'Сбросить' }).click();
    await expect.poll(() => listed(page)).toHaveLength(5);
    expect(new URL(page.url()).search).toBe('');

    // The last 4 digits of the phone, explicitly.
    await page.getByLabel('Искать по').selectOption('last4');
    await page.getByLabel('Поиск', { exact: true }).fill(oleg.phone.slice(-4));
    const byLast4 = await apply(page);
    expect(byLast4).toEqual(await ids(sql`right(m.phone, 4) = ${oleg.phone.slice(-4)}`));
    expect(byLast4).toContain(oleg.id);
    await page.getByLabel('Поиск', { exact: true }).fill('12');
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.getByText('Введите ровно 4 последние цифры телефона.').waitFor();
    await page.getByLabel('Поиск', { exact: true }).fill('');
    await page.getByLabel('Искать по').selectOption('any');

    // The member page: the owner adjusts; history says who did each row.
    await page.getByLabel('Поиск', { exact: true }).fill('Ирина');
    await apply(page);
    await page.locator(`a[data-member="${irina.id}"]`).click();
    await page.locator('[data-testid="member-balance"]').waitFor();
    await page.locator('[data-testid="adjust"] input[name="points"]').fill('15');
    await page.locator('[data-testid="adjust"] input[name="reason"]').fill('подарок к празднику');
    await page.locator('[data-testid="adjust"] button[type="submit"]').click();
    const history = page.locator('[data-testid="member-history"]');
    await history.getByText('подарок к празднику').waitFor({ timeout: 15_000 });
    const rows = await history.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const byReason = (reason: string) => rows.find((r) => r[4] === reason);
    expect(byReason('подарок к празднику')?.[5]).toBe('Светлана Владелец');
    expect(byReason('ошибка на кассе')?.[5]).toBe(`API-ключ «${keyName}»`);
    // The database agrees on who: the owner's staff id and the API key's.
    const actors = await h.t.db.selectFrom('ledger_transactions').select(['reason', 'actor_type', 'actor_id']).where('member_id', '=', irina.id).where('type', '=', 'adjust').execute();
    expect(actors.find((a) => a.reason === 'подарок к празднику')).toMatchObject({ actor_type: 'staff', actor_id: owner.id });
    expect(actors.find((a) => a.reason === 'ошибка на кассе')).toMatchObject({ actor_type: 'api_key' });
    expect(rows.length).toBe(await h.t.db.selectFrom('ledger_transactions').where('member_id', '=', irina.id).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n)));

    // A purchase's items open beneath its row.
    const purchases = page.locator('[data-testid="member-purchases"]');
    const toggle = purchases.locator('[data-testid="purchase-toggle"]').first();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await purchases.locator('[data-testid="purchase-items"]').isVisible()).toBe(false);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const items = await purchases.locator('[data-testid="purchase-items"] tbody tr').allInnerTexts();
    expect(items).toHaveLength(2);
    expect(items.join('\n')).toMatch(/Зёрна 1 кг\s+2\s+2\s000\s₽\s+4\s000\s₽/);
    expect(items.join('\n')).toContain('Латте');

    // The profile.
    const profile = page.locator('[data-testid="member-profile"]');
    expect(await profile.locator('[data-testid="profile-phone"]').innerText()).toBe(irina.phone);
    expect(await profile.locator('[data-testid="profile-consent-marketing"]').innerText()).toMatch(/^согласен · /);
    expect(await profile.locator('[data-testid="profile-tier"]').innerText()).toBe('Серебро');
    expect(await profile.locator('li[data-channel="telegram"]').innerText()).toContain('880001');
    await shot(page, 'page');

    // Send a message → a `messages` row for this member.
    await page.getByLabel('Сообщение', { exact: true }).fill('Ирина, ваши зёрна приехали!');
    await page.locator('[data-testid="send-message"] button[type="submit"]').click();
    await page.getByText('Сообщение поставлено в отправку.').waitFor();
    const chat = await h.t.db.selectFrom('messages').selectAll().where('member_id', '=', irina.id).where('kind', '=', 'chat').execute();
    expect(chat.map((m) => [m.text, m.purpose])).toEqual([['Ирина, ваши зёрна приехали!', 'service']]);

    // Send a sign-in link → another row, the link not shown.
    await page.locator('[data-testid="send-sign-in-link"]').click();
    await page.getByText(/Ссылка отправлена; действует до/).waitFor();
    const links = await h.t.db.selectFrom('messages').selectAll().where('member_id', '=', irina.id).where('kind', '=', 'sign_in_link').execute();
    expect(links).toHaveLength(1);
    expect(links[0]!.purpose).toBe('service');
    const token = String((links[0]!.vars as Record<string, unknown>).token);
    await shot(page, 'actions');
    // Again at once: refused in words (limited per member), nothing more sent.
    await page.locator('[data-testid="member-messages"]').getByText('ссылка для входа').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="send-sign-in-link"]').click();
    await page.getByText('Ссылку этому клиенту только что отправляли — подождите немного.').waitFor();
    expect(await h.t.db.selectFrom('messages').select('id').where('member_id', '=', irina.id).where('kind', '=', 'sign_in_link').execute()).toHaveLength(1);
    expect(await page.content()).not.toContain(token);
    const messagesShown = await page.locator('[data-testid="member-messages"] tbody tr').allInnerTexts();
    expect(messagesShown.some((r) => r.includes('ссылка для входа'))).toBe(true);
    expect(messagesShown.some((r) => r.includes('ваши зёрна приехали'))).toBe(true);

    // English at a phone's width.
    await page.getByRole('button', { name: 'EN' }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('[data-testid="member-profile"] dl').waitFor();
    await shot(page, 'page-phone-en');
    // "Back" returns to the list as it was left: the search is in the address again, and its result.
    await page.locator('[data-testid="back"]').click();
    await page.locator(`[data-testid="members"] a[data-member="${irina.id}"]`).waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).searchParams.get('q')).toBe('Ирина');
    expect(await page.getByLabel('Search', { exact: true }).inputValue()).toBe('Ирина');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a manager sees only the actions the role may do; a cashier has no member page, and the API refuses them', async () => {
    const shop = await h.business();
    const m = await shop.api.members.create({ phone: nextPhone(), name: 'Ксения' });
    const manager = await aStaff(h, shop.id, 'manager', 'Менеджер Мария');
    const cashier = await aStaff(h, shop.id, 'cashier', 'Кассир Костя');

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await signIn(page, shop.id, manager.email);
    await page.goto(`${h.url}/admin/customers/${m.id}`);
    await page.locator('[data-testid="member-profile"] dl').waitFor({ timeout: 15_000 });
    const shown = {
      adjust: await page.locator('[data-testid="adjust"]').count(),
      block: await page.locator('[data-testid="block"]').count(),
      message: await page.locator('[data-testid="send-message"]').count(),
      link: await page.locator('[data-testid="send-sign-in-link"]').count(),
    };
    expect(shown).toEqual({
      adjust: can('manager', 'points.adjust') ? 1 : 0,
      block: can('manager', 'points.adjust') ? 1 : 0,
      message: can('manager', 'chat.reply') ? 1 : 0,
      link: can('manager', 'chat.reply') ? 1 : 0,
    });
    await shot(page, 'manager');
    await context.close();

    const cashierContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const cp = await cashierContext.newPage();
    await cp.goto(`${h.url}/admin/?b=${shop.id}`);
    await cp.getByLabel('Эл. почта').fill(cashier.email);
    await cp.getByLabel('Пароль').fill(STAFF_PASSWORD);
    await cp.getByRole('button', { name: 'Войти' }).click();
    await cp.locator('main a[href="/cashier/"]').waitFor({ timeout: 15_000 });
    await cp.goto(`${h.url}/admin/customers/${m.id}`);
    // No menu for a cashier: the panel sends them to the cashier screen instead of the member page.
    await cp.locator('main a[href="/cashier/"]').waitFor({ timeout: 15_000 });
    expect(await cp.locator('nav.side a').count()).toBe(0);
    for (const id of ['member-actions', 'adjust', 'block', 'send-message', 'send-sign-in-link']) expect(await cp.locator(`[data-testid="${id}"]`).count()).toBe(0);
    await shot(cp, 'cashier');
    // Whatever the page shows, the server refuses the cashier both actions.
    const statuses = await cp.evaluate(async (memberId) => {
      const csrf = /kopilka_csrf=([^;]+)/.exec((globalThis as unknown as { document: { cookie: string } }).document.cookie)?.[1] ?? '';
      const post = (path: string, body?: unknown) => fetch(`/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, 'idempotency-key': crypto.randomUUID() }, body: body === undefined ? undefined : JSON.stringify(body) });
      return [(await post(`/members/${memberId}/sign-in-link`)).status, (await post(`/chats/${memberId}`, { text: 'привет' })).status];
    }, m.id);
    expect(statuses).toEqual([403, 403]);
    expect(await h.t.db.selectFrom('messages').select('id').where('member_id', '=', m.id).where('kind', 'in', ['chat', 'sign_in_link']).execute()).toEqual([]);
    await cashierContext.close();
  });
});
