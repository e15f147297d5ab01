// The embedded PostgreSQL the test run shares when DATABASE_URL is not set.
import { chmod } from 'node:fs/promises';
import { silentLogger } from '../../src/config/logger.js';
import { openEmbedded } from '../../src/store/embedded/launcher.js';

export async function startEmbeddedForTests(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  await chmod(dir, 0o711); // as root PostgreSQL runs as `postgres`, which must pass through the mkdtemp dir
  const db = await openEmbedded(dir, { owner: 'cli', log: silentLogger });
  return { url: db.url, stop: db.close };
}
