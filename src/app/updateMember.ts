// Changing a member's profile (name, birthday, e-mail), their VK account, or blocking them; points are untouched.
import { DomainError, SYSTEM, invalid, localDateOf, type Actor } from '../core/index.js';
import { checkProfile } from './createMember.js';
import type { AppDeps } from './deps.js';
import { detailsOf } from './findMembers.js';
import { lockMember } from './members.js';
import type { MemberDetails } from './views.js';

export interface UpdateMemberInput {
  businessId: string;
  memberId: string;
  name?: string | null | undefined;
  birthday?: string | null | undefined;
  email?: string | null | undefined;
  blocked?: boolean | undefined;
  /** The VK user id the business's VK community writes to; null unlinks. */
  vkUserId?: number | null | undefined;
  actor?: Actor;
}

export async function updateMember(deps: AppDeps, input: UpdateMemberInput): Promise<MemberDetails> {
  if (input.blocked !== undefined && typeof input.blocked !== 'boolean') throw invalid('blocked must be true or false', { field: 'blocked' });
  const vk = input.vkUserId;
  if (vk !== undefined && vk !== null && !(Number.isSafeInteger(vk) && vk > 0)) throw invalid('vkUserId must be a positive whole number (a VK user id) or null', { field: 'vkUserId' });
  const now = deps.clock.now();
  const actor = input.actor ?? SYSTEM;
  return deps.uow.run(async (repos) => {
    const { business, member } = await lockMember(repos, input.businessId, { id: input.memberId }, now, { allowBlocked: true });
    if (vk && member.erasedAt) throw new DomainError('member_not_found', 'The member\'s data was erased');
    const has = (k: 'name' | 'birthday' | 'email') => Object.prototype.hasOwnProperty.call(input, k) && input[k] !== undefined;
    const profile = checkProfile(
      { name: has('name') ? input.name : member.name, birthday: has('birthday') ? input.birthday : member.birthday, email: has('email') ? input.email : member.email },
      localDateOf(now, business.timezone),
    );
    const updated = { ...member, ...profile, blocked: input.blocked ?? member.blocked, vkUserId: vk === undefined ? member.vkUserId : vk };
    const changed = (['name', 'birthday', 'email', 'blocked', 'vkUserId'] as const).filter((k) => updated[k] !== member[k]);
    if (changed.includes('vkUserId') && !(await repos.members.setVkUser(business.id, member.id, updated.vkUserId))) {
      const owner = updated.vkUserId === null ? null : await repos.members.findByVk(business.id, updated.vkUserId);
      throw new DomainError('vk_user_taken', 'This VK account belongs to another member of the business', { memberId: owner?.id });
    }
    if (changed.length > 0) {
      await repos.members.update(updated, now);
      await repos.outbox.add({ businessId: business.id, type: 'member.updated', payload: { memberId: member.id, changed, actor } }, now);
    }
    const [details] = await detailsOf(repos, business, [updated], now);
    return details as MemberDetails;
  });
}
