// The platform operator's page (/admin/operator) in headless Chromium: the operator (made as `kopilka operator
// create` makes it) signs in — a wrong password said in words — and sees two businesses with the health figures the
// database holds, searches and sorts them, creates a third and copies its owner's invitation; the owner opens it in a
// fresh browser, sets their e-mail and password, signs in to the panel and sees only their own business; the owner's
// cookies open neither the operator's API nor the page; at phone width the list is one card per business; repeated
// wrong passwords end in the rate-limit message. Screenshots: test-results/screenshots/admin-operator-*.png.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createBusiness } from '../../src/app/createBusiness.js';
import { createOperator } from '../../src/app/operators.js';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';
import { nextPhone } from '../support/factories.js';
import { aStaff } from '../support/staff.js';

// Failed sign-ins are limited per address by the test clock (which stands still): exactly 10 are let through.
const h = useApi({ cardApp: true, setup: async (t) => ({ setup: { rateClock: () => t.clock.now().getTime() } }) });
const chrome = useChromium();

const OPERATOR = { email: 'ops@platform.test', password: 'operator password 1' };
const OWNER_PASSWORD = 'the owner password 1';
const shot = async (page: Page, name: string) => writeFileSync(path.join(SCREENSHOTS, `admin-operator-${name}.png`), await page.screenshot({ fullPage: true }));

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A 401 of "who am I" before signing in is the browser's own log line, not the page's error.
  page.on('console', (m) => (m.type() === 'error' && !m.text().startsWith('Failed to load resource') ? errors.push(m.text()) : null));
  return errors;
}

