// The customer edits their own profile in the card app: name, birthday, e-mail, answers to the business's text
// questions, and the marketing consent. Required questions cannot be emptied.
import { DomainError, invalid, localDateOf } from '../core/index.js';
import { checkProfile } from './createMember.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';
import { profileOf, type CardProfileView } from './cardView.js';
import { checkAnswers, missingRequired } from './questionnaire.js';

export const MARKETING_TEXT_VERSION = 'mk-1';

export interface CardProfileChange {
  name?: string | null | undefined;
  birthday?: string | null | undefined;
  email?: string | null | undefined;
  answers?: Record<string, string | null> | undefined;
  marketing?: boolean | undefined;
}

export async function updateCardProfile(deps: AppDeps, input: { businessId: string; memberId: string; change: CardProfileChange; channel?: string }): Promise<CardProfileView> {
  const c = input.change;
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const member = await repos.members.get(business.id, input.memberId);
    if (!member) throw new DomainError('member_not_found');
    if (member.blocked) throw new DomainError('member_blocked', 'The member is blocked; ask them to contact the shop');
    const merged = {
      name: c.name !== undefined ? c.name : member.name,
      birthday: c.birthday !== undefined ? c.birthday : member.birthday,
      email: c.email !== undefined ? c.email : member.email,
    };
    const profile = checkProfile(merged, localDateOf(now, business.timezone));
    const answers = { ...member.answers };
    if (c.answers !== undefined) {
      const checked = checkAnswers(business.program.questionnaire, c.answers);
      for (const [id, v] of Object.entries(c.answers)) {
        if (v === null) delete answers[id];
        else answers[id] = checked[id] as string;
      }
    }
    const updated = { ...member, ...profile, answers };
    // Only a change may not leave a required question empty; a member enrolled at the till may still lack them.
    const missing = missingRequired(business.program.questionnaire, updated).filter((q) => {
      const before = q.type === 'text' ? member.answers[q.id] : member[q.type];
      return Boolean(before) || (q.type === 'text' ? c.answers?.[q.id] !== undefined : c[q.type] !== undefined);
    });
    if (missing.length > 0) throw invalid(`${missing.map((q) => q.id).join(', ')}: required by the business`, { field: missing[0]?.type === 'text' ? `answers.${missing[0].id}` : (missing[0]?.type ?? '') });
    await repos.members.update(updated, now);
    if (c.marketing !== undefined) {
      if (typeof c.marketing !== 'boolean') throw invalid('marketing must be true or false', { field: 'marketing' });
      await repos.members.addConsent({ businessId: business.id, memberId: member.id, kind: 'marketing', granted: c.marketing, textVersion: MARKETING_TEXT_VERSION, channel: input.channel ?? 'card', at: now });
    }
    await repos.outbox.add({ businessId: business.id, type: 'member.updated', payload: { memberId: member.id, by: 'member' } }, now);
    return profileOf(repos, updated);
  });
}
