// The settings page's rules in headless Chromium: the owner edits tiers (adds them, sees each tier's example, a
// threshold order that does not go up is refused by its field and nothing is saved, rows move by keyboard), turns on
// referral (the server's refusal of two zero bonuses is shown by the field), sets rewards, the questionnaire, birthday
// and win-back, the channel order (moved with the keyboard), and checks that a reload shows it all and that the API
// and the database hold it. Then the message channels: SMS.ru set up with a write-only key and a test send through
// the provider's stand-in; an SMTP address the server refuses is shown by its field.
// Screenshots go to test-results/screenshots/settings-*.png. (A manager's "no access" is in admin.browser.test.ts.)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredSenders } from '../../src/notify/channels/configured.js';
import { DEFAULT_PROVIDER_ENDPOINTS } from '../../src/notify/channels/endpoints.js';
import { useApi } from '../support/apiServer.js';
import { launchChromium, SCREENSHOTS } from '../support/chromium.js';
import { startSmsProviders, type SmsStandIn } from '../support/smsProviders.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';

let sms: SmsStandIn;
let browser: Browser;
beforeAll(async () => {
  sms = await startSmsProviders();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await sms?.close();
});

const senders = { current: null as ReturnType<typeof configuredSenders> | null };
const h = useApi({
  cardApp: true,
  setup: async () => {
    senders.current = configuredSenders({ ...DEFAULT_PROVIDER_ENDPOINTS, smsRuApiRoot: sms.url, smscApiRoot: sms.url, timeoutMs: 5000 });
    return { channelTest: (c, m) => senders.current!.senderFor(c).send(m), close: async () => senders.current?.close() };
  },
});

async function shot(page: Page, name: string): Promise<void> {
  writeFileSync(path.join(SCREENSHOTS, `settings-${name}.png`), await page.screenshot({ fullPage: true }));
}

async function openSettings(page: Page, businessId: string, email: string): Promise<void> {
  await page.goto(`${h.url}/admin/?b=${businessId}`);
  await page.getByLabel(/Эл. почта|Email/).fill(email);
  await page.getByLabel(/Пароль|Password/).fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: /Войти|Sign in/ }).click();
  await page.locator('[data-testid="fig-members"]').waitFor({ timeout: 15_000 });
  await page.getByRole('link', { name: 'Настройки' }).click();
  await page.locator('[data-testid="tiers"]').waitFor();
}

const AXE = readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');

