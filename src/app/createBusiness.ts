// Creates a business (one loyalty program) with default rules, and its first API key (shown once, stored hashed).
import { DEFAULT_PROGRAM, changeProgram, invalid, isValidTimeZone, type Actor, type Program } from '../core/index.js';
import { isSupportedRegion } from '../core/phone.js';
import type { AppDeps } from './deps.js';
import { issueApiKey } from './apiKeys.js';

export interface CreateBusinessInput {
  name: string;
  timezone?: string | undefined;
  currency?: string | undefined;
  region?: string | undefined;
  program?: Partial<Program> | undefined;
  actor?: Actor;
}

export interface CreatedBusiness {
  business: { id: string; name: string; timezone: string; currency: string; region: string; program: Program; createdAt: string };
  apiKey: string;
}

const currencies = new Set(Intl.supportedValuesOf('currency'));

export async function createBusiness(deps: AppDeps, input: CreateBusinessInput): Promise<CreatedBusiness> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length < 1 || name.length > 200) throw invalid('name must be 1–200 characters', { field: 'name' });
  const timezone = input.timezone ?? 'Europe/Moscow';
  if (!isValidTimeZone(timezone)) throw invalid(`unknown time zone "${timezone}" (use an IANA name such as Europe/Moscow)`, { field: 'timezone' });
  const currency = (input.currency ?? 'RUB').toUpperCase();
  if (!currencies.has(currency)) throw invalid(`unknown currency "${input.currency}" (use an ISO 4217 code such as RUB)`, { field: 'currency' });
  const region = (input.region ?? 'RU').toUpperCase();
  if (!isSupportedRegion(region)) throw invalid(`unknown phone region "${input.region}" (use a country code such as RU)`, { field: 'region' });
  const program = changeProgram(DEFAULT_PROGRAM, input.program ?? {});
  const now = deps.clock.now();
  const id = deps.newId();
  return deps.uow.run(async (repos) => {
    const business = { id, name, timezone, currency, region, program, createdAt: now };
    await repos.businesses.insert(business);
    const { key: apiKey } = await issueApiKey(repos, deps, { businessId: id, name: 'default', locationId: null });
    await repos.outbox.add({ businessId: id, type: 'business.created', payload: { businessId: id, name } }, now);
    return { business: { ...business, createdAt: now.toISOString() }, apiKey };
  });
}
