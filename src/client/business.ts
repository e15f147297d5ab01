// The typed client's business profile methods: GET / PATCH /api/v1/business (name, address, map link, phone, social
// links, opening hours, the Info page as rich text cleaned by the server).
import type { z } from 'zod';
import type * as P from '../http/api/business.js';

export type BusinessProfile = z.output<typeof P.BusinessProfileOut>;
export type BusinessProfileUpdate = z.input<typeof P.BusinessProfileUpdate>;

type Get = <R>(path: string) => Promise<R>;
type Patch = <R>(path: string, body: unknown) => Promise<R>;

export function businessMethods(get: Get, patch: Patch) {
  return {
    get: () => get<BusinessProfile>('/business'),
    /** Only the fields given change; every problem at once (invalid_business_profile), nothing changed then. */
    update: (change: BusinessProfileUpdate) => patch<BusinessProfile>('/business', change),
  };
}
