// The branding contrast check in headless Chromium: in Settings an accent that does not read (#ffe066) and white
// text on a pale card are shown with their contrast and a warning, still saved as chosen (the panel does not refuse),
// and "use a readable shade" puts in a colour that reads (≥ 4.5:1), which is saved too; in the set-up wizard the same
// check on the colours step, and the wizard's colours become the program's. Screenshots: branding-*.png.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupToken } from '../../src/app/setup.js';
import { contrastRatio, cssColorToHex } from '../../web/shared/color.js';
import { useApi } from '../support/apiServer.js';
import { launchChromium, SCREENSHOTS } from '../support/chromium.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';

const h = useApi({ cardApp: true });
const AXE = readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const shot = async (page: Page, name: string) => writeFileSync(path.join(SCREENSHOTS, `branding-${name}.png`), await page.screenshot({ fullPage: true }));

/** Serious and critical WCAG 2 A/AA problems axe-core finds inside `selector`. */
async function axe(page: Page, selector: string): Promise<string[]> {
  if (!(await page.evaluate('Boolean(window.axe)'))) await page.addScriptTag({ content: AXE });
  return (await page.evaluate(`(async () => {
    const r = await window.axe.run({ include: [${JSON.stringify(selector)}] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | '));
  })()`)) as string[];
}

const ratioOf = async (page: Page, id: string) => Number(await page.locator(`[data-testid="contrast-${id}"]`).getAttribute('data-ratio'));
const rowClass = (page: Page, id: string) => page.locator(`[data-testid="contrast-${id}"]`).getAttribute('class');

describe('the branding contrast check', () => {
  it('Settings: warns about colours that do not read, saves them anyway, and offers a readable shade', async () => {
    const shop = await h.business({});
    const owner = await aStaff(h, shop.id, 'owner', 'Владелец');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU', bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.url}/admin/?b=${shop.id}`);
    await page.getByLabel(/Эл. почта|Email/).fill(owner.email);
    await page.getByLabel(/Пароль|Password/).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: /Войти|Sign in/ }).click();
    await page.locator('[data-testid="fig-members"]').waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: 'Настройки' }).click();
    const form = page.locator('form[data-testid="branding"]');
    await form.waitFor({ timeout: 15_000 });

    // The defaults read: no warning.
    expect(await rowClass(page, 'accent')).toContain('ok');
    expect(await rowClass(page, 'card')).toContain('ok');
    expect(await form.locator('.contrast-warn').count()).toBe(0);

    const accent = form.locator('input[name="accentColor"]');
    await accent.fill('#ffe066');
    await form.locator('input[name="cardColor"]').fill('#fff3b0');
    await form.locator('input[name="cardTextColor"]').fill('#ffffff');
    expect(await rowClass(page, 'accent')).toContain('low');
    expect(await ratioOf(page, 'accent')).toBeLessThan(1.5);
    expect(await page.locator('[data-testid="contrast-accent"]').innerText()).toMatch(/контраст 1,3:1[\s\S]*Трудно читать/);
    expect(await rowClass(page, 'card')).toContain('low');
    // The live card shows what customers will see: the text in a shade that reads on the pale card.
    const previewText = cssColorToHex((await page.evaluate(`getComputedStyle(document.querySelector('[data-testid="card-preview"]')).color`)) as string)!;
    expect(previewText).not.toBe('#ffffff');
    expect(contrastRatio('#fff3b0', previewText)).toBeGreaterThanOrEqual(4.5);
    await shot(page, 'settings-low');
    expect(await axe(page, 'form[data-testid="branding"]')).toEqual([]);

    // Not refused: saved as chosen.
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await form.locator('.status.ok').waitFor();
    expect((await shop.api.program.get()).branding).toMatchObject({ accentColor: '#ffe066', cardColor: '#fff3b0', cardTextColor: '#ffffff' });

    // "Use a readable shade": colours that read, shown in the check and the preview, and saved.
    await page.locator('[data-testid="contrast-fix-accent"]').click();
    await page.locator('[data-testid="contrast-fix-card"]').click();
    const fixedAccent = await accent.inputValue();
    const fixedText = await form.locator('input[name="cardTextColor"]').inputValue();
    expect(fixedAccent).not.toBe('#ffe066');
    expect(contrastRatio('#ffffff', fixedAccent)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#fff3b0', fixedText)).toBeGreaterThanOrEqual(4.5);
    expect(await rowClass(page, 'accent')).toContain('ok');
    expect(await rowClass(page, 'card')).toContain('ok');
    expect(await form.locator('.contrast-said').innerText()).toContain(fixedText);
    await shot(page, 'settings-fixed');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(async () => (await shop.api.program.get()).branding).toMatchObject({ accentColor: fixedAccent, cardColor: '#fff3b0', cardTextColor: fixedText });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the wizard: the colours step has the same check, and its colours become the program's", async () => {
    const { token } = await issueSetupToken(h.t.deps);
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'ru-RU', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${h.url}/admin/setup#token=${token}`);
    await page.getByRole('heading', { name: 'Заведение' }).waitFor({ timeout: 15_000 });
    await page.getByLabel('Название', { exact: true }).fill('Чайная «Лист»');
    expect(await rowClass(page, 'accent')).toContain('ok'); // the default accent reads
    await page.getByLabel('Акцентный цвет (кнопки, ссылки)').fill('#ffe066');
    expect(await rowClass(page, 'accent')).toContain('low');
    await shot(page, 'wizard-low');
    expect(await axe(page, '[data-testid="setup-colours"]')).toEqual([]);
    await page.locator('[data-testid="contrast-fix-accent"]').click();
    const fixed = await page.getByLabel('Акцентный цвет (кнопки, ссылки)').inputValue();
    expect(contrastRatio('#ffffff', fixed)).toBeGreaterThanOrEqual(4.5);
    // A pale card with white text: warned, and kept as chosen.
    await page.getByLabel('Цвет карты', { exact: true }).fill('#fff3b0');
    expect(await rowClass(page, 'card')).toContain('low');
    await page.getByRole('button', { name: 'Далее' }).click();
    await page.getByRole('heading', { name: 'Программа' }).waitFor();
    await page.getByRole('button', { name: 'Далее' }).click();
    await page.getByRole('heading', { name: 'Боты' }).waitFor();
    await page.getByRole('button', { name: 'Далее' }).click();
    await page.getByRole('heading', { name: 'Владелец' }).waitFor();
    await page.getByLabel('Ваше имя').fill('Ия');
    await page.getByLabel('Эл. почта').fill('iya@list.test');
    await page.getByLabel('Пароль', { exact: true }).fill('correct horse battery');
    await page.getByLabel('Пароль ещё раз').fill('correct horse battery');
    await page.getByRole('button', { name: 'Создать' }).click();
    const done = page.locator('[data-testid="setup-done"]');
    await done.waitFor({ timeout: 15_000 });
    const businessId = new URL((await page.locator('[data-testid="cashier-link"]').getAttribute('href'))!).searchParams.get('b')!;
    const business = await h.t.deps.uow.run((repos) => repos.businesses.get(businessId));
    expect(business?.program.branding).toMatchObject({ accentColor: fixed, cardColor: '#fff3b0', cardTextColor: '#ffffff' });
    await context.close();
  });
});
