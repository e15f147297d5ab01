// The typed client's team methods: staff, API keys and bots (GET/POST/PATCH/PUT/DELETE under /api/v1).
import type { z } from 'zod';
import type * as T from '../http/api/team.js';

export type TeamMember = z.output<typeof T.TeamMemberOut>;
export type StaffMemberView = z.output<typeof T.StaffOut>;
export type InvitationCreate = z.input<typeof T.InvitationCreate>;
export type Invitation = z.output<typeof T.Invitation>;
export type StaffPatch = z.input<typeof T.StaffPatch>;
export type ApiKeyCreate = z.input<typeof T.ApiKeyCreate>;
export type ApiKey = z.output<typeof T.ApiKeyOut>;
export type ApiKeyCreated = z.output<typeof T.ApiKeyCreated>;
export type Bot = z.output<typeof T.BotOut>;

type Call = <R>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) => Promise<R>;
const enc = encodeURIComponent;

export function teamMethods(call: Call) {
  return {
    staff: {
      /** Staff, and the business's locations to choose from. */
      list: () => call<{ items: TeamMember[]; locations: { id: string; name: string }[] }>('GET', '/staff'),
      invite: (input: InvitationCreate) => call<Invitation>('POST', '/staff/invitations', input),
      update: (staffId: string, change: StaffPatch) => call<StaffMemberView>('PATCH', `/staff/${enc(staffId)}`, change),
      remove: (staffId: string) => call<undefined>('DELETE', `/staff/${enc(staffId)}`),
    },
    apiKeys: {
      list: async () => (await call<{ items: ApiKey[] }>('GET', '/api-keys')).items,
      create: (input: ApiKeyCreate) => call<ApiKeyCreated>('POST', '/api-keys', input),
      revoke: (keyId: string) => call<undefined>('DELETE', `/api-keys/${enc(keyId)}`),
    },
    bots: {
      list: async () => (await call<{ items: Bot[] }>('GET', '/bots')).items,
      connect: (role: 'customer' | 'staff', token: string) => call<Bot>('PUT', `/bots/${role}`, { token }),
      disconnect: (role: 'customer' | 'staff') => call<undefined>('DELETE', `/bots/${role}`),
    },
  };
}
