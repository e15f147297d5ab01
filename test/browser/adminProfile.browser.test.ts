// The business profile and the Info page in headless Chromium (issue 7, R32): the owner fills in the address, map
// link, phone, opening hours and a social link, formats the Info page in the editor (bold, a list, a link — by the
// toolbar and the keyboard) and pastes / injects a <script>, an onerror and a javascript: link; saved → the server
// keeps only the formatting; the card app (signed in as a member) shows the formatted text without any script or
// handler, with the address, the map link and the hours (today marked). Screenshots: test-results/screenshots/profile-*.png.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { issueSignInToken } from '../../src/app/cardSessions.js';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';
import { nextPhone } from '../support/factories.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';

const h = useApi({ cardApp: true });
const chrome = useChromium();

const AXE = readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');

/** Serious and critical WCAG 2 A/AA problems inside `selector`, one line each. */
async function axe(page: Page, selector: string): Promise<string[]> {
  if (!(await page.evaluate('Boolean(window.axe)'))) await page.addScriptTag({ content: AXE });
  return (await page.evaluate(`(async () => {
    const r = await window.axe.run({ include: [${JSON.stringify(selector)}] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(' | '));
  })()`)) as string[];
}

async function shot(page: Page, name: string): Promise<void> {
  writeFileSync(path.join(SCREENSHOTS, `profile-${name}.png`), await page.screenshot({ fullPage: true }));
}

// A paste of HTML as a browser delivers it (a ClipboardEvent with text/html), and HTML put straight into the editor's
// DOM (as a tampered page or an extension could): the first is cleaned by the editor, the second only by the server.
const PASTE = `(() => {
  const editor = document.querySelector('[data-testid="info-editor-text"]');
  const dt = new DataTransfer();
  dt.setData('text/html', '<p>Вставка <b>жирным</b><script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2"></p>');
  editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  editor.insertAdjacentHTML('beforeend', '<p onclick="window.__pwned = 3" style="color:red" class="x">Внедрено<script>window.__pwned = 4</script> <a href="javascript:window.__pwned = 5">плохая ссылка</a></p>');
  editor.dispatchEvent(new Event('input', { bubbles: true }));
})()`;

