// Accessibility in headless Chromium: axe-core (node_modules/axe-core, injected into the page, rules wcag2a + wcag2aa)
// runs on every main screen — the set-up wizard's steps and its final screen, the panel's sign-in (also showing an
// error), dashboard, customers, member page, broadcasts, inbox, settings, staff with its integrations and bots tabs,
// data, audit — and on the card app and the cashier screen (light and dark). Any serious or critical violation fails the test, all of
// them listed. Keyboard: Tab reaches the sign-in form and the side menu, Enter signs in and opens a page, and the
// focused element shows a visible outline. Every request goes to this server only. Screenshots: a11y-*.png.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { issueSignInToken } from '../../src/app/cardSessions.js';
import { receiveMemberMessage } from '../../src/app/chat.js';
import { issueSetupToken } from '../../src/app/setup.js';
import { inviteStaff } from '../../src/app/staff.js';
import { useApi } from '../support/apiServer.js';
import { useChromium, SCREENSHOTS } from '../support/chromium.js';
import { nextPhone } from '../support/factories.js';
import { aStaff, STAFF_PASSWORD } from '../support/staff.js';

const h = useApi({ cardApp: true });
const AXE = readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
const chrome = useChromium();

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Serious and critical WCAG 2 A/AA violations on the page as it is now, one line each; saves its screenshot. */
async function audit(page: Page, name: string): Promise<string[]> {
  writeFileSync(path.join(SCREENSHOTS, `a11y-${name}.png`), await page.screenshot({ fullPage: true }));
  if (!(await page.evaluate('Boolean(window.axe)'))) await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 6).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')) }));
  })()`)) as Violation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${name}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.join(' | ')}`);
}

/** A context as a person's browser, except that the test may inject axe despite the page's CSP. */
async function context(viewport = { width: 1280, height: 900 }): Promise<{ ctx: BrowserContext; page: Page; requests: string[]; errors: string[] }> {
  const ctx = await chrome.browser.newContext({ viewport, locale: 'ru-RU', bypassCSP: true });
  const page = await ctx.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  return { ctx, page, requests, errors };
}

