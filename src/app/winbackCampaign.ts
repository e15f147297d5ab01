// The win-back campaign: a member whose last purchase was the configured number of days ago (or more) gets a
// message and, optionally, gift points, once per lapse — a new purchase starts a new one.
import { addDays, localDateOf, startOfLocalDay, winbackDue, type Business } from '../core/index.js';
import { runAutomaticCampaign, type AutomaticCampaign, type CampaignRun } from './automaticCampaign.js';
import type { AppDeps } from './deps.js';

export const winbackCampaign: AutomaticCampaign = {
  kind: 'winback',
  name: 'Win-back',
  reason: 'Win-back gift',
  settings: (b: Business) => {
    const w = b.program.notifications.winback;
    return { enabled: w.enabled, bonus: w.bonus, validDays: w.bonusValidDays, controlPercent: w.controlPercent };
  },
  async due(repos, business, today) {
    const tz = business.timezone;
    const { afterDays } = business.program.notifications.winback;
    // Last purchase on or before today - afterDays, in the business's local dates.
    const before = startOfLocalDay(addDays(today, 1 - afterDays), tz);
    const found = await repos.campaignJobs.winbackCandidates(business.id, before);
    return found.flatMap((m) => {
      const lastPurchaseOn = localDateOf(m.lastPurchaseAt, tz);
      const lastWinbackOn = m.lastWinbackAt ? localDateOf(m.lastWinbackAt, tz) : null;
      return winbackDue(lastPurchaseOn, lastWinbackOn, today, afterDays) ? [{ memberId: m.memberId, occurrence: lastPurchaseOn, language: m.language }] : [];
    });
  },
  mark: (repos, business, m, now) => repos.campaignJobs.markWinback(business.id, m.memberId, now),
};

/** Runs the business's win-back campaign for today, if it is on and due (once per local day, at `sendAt`). */
export function runWinbackCampaign(deps: AppDeps, businessId: string): Promise<CampaignRun> {
  return runAutomaticCampaign(deps, businessId, winbackCampaign);
}
