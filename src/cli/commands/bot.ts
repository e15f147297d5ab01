// `kopilka bot connect|list|disconnect --business ID`: a business's own Telegram bots, by their BotFather tokens.
import { connectBot, disconnectBot, listBots } from '../../app/bots.js';
import { telegramGateway } from '../../bots/telegramGateway.js';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../config/logger.js';
import { withApp } from '../compose.js';

export async function botConnectCommand(config: Config, log: Logger, flags: { business: string; role: string; token: string; json?: boolean }): Promise<void> {
  const bot = await withApp(config, log, ({ deps }) => connectBot(deps, telegramGateway(config.telegramApiRoot), { businessId: flags.business, role: flags.role, token: flags.token }));
  if (flags.json) console.log(JSON.stringify(bot));
  else console.log(`Connected @${bot.username} as the ${bot.role} bot. A running \`kopilka start\` picks it up within a minute.`);
}

export async function botListCommand(config: Config, log: Logger, flags: { business: string; json?: boolean }): Promise<void> {
  const bots = await withApp(config, log, ({ deps }) => listBots(deps, flags.business));
  if (flags.json) console.log(JSON.stringify(bots));
  else if (bots.length === 0) console.log('No bots connected.');
  else for (const b of bots) console.log(`${b.role}  @${b.username}  connected ${b.connectedAt}`);
}

export async function botDisconnectCommand(config: Config, log: Logger, flags: { business: string; role: string }): Promise<void> {
  await withApp(config, log, ({ deps }) => disconnectBot(deps, { businessId: flags.business, role: flags.role }));
  console.log(`Disconnected the ${flags.role} bot.`);
}
