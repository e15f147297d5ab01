// API keys: "kop_<prefix>_<secret>"; only a SHA-256 of the whole key is stored (keys are long and random).
import { createHash, randomBytes } from 'node:crypto';
import type { Repositories } from '../core/index.js';
import type { AppDeps } from './deps.js';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function parseApiKeyPrefix(key: string): string | null {
  const m = /^kop_([a-z0-9]{10})_[A-Za-z0-9_-]{32,}$/.exec(key);
  return m?.[1] ?? null;
}

export async function issueApiKey(
  repos: Repositories,
  deps: AppDeps,
  input: { businessId: string; name: string; locationId: string | null },
): Promise<string> {
  const prefix = randomBytes(8).toString('hex').slice(0, 10);
  const key = `kop_${prefix}_${randomBytes(24).toString('base64url')}`;
  await repos.apiKeys.insert({
    id: deps.newId(),
    businessId: input.businessId,
    name: input.name,
    prefix,
    secretHash: hashApiKey(key),
    locationId: input.locationId,
    createdAt: deps.clock.now(),
  });
  return key;
}