/** Opens a panel address and waits until the page has drawn what its requests brought. */
async function open(page: Page, address: string, ready: string): Promise<void> {
  await page.goto(`${h.url}${address}`);
  await page.locator(ready).first().waitFor({ timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

const foreign = (urls: string[]) => urls.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== h.url);

describe('accessibility', () => {
  it('axe finds no serious or critical WCAG 2 A/AA problem on any main screen', async () => {
    const found: string[] = [];
    const allRequests: string[] = [];

    // The set-up wizard, on the fresh database, step by step.
    {
      const { token } = await issueSetupToken(h.t.deps);
      const { ctx, page, requests } = await context({ width: 1100, height: 900 });
      await page.goto(`${h.url}/admin/setup#token=${token}`);
      await page.getByRole('heading', { name: 'Заведение' }).waitFor({ timeout: 15_000 });
      found.push(...(await audit(page, 'setup-business')));
      await page.getByLabel('Название', { exact: true }).fill('Кофейня «Зерно»');
      await page.getByRole('button', { name: 'Далее' }).click();
      await page.getByRole('heading', { name: 'Программа' }).waitFor();
      found.push(...(await audit(page, 'setup-program')));
      await page.getByRole('button', { name: 'Далее' }).click();
      await page.getByRole('heading', { name: 'Боты' }).waitFor();
      found.push(...(await audit(page, 'setup-bots')));
      await page.getByRole('button', { name: 'Далее' }).click();
      await page.getByRole('heading', { name: 'Владелец' }).waitFor();
      await page.getByLabel('Ваше имя').fill('Анна');
      await page.getByLabel('Эл. почта').fill('anna@zerno.test');
      await page.getByLabel('Пароль', { exact: true }).fill('correct horse battery');
      await page.getByLabel('Пароль ещё раз').fill('correct horse');
      await page.getByRole('button', { name: 'Создать' }).click();
      await page.getByText('Пароли не совпадают.').waitFor();
      found.push(...(await audit(page, 'setup-owner-error')));
      await page.getByLabel('Пароль ещё раз').fill('correct horse battery');
      await page.getByRole('button', { name: 'Создать' }).click();
      await page.locator('[data-testid="setup-done"]').waitFor({ timeout: 15_000 });
      found.push(...(await audit(page, 'setup-done')));
      allRequests.push(...requests);
      await ctx.close();
    }

    // A shop with members, purchases and a chat message, and its owner in the panel.
    const shop = await h.business({ welcomeBonus: 100 });
    const members = [];
    for (const name of ['Ирина', 'Олег', 'Мария']) members.push(await shop.api.members.create({ phone: nextPhone(), name }));
    for (const m of members) await shop.api.purchases.create({ member: { id: m.id }, amount: 120_000 }); // (checked against the OpenAPI document)
    await shop.api.members.adjust(members[0]!.id, { points: 40, reason: 'подарок' });
    await receiveMemberMessage(h.t.deps, { businessId: shop.id, memberId: members[0]!.id, text: 'Не пришли баллы за покупку', channel: 'telegram' });
    const owner = await aStaff(h, shop.id, 'owner', 'Владелец');
    {
      const { ctx, page, requests, errors } = await context();
      await open(page, `/admin/?b=${shop.id}`, 'input[type="password"]');
      found.push(...(await audit(page, 'signin')));
      await page.getByLabel('Эл. почта').fill(owner.email);
      await page.getByLabel('Пароль').fill('not the password');
      await page.getByRole('button', { name: 'Войти' }).click();
      await page.getByText('Неверная почта или пароль.').waitFor();
      found.push(...(await audit(page, 'signin-error')));
      await page.getByLabel('Пароль').fill(STAFF_PASSWORD);
      await page.getByRole('button', { name: 'Войти' }).click();
      await page.locator('[data-testid="fig-members"]').waitFor({ timeout: 15_000 });
      await page.waitForLoadState('networkidle');
      found.push(...(await audit(page, 'dashboard')));

      const screens: [string, string, string][] = [
        ['customers', '/admin/customers', '[data-testid="members"] table'],
        ['member', `/admin/customers/${members[0]!.id}`, '[data-testid="member-balance"]'],
        ['broadcasts', '/admin/broadcasts', 'main h1'],
        ['inbox', '/admin/inbox', '[data-testid="inbox-list"] a'],
        ['inbox-thread', `/admin/inbox/${members[0]!.id}`, '[data-testid="inbox-thread"] li'],
        ['settings', '/admin/settings', '[data-testid="rules-preview"]'],
        ['staff', '/admin/staff', 'main h1'],
        ['integrations', '/admin/staff#integrations', 'main h1'],
        ['bots', '/admin/staff#bots', 'main h1'],
        ['data', '/admin/data', 'main h1'],
        ['audit', '/admin/audit', '[data-testid="audit"]'],
      ];
      for (const [name, address, ready] of screens) {
        await open(page, address, ready);
        found.push(...(await audit(page, name)));
      }
      // The phone layout (menu and dashboard).
      await page.setViewportSize({ width: 390, height: 844 });
      await open(page, '/admin/dashboard', '[data-testid="fig-members"]');
      found.push(...(await audit(page, 'dashboard-phone')));
      expect(errors).toEqual([]);
      allRequests.push(...requests);
      await ctx.close();
    }

    // The card app, signed in by a link.
    {
      const { token } = await issueSignInToken(h.t.deps, { businessId: shop.id, phone: members[1]!.phone });
      const { ctx, page, requests } = await context({ width: 390, height: 844 });
      await page.goto(`${h.url}/card/?b=${shop.id}#signin=${token}`);
      await page.locator('[data-testid="qr"]').waitFor({ state: 'visible', timeout: 15_000 });
      await page.waitForLoadState('networkidle');
      found.push(...(await audit(page, 'card')));
      await page.emulateMedia({ colorScheme: 'dark' }); // the card follows the phone's dark mode
      found.push(...(await audit(page, 'card-dark')));
      allRequests.push(...requests);
      await ctx.close();
    }

    // The cashier screen: the invitation form, then the till.
    {
      const { token } = await inviteStaff(h.t.deps, { cli: true }, { businessId: shop.id, role: 'cashier', name: 'Касса 1' });
      const { ctx, page, requests } = await context({ width: 800, height: 1000 });
      await page.goto(`${h.url}/cashier/?b=${shop.id}#invite=${token}`);
      await page.locator('input[type="password"]').waitFor({ timeout: 15_000 });
      found.push(...(await audit(page, 'cashier-invite')));
      await page.locator('input[autocomplete="name"], input[name="name"]').first().fill('Касса 1');
      await page.locator('input[type="email"]').fill(`till-a11y-${shop.id.slice(-6)}@shop.test`);
      await page.locator('input[type="password"]').fill('a long enough password');
      await page.locator('input[type="password"]').press('Enter');
      await page.locator('[data-testid="qr-file"]').waitFor({ state: 'attached', timeout: 15_000 });
      await page.waitForLoadState('networkidle');
      found.push(...(await audit(page, 'cashier')));
      await page.emulateMedia({ colorScheme: 'dark' });
      found.push(...(await audit(page, 'cashier-dark')));
      allRequests.push(...requests);
      await ctx.close();
    }

    expect(found).toEqual([]);
    // No CDN or other host at run time: every request of every screen went to this server.
    expect(allRequests.length).toBeGreaterThan(20);
    expect(foreign(allRequests)).toEqual([]);
  });

  it('keyboard: Tab reaches the sign-in form and the menu, Enter signs in and opens a page, focus is visible', async () => {
    const shop = await h.business();
    const owner = await aStaff(h, shop.id, 'owner', 'Владелец');
    const { ctx, page } = await context();
    await open(page, `/admin/?b=${shop.id}`, 'input[type="password"]');

    /** What has the focus: its tag, type, name, text and computed outline. */
    const focused = () =>
      page.evaluate(`(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const s = getComputedStyle(el);
        return { tag: el.tagName.toLowerCase(), type: el.getAttribute('type'), text: (el.textContent || '').trim(), href: el.getAttribute('href'), outline: s.outlineStyle, outlineWidth: s.outlineWidth };
      })()`) as Promise<{ tag: string; type: string | null; text: string; href: string | null; outline: string; outlineWidth: string } | null>;
    /** Presses Tab until `want` has the focus (at most `max` times); each stop on the way shows its focus. */
    const tabTo = async (want: (f: NonNullable<Awaited<ReturnType<typeof focused>>>) => boolean, max = 25) => {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const f = await focused();
        expect(f, 'Tab moved the focus to nothing').not.toBeNull();
        expect(f!.outline, `no visible focus on ${JSON.stringify(f)}`).not.toBe('none');
        expect(parseFloat(f!.outlineWidth)).toBeGreaterThan(0);
        if (want(f!)) return f!;
      }
      throw new Error('Tab did not reach the element');
    };

    await tabTo((f) => f.tag === 'input' && f.type === 'email');
    await page.keyboard.type(owner.email);
    await tabTo((f) => f.tag === 'input' && f.type === 'password', 1);
    await page.keyboard.type(STAFF_PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="fig-members"]').waitFor({ timeout: 15_000 });

    const link = await tabTo((f) => f.tag === 'a' && f.text === 'Клиенты');
    expect(link.href).toBe('/admin/customers');
    writeFileSync(path.join(SCREENSHOTS, 'a11y-keyboard-menu.png'), await page.screenshot());
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="members"]').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/admin/customers');
    await ctx.close();
  });
});
