// `kopilka migrate`: apply pending migrations and exit.
import type { Config } from '../../config/config.js';
import type { Logger } from '../../config/logger.js';
import { withApp } from '../compose.js';

export async function migrateCommand(config: Config, log: Logger): Promise<void> {
  await withApp(config, log, async ({ applied, database }) => {
    if (applied.length === 0) console.log(`The database is up to date (${database.location}).`);
    else console.log(`Applied ${applied.length} migration(s) to ${database.location}:\n${applied.map((m) => `  ${m}`).join('\n')}`);
  });
}
