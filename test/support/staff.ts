// Staff for tests, made the way real staff are: an invitation (from the CLI's side), accepted on the web with an
// e-mail and password, giving a signed-in staff API client.
import { inviteStaff } from '../../src/app/staff.js';
import { createStaffClient, type StaffClient } from '../../src/client/staff.js';
import type { StaffRole } from '../../src/core/index.js';
import type { ApiHarness } from './apiServer.js';

let seq = 0;
export const STAFF_PASSWORD = 'a long enough password';

export async function aStaff(h: ApiHarness, businessId: string, role: StaffRole, name = `${role} ${++seq}`): Promise<{ client: StaffClient; id: string; email: string }> {
  const { token } = await inviteStaff(h.t.deps, { cli: true }, { businessId, role, name });
  const email = `staff${++seq}.${process.pid}@shop.test`;
  const client = createStaffClient({ baseUrl: h.url });
  await client.signIn({ inviteToken: token, name, email, password: STAFF_PASSWORD });
  const me = await client.me();
  return { client, id: me.staff.id, email };
}
