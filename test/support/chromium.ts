// The system's Chromium for browser tests (Debian: apt-get install -y chromium). Tests never download a browser.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, ...CANDIDATES].find((p): p is string => Boolean(p) && existsSync(p as string));
  if (!found) throw new Error('Chromium is not installed: run `apt-get install -y chromium` (or set CHROMIUM_PATH); .ci/run does this');
  return found;
}

/** Where browser tests save their screenshots (for people to look at; test-results/ is not committed). */
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');

/** Headless Chromium as every browser test runs it (as root: no sandbox; no GPU; no background traffic). */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** One Chromium for a test file: launched before its tests, closed after them. */
export function useChromium(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser(): Browser {
      if (!browser) throw new Error('Chromium is not launched yet: use it inside a test');
      return browser;
    },
  };
}
