// API keys: shown once, stored hashed, tied to one business (and optionally a location), revocable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLocation } from '../src/app/addLocation.js';
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from '../src/app/apiKeys.js';
import { createBusiness } from '../src/app/createBusiness.js';
import { DomainError } from '../src/core/index.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

describe('API keys', () => {
  it('authenticates the key it issued, for its business only, and never stores the key itself', async () => {
    const a = await createBusiness(t.deps, { name: 'A' });
    const b = await createBusiness(t.deps, { name: 'B' });
    expect(await authenticateApiKey(t.deps, a.apiKey)).toMatchObject({ businessId: a.business.id, locationId: null });
    expect(await authenticateApiKey(t.deps, b.apiKey)).toMatchObject({ businessId: b.business.id });
    const stored = await t.db.selectFrom('api_keys').select(['secret_hash', 'prefix']).execute();
    expect(stored.some((k) => k.secret_hash.includes(a.apiKey) || a.apiKey === k.secret_hash)).toBe(false);
    // A key with one character changed, a malformed one, and an empty one are all refused.
    const last = a.apiKey.at(-1) === 'A' ? 'B' : 'A';
    for (const bad of [a.apiKey.slice(0, -1) + last, 'kop_nope', '', 'Bearer ' + a.apiKey]) {
      expect(await authenticateApiKey(t.deps, bad)).toBeNull();
    }
  });

  it('creates keys tied to a location, lists them without secrets, and revokes them at once', async () => {
    const { business } = await createBusiness(t.deps, { name: 'C' });
    const till = await addLocation(t.deps, { businessId: business.id, name: 'Till 1' });
    const key = await createApiKey(t.deps, { businessId: business.id, name: 'till-1', locationId: till.id });
    expect(key.key).toMatch(/^kop_[a-f0-9]{10}_[A-Za-z0-9_-]{32}$/);
    expect(await authenticateApiKey(t.deps, key.key)).toMatchObject({ businessId: business.id, locationId: till.id, keyId: key.id });
    const listed = await listApiKeys(t.deps, business.id);
    expect(listed.map((k) => k.name).sort()).toEqual(['default', 'till-1']);
    expect(JSON.stringify(listed)).not.toContain(key.key);
    await revokeApiKey(t.deps, { businessId: business.id, keyId: key.id });
    expect(await authenticateApiKey(t.deps, key.key)).toBeNull();
    expect((await listApiKeys(t.deps, business.id)).find((k) => k.id === key.id)?.revokedAt).not.toBeNull();
    await expect(revokeApiKey(t.deps, { businessId: business.id, keyId: key.id })).rejects.toBeInstanceOf(DomainError);
  });

  it("refuses a location of another business and revoking another business's key", async () => {
    const d = await createBusiness(t.deps, { name: 'D' });
    const e = await createBusiness(t.deps, { name: 'E' });
    const eTill = await addLocation(t.deps, { businessId: e.business.id, name: 'E till' });
    await expect(createApiKey(t.deps, { businessId: d.business.id, locationId: eTill.id })).rejects.toMatchObject({ code: 'validation_failed' });
    const eKey = (await listApiKeys(t.deps, e.business.id))[0]!;
    await expect(revokeApiKey(t.deps, { businessId: d.business.id, keyId: eKey.id })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await authenticateApiKey(t.deps, e.apiKey)).not.toBeNull();
    await expect(createApiKey(t.deps, { businessId: d.business.id, name: '' })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
