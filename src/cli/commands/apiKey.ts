// `kopilka api-key create|list|revoke --business ID`: the keys tills and shops use for the HTTP API.
import { createApiKey, listApiKeys, revokeApiKey } from '../../app/apiKeys.js';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../config/logger.js';
import { withApp } from '../compose.js';

export async function apiKeyCreateCommand(
  config: Config,
  log: Logger,
  flags: { business: string; name?: string; location?: string; json?: boolean },
): Promise<void> {
  const key = await withApp(config, log, ({ deps }) => createApiKey(deps, { businessId: flags.business, name: flags.name, locationId: flags.location }));
  if (flags.json) {
    console.log(JSON.stringify(key));
    return;
  }
  console.log([`Created API key "${key.name}" (${key.id})`, `  key: ${key.key}`, 'Keep it somewhere safe: it is shown only this once.'].join('\n'));
}

export async function apiKeyListCommand(config: Config, log: Logger, flags: { business: string; json?: boolean }): Promise<void> {
  const keys = await withApp(config, log, ({ deps }) => listApiKeys(deps, flags.business));
  if (flags.json) {
    console.log(JSON.stringify(keys));
    return;
  }
  for (const k of keys) {
    const state = k.revokedAt ? `revoked ${k.revokedAt}` : 'active';
    console.log(`${k.id}  kop_${k.prefix}_…  ${k.name}  ${state}${k.locationId ? `  location ${k.locationId}` : ''}`);
  }
}

export async function apiKeyRevokeCommand(config: Config, log: Logger, flags: { business: string; key: string }): Promise<void> {
  await withApp(config, log, ({ deps }) => revokeApiKey(deps, { businessId: flags.business, keyId: flags.key }));
  console.log(`Revoked API key ${flags.key}`);
}
