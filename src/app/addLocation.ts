// Adds a shop location (a till, a branch) to a business.
import { invalid } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';

export interface LocationView {
  id: string;
  businessId: string;
  name: string;
  address: string | null;
}

export async function addLocation(deps: AppDeps, input: { businessId: string; name: string; address?: string | null }): Promise<LocationView> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length < 1 || name.length > 200) throw invalid('location name must be 1–200 characters', { field: 'name' });
  const address = input.address == null ? null : String(input.address).trim().slice(0, 500) || null;
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const location = { id: deps.newId(), businessId: business.id, name, address };
    await repos.businesses.insertLocation(location);
    return location;
  });
}
