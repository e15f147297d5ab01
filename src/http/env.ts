// What the API's middleware puts on each request's context.
import type { AppDeps } from '../app/deps.js';
import type { StaffMember } from '../core/index.js';

/** An integrator's API key (Authorization: Bearer). */
export interface ApiKeyCaller {
  kind: 'api_key';
  businessId: string;
  keyId: string;
  /** A key tied to one location records purchases there. */
  locationId: string | null;
}

/** A staff member signed in to the admin panel (the kopilka_session cookie); each route's permission applies. */
export interface StaffCaller {
  kind: 'staff';
  businessId: string;
  /** 'staff:<id>': the rate limiter's key. */
  keyId: string;
  /** Staff are held by their role's permissions, not by a key's location. */
  locationId: null;
  staff: StaffMember;
}

export type Caller = ApiKeyCaller | StaffCaller;

export interface ApiEnv {
  Variables: {
    caller: Caller;
    /** The use cases' dependencies for this caller (with the business's test clock, when enabled). */
    deps: AppDeps;
  };
}
