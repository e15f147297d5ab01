// API keys: "kop_<prefix>_<secret>"; only a SHA-256 of the whole key is stored (keys are long and random, so a
// fast hash is enough), and the key is shown once, when it is created.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError, invalid, type Repositories } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function parseApiKeyPrefix(key: string): string | null {
  const m = /^kop_([a-f0-9]{10})_[A-Za-z0-9_-]{32}$/.exec(key);
  return m?.[1] ?? null;
}

export async function issueApiKey(
  repos: Repositories,
  deps: AppDeps,
  input: { businessId: string; name: string; locationId: string | null },
): Promise<{ id: string; prefix: string; key: string }> {
  const prefix = randomBytes(5).toString('hex');
  const key = `kop_${prefix}_${randomBytes(24).toString('base64url')}`;
  const id = deps.newId();
  await repos.apiKeys.insert({
    id,
    businessId: input.businessId,
    name: input.name,
    prefix,
    secretHash: hashApiKey(key),
    locationId: input.locationId,
    createdAt: deps.clock.now(),
  });
  return { id, prefix, key };
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  locationId: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export async function createApiKey(
  deps: AppDeps,
  input: { businessId: string; name?: string | undefined; locationId?: string | null | undefined },
): Promise<ApiKeyView & { key: string }> {
  const name = (input.name ?? 'default').trim();
  if (name.length < 1 || name.length > 100) throw invalid('key name must be 1–100 characters', { field: 'name' });
  const locationId = input.locationId ?? null;
  if (locationId !== null && !UUID_RE.test(locationId)) throw invalid('location is not a valid id', { field: 'locationId' });
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    if (locationId !== null && !(await repos.businesses.locationExists(business.id, locationId))) {
      throw invalid('location is not a location of this business', { field: 'locationId' });
    }
    const issued = await issueApiKey(repos, deps, { businessId: business.id, name, locationId });
    return { id: issued.id, name, prefix: issued.prefix, locationId, createdAt: deps.clock.now().toISOString(), revokedAt: null, key: issued.key };
  });
}

export async function listApiKeys(deps: AppDeps, businessId: string): Promise<ApiKeyView[]> {
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    const keys = await repos.apiKeys.list(business.id);
    return keys.map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      locationId: k.locationId,
      createdAt: k.createdAt.toISOString(),
      revokedAt: k.revokedAt?.toISOString() ?? null,
    }));
  });
}

export async function revokeApiKey(deps: AppDeps, input: { businessId: string; keyId: string }): Promise<void> {
  await deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const done = UUID_RE.test(input.keyId) && (await repos.apiKeys.revoke(business.id, input.keyId, deps.clock.now()));
    if (!done) throw new DomainError('validation_failed', `No live API key ${String(input.keyId).slice(0, 40)} in this business`, { field: 'keyId' });
  });
}

export interface ApiKeyIdentity {
  businessId: string;
  keyId: string;
  locationId: string | null;
}

/** The business (and location) a presented key speaks for, or null for an unknown, malformed or revoked key. */
export async function authenticateApiKey(deps: AppDeps, presented: string): Promise<ApiKeyIdentity | null> {
  const prefix = typeof presented === 'string' ? parseApiKeyPrefix(presented) : null;
  if (!prefix) return null;
  const record = await deps.uow.run((repos) => repos.apiKeys.findByPrefix(prefix));
  if (!record || record.revokedAt) return null;
  const expected = Buffer.from(record.secretHash, 'hex');
  const actual = Buffer.from(hashApiKey(presented), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { businessId: record.businessId, keyId: record.id, locationId: record.locationId };
}
