// The settings page's sections beyond the rules, reminders, texts, branding and info: tiers; referral, rewards, the
// questionnaire and late receipts; messages and campaigns; the message channels (loaded on their own).
import { h } from '../../../shared/dom.js';
import type { Program } from '../../../../src/client/index.js';
import type { Ctx } from '../context.js';
import { campaignsSection, noticesSection } from './settingsCampaigns.js';
import { channelsSection } from './settingsChannels.js';
import { questionnaireSection, receiptsSection, referralSection, rewardsSection } from './settingsReferral.js';
import { tiersSection } from './settingsTiers.js';

export function extraSections(p: Program, ctx: Ctx): HTMLElement[] {
  const channels = h('div', { 'data-testid': 'channels' });
  void channelsSection(channels, ctx);
  return [tiersSection(p, ctx), referralSection(p, ctx), rewardsSection(p), questionnaireSection(p), receiptsSection(p), noticesSection(p), campaignsSection(p, ctx), channels];
}
