// The typed client's member page calls: the profile (consents, channels) and "resend sign-in link". Types are the
// API's response schemas (src/http/api/memberActions.ts).
import type { z } from 'zod';
import type * as M from '../http/api/memberActions.js';

export type MemberProfile = z.output<typeof M.MemberProfile>;
export type SignInLinkSent = z.output<typeof M.SignInLinkSent>;

type Get = <T>(path: string) => Promise<T>;
type Post = <T>(path: string) => Promise<T>;

export function memberActionMethods(get: Get, post: Post) {
  const enc = encodeURIComponent;
  return {
    /** The member's consents and the channels that reach them. */
    profile: (memberId: string) => get<MemberProfile>(`/members/${enc(memberId)}/profile`),
    /** A new one-time sign-in link to the member's card, sent as a message (staff only; limited per member). */
    sendSignInLink: (memberId: string) => post<SignInLinkSent>(`/members/${enc(memberId)}/sign-in-link`),
  };
}
