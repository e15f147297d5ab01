// Builders for test data, going through the real use cases.
import type { AppDeps } from '../../src/app/deps.js';
import { createBusiness } from '../../src/app/createBusiness.js';
import { createMember } from '../../src/app/createMember.js';
import type { Program } from '../../src/core/index.js';

let phoneSeq = 0;

export function nextPhone(): string {
  phoneSeq += 1;
  return `+7912${String(1_000_000 + ((phoneSeq * 7919 + process.pid) % 9_000_000)).padStart(7, '0')}`;
}

export async function aBusiness(deps: AppDeps, program: Partial<Program> = {}, extra: { timezone?: string } = {}) {
  const { business } = await createBusiness(deps, { name: 'Test coffee', timezone: extra.timezone ?? 'Europe/Moscow', program });
  return business;
}

export async function aMember(deps: AppDeps, businessId: string, phone = nextPhone()) {
  const { member } = await createMember(deps, { businessId, phone });
  return member;
}
