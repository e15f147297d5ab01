// The system's Chromium for browser tests (Debian: apt-get install -y chromium). Tests never download a browser.
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, ...CANDIDATES].find((p): p is string => Boolean(p) && existsSync(p as string));
  if (!found) throw new Error('Chromium is not installed: run `apt-get install -y chromium` (or set CHROMIUM_PATH); .ci/run does this');
  return found;
}
