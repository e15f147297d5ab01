// `kopilka business create`: a new business (one loyalty program) and its first API key.
import { createBusiness } from '../../app/createBusiness.js';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../config/logger.js';
import { withApp } from '../compose.js';

export interface BusinessCreateFlags {
  name: string;
  timezone?: string;
  currency?: string;
  region?: string;
  json?: boolean;
}

export async function businessCreateCommand(config: Config, log: Logger, flags: BusinessCreateFlags): Promise<void> {
  const { business, apiKey } = await withApp(config, log, ({ deps }) =>
    createBusiness(deps, { name: flags.name, timezone: flags.timezone, currency: flags.currency, region: flags.region }),
  );
  const { id, name, timezone, currency, region } = business;
  if (flags.json) {
    console.log(JSON.stringify({ id, name, timezone, currency, region, apiKey }));
    return;
  }
  console.log(
    [
      `Created business "${name}"`,
      `  id:        ${id}`,
      `  time zone: ${timezone}`,
      `  currency:  ${currency}`,
      `  region:    ${region}`,
      `  API key:   ${apiKey}`,
      'Keep the API key somewhere safe: it is shown only this once.',
    ].join('\n'),
  );
}
