// `kopilka member link --business ID --phone …`: a one-time sign-in link to the member's card (mobile web).
import { SIGN_IN_LINK_MINUTES, issueSignInToken } from '../../app/cardSessions.js';
import { baseUrlOf, type Config } from '../../config/config.js';
import type { Logger } from '../../config/logger.js';
import { withApp } from '../compose.js';

export async function memberLinkCommand(config: Config, log: Logger, flags: { business: string; phone: string; json?: boolean }): Promise<void> {
  const issued = await withApp(config, log, ({ deps }) => issueSignInToken(deps, { businessId: flags.business, phone: flags.phone }));
  const link = `${baseUrlOf(config)}/card/?b=${flags.business}#signin=${issued.token}`;
  if (flags.json) console.log(JSON.stringify({ link, memberId: issued.memberId, expiresAt: issued.expiresAt }));
  else console.log(`${link}\nOne use, valid ${SIGN_IN_LINK_MINUTES} minutes (until ${issued.expiresAt}).`);
}
