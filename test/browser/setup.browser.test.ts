// The first run in headless Chromium: a fresh database (no business), a set-up link made as `kopilka start` makes
// it, the wizard filled step by step (a bad bot token checked, a bad e-mail refused by the server and shown next to
// its field), the final screen's cashier link opens a working cashier screen, and the dashboard opens signed in.
// Screenshots go to test-results/screenshots/admin-setup-*.png for review.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { isFreshInstall, issueSetupToken } from '../../src/app/setup.js';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';

const SHOTS = SCREENSHOTS;
const h = useApi({ cardApp: true });
const chrome = useChromium();

async function shot(page: Page, name: string): Promise<void> {
  writeFileSync(path.join(SHOTS, `admin-setup-${name}.png`), await page.screenshot({ fullPage: true }));
}

describe('the first-run wizard', () => {
  it('fresh start → set-up link → wizard → final screen → the cashier link works and the dashboard opens signed in', async () => {
    expect(await isFreshInstall(h.t.deps)).toBe(true);
    // As `kopilka start` does on a fresh instance (newSetupLink → setupLinkOf: <base>/admin/setup#token=…).
    const { token } = await issueSetupToken(h.t.deps);
    const link = `${h.url}/admin/setup#token=${token}`;

    const context = await chrome.browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'ru-RU', timezoneId: 'Asia/Yekaterinburg' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' && !m.text().startsWith('Failed to load resource') ? errors.push(m.text()) : null));

    await page.goto(link);
    // Step 1: the business; the browser's own time zone is suggested.
    await page.getByRole('heading', { name: 'Заведение' }).waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('Часовой пояс').inputValue()).toBe('Asia/Yekaterinburg');
    expect(await page.getByLabel('Валюта').inputValue()).toBe('RUB');
    // Next without a name: said next to the field, and the step stays.
    await page.getByRole('button', { name: 'Далее' }).click();
    await page.getByText('Заполните это поле.').waitFor();
    expect(await page.getByLabel('Название', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Название', { exact: true }).fill('Кофейня «Зерно»');
    expect(await page.getByLabel('Название', { exact: true }).getAttribute('aria-invalid')).toBeNull(); // cleared once changed
    await page.getByLabel('Адрес', { exact: true }).fill('ул. Ленина, 1');
    // A logo file over 100 KB is refused on the spot; a small one is kept as a data URL and shown.
    const logoInput = page.getByLabel('Файл логотипа (PNG, JPEG, SVG, до 100 КБ)');
    await logoInput.setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: Buffer.alloc(150 * 1024, 1) });
    await page.getByText('Файл больше 100 КБ').waitFor();
    const logo = new PNG({ width: 8, height: 8 });
    logo.data.fill(200);
    await logoInput.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG.sync.write(logo) });
    await page.locator('img.logo-preview[src^="data:image/png;base64,"]').waitFor();
    await shot(page, 'business');
    await page.getByRole('button', { name: 'Далее' }).click();

    // Step 2: the program, with the live example following the numbers.
    await page.getByRole('heading', { name: 'Программа' }).waitFor();
    const preview = page.locator('[data-testid="setup-preview"]');
    await page.getByLabel('Как называть баллы').fill('зёрна');
    await page.getByLabel('Начисление, % от покупки').fill('7');
    await expect.poll(() => preview.innerText()).toMatch(/Покупка на 1\s000\s₽ принесёт 70 зёрна/);
    await page.getByLabel('Сколько % покупки можно оплатить баллами').fill('50');
    await expect.poll(() => preview.innerText()).toMatch(/до 500\s₽/);
    await page.getByLabel('Приветственный бонус, баллов').fill('100');
    await page.getByLabel('Срок жизни баллов, дней').fill('365');
    expect(await page.getByLabel('за 4 дн.').isChecked()).toBe(true);
    await page.getByLabel('за 1 дн.').uncheck();
    await shot(page, 'program');
    await page.getByRole('button', { name: 'Далее' }).click();

    // Step 3: bots are optional; a token that is not one is said so, with the BotFather guidance.
    await page.getByRole('heading', { name: 'Боты' }).waitFor();
    await page.getByLabel('Токен бота для клиентов').fill('not a token');
    await page.locator('[data-testid="check-customer"]').click();
    await page.locator('[data-testid="bot-customer"]').getByText('Это не похоже на токен бота (123456789:AA…).').waitFor();
    expect(await page.locator('[data-testid="bot-customer"]').innerText()).toContain('@BotFather');
    await shot(page, 'bots');
    await page.getByLabel('Токен бота для клиентов').fill('');
    // A well-formed token while Telegram is out of reach (this server has no Telegram): kept, connected later.
    await page.getByLabel('Токен бота для сотрудников').fill(`700200:${'S'.repeat(35)}`);
    await page.locator('[data-testid="check-staff"]').click();
    await page.locator('[data-testid="bot-staff"]').getByText('Telegram сейчас недоступен').waitFor();
    await page.getByRole('button', { name: 'Далее' }).click();

    // Step 4: the owner. Passwords that differ are caught here; a bad e-mail by the server, next to its field.
    await page.getByRole('heading', { name: 'Владелец' }).waitFor();
    await page.getByLabel('Ваше имя').fill('Анна');
    await page.getByLabel('Эл. почта').fill('anna-at-zerno');
    await page.getByLabel('Пароль', { exact: true }).fill('correct horse battery');
    await page.getByLabel('Пароль ещё раз').fill('correct horse');
    await page.getByRole('button', { name: 'Создать' }).click();
    await page.getByText('Пароли не совпадают.').waitFor();
    await page.getByLabel('Пароль', { exact: true }).fill('short');
    await page.getByLabel('Пароль ещё раз').fill('short');
    await page.getByRole('button', { name: 'Создать' }).click();
    await page.getByText('Пароль должен быть от 10 до 200 символов.').waitFor();
    await page.getByLabel('Пароль', { exact: true }).fill('correct horse battery');
    await page.getByLabel('Пароль ещё раз').fill('correct horse battery');
    await page.getByRole('button', { name: 'Создать' }).click();
    const emailError = page.locator('#' + (await page.getByLabel('Эл. почта').getAttribute('id')) + '-err');
    await shot(page, 'bad-email');
    await expect.poll(() => emailError.innerText()).toBe('Это не адрес эл. почты.');
    expect(await page.getByLabel('Эл. почта').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'bad-email');
    expect(await isFreshInstall(h.t.deps)).toBe(true); // nothing was created

    await page.getByLabel('Эл. почта').fill('anna@zerno.test');
    await page.getByRole('button', { name: 'Создать' }).click();
    const done = page.locator('[data-testid="setup-done"]');
    await done.waitFor({ timeout: 15_000 });
    const cashierHref = await page.locator('[data-testid="cashier-link"]').getAttribute('href');
    expect(cashierHref).toMatch(new RegExp(`^${h.url}/cashier/\\?b=[0-9a-f-]+$`));
    expect(await page.locator('[data-testid="poster-png"]').getAttribute('href')).toBe(`${h.url}/api/v1/poster.png`);
    expect(await page.locator('[data-testid="card-link"]').getAttribute('href')).toMatch(/\/card\/\?b=/);
    expect(await done.innerText()).toContain('бот подключится, когда Telegram станет доступен');
    await shot(page, 'done');
    expect(await isFreshInstall(h.t.deps)).toBe(false);
    const businessId = new URL(cashierHref!).searchParams.get('b')!;
    const program = await h.t.deps.uow.run((repos) => repos.businesses.get(businessId));
    expect(program?.program).toMatchObject({ pointsName: 'зёрна', earnRateBp: 700, maxRedeemBp: 5000, welcomeBonus: 100, pointsLifetimeDays: 365, notifications: expect.objectContaining({ expiryReminderDays: [4] }) });
    expect(program?.timezone).toBe('Asia/Yekaterinburg');
    expect(program?.program.branding.logoUrl).toMatch(/^data:image\/png;base64,/);

    // The poster the final screen links to is there for the signed-in owner (checked against the OpenAPI document).
    const cookie = (await context.cookies(h.url)).map((c) => `${c.name}=${c.value}`).join('; ');
    const poster = await h.fetch(`${h.url}/api/v1/poster.png`, { headers: { cookie } });
    expect([poster.status, poster.headers.get('content-type')]).toEqual([200, 'image/png']);

    // "Go to the dashboard": signed in already.
    await page.locator('[data-testid="to-dashboard"]').click();
    await page.locator('[data-testid="fig-members"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('.brand strong').innerText()).toBe('Кофейня «Зерно»');
    await shot(page, 'dashboard');

    // The cashier link: the cashier screen loads for this business, and the owner can sign in at the till.
    await page.goto(cashierHref!);
    await page.locator('[data-testid="signin-business"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="signin-business"]').innerText()).toBe('Кофейня «Зерно»');
    await page.locator('[data-testid="signin-email"]').fill('anna@zerno.test');
    await page.locator('[data-testid="signin-password"]').fill('correct horse battery');
    await page.locator('[data-testid="signin-password"]').press('Enter');
    await page.getByRole('heading', { name: 'Найти покупателя' }).waitFor({ timeout: 15_000 });
    await shot(page, 'cashier');

    // The used link now says so.
    await page.goto(link);
    await page.locator('[data-testid="setup-bad-link"]').waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('in English at phone width, a link that is not live says what to do', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${h.url}/admin/setup#token=kst_${'x'.repeat(43)}`);
    await page.locator('[data-testid="setup-bad-link"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="setup-bad-link"]').innerText()).toContain('kopilka setup-link');
    await shot(page, 'bad-link-en');
    await context.close();
  });
});
