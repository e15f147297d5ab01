// What the card app shows, in one answer (the first screen waits for nothing else): the business and its branding,
// the card (QR token, number), points, redemption share, totals, tier and progress, rewards, profile, invite link.
import { DomainError, bpToPercent, localDateOf, nextTier, ratesFor, type Business, type Member, type Repositories } from '../core/index.js';
import { effectiveInfoHtml, weekdayOf, type DayHours, type SocialKind, type Weekday } from '../core/businessProfile.js';
import type { AppDeps } from './deps.js';
import { detailsOf } from './findMembers.js';
import { loadBusiness, tierSpend } from './members.js';
import { profileOf as businessProfileOf } from './updateBusinessProfile.js';
import { issueQrToken } from './qrTokens.js';
import { referralCodeOf } from './referrals.js';
import { vkConnectUrlFor } from './vkMembers.js';

/** The QR changes every minute and each token is accepted for 3 minutes, so a screenshot is useless soon after. */
export const CARD_QR_TTL_SECONDS = 180;
export const CARD_QR_REFRESH_SECONDS = 60;

export interface CardBusinessView {
  id: string;
  name: string;
  pointsName: string;
  branding: { logoUrl: string | null; accentColor: string; cardColor: string; cardTextColor: string };
  botUsername: string | null;
}

export interface CardProfileView {
  name: string | null;
  birthday: string | null;
  email: string | null;
  phone: string;
  answers: Record<string, string>;
  consents: { personalDataAt: string | null; marketing: boolean };
}

/** The Info page (sanitised HTML, shown as it is) and the business profile, with the business's weekday today. */
export interface CardInfoView {
  html: string;
  address: string;
  mapUrl: string | null;
  phone: string | null;
  socialLinks: { kind: SocialKind; url: string }[];
  hours: { days: Record<Weekday, DayHours | null>; note: string } | null;
  today: Weekday;
}

export interface CardViewResult {
  business: CardBusinessView & { infoText: string };
  info: CardInfoView;
  member: {
    id: string;
    cardNumber: string;
    name: string | null;
    tier: { id: string; name: string } | null;
    balance: { available: number; pending: number; expiringSoon: { points: number; expiresAt: string }[] };
    totalSpent: number;
    purchasesCount: number;
  };
  profile: CardProfileView;
  questions: { id: string; type: 'name' | 'birthday' | 'email' | 'text'; label: string; required: boolean }[];
  program: { earnPercent: number; maxRedeemPercent: number; pointsLifetimeDays: number | null; pointValue: number; currency: string; timezone: string };
  nextTier: { name: string; missing: number } | null;
  rewards: { id: string; title: string; points: number; available: boolean }[];
  referral: { link: string; inviterBonus: number; friendBonus: number } | null;
  /** The member's VK account is linked: the business's VK community writes to them. */
  vkConnected: boolean;
  /** A one-time link (valid VK_CONNECT_MINUTES) that connects VK by writing to the business's community; null without a community or once connected. */
  vkConnectUrl: string | null;
  qr: { token: string; expiresAt: string; expiresInSeconds: number; refreshAfterSeconds: number };
}

async function customerBotOf(repos: Repositories, businessId: string): Promise<string | null> {
  return (await repos.bots.live(businessId)).find((b) => b.role === 'customer')?.username ?? null;
}

const businessView = (b: Business, botUsername: string | null): CardBusinessView => ({
  id: b.id,
  name: b.name,
  pointsName: b.program.pointsName,
  branding: { ...b.program.branding },
  botUsername,
});

/** The business as the sign-in page shows it, before anyone signs in. */
export async function cardBusiness(deps: AppDeps, businessId: string): Promise<CardBusinessView> {
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    return businessView(business, await customerBotOf(repos, business.id));
  });
}

export async function profileOf(repos: Repositories, m: Member): Promise<CardProfileView> {
  const consents = await repos.members.consents(m.businessId, m.id);
  const pd = consents.find((c) => c.kind === 'personal_data');
  return {
    name: m.name,
    birthday: m.birthday,
    email: m.email,
    phone: m.phone,
    answers: { ...m.answers },
    consents: { personalDataAt: pd?.granted ? pd.at.toISOString() : null, marketing: consents.find((c) => c.kind === 'marketing')?.granted ?? false },
  };
}

export async function cardView(deps: AppDeps, input: { businessId: string; memberId: string }): Promise<CardViewResult> {
  const now = deps.clock.now();
  const view = await deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const m = await repos.members.get(business.id, input.memberId);
    if (!m) throw new DomainError('member_not_found');
    if (m.blocked) throw new DomainError('member_blocked', 'The member is blocked; ask them to contact the shop');
    const [details] = await detailsOf(repos, business, [m], now);
    if (!details) throw new DomainError('member_not_found');
    const botUsername = await customerBotOf(repos, business.id);
    const code = botUsername ? await referralCodeOf(repos, business, m) : null;
    const p = business.program;
    const tier = p.tiers.find((t) => t.id === details.tier?.id) ?? null;
    const rates = ratesFor(p, tier);
    // Progress is measured on the same spend that decides the tier (the tier window, when the program has one).
    const next = nextTier(p, await tierSpend(repos, business, m, now));
    const profile = await businessProfileOf(repos, business.id);
    const result: Omit<CardViewResult, 'qr'> = {
      business: { ...businessView(business, botUsername), infoText: p.infoText },
      info: { html: effectiveInfoHtml(profile.infoHtml, p.infoText), address: profile.address, mapUrl: profile.mapUrl, phone: profile.phone, socialLinks: profile.socialLinks, hours: profile.hours, today: weekdayOf(localDateOf(now, business.timezone)) },
      member: { id: m.id, cardNumber: m.cardNumber, name: m.name, tier: details.tier, balance: details.balance, totalSpent: m.totalSpent, purchasesCount: m.purchasesCount },
      profile: await profileOf(repos, m),
      questions: p.questionnaire.map((q) => ({ ...q })),
      program: { earnPercent: bpToPercent(rates.earnRateBp), maxRedeemPercent: bpToPercent(rates.maxRedeemBp), pointsLifetimeDays: p.pointsLifetimeDays, pointValue: p.pointValue, currency: business.currency, timezone: business.timezone },
      nextTier: next ? { name: next.tier.name, missing: next.missing } : null,
      rewards: p.rewards.map((r) => ({ id: r.id, title: r.title, points: r.points, available: details.balance.available >= r.points })),
      referral: code && botUsername ? { link: `https://t.me/${botUsername}?start=ref_${code}`, inviterBonus: p.referral.inviterBonus, friendBonus: p.referral.friendBonus } : null,
      vkConnected: m.vkUserId !== null,
      vkConnectUrl: m.vkUserId === null ? ((await vkConnectUrlFor(repos, { businessId: business.id, memberId: m.id }, now))?.url ?? null) : null,
    };
    return result;
  });
  return { ...view, qr: await cardQr(deps, input) };
}

/** A fresh QR token for the card (the app asks every minute). */
export async function cardQr(deps: AppDeps, input: { businessId: string; memberId: string }): Promise<CardViewResult['qr']> {
  const qr = await issueQrToken(deps, { businessId: input.businessId, memberId: input.memberId, ttlSeconds: CARD_QR_TTL_SECONDS });
  return { token: qr.token, expiresAt: qr.expiresAt, expiresInSeconds: CARD_QR_TTL_SECONDS, refreshAfterSeconds: CARD_QR_REFRESH_SECONDS };
}
