// The business profile (issue 7, R32): name, address with a map link, phone, social links, opening hours and the
// Info page as sanitised rich text. Read whole; changed field by field, checked as a whole (every problem at once,
// nothing written on any), audited when something actually changed — the same change twice writes once.
import { DomainError, normalizePhone, type Repositories } from '../core/index.js';
import {
  EMPTY_BUSINESS_PROFILE,
  MAX_BUSINESS_NAME,
  WEEKDAYS,
  checkBusinessProfile,
  effectiveInfoHtml,
  infoTextOf,
  normalizeSocialUrl,
  type BusinessProfile,
  type DayHours,
  type OpeningHours,
  type SocialKind,
  type Weekday,
} from '../core/businessProfile.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';
import { programView } from './program.js';
import { sanitizeInfoHtml } from './richText.js';
import { actorOf, type StaffCaller } from './staff.js';

export interface BusinessProfileView {
  id: string;
  name: string;
  address: string;
  mapUrl: string | null;
  phone: string | null;
  socialLinks: { kind: SocialKind; url: string }[];
  hours: { days: Record<Weekday, DayHours | null>; note: string } | null;
  /** The Info page as customers see it (sanitised HTML). */
  infoHtml: string;
  /** Its plain-text form (the bot; also PATCH /program's older infoText). */
  infoText: string;
}

export interface BusinessProfileChange {
  name?: string | undefined;
  address?: string | undefined;
  mapUrl?: string | null | undefined;
  phone?: string | null | undefined;
  socialLinks?: { kind: SocialKind; url: string }[] | undefined;
  /** Replaces the hours as a whole; a day left out is closed. null: no hours shown. */
  hours?: { days: Partial<Record<Weekday, { open: string; close: string; overnight?: boolean | undefined } | null>>; note?: string | undefined } | null | undefined;
  /** Any HTML: it is cleaned (only simple formatting and safe links stay) before it is stored. */
  infoHtml?: string | undefined;
}

/** The profile stored for the business, or the empty one. */
export async function profileOf(repos: Repositories, businessId: string): Promise<BusinessProfile> {
  const stored = await repos.businesses.profile(businessId);
  if (!stored) return structuredClone(EMPTY_BUSINESS_PROFILE);
  // jsonb keeps keys in its own order: rebuilt in ours, so that comparing and answering are stable.
  const p = { ...EMPTY_BUSINESS_PROFILE, ...stored };
  return {
    address: p.address,
    mapUrl: p.mapUrl,
    phone: p.phone,
    socialLinks: p.socialLinks.map((l) => ({ kind: l.kind, url: l.url })),
    hours: p.hours ? hoursOf(p.hours) : null,
    infoHtml: p.infoHtml,
  };
}

function view(id: string, name: string, infoText: string, p: BusinessProfile): BusinessProfileView {
  return {
    id,
    name,
    address: p.address,
    mapUrl: p.mapUrl,
    phone: p.phone,
    socialLinks: p.socialLinks.map((l) => ({ ...l })),
    hours: p.hours ? { days: structuredClone(p.hours.days), note: p.hours.note } : null,
    infoHtml: effectiveInfoHtml(p.infoHtml, infoText),
    infoText,
  };
}

export async function getBusinessProfile(deps: AppDeps, businessId: string): Promise<BusinessProfileView> {
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    return view(business.id, business.name, business.program.infoText, await profileOf(repos, business.id));
  });
}

function hoursOf(h: NonNullable<BusinessProfileChange['hours']>): OpeningHours {
  const days = {} as Record<Weekday, DayHours | null>;
  for (const d of WEEKDAYS) {
    const x = h.days[d];
    days[d] = x ? { open: x.open, close: x.close, overnight: x.overnight ?? false } : null;
  }
  return { days, note: (h.note ?? '').trim() };
}

export async function updateBusinessProfile(deps: AppDeps, caller: StaffCaller, input: { businessId: string; change: BusinessProfileChange }): Promise<BusinessProfileView> {
  const c = input.change;
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const before = await profileOf(repos, business.id);
    const problems: string[] = [];
    const name = c.name === undefined ? business.name : c.name.trim();
    if (name.length < 1 || name.length > MAX_BUSINESS_NAME) problems.push(`name must be 1–${MAX_BUSINESS_NAME} characters`);

    const next: BusinessProfile = { ...before };
    if (c.address !== undefined) next.address = c.address.trim();
    if (c.mapUrl !== undefined) next.mapUrl = c.mapUrl === null || c.mapUrl.trim() === '' ? null : c.mapUrl.trim();
    if (c.phone !== undefined) {
      next.phone = null;
      if (c.phone !== null && c.phone.trim() !== '') {
        try {
          next.phone = normalizePhone(c.phone, business.region);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          problems.push(`phone "${c.phone.slice(0, 40)}" is not a phone number`);
        }
      }
    }
    if (c.socialLinks !== undefined) next.socialLinks = c.socialLinks.map((l) => ({ kind: l.kind, url: normalizeSocialUrl(l.kind, l.url) ?? l.url }));
    if (c.hours !== undefined) next.hours = c.hours === null ? null : hoursOf(c.hours);
    let infoText = business.program.infoText;
    if (c.infoHtml !== undefined) {
      next.infoHtml = sanitizeInfoHtml(c.infoHtml);
      infoText = infoTextOf(next.infoHtml);
    } else {
      // The page as it shows now (a later plain infoText from PATCH /program wins), kept with the rest.
      next.infoHtml = effectiveInfoHtml(before.infoHtml, infoText);
    }
    checkBusinessProfile(next, problems);
    if (problems.length > 0) throw new DomainError('invalid_business_profile', problems.join('; '), { problems });

    const shown: BusinessProfile = { ...before, infoHtml: effectiveInfoHtml(before.infoHtml, business.program.infoText) };
    const changed: string[] = (Object.keys(next) as (keyof BusinessProfile)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(shown[k]));
    if (name !== business.name) changed.unshift('name');
    if (changed.length === 0) return view(business.id, business.name, business.program.infoText, before);

    await repos.businesses.setProfile(business.id, next);
    if (name !== business.name || infoText !== business.program.infoText) {
      const updated = { ...business, name, program: { ...business.program, infoText } };
      await repos.businesses.update(updated);
      if (infoText !== business.program.infoText) {
        await repos.outbox.add({ businessId: business.id, type: 'program.updated', payload: { program: programView(updated) } }, now);
      }
    }
    await repos.staff.addAudit({ businessId: business.id, at: now, ...actorOf(caller), action: 'business.profile_changed', memberId: null, points: null, issuedPoints: 0, amount: null, details: { fields: changed } });
    return view(business.id, name, infoText, next);
  });
}
