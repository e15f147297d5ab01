// `kopilka staff invite --business ID --role owner --name "Анна"`: an invitation to join as staff. The first owner of a
// business is made this way; later staff are invited from the cashier screen or the staff bot.
import { listBots } from '../../app/bots.js';
import { INVITE_HOURS, inviteStaff } from '../../app/staff.js';
import { baseUrlOf, type Config } from '../../config/config.js';
import type { StaffRole } from '../../core/index.js';
import type { Logger } from '../../config/logger.js';
import { withApp } from '../compose.js';

export async function staffInviteCommand(config: Config, log: Logger, flags: { business: string; role: string; name: string; json?: boolean }): Promise<void> {
  const { invite, bot } = await withApp(config, log, async ({ deps }) => ({
    invite: await inviteStaff(deps, { cli: true }, { businessId: flags.business, role: flags.role as StaffRole, name: flags.name }),
    bot: (await listBots(deps, flags.business)).find((b) => b.role === 'staff') ?? null,
  }));
  const web = `${baseUrlOf(config)}/cashier/?b=${flags.business}#invite=${invite.token}`;
  const telegram = bot ? `https://t.me/${bot.username}?start=${invite.token}` : null;
  if (flags.json) return void console.log(JSON.stringify({ web, telegram, token: invite.token, expiresAt: invite.expiresAt }));
  console.log(`Invitation for ${flags.name} (${flags.role}), one use, valid ${INVITE_HOURS} hours (until ${invite.expiresAt}):`);
  console.log(`  web: ${web}`);
  if (telegram) console.log(`  Telegram: ${telegram}`);
  else console.log('  (connect a staff bot to invite through Telegram: kopilka bot connect --role staff …)');
}
