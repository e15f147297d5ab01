import type { Actor } from '../../core/index.js';
import type { Caller } from '../env.js';
import { HttpError } from '../errors.js';

export const actorOf = (caller: Caller): Actor => (caller.kind === 'staff' ? { type: 'staff', id: caller.staff.id } : { type: 'api_key', id: caller.keyId });

/** Who made a thing, as stored (a broadcast's createdBy). */
export const createdByOf = (caller: Caller): string => (caller.kind === 'staff' ? `staff:${caller.staff.id}` : `api_key:${caller.keyId}`);

/** A key tied to one location is a till's: it may not change the business's rules or its webhooks. */
export function requireBusinessKey(caller: Caller): void {
  if (caller.locationId) throw new HttpError(403, 'forbidden', 'This API key is tied to one location; changing the program or webhooks needs a business-wide key');
}
