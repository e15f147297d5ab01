// The business's rules as integrators see them (percentages, not basis points), read and changed as a whole.
import {
  DomainError,
  bpToPercent,
  changeProgram,
  isValidTimeZone,
  percentToBp,
  type Business,
  type Program,
  type Tier,
  type Question,
  type Referral,
  type Reward,
  type Branding,
  type NotificationSettings,
  type NotificationSettingsChange,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';

export interface TierView {
  id: string;
  name: string;
  minTotalSpent: number;
  earnPercent: number;
  maxRedeemPercent: number;
}

export interface ProgramView {
  pointsName: string;
  currency: string;
  timezone: string;
  earnPercent: number;
  maxRedeemPercent: number;
  minPurchaseToEarn: number;
  welcomeBonus: number;
  pointsLifetimeDays: number | null;
  activationDelayDays: number;
  pointValue: number;
  tierWindowDays: number | null;
  lateReceiptWindowDays: number;
  tiers: TierView[];
  infoText: string;
  questionnaire: Question[];
  referral: Referral;
  rewards: Reward[];
  branding: Branding;
  notifications: NotificationSettings;
}

export type ProgramChange = Partial<Omit<ProgramView, 'tiers' | 'questionnaire' | 'referral' | 'branding' | 'notifications'>> & {
  notifications?: NotificationSettingsChange | undefined;
  questionnaire?: { id: string; type: Question['type']; label?: string | undefined; required?: boolean | undefined }[] | undefined;
  referral?: Partial<Referral> | undefined;
  branding?: Partial<Branding> | undefined;
  tiers?: { id?: string | undefined; name: string; minTotalSpent: number; earnPercent: number | string; maxRedeemPercent: number | string }[] | undefined;
};

export function programView(b: Business): ProgramView {
  const p = b.program;
  return {
    pointsName: p.pointsName,
    currency: b.currency,
    timezone: b.timezone,
    earnPercent: bpToPercent(p.earnRateBp),
    maxRedeemPercent: bpToPercent(p.maxRedeemBp),
    minPurchaseToEarn: p.minPurchaseToEarn,
    welcomeBonus: p.welcomeBonus,
    pointsLifetimeDays: p.pointsLifetimeDays,
    activationDelayDays: p.activationDelayDays,
    pointValue: p.pointValue,
    tierWindowDays: p.tierWindowDays,
    lateReceiptWindowDays: p.lateReceiptWindowDays,
    tiers: p.tiers.map((t) => ({ id: t.id, name: t.name, minTotalSpent: t.minTotalSpent, earnPercent: bpToPercent(t.earnRateBp), maxRedeemPercent: bpToPercent(t.maxRedeemBp) })),
    infoText: p.infoText,
    questionnaire: p.questionnaire.map((q) => ({ ...q })),
    referral: { ...p.referral },
    rewards: p.rewards.map((r) => ({ ...r })),
    branding: { ...p.branding },
    notifications: structuredClone(p.notifications),
  };
}

export async function getProgram(deps: AppDeps, businessId: string): Promise<ProgramView> {
  return deps.uow.run(async (repos) => programView(await loadBusiness(repos, businessId)));
}

const stripUndefined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const currencies = new Set(Intl.supportedValuesOf('currency'));

/** Applies a partial change; every problem with the result is reported at once (invalid_program). */
export async function updateProgram(deps: AppDeps, input: { businessId: string; change: ProgramChange }): Promise<ProgramView> {
  const c = input.change;
  const problems: string[] = [];
  const bp = (v: number | string | undefined, field: string): number | undefined => {
    if (v === undefined) return undefined;
    const r = typeof v === 'number' || typeof v === 'string' ? percentToBp(v) : null;
    if (r === null) problems.push(`${field} must be a number from 0 to 100 with at most two decimals`);
    return r ?? undefined;
  };
  const change: Partial<Omit<Program, 'notifications'>> & { notifications?: NotificationSettingsChange } = {};
  const set = <K extends keyof Program>(k: K, v: Program[K] | undefined) => {
    if (v !== undefined) change[k] = v;
  };
  set('pointsName', c.pointsName);
  set('earnRateBp', bp(c.earnPercent, 'earnPercent'));
  set('maxRedeemBp', bp(c.maxRedeemPercent, 'maxRedeemPercent'));
  set('minPurchaseToEarn', c.minPurchaseToEarn);
  set('welcomeBonus', c.welcomeBonus);
  set('pointsLifetimeDays', c.pointsLifetimeDays);
  set('activationDelayDays', c.activationDelayDays);
  set('pointValue', c.pointValue);
  set('tierWindowDays', c.tierWindowDays);
  set('lateReceiptWindowDays', c.lateReceiptWindowDays);
  set('infoText', c.infoText);
  set('questionnaire', c.questionnaire?.map((q) => ({ id: q.id, type: q.type, label: q.label ?? '', required: q.required ?? false })));
  set('rewards', c.rewards?.map((r) => ({ id: r.id, title: r.title, points: r.points })));
  if (c.timezone !== undefined && !isValidTimeZone(c.timezone)) problems.push(`timezone "${c.timezone}" is not an IANA time zone such as Europe/Moscow`);
  const currency = c.currency?.toUpperCase();
  if (currency !== undefined && !currencies.has(currency)) problems.push(`currency "${c.currency}" is not an ISO 4217 code such as RUB`);

  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    if (c.tiers !== undefined) {
      const used = new Set<string>();
      change.tiers = c.tiers.map((t, i): Tier => {
        // A tier keeps its id (purchases refer to it); a new tier gets the first free "tier-N".
        // A duplicate id given by the caller is kept, so validation reports it rather than renaming it silently.
        let id = t.id ?? business.program.tiers.find((old) => old.name === t.name && !used.has(old.id))?.id;
        for (let n = i + 1; id === undefined || (t.id === undefined && used.has(id)); n++) id = used.has(`tier-${n}`) ? undefined : `tier-${n}`;
        used.add(id);
        return { id, name: t.name, minTotalSpent: t.minTotalSpent, earnRateBp: bp(t.earnPercent, `tiers[${i}].earnPercent`) ?? 0, maxRedeemBp: bp(t.maxRedeemPercent, `tiers[${i}].maxRedeemPercent`) ?? 0 };
      });
    }
    if (currency !== undefined && currency !== business.currency && (await repos.businesses.hasPurchases(business.id))) {
      problems.push('currency cannot change once purchases are recorded in the old one');
    }
    // Referral and branding change field by field; the rest of each stays as it was.
    if (c.referral !== undefined) change.referral = { ...business.program.referral, ...stripUndefined(c.referral) };
    if (c.branding !== undefined) change.branding = { ...business.program.branding, ...stripUndefined(c.branding) };
    if (c.notifications !== undefined) change.notifications = c.notifications;
    let program: Program = business.program;
    try {
      program = changeProgram(business.program, change);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      problems.push(...((e.details.problems as string[] | undefined) ?? [e.message]));
    }
    if (problems.length > 0) throw new DomainError('invalid_program', problems.join('; '), { problems });
    const updated: Business = { ...business, program, timezone: c.timezone ?? business.timezone, currency: currency ?? business.currency };
    await repos.businesses.update(updated);
    await repos.outbox.add({ businessId: business.id, type: 'program.updated', payload: { program: programView(updated) } }, deps.clock.now());
    return programView(updated);
  });
}
