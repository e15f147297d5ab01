// Bearer API keys: the key names its business (and maybe a location). Verified keys are remembered briefly, so a
// busy till costs one database check per key every few seconds, not one per request.
import { createHash } from 'node:crypto';
import { authenticateApiKey } from '../app/apiKeys.js';
import type { AppDeps } from '../app/deps.js';
import type { ApiKeyCaller } from './env.js';

export interface Authenticator {
  authenticate(header: string | undefined): Promise<ApiKeyCaller | null>;
}

export function apiKeyAuthenticator(deps: AppDeps, cacheMs: number): Authenticator {
  const cache = new Map<string, { caller: ApiKeyCaller; until: number }>();
  return {
    async authenticate(header) {
      const m = header ? /^Bearer\s+(\S{1,200})\s*$/i.exec(header) : null;
      if (!m?.[1]) return null;
      const key = m[1];
      const digest = createHash('sha256').update(key).digest('base64');
      const hit = cache.get(digest);
      const now = performance.now();
      if (hit && hit.until > now) return hit.caller;
      const found = await authenticateApiKey(deps, key);
      if (!found) {
        cache.delete(digest);
        return null;
      }
      const identity: ApiKeyCaller = { kind: 'api_key', ...found };
      if (cacheMs > 0) {
        if (cache.size > 10_000) cache.clear();
        cache.set(digest, { caller: identity, until: now + cacheMs });
      }
      return identity;
    },
  };
}
