// The birthday campaign: on a member's birthday (28 February for 29 February in other years), at the business's
// send time, bonus points valid for the configured days and a greeting, once a year. A birthday set or changed in
// the last 30 days does not count (a common way to farm the bonus): one given at sign-up counts as set then.
import { birthdayDue, birthdayIn, localDateOf, type Business } from '../core/index.js';
import { runAutomaticCampaign, type AutomaticCampaign, type CampaignRun } from './automaticCampaign.js';
import type { AppDeps } from './deps.js';

/** The birthdays ('MM-DD') that fall on `today`: its own, and 29 February on 28 February of a common year. */
export function birthdaysOn(today: string): string[] {
  const year = Number(today.slice(0, 4));
  const days = [today.slice(5)];
  if (birthdayIn(`2000-02-29`, year) === today && today.slice(5) !== '02-29') days.push('02-29');
  return days;
}

export const birthdayCampaign: AutomaticCampaign = {
  kind: 'birthday',
  name: 'Birthday',
  reason: 'Birthday bonus',
  settings: (b: Business) => b.program.notifications.birthday,
  async due(repos, business, today) {
    const year = Number(today.slice(0, 4));
    const found = await repos.campaignJobs.birthdayCandidates(business.id, birthdaysOn(today), year);
    return found
      .filter((m) =>
        birthdayDue({ birthday: m.birthday, birthdayChangedOn: m.birthdayChangedAt ? localDateOf(m.birthdayChangedAt, business.timezone) : null, lastBirthdayYear: m.lastBirthdayYear }, today),
      )
      .map((m) => ({ memberId: m.memberId, occurrence: String(year), language: m.language }));
  },
  mark: (repos, business, m) => repos.campaignJobs.markBirthday(business.id, m.memberId, Number(m.occurrence)),
};

/** Runs the business's birthday campaign for today, if it is on and due (once per local day, at `sendAt`). */
export function runBirthdayCampaign(deps: AppDeps, businessId: string): Promise<CampaignRun> {
  return runAutomaticCampaign(deps, businessId, birthdayCampaign);
}
