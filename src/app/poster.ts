// What the "scan to join" poster shows: the business's name and colours, the points' name, and the link its QR code
// opens — the customer bot in Telegram when one is connected, else the card app's sign-up page.
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';

export interface PosterData {
  businessName: string;
  pointsName: string;
  link: string;
  via: 'telegram' | 'card';
  branding: { accentColor: string; cardColor: string; cardTextColor: string };
}

export async function posterData(deps: AppDeps, input: { businessId: string; cardBase: string }): Promise<PosterData> {
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const bot = (await repos.bots.live(business.id)).find((b) => b.role === 'customer');
    const { accentColor, cardColor, cardTextColor } = business.program.branding;
    return {
      businessName: business.name,
      pointsName: business.program.pointsName,
      link: bot ? `https://t.me/${bot.username}` : `${input.cardBase}?b=${business.id}`,
      via: bot ? 'telegram' : 'card',
      branding: { accentColor, cardColor, cardTextColor },
    };
  });
}
