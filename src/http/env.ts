// What the API's middleware puts on each request's context.
import type { AppDeps } from '../app/deps.js';

export interface Caller {
  businessId: string;
  keyId: string;
  /** A key tied to one location records purchases there. */
  locationId: string | null;
}

export interface ApiEnv {
  Variables: {
    caller: Caller;
    /** The use cases' dependencies for this caller (with the business's test clock, when enabled). */
    deps: AppDeps;
  };
}
