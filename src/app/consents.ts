// Consents a member gives or withdraws (personal-data processing, marketing messages), each kept with its time,
// the version of the text shown and the channel, never overwritten.
import { DomainError, invalid, type ConsentKind } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';

export interface ConsentView {
  kind: ConsentKind;
  granted: boolean;
  textVersion: string;
  channel: string;
  at: string;
}

const KINDS: readonly ConsentKind[] = ['personal_data', 'marketing'];

export async function recordConsent(
  deps: AppDeps,
  input: { businessId: string; memberId: string; kind: ConsentKind; granted: boolean; textVersion: string; channel: string },
): Promise<ConsentView[]> {
  if (!KINDS.includes(input.kind)) throw invalid(`kind must be one of ${KINDS.join(', ')}`, { field: 'kind' });
  if (typeof input.granted !== 'boolean') throw invalid('granted must be true or false', { field: 'granted' });
  if (typeof input.textVersion !== 'string' || !/^[\w.-]{1,40}$/.test(input.textVersion)) throw invalid('textVersion must be 1–40 letters, digits, . _ or -', { field: 'textVersion' });
  if (typeof input.channel !== 'string' || !/^[a-z_]{1,20}$/.test(input.channel)) throw invalid('channel must be 1–20 lowercase letters', { field: 'channel' });
  const at = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const member = UUID_RE.test(input.memberId) ? await repos.members.get(business.id, input.memberId) : null;
    if (!member) throw new DomainError('member_not_found');
    await repos.members.addConsent({ businessId: business.id, memberId: member.id, kind: input.kind, granted: input.granted, textVersion: input.textVersion, channel: input.channel, at });
    return (await repos.members.consents(business.id, member.id)).map((c) => ({ kind: c.kind, granted: c.granted, textVersion: c.textVersion, channel: c.channel, at: c.at.toISOString() }));
  });
}

/** The member's latest answer per kind of consent. */
export async function memberConsents(deps: AppDeps, input: { businessId: string; memberId: string }): Promise<ConsentView[]> {
  return deps.uow.run(async (repos) =>
    (await repos.members.consents(input.businessId, input.memberId)).map((c) => ({ kind: c.kind, granted: c.granted, textVersion: c.textVersion, channel: c.channel, at: c.at.toISOString() })),
  );
}
