// `kopilka demo`: fills the database with a demo coffee shop and prints what it made.
import type { Config } from '../../config/config.js';
import type { Logger } from '../../config/logger.js';
import { withApp } from '../compose.js';
import { DEMO_NAME, runDemo } from '../demo.js';

export async function demoCommand(config: Config, log: Logger, flags: { json?: boolean }): Promise<void> {
  const s = await withApp(config, log, ({ deps }) => runDemo(deps, log));
  if (flags.json) {
    console.log(JSON.stringify(s));
    return;
  }
  console.log(
    [
      `Loaded the demo business "${DEMO_NAME}"`,
      `  id:      ${s.businessId}`,
      `  API key: ${s.apiKey}`,
      `  panel:   /admin/?b=${s.businessId} — ${s.owner.email}, password ${s.owner.password} (shown once)`,
      `  ${s.members} members, ${s.purchases} purchases, ${s.redemptions} redemptions, ${s.refunds} refunds, ${s.expiredPoints} points expired`,
    ].join('\n'),
  );
}