describe('the business profile and the Info page', () => {
  it('owner: profile + formatted Info page with a pasted script → saved clean → the card shows it, address and hours', async () => {
    const shop = await h.business({ welcomeBonus: 50 });
    const owner = await aStaff(h, shop.id, 'owner', 'Владелец');
    // bypassCSP: axe can be injected, and the card's safety below rests on the cleaning alone, not on the CSP.
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU', bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${h.url}/admin/?b=${shop.id}`);
    await page.getByLabel(/Эл. почта/).fill(owner.email);
    await page.getByLabel(/Пароль/).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'Настройки' }).click();
    const profile = page.locator('[data-testid="business-profile"]');
    await profile.waitFor({ timeout: 15_000 });

    // The profile: address, map link, phone, a social link, hours (Mon–Fri 9–21 offered; Saturday added; a note).
    await profile.getByLabel('Адрес', { exact: true }).fill('ул. Ленина, 1');
    await profile.getByLabel('Ссылка на карту').fill('https://yandex.ru/maps/-/CDaBcD');
    await profile.getByLabel('Телефон').fill('8 (495) 123-45-67');
    await profile.getByTestId('social-add').click();
    await profile.getByLabel('Куда 1').selectOption('vk');
    await profile.getByLabel('Ссылка 1', { exact: true }).fill('https://vk.com/zerno');
    await profile.getByLabel('Показывать часы работы').check();
    await profile.getByLabel('суббота: работает').check();
    await profile.getByLabel('суббота: открывается').fill('10:00');
    await profile.getByLabel('суббота: закрывается', { exact: true }).fill('18:00');
    await profile.getByLabel('пятница: закрывается', { exact: true }).fill('02:00');
    await profile.getByLabel('пятница: закрывается после полуночи').check();
    await profile.getByLabel('Примечание').fill('Санитарный день — последний четверг месяца');
    await shot(page, 'settings-profile');
    await profile.getByRole('button', { name: 'Сохранить профиль' }).click();
    await profile.getByText('Сохранено.').waitFor();
    expect(await profile.getByLabel('Телефон').inputValue()).toBe('+74951234567'); // as the server stored it

    // The Info page: typed, formatted with the toolbar (bold, list) and the keyboard (Ctrl+K for the link).
    const editorForm = page.locator('[data-testid="info-editor"]');
    const editor = page.getByTestId('info-editor-text');
    await editor.click();
    await page.keyboard.type('Добро пожаловать');
    await page.keyboard.press('Shift+Home');
    await editorForm.getByRole('button', { name: 'Жирный (Ctrl+B)' }).click();
    expect(await editorForm.getByRole('button', { name: 'Жирный (Ctrl+B)' }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('End');
    await page.keyboard.press('Control+b'); // bold off again, by the keyboard
    await page.keyboard.press('Enter');
    await editorForm.getByRole('button', { name: 'Маркированный список' }).click();
    await page.keyboard.type('Латте');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Раф');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // leaves the list
    await page.keyboard.type('Наш сайт');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Control+k');
    const url = editorForm.getByTestId('link-url');
    await expect.poll(() => url.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true);
    await url.fill('javascript:alert(1)');
    await page.keyboard.press('Enter');
    await editorForm.getByText('Ссылка должна начинаться с https://').waitFor(); // refused in the editor already
    await url.fill('https://zerno.example/menu');
    await page.keyboard.press('Enter');
    // The toolbar is one tab stop; arrows move along it.
    await editorForm.getByRole('button', { name: 'Жирный (Ctrl+B)' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('Курсив (Ctrl+I)');

    await editor.click();
    await page.keyboard.press('Control+End'); // the caret after the link: the paste goes there
    await page.keyboard.press('Enter');
    await page.evaluate(PASTE);
    const preview = editorForm.getByTestId('info-preview');
    await expect.poll(() => preview.innerHTML()).toContain('Внедрено');
    const previewHtml = await preview.innerHTML();
    expect(previewHtml).toMatch(/<b>Добро пожаловать<\/b>/);
    expect(previewHtml).toMatch(/<ul><li>Латте<\/li><li>Раф<\/li><\/ul>/);
    expect(previewHtml).toContain('<a href="https://zerno.example/menu" target="_blank" rel="noopener noreferrer nofollow">Наш сайт</a>');
    expect(previewHtml).not.toMatch(/script|onclick|onerror|javascript:|<img|style=/i);
    // The editor itself carries the injected markup: only the server can take it away.
    expect(await editor.innerHTML()).toMatch(/onclick=|<script/);
    await shot(page, 'settings-info-editor');

    await editorForm.getByRole('button', { name: 'Сохранить страницу' }).click();
    await editorForm.getByText('Сохранено. Недопустимое (скрипты, стили, картинки) убрано.').waitFor();
    const editorAfter = await editor.innerHTML();
    expect(editorAfter).not.toMatch(/script|onclick|onerror|javascript:|<img|style=/i);
    expect(editorAfter).toContain('Внедрено');

    const stored = await shop.api.business.get();
    expect(stored).toMatchObject({ address: 'ул. Ленина, 1', mapUrl: 'https://yandex.ru/maps/-/CDaBcD', phone: '+74951234567', socialLinks: [{ kind: 'vk', url: 'https://vk.com/zerno' }] });
    expect(stored.hours?.days).toMatchObject({ mon: { open: '09:00', close: '21:00', overnight: false }, fri: { open: '09:00', close: '02:00', overnight: true }, sat: { open: '10:00', close: '18:00' }, sun: null });
    expect(stored.infoHtml).toMatch(/<b>Добро пожаловать<\/b>/);
    expect(stored.infoHtml).toMatch(/<ul><li>Латте<\/li><li>Раф<\/li><\/ul>/);
    expect(stored.infoHtml).toContain('<a href="https://zerno.example/menu" target="_blank" rel="noopener noreferrer nofollow">Наш сайт</a>');
    expect(stored.infoHtml).toContain('Вставка <b>жирным</b>');
    expect(stored.infoHtml).toContain('плохая ссылка');
    expect(stored.infoHtml).not.toMatch(/script|onclick|onerror|javascript:|<img|style=|class=/i);
    expect(stored.infoText).toContain('• Латте\n• Раф');
    expect(stored.infoText).toContain('Наш сайт (https://zerno.example/menu)');
    await shot(page, 'settings-saved');
    expect(await axe(page, '.profile-sections')).toEqual([]);
    writeFileSync(path.join(SCREENSHOTS, 'profile-section.png'), await profile.screenshot());
    writeFileSync(path.join(SCREENSHOTS, 'profile-info-section.png'), await editorForm.screenshot());
    await context.close();

    // The card app, signed in as a member on a phone.
    const phone = nextPhone();
    await shop.api.members.create({ phone, name: 'Марина' });
    const { token } = await issueSignInToken(h.t.deps, { businessId: shop.id, phone });
    const card = await chrome.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'ru-RU', bypassCSP: true });
    const cardPage = await card.newPage();
    cardPage.on('pageerror', (e) => errors.push(e.message));
    await cardPage.goto(`${h.url}/card/?b=${shop.id}#signin=${token}`);
    await cardPage.locator('[data-testid="qr"]').waitFor({ state: 'visible', timeout: 15_000 });
    await cardPage.goto(`${h.url}/card/?b=${shop.id}#/info`);
    const text = cardPage.getByTestId('info-text');
    await text.waitFor({ timeout: 15_000 });
    const shown = await text.innerHTML();
    expect(shown).toMatch(/<b>Добро пожаловать<\/b>/);
    expect(shown).toMatch(/<ul><li>Латте<\/li><li>Раф<\/li><\/ul>/);
    expect(await text.getByRole('link', { name: 'Наш сайт' }).getAttribute('href')).toBe('https://zerno.example/menu');
    expect(await text.getByRole('link', { name: 'Наш сайт' }).getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(shown).not.toMatch(/script|onclick|onerror|javascript:|<img|style=/i);
    expect(await cardPage.evaluate('document.querySelectorAll("script:not([src]), [onclick], [onerror], img[src=x]").length')).toBe(0);
    expect(await cardPage.evaluate('window.__pwned')).toBeUndefined();

    const contacts = cardPage.getByTestId('info-contacts');
    expect(await contacts.getByTestId('info-address').innerText()).toContain('ул. Ленина, 1');
    expect(await contacts.getByRole('link', { name: 'Открыть на карте' }).getAttribute('href')).toBe('https://yandex.ru/maps/-/CDaBcD');
    expect(await contacts.getByTestId('info-phone').getAttribute('href')).toBe('tel:+74951234567');
    expect(await contacts.getByRole('link', { name: 'ВКонтакте' }).getAttribute('href')).toBe('https://vk.com/zerno');
    const hours = cardPage.getByTestId('info-hours');
    expect(await hours.locator('li').count()).toBe(7);
    expect(await hours.locator('[data-day="sat"]').innerText()).toContain('10:00–18:00');
    expect(await hours.locator('[data-day="fri"]').innerText()).toContain('09:00–02:00');
    expect(await hours.locator('[data-day="sun"]').innerText()).toContain('выходной');
    expect(await hours.innerText()).toContain('Санитарный день — последний четверг месяца');
    // Today (the business's day, Europe/Moscow) is the one marked.
    const today = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(h.t.clock.now().getTime() + 3 * 3_600_000).getUTCDay()];
    expect(await hours.locator('[aria-current="date"]').getAttribute('data-day')).toBe(today);
    expect(await hours.locator('[aria-current="date"]').innerText()).toContain('сегодня');
    await shot(cardPage, 'card-info');
    expect(await axe(cardPage, '.page')).toEqual([]);
    await card.close();
    expect(errors).toEqual([]);
    expect(h.checked.failures).toEqual([]);
  });
});