/** What the database says of a business, counted here apart from the operator's query. */
async function dbFigures(businessId: string, memberIds: string[], api: ReturnType<typeof h.client>) {
  const count = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where business_id = ${businessId}`.execute(h.t.db)).rows[0]!.n);
  let outstanding = 0;
  for (const id of memberIds) {
    const m = await api.members.get(id);
    outstanding += m.balance.available + m.balance.pending;
  }
  const owners = Number((await sql<{ n: string }>`select count(*) as n from staff where business_id = ${businessId} and role = 'owner' and status = 'active'`.execute(h.t.db)).rows[0]!.n);
  return { members: await count('members'), purchases: await count('purchases'), outstanding, owners };
}

const cell = (page: Page, businessId: string, col: string) => page.locator(`[data-testid="operator-businesses"] tr[data-business="${businessId}"] td[data-col="${col}"]`).innerText();
const rowNames = (page: Page) => page.locator('[data-testid="operator-businesses"] tbody th strong').allInnerTexts();

async function operatorSignIn(page: Page, password = OPERATOR.password): Promise<void> {
  await page.getByLabel('Эл. почта').fill(OPERATOR.email);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
}

describe('the platform operator in the panel', () => {
  it('signs in, sees every business\'s health as the database has it, creates one whose owner joins and sees only it', async () => {
    // As `kopilka operator create --email … --password …` does (src/cli/commands/setup.ts).
    await createOperator(h.t.deps, OPERATOR);

    // Two businesses with different data.
    const zerno = await createBusiness(h.t.deps, { name: 'Кофейня «Зерно»', program: { welcomeBonus: 100, earnRateBp: 500 } });
    const zernoApi = h.client(zerno.apiKey);
    const zernoMembers: string[] = [];
    const zernoPhone = nextPhone();
    for (const [i, name] of ['Ирина', 'Олег', 'Мария'].entries()) zernoMembers.push((await zernoApi.members.create({ phone: i === 0 ? zernoPhone : nextPhone(), name })).id);
    await zernoApi.purchases.create({ member: { id: zernoMembers[0]! }, amount: 100_000 });
    await zernoApi.purchases.create({ member: { id: zernoMembers[1]! }, amount: 60_000 });
    await aStaff(h, zerno.business.id, 'owner', 'Анна');
    h.t.clock.advance(3_600_000); // the bakery comes an hour later (created and last active later)
    const kolos = await createBusiness(h.t.deps, { name: 'Пекарня «Колос»', timezone: 'Asia/Yekaterinburg', program: { welcomeBonus: 20 } });
    const kolosApi = h.client(kolos.apiKey);
    const kolosMembers = [(await kolosApi.members.create({ phone: nextPhone(), name: 'Пётр' })).id];

    const zernoDb = await dbFigures(zerno.business.id, zernoMembers, zernoApi);
    const kolosDb = await dbFigures(kolos.business.id, kolosMembers, kolosApi);
    expect(zernoDb).toMatchObject({ members: 3, purchases: 2, owners: 1 });
    expect(kolosDb).toMatchObject({ members: 1, purchases: 0, owners: 0 });
    expect(zernoDb.outstanding).toBeGreaterThan(300); // the welcome bonuses and what the purchases earned

    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
    const page = await context.newPage();
    const errors = watchErrors(page);

    // A wrong password is said in words, and nothing opens.
    await page.goto(`${h.url}/admin/operator`);
    await page.getByRole('heading', { name: 'Вход оператора платформы' }).waitFor({ timeout: 15_000 });
    await operatorSignIn(page, 'not the password');
    await expect.poll(() => page.locator('[data-testid="operator-signin-status"]').innerText()).toBe('Неверная эл. почта или пароль.');
    expect(await page.locator('[data-testid="operator-businesses"]').count()).toBe(0);
    await shot(page, 'signin-error');

    // The right one: the list with each business's health, equal to the database's figures.
    await operatorSignIn(page);
    await page.locator('[data-testid="operator-businesses"] table').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="operator-me"]').innerText()).toContain(OPERATOR.email);
    expect(await rowNames(page)).toEqual(['Кофейня «Зерно»', 'Пекарня «Колос»']);
    for (const [b, db] of [[zerno.business.id, zernoDb], [kolos.business.id, kolosDb]] as const) {
      expect(await cell(page, b, 'colMembers')).toBe(String(db.members));
      expect(await cell(page, b, 'colPurchases')).toBe(String(db.purchases));
      expect(await cell(page, b, 'colOutstanding')).toBe(String(db.outstanding));
      expect(await cell(page, b, 'colStaff')).toContain(db.owners ? 'владелец вошёл' : 'владелец ещё не принял приглашение');
    }
    expect(await cell(page, kolos.business.id, 'colActivity')).not.toBe('не было'); // the welcome bonus is a ledger entry
    expect(await page.locator('[data-testid="op-count"] strong').innerText()).toBe('2');
    expect(await page.locator('[data-testid="op-members"] strong').innerText()).toBe(String(zernoDb.members + kolosDb.members));
    expect(await page.locator('[data-testid="op-backup"] strong').innerText()).toBe('ещё не делались');
    // The operator sees health only: no member's name or phone reaches the page.
    const pageText = await page.locator('body').innerText();
    for (const name of ['Ирина', 'Олег', 'Мария', 'Пётр', 'Анна']) expect(pageText).not.toContain(name);
    await shot(page, 'list');

    // Sorting and search by name.
    await page.getByLabel('Сортировка').selectOption('outstanding');
    expect(await rowNames(page)).toEqual(zernoDb.outstanding >= kolosDb.outstanding ? ['Кофейня «Зерно»', 'Пекарня «Колос»'] : ['Пекарня «Колос»', 'Кофейня «Зерно»']);
    await page.getByLabel('Сортировка').selectOption('created');
    expect(await rowNames(page)).toEqual(['Пекарня «Колос»', 'Кофейня «Зерно»']);
    await page.getByLabel('Сортировка').selectOption('members');
    expect(await rowNames(page)).toEqual(['Кофейня «Зерно»', 'Пекарня «Колос»']);
    await page.getByLabel('Сортировка').selectOption('activity');
    expect(await rowNames(page)).toEqual(['Пекарня «Колос»', 'Кофейня «Зерно»']);
    await page.getByLabel('Поиск по названию').fill('колос');
    expect(await rowNames(page)).toEqual(['Пекарня «Колос»']);
    await page.getByLabel('Поиск по названию').fill('нет такого');
    await page.getByText('Ничего не найдено.').waitFor();
    await page.getByLabel('Поиск по названию').fill('');
    await page.getByLabel('Сортировка').selectOption('name');

    // A third business: a missing owner's name is said; then the invitation link is shown, and copied.
    await page.getByLabel('Название заведения').fill('Цветочная лавка');
    await page.getByLabel('Часовой пояс').selectOption('Asia/Novosibirsk');
    await page.getByLabel('Валюта').selectOption('KZT');
    await page.locator('[data-testid="operator-create"]').click();
    await expect.poll(() => page.locator('[data-testid="operator-create-status"]').innerText()).toContain('Заполните это поле.');
    expect(await page.getByLabel('Имя владельца').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Имя владельца').fill('Ирина Цветкова');
    await page.getByLabel('Эл. почта владельца (необязательно)').fill('irina@flowers.test');
    await page.locator('[data-testid="operator-create"]').click();
    const invite = page.locator('[data-testid="owner-invite-link"]');
    await invite.waitFor({ timeout: 15_000 });
    const inviteUrl = await invite.inputValue();
    const made = Number((await sql<{ n: string }>`select count(*) as n from businesses`.execute(h.t.db)).rows[0]!.n);
    expect(made).toBe(3);
    const flowers = (await sql<{ id: string; timezone: string; currency: string }>`select id, timezone, currency from businesses where name = 'Цветочная лавка'`.execute(h.t.db)).rows[0]!;
    expect(flowers).toMatchObject({ timezone: 'Asia/Novosibirsk', currency: 'KZT' });
    expect(inviteUrl).toMatch(new RegExp(`^${h.url.replace(/[.]/g, '\\.')}/cashier/\\?b=${flowers.id}#invite=ksi_`));
    const adminUrl = await page.locator('[data-testid="owner-admin-link"]').inputValue();
    expect(adminUrl).toBe(`${h.url}/admin/?b=${flowers.id}`);
    expect(await page.locator('[data-testid="owner-invite-mail"]').getAttribute('href')).toMatch(/^mailto:irina%40flowers\.test\?subject=/);
    await page.locator('[data-testid="operator-created"]').getByRole('button', { name: 'Копировать' }).first().click();
    await page.getByText('Скопировано').first().waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(inviteUrl);
    // The list now has it, with no owner yet.
    await expect.poll(() => rowNames(page)).toEqual(['Кофейня «Зерно»', 'Пекарня «Колос»', 'Цветочная лавка']);
    expect(await cell(page, flowers.id, 'colStaff')).toContain('владелец ещё не принял приглашение');
    await shot(page, 'created');

    // The owner, in a fresh browser: the invitation (name, e-mail, password), then the panel of that business only.
    const owner = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const opage = await owner.newPage();
    const ownerErrors = watchErrors(opage);
    await opage.goto(inviteUrl);
    await opage.locator('[data-testid="invite-name"]').fill('Ирина Цветкова');
    await opage.locator('[data-testid="invite-email"]').fill('irina@flowers.test');
    await opage.locator('[data-testid="invite-password"]').fill(OWNER_PASSWORD);
    await shot(opage, 'owner-invite');
    await opage.locator('[data-testid="invite-submit"]').click();
    await expect.poll(async () => Number((await sql<{ n: string }>`select count(*) as n from staff where business_id = ${flowers.id} and role = 'owner' and status = 'active'`.execute(h.t.db)).rows[0]!.n), { timeout: 15_000 }).toBe(1);
    await opage.goto(adminUrl);
    await opage.getByLabel('Эл. почта').fill('irina@flowers.test');
    await opage.getByLabel('Пароль').fill(OWNER_PASSWORD);
    await opage.getByRole('button', { name: 'Войти' }).click();
    await opage.locator('nav.side').waitFor({ timeout: 15_000 });
    expect(await opage.locator('header .brand strong').innerText()).toBe('Цветочная лавка');
    expect(await opage.locator('nav.side a[aria-current="page"]').getAttribute('data-page')).toBe('dashboard');
    const seen = await opage.evaluate(async (ids) => {
      const me = (await (await fetch('/api/admin/session')).json()) as { business: { id: string } };
      const members = (await (await fetch(`/api/v1/members?phone=${encodeURIComponent(ids.zernoPhone)}`)).json()) as { items: unknown[] };
      const other = await fetch(`/api/v1/members/${ids.zernoMember}`);
      const operatorApi = await fetch('/api/operator/businesses');
      const operatorSession = await fetch('/api/operator/session');
      return { business: me.business.id, members: members.items.length, other: other.status, operatorApi: operatorApi.status, operatorSession: operatorSession.status };
    }, { zernoMember: zernoMembers[0]!, zernoPhone });
    expect(seen).toEqual({ business: flowers.id, members: 0, other: 404, operatorApi: 401, operatorSession: 401 });
    await shot(opage, 'owner-dashboard');
    // The owner's session opens no operator page: it asks for the operator's sign-in and shows no business.
    await opage.goto(`${h.url}/admin/operator`);
    await opage.getByRole('heading', { name: 'Вход оператора платформы' }).waitFor({ timeout: 15_000 });
    expect(await opage.locator('[data-testid="operator-businesses"]').count()).toBe(0);
    expect(await opage.locator('body').innerText()).not.toContain('Кофейня «Зерно»');
    expect(ownerErrors).toEqual([]);
    await owner.close();

    // Back on the operator's page: the owner has joined.
    await page.reload();
    await page.locator('[data-testid="operator-businesses"] table').waitFor({ timeout: 15_000 });
    expect(await cell(page, flowers.id, 'colStaff')).toContain('владелец вошёл');
    // Sign out: the page asks to sign in again and the API says so too.
    await page.locator('[data-testid="operator-sign-out"]').click();
    await page.getByRole('heading', { name: 'Вход оператора платформы' }).waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/operator/businesses')).status)).toBe(401);
    expect(errors).toEqual([]);
    await context.close();

    // Phone width, in English: one card per business, nothing wider than the screen.
    const phone = await chrome.browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'en-US', isMobile: true, hasTouch: true });
    const ppage = await phone.newPage();
    const phoneErrors = watchErrors(ppage);
    await ppage.goto(`${h.url}/admin/operator`);
    await ppage.getByRole('heading', { name: 'Platform operator sign-in' }).waitFor({ timeout: 15_000 });
    await ppage.getByLabel('Email').fill(OPERATOR.email);
    await ppage.getByLabel('Password').fill(OPERATOR.password);
    await ppage.getByRole('button', { name: 'Sign in' }).click();
    await ppage.locator('[data-testid="operator-businesses"] table').waitFor({ timeout: 15_000 });
    expect(await ppage.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const firstRow = ppage.locator(`[data-testid="operator-businesses"] tr[data-business="${zerno.business.id}"]`);
    const box = await firstRow.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(375);
    expect(await firstRow.locator('td[data-col="colMembers"]').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown, p: string): { content: string } }).getComputedStyle(el, '::before').content)).toBe('"Members: "');
    await ppage.getByLabel('Business name').scrollIntoViewIfNeeded();
    expect((await ppage.getByLabel('Business name').boundingBox())!.width).toBeLessThanOrEqual(375);
    await shot(ppage, 'phone');
    expect(phoneErrors).toEqual([]);
    await phone.close();

    // Failed sign-ins are limited: 10 quick failures are allowed, the 11th (one above + 10 here) uses the allowance up
    // (the gate is asked before the password is checked), so the attempt after it says to wait.
    const limited = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const lpage = await limited.newPage();
    await lpage.goto(`${h.url}/admin/operator`);
    await lpage.getByRole('heading', { name: 'Вход оператора платформы' }).waitFor({ timeout: 15_000 });
    const status = lpage.locator('[data-testid="operator-signin-status"]');
    for (let i = 0; i < 10; i++) {
      await operatorSignIn(lpage, `wrong ${i}`);
      await expect.poll(() => status.innerText()).toBe('Неверная эл. почта или пароль.');
      await status.evaluate((el) => (el.textContent = ''));
    }
    await operatorSignIn(lpage, 'wrong again');
    await expect.poll(() => status.innerText()).toBe('Слишком много неудачных попыток входа. Подождите 1 с и попробуйте снова.');
    await shot(lpage, 'rate-limited');
    await limited.close();
  });
});