/** Serious and critical WCAG 2 A/AA problems axe-core finds on the page as it is now. */
async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate('Boolean(window.axe)'))) await page.addScriptTag({ content: AXE });
  return (await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | '));
  })()`)) as string[];
}

const focused = (page: Page) => page.evaluate("document.activeElement?.getAttribute('aria-label') ?? ''");
const storedProgram = async (businessId: string) => (await h.t.db.selectFrom('businesses').select('program').where('id', '=', businessId).executeTakeFirstOrThrow()).program as Record<string, any>;

describe('the settings page', () => {
  it('owner: tiers with previews and per-field refusal, referral, rewards, questionnaire, campaigns, channel order; a reload shows them; the API and the DB hold them', async () => {
    const shop = await h.business({ earnRateBp: 500, maxRedeemBp: 3000 });
    const owner = await aStaff(h, shop.id, 'owner', 'Владелец');
    // bypassCSP: only so that the test may inject axe-core.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU', bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' && !m.text().startsWith('Failed to load resource') ? errors.push(m.text()) : null));
    await openSettings(page, shop.id, owner.email);

    // Tiers: one added, its example follows what is typed.
    const tiers = page.locator('[data-testid="tiers"]');
    expect(await tiers.getByText('Уровней нет').count()).toBe(1);
    await tiers.getByRole('button', { name: 'Добавить уровень' }).click();
    const t1 = tiers.getByRole('group', { name: 'Уровень 1', exact: true });
    expect(await page.evaluate('document.activeElement?.name')).toBe('tierName');
    await t1.getByLabel('Название уровня').fill('Серебро');
    await t1.getByLabel('Порог, сумма покупок').fill('10 000');
    await t1.getByLabel('Начисление в уровне, %').fill('7');
    await t1.getByLabel('Оплата баллами в уровне, %').fill('40');
    const p1 = t1.locator('[data-testid="tier-preview"]');
    await expect.poll(() => p1.innerText()).toMatch(/^от 10\s000\s₽ за всё время: покупка на 1\s000\s₽ принесёт 70 баллы; баллами — не больше 400\s₽$/);
    await tiers.getByLabel('Окно подсчёта покупок, дней (пусто — за всё время)').fill('365');
    await expect.poll(() => p1.innerText()).toMatch(/^от 10\s000\s₽ за 365 дн\.: покупка на 1\s000\s₽ принесёт 70 баллы/);

    // A second tier below the first's threshold: refused at its field while typing, and on saving nothing is sent.
    await tiers.getByRole('button', { name: 'Добавить уровень' }).click();
    const t2 = tiers.getByRole('group', { name: 'Уровень 2', exact: true });
    await t2.getByLabel('Название уровня').fill('Золото');
    await t2.getByLabel('Порог, сумма покупок').fill('5000');
    await t2.getByLabel('Начисление в уровне, %').fill('10');
    await t2.getByLabel('Оплата баллами в уровне, %').fill('50');
    const t2Threshold = t2.getByLabel('Порог, сумма покупок');
    await expect.poll(() => t2Threshold.getAttribute('aria-invalid')).toBe('true');
    expect(await t2.locator('.field-error:visible').allInnerTexts()).toEqual(['Порог должен быть больше, чем у уровня выше.']);
    expect(await t1.locator('.field-error:visible').count()).toBe(0);
    await tiers.getByRole('button', { name: 'Сохранить' }).click();
    await tiers.getByText('Исправьте отмеченные поля — ничего не сохранено.').waitFor();
    expect(await page.evaluate('document.activeElement?.name')).toBe('tierThreshold');
    await shot(page, 'tiers-refused');
    expect(await axe(page)).toEqual([]);
    expect((await shop.api.program.get()).tiers).toEqual([]);

    // A duplicate name is refused too; then the rows fixed and moved with the keyboard (the problem follows the row).
    await t2.getByLabel('Название уровня').fill('Серебро');
    await expect.poll(() => t2.locator('.field-error:visible').allInnerTexts()).toEqual(['Такое название уже есть у другого уровня.', 'Порог должен быть больше, чем у уровня выше.']);
    await t2.getByLabel('Название уровня').fill('Золото');
    await t2Threshold.fill('50 000');
    await expect.poll(() => tiers.locator('.field-error:visible').count()).toBe(0);
    await expect.poll(() => t2.locator('[data-testid="tier-preview"]').innerText()).toMatch(/^от 50\s000\s₽ за 365 дн\.: покупка на 1\s000\s₽ принесёт 100 баллы; баллами — не больше 500\s₽$/);
    await tiers.getByRole('button', { name: 'Уровень 2: Выше' }).focus();
    await page.keyboard.press('Enter');
    expect(await tiers.getByRole('group', { name: 'Уровень 1', exact: true }).getByLabel('Название уровня').inputValue()).toBe('Золото');
    expect(await focused(page)).toBe('Уровень 1: Ниже');
    await expect.poll(() => tiers.getByRole('group', { name: 'Уровень 2', exact: true }).locator('.field-error:visible').allInnerTexts()).toEqual(['Порог должен быть больше, чем у уровня выше.']);
    await page.keyboard.press('Enter');
    expect(await tiers.getByRole('group', { name: 'Уровень 1', exact: true }).getByLabel('Название уровня').inputValue()).toBe('Серебро');
    await expect.poll(() => tiers.locator('.field-error:visible').count()).toBe(0);
    await tiers.getByRole('button', { name: 'Сохранить' }).click();
    await tiers.getByText('Сохранено', { exact: true }).waitFor();

    // Referral: both bonuses 0 is the server's refusal, said by the field; then 100 for the friend, 200 for the inviter.
    const referral = page.locator('[data-testid="referral"]');
    const refPreview = referral.locator('[data-testid="referral-preview"]');
    expect(await refPreview.innerText()).toBe('Приглашения выключены — ссылок для друзей нет.');
    await referral.getByLabel('Приглашения включены').check();
    await referral.getByLabel('Бонус пригласившему').fill('0');
    await referral.getByLabel('Бонус другу').fill('0');
    await referral.getByRole('button', { name: 'Сохранить' }).click();
    await referral.getByText('Сервер не принял настройки — ничего не сохранено.').waitFor();
    expect(await referral.locator('.field-error:visible').allInnerTexts()).toEqual(['Дайте бонус хотя бы одной стороне или выключите приглашения.']);
    expect(await referral.getByLabel('Приглашения включены').getAttribute('aria-invalid')).toBe('true');
    expect((await shop.api.program.get()).referral.enabled).toBe(false);
    await referral.getByLabel('Бонус пригласившему').fill('200');
    await referral.getByLabel('Бонус другу').fill('100');
    expect(await refPreview.innerText()).toBe('Друг получит 100 баллы, вы — 200 баллы после его первой покупки.');
    await referral.getByRole('button', { name: 'Сохранить' }).click();
    await referral.getByText('Сохранено', { exact: true }).waitFor();
    expect(await referral.locator('.field-error:visible').count()).toBe(0);

    // Rewards, a questionnaire question and the late-receipt window.
    const rewards = page.locator('[data-testid="rewards"]');
    await rewards.getByRole('button', { name: 'Добавить подарок' }).click();
    const r1 = rewards.getByRole('group', { name: 'Подарок 1', exact: true });
    await r1.getByLabel('Название подарка').fill('Капучино');
    await r1.getByLabel('Цена в баллах').fill('0');
    await rewards.getByRole('button', { name: 'Сохранить' }).click();
    expect(await r1.locator('.field-error:visible').allInnerTexts()).toEqual(['Нужно целое число баллов от 1.']);
    await r1.getByLabel('Цена в баллах').fill('150');
    await rewards.getByRole('button', { name: 'Сохранить' }).click();
    await rewards.getByText('Сохранено', { exact: true }).waitFor();
    const questions = page.locator('[data-testid="questionnaire"]');
    const q1 = questions.getByRole('group', { name: 'Вопрос 1', exact: true });
    expect(await q1.getByLabel('Что спросить').inputValue()).toBe('birthday'); // the default questionnaire
    await questions.getByRole('button', { name: 'Добавить вопрос' }).click();
    const q2 = questions.getByRole('group', { name: 'Вопрос 2', exact: true });
    await q2.getByLabel('Что спросить').selectOption('birthday');
    await questions.getByRole('button', { name: 'Сохранить' }).click();
    expect(await q2.locator('.field-error:visible').allInnerTexts()).toEqual(['Такой вопрос уже есть — он может быть только один.']);
    await q2.getByLabel('Что спросить').selectOption('text');
    await questions.getByRole('button', { name: 'Сохранить' }).click();
    expect(await q2.locator('.field-error:visible').allInnerTexts()).toEqual(['Для своего вопроса нужен текст.']);
    await q2.getByLabel('Текст вопроса').fill('Любимый напиток?');
    await q2.getByLabel('Обязательный').check();
    await questions.getByRole('button', { name: 'Сохранить' }).click();
    await questions.getByText('Сохранено', { exact: true }).waitFor();
    const receipts = page.locator('[data-testid="receipts"]');
    await receipts.getByRole('spinbutton').fill('3');
    await receipts.getByRole('button', { name: 'Сохранить' }).click();
    await receipts.getByText('Сохранено', { exact: true }).waitFor();

    // Messages: e-mail moved to the top with the keyboard, VK not used, later sending, no redemption notices, English.
    const notices = page.locator('[data-testid="notices"]');
    const order = () => notices.locator('[data-testid="channel-order"] li').evaluateAll((ls) => ls.map((l) => (l as unknown as { dataset: { channel?: string } }).dataset.channel));
    expect(await order()).toEqual(['telegram', 'vk', 'sms', 'email']);
    await notices.getByRole('button', { name: 'Эл. почта: выше' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    expect(await order()).toEqual(['telegram', 'email', 'vk', 'sms']);
    expect(await focused(page)).toBe('Эл. почта: выше');
    await page.keyboard.press('Enter');
    expect(await order()).toEqual(['email', 'telegram', 'vk', 'sms']);
    expect(await focused(page)).toBe('Эл. почта: ниже'); // "up" is off at the top: the focus stays on the item
    await notices.getByLabel('Использовать ВКонтакте').uncheck();
    await notices.getByLabel('Время отправки напоминаний и поздравлений').fill('10:30');
    await notices.getByLabel('Сообщать о списании').uncheck();
    await notices.getByLabel('Язык сообщений (если клиент не выбрал свой)').selectOption('en');
    await notices.getByRole('button', { name: 'Сохранить' }).click();
    await notices.getByText('Сохранено', { exact: true }).waitFor();

    // Campaigns: a control group over 50 % is refused by its field; then birthday and win-back on.
    const campaigns = page.locator('[data-testid="campaigns"]');
    const birthday = campaigns.locator('[data-testid="birthday"]');
    const winback = campaigns.locator('[data-testid="winback"]');
    await birthday.getByLabel('Поздравлять с днём рождения').check();
    await birthday.getByLabel('Подарок ко дню рождения, баллов').fill('200');
    await birthday.getByLabel('Подарочные баллы действуют, дней').fill('7');
    await birthday.getByLabel('Контрольная группа, % (без подарка)').fill('60');
    await winback.getByLabel('Возвращать ушедших клиентов').check();
    await winback.getByLabel('Написать, если нет покупок, дней').fill('60');
    await winback.getByLabel('Подарок вернувшемуся, баллов').fill('150');
    await winback.getByLabel('Подарок вернувшемуся действует, дней').fill('14');
    await winback.getByLabel('Контрольная группа, % (без подарка)').fill('0');
    await campaigns.getByLabel('В отчёте кампании покупка считается возвратом в течение, дней').fill('30');
    await campaigns.getByRole('button', { name: 'Сохранить' }).click();
    expect(await birthday.locator('.field-error:visible').allInnerTexts()).toEqual(['Нужно целое число от 0 до 50.']);
    expect((await shop.api.program.get()).notifications.birthday.enabled).toBe(false);
    await birthday.getByLabel('Контрольная группа, % (без подарка)').fill('10');
    expect(await birthday.locator('[data-testid="birthday-preview"]').innerText()).toBe('В день рождения клиент получит 200 баллы на 7 дн.; 10 % клиентов — контрольная группа без подарка.');
    expect(await winback.locator('[data-testid="winback-preview"]').innerText()).toBe('Кто не покупал 60 дн., получит 150 баллы на 14 дн.; 0 % — контрольная группа.');
    await shot(page, 'campaigns');
    await campaigns.getByRole('button', { name: 'Сохранить' }).click();
    await campaigns.getByText('Сохранено', { exact: true }).waitFor();
    await shot(page, 'all');
    expect(await axe(page)).toEqual([]);

    // What the API and the database hold.
    const program = await shop.api.program.get();
    expect(program.tiers.map(({ name, minTotalSpent, earnPercent, maxRedeemPercent }) => ({ name, minTotalSpent, earnPercent, maxRedeemPercent }))).toEqual([
      { name: 'Серебро', minTotalSpent: 1_000_000, earnPercent: 7, maxRedeemPercent: 40 },
      { name: 'Золото', minTotalSpent: 5_000_000, earnPercent: 10, maxRedeemPercent: 50 },
    ]);
    expect(program).toMatchObject({
      tierWindowDays: 365,
      lateReceiptWindowDays: 3,
      referral: { enabled: true, inviterBonus: 200, friendBonus: 100 },
      rewards: [{ id: 'reward-1', title: 'Капучино', points: 150 }],
      questionnaire: [{ id: 'birthday', type: 'birthday', label: '', required: false }, { id: 'text-2', type: 'text', label: 'Любимый напиток?', required: true }],
    });
    expect(program.notifications).toMatchObject({
      language: 'en', channelOrder: ['email', 'telegram', 'sms'], sendAt: '10:30', accrualNotices: true, redemptionNotices: false, welcomeMessage: true,
      birthday: { enabled: true, bonus: 200, validDays: 7, controlPercent: 10 },
      winback: { enabled: true, afterDays: 60, bonus: 150, bonusValidDays: 14, controlPercent: 0 },
      reportWindowDays: 30,
    });
    const stored = await storedProgram(shop.id);
    expect(stored.tiers.map((t: { name: string; earnRateBp: number; minTotalSpent: number }) => [t.name, t.minTotalSpent, t.earnRateBp])).toEqual([['Серебро', 1_000_000, 700], ['Золото', 5_000_000, 1000]]);
    expect(stored.notifications.channelOrder).toEqual(['email', 'telegram', 'sms']);
    expect(stored.referral).toEqual({ enabled: true, inviterBonus: 200, friendBonus: 100 });

    // A reload shows the saved values.
    await page.reload();
    await page.locator('[data-testid="tiers"]').waitFor();
    const names = await page.locator('[data-testid="tiers"] input[name="tierName"]').evaluateAll((xs) => xs.map((x) => (x as unknown as { value: string }).value));
    expect(names).toEqual(['Серебро', 'Золото']);
    expect(await page.locator('[data-testid="tiers"] input[name="tierThreshold"]').evaluateAll((xs) => xs.map((x) => (x as unknown as { value: string }).value))).toEqual(['10000', '50000']);
    expect(await page.locator('[data-testid="tiers"] [data-testid="tier-preview"]').first().innerText()).toMatch(/за 365 дн\.: покупка на 1\s000\s₽ принесёт 70 баллы/);
    expect(await page.locator('[data-testid="referral"]').getByLabel('Приглашения включены').isChecked()).toBe(true);
    expect(await page.locator('[data-testid="referral-preview"]').innerText()).toBe('Друг получит 100 баллы, вы — 200 баллы после его первой покупки.');
    expect(await order()).toEqual(['email', 'telegram', 'sms', 'vk']);
    expect(await notices.getByLabel('Использовать ВКонтакте').isChecked()).toBe(false);
    expect(await notices.getByLabel('Время отправки напоминаний и поздравлений').inputValue()).toBe('10:30');
    expect(await notices.getByLabel('Сообщать о списании').isChecked()).toBe(false);
    expect(await birthday.getByLabel('Подарок ко дню рождения, баллов').inputValue()).toBe('200');
    expect(await winback.getByLabel('Написать, если нет покупок, дней').inputValue()).toBe('60');
    expect(await page.locator('[data-testid="rewards"]').getByLabel('Название подарка').inputValue()).toBe('Капучино');
    expect(await page.locator('[data-testid="questionnaire"]').getByLabel('Текст вопроса').evaluateAll((xs) => xs.map((x) => (x as unknown as { value: string }).value))).toEqual(['', 'Любимый напиток?']);

    // Saving the tiers again keeps their ids (no new tiers made).
    const ids = program.tiers.map((t) => t.id);
    await page.locator('[data-testid="tiers"]').getByRole('button', { name: 'Сохранить' }).click();
    await page.locator('[data-testid="tiers"]').getByText('Сохранено', { exact: true }).waitFor();
    expect((await shop.api.program.get()).tiers.map((t) => t.id)).toEqual(ids);

    // In English.
    await page.getByRole('button', { name: 'EN' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.locator('[data-testid="tiers"]').getByText('Customer tiers').waitFor();
    expect(await page.locator('[data-testid="tier-preview"]').first().innerText()).toMatch(/^from \D*10,000\D* within 365 days: a \D*1,000\D* purchase earns 70 баллы/);
    await shot(page, 'en');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('owner: SMS.ru set up with a write-only key, a test sent through it; an SMTP sender the server refuses is shown by its field', async () => {
    const shop = await h.business();
    const owner = await aStaff(h, shop.id, 'owner', 'Владелец');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openSettings(page, shop.id, owner.email);

    await page.locator('[data-testid="channel-status-telegram"]').filter({ hasText: 'Бот клиентов не подключён.' }).waitFor();
    const smsForm = page.locator('[data-testid="channel-sms"]');
    expect(await smsForm.locator('[data-testid="channel-status-sms"]').innerText()).toBe('Не подключён');
    expect(await smsForm.locator('[data-testid="channel-test-sms"]').isHidden()).toBe(true);
    await smsForm.getByLabel('Провайдер SMS').selectOption('smsru');
    await smsForm.getByLabel('api_id SMS.ru').fill(sms.smsRuApiId);
    await smsForm.getByLabel('Имя отправителя').fill('Coffee');
    await smsForm.getByRole('button', { name: 'Сохранить' }).click();
    // The form is drawn again from the answer: connected, the key's field empty with its last characters as a hint.
    const again = page.locator('[data-testid="channel-sms"]');
    await again.getByText('Сохранено', { exact: true }).waitFor();
    expect(await again.locator('[data-testid="channel-status-sms"]').innerText()).toMatch(/^Подключён, изменён /);
    expect(await again.getByLabel('api_id SMS.ru').inputValue()).toBe('');
    expect(await again.getByText(`сохранён: …${sms.smsRuApiId.slice(-4)}`).count()).toBe(1);
    expect(await again.getByText(/Адрес для обратных вызовов.*\/callbacks\/sms\//).count()).toBe(1);
    const [channel] = await shop.api.notificationChannels.list();
    expect(channel).toMatchObject({ channel: 'sms', settings: { provider: 'smsru', sender: 'Coffee', apiId: `…${sms.smsRuApiId.slice(-4)}` } });
    expect(JSON.stringify(await page.content())).not.toContain(sms.smsRuApiId);

    // Saving again without the key keeps it; the test goes through the provider.
    await again.getByLabel('Имя отправителя').fill('CoffeeBar');
    await again.getByRole('button', { name: 'Сохранить' }).click();
    const third = page.locator('[data-testid="channel-sms"]');
    await third.getByText('Сохранено', { exact: true }).waitFor();
    expect((await shop.api.notificationChannels.list())[0]!.settings).toMatchObject({ sender: 'CoffeeBar', apiId: `…${sms.smsRuApiId.slice(-4)}` });
    const before = sms.sent.length;
    await third.getByLabel('Куда отправить проверку').fill('+7 916 700-00-01');
    await third.getByRole('button', { name: 'Отправить проверку' }).click();
    await third.getByText('Провайдер принял сообщение для +79167000001.').waitFor();
    expect(sms.sent.slice(before)).toMatchObject([{ provider: 'smsru', to: '79167000001', sender: 'CoffeeBar' }]);

    // SMTP: the server refuses a sender that is not an address; the problem is shown by that field, nothing is stored.
    const email = page.locator('[data-testid="channel-email"]');
    await email.getByLabel('SMTP-сервер').fill('smtp.coffee.test');
    await email.getByLabel('Адрес отправителя').fill('not-an-address');
    await email.getByRole('button', { name: 'Сохранить' }).click();
    await email.getByText('Сервер не принял настройки — ничего не сохранено.').waitFor();
    expect(await email.getByLabel('Адрес отправителя').getAttribute('aria-invalid')).toBe('true');
    expect(await email.locator('.field-error:visible').allInnerTexts()).toEqual(['Нужен адрес эл. почты, например hello@coffee.ru.']);
    expect((await shop.api.notificationChannels.list()).map((c) => c.channel)).toEqual(['sms']);
    await shot(page, 'channels');

    // Telegram is the bots tab's: the link opens it.
    await page.getByRole('link', { name: 'Открыть ботов' }).click();
    await expect.poll(() => page.locator('[data-testid="tab-bots"]').getAttribute('aria-selected')).toBe('true');
    expect(errors).toEqual([]);
    await context.close();
  });
});
