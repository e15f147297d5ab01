// The `kopilka` command line. Each command loads its module only when run, so `--help` stays instant.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { debugRequested, loadConfig, type Config, type ConfigOverrides } from '../config/config.js';
import { createLogger, type Logger } from '../config/logger.js';
import { wasInterrupted } from './compose.js';
import { reportError } from './errors.js';

interface GlobalFlags {
  dataDir?: string;
  debug?: boolean;
}

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Builds config and logger from the environment and the flags, then runs the command. */
function action<F extends object>(run: (config: Config, log: Logger, flags: F & GlobalFlags) => Promise<void>, overridesOf?: (f: F) => ConfigOverrides) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const flags = cmd.optsWithGlobals<F & GlobalFlags>();
    const config = loadConfig(undefined, {
      dataDir: flags.dataDir,
      logLevel: flags.debug ? 'debug' : undefined,
      ...overridesOf?.(flags),
    });
    await run(config, createLogger(config.logLevel), flags);
  };
}

const program = new Command('kopilka')
  .description('Kopilka: a self-hostable loyalty and bonus-points platform')
  .version(version)
  .option('--data-dir <dir>', 'where the embedded database lives (KOPILKA_DATA_DIR, default ./data)')
  .option('--debug', 'verbose logs and stack traces (LOG_LEVEL=debug)')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program
  .command('start')
  .description('run the server: apply migrations, start the scheduled jobs and the HTTP server')
  .option('--port <port>', 'HTTP port (PORT, default 3000)')
  .option('--host <host>', 'address to listen on (HOST, default 127.0.0.1)')
  .option('--test-clock', 'let API clients move their business\'s clock (POST /api/v1/test-clock); refused when NODE_ENV=production')
  .action(
    action<{ port?: string; host?: string; testClock?: boolean }>(
      async (config, log) => (await import('./commands/start.js')).startCommand(config, log),
      (f) => ({ port: f.port, host: f.host, testClock: f.testClock ? true : undefined }),
    ),
  );

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(action(async (config, log) => (await import('./commands/migrate.js')).migrateCommand(config, log)));

const business = program.command('business').description('manage businesses (loyalty programs)');
business
  .command('create')
  .description('create a business and print its id and a new API key')
  .requiredOption('--name <name>', 'the business name, e.g. "Coffee on Lenina"')
  .option('--timezone <zone>', 'IANA time zone (default Europe/Moscow)')
  .option('--currency <code>', 'ISO 4217 currency (default RUB)')
  .option('--region <code>', 'country for phone numbers (default RU)')
  .addOption(new Option('--json', 'print the result as JSON'))
  .action(
    action<{ name: string; timezone?: string; currency?: string; region?: string; json?: boolean }>(async (config, log, flags) =>
      (await import('./commands/business.js')).businessCreateCommand(config, log, flags),
    ),
  );

const apiKey = program.command('api-key').description('manage API keys for tills, shops and integrations');
apiKey
  .command('create')
  .description('create an API key and print it (shown only once)')
  .requiredOption('--business <id>', 'the business id')
  .option('--name <name>', 'a name for the key, e.g. "till-1" (default: default)')
  .option('--location <id>', 'tie the key to one location')
  .addOption(new Option('--json', 'print the result as JSON'))
  .action(
    action<{ business: string; name?: string; location?: string; json?: boolean }>(async (config, log, flags) =>
      (await import('./commands/apiKey.js')).apiKeyCreateCommand(config, log, flags),
    ),
  );
apiKey
  .command('list')
  .description("list a business's API keys (never the keys themselves)")
  .requiredOption('--business <id>', 'the business id')
  .addOption(new Option('--json', 'print the result as JSON'))
  .action(
    action<{ business: string; json?: boolean }>(async (config, log, flags) => (await import('./commands/apiKey.js')).apiKeyListCommand(config, log, flags)),
  );
apiKey
  .command('revoke')
  .description('revoke an API key at once')
  .requiredOption('--business <id>', 'the business id')
  .requiredOption('--key <id>', 'the key id (from `api-key list`)')
  .action(
    action<{ business: string; key: string }>(async (config, log, flags) => (await import('./commands/apiKey.js')).apiKeyRevokeCommand(config, log, flags)),
  );

const bot = program.command('bot').description("connect a business's own Telegram bots (customer, staff)");
bot
  .command('connect')
  .description('connect a bot by its token from @BotFather (checked with Telegram)')
  .requiredOption('--business <id>', 'the business id')
  .requiredOption('--role <role>', 'customer or staff')
  .requiredOption('--token <token>', 'the token @BotFather gave, 123456789:AA…')
  .addOption(new Option('--json', 'print the result as JSON'))
  .action(
    action<{ business: string; role: string; token: string; json?: boolean }>(async (config, log, flags) =>
      (await import('./commands/bot.js')).botConnectCommand(config, log, flags),
    ),
  );
bot
  .command('list')
  .description("list a business's connected bots")
  .requiredOption('--business <id>', 'the business id')
  .addOption(new Option('--json', 'print the result as JSON'))
  .action(action<{ business: string; json?: boolean }>(async (config, log, flags) => (await import('./commands/bot.js')).botListCommand(config, log, flags)));
bot
  .command('disconnect')
  .description('disconnect the bot of a role')
  .requiredOption('--business <id>', 'the business id')
  .requiredOption('--role <role>', 'customer or staff')
  .action(
    action<{ business: string; role: string }>(async (config, log, flags) => (await import('./commands/bot.js')).botDisconnectCommand(config, log, flags)),
  );

program
  .command('member')
  .description("members' cards")
  .command('link')
  .description("print a one-time sign-in link to a member's card (opens in any mobile browser)")
  .requiredOption('--business <id>', 'the business id')
  .requiredOption('--phone <phone>', "the member's phone")
  .addOption(new Option('--json', 'print the result as JSON'))
  .action(
    action<{ business: string; phone: string; json?: boolean }>(async (config, log, flags) => (await import('./commands/member.js')).memberLinkCommand(config, log, flags)),
  );

program
  .command('staff')
  .description('staff of a business')
  .command('invite')
  .description('print a one-time invitation (72 hours) for a staff member: the web link, and the staff bot link when one is connected')
  .requiredOption('--business <id>', 'the business id')
  .addOption(new Option('--role <role>', 'their role').choices(['owner', 'admin', 'manager', 'cashier']).makeOptionMandatory())
  .requiredOption('--name <name>', 'their name')
  .addOption(new Option('--json', 'print the result as JSON'))
  .action(
    action<{ business: string; role: string; name: string; json?: boolean }>(async (config, log, flags) => (await import('./commands/staff.js')).staffInviteCommand(config, log, flags)),
  );

program
  .command('backup')
  .description('write a backup of the whole database to one file (default: <data dir>/backups, KOPILKA_BACKUP_DIR)')
  .option('--out <file>', 'where to write it')
  .addOption(new Option('--json', 'print the result as JSON'))
  .action(action<{ out?: string; json?: boolean }>(async (config, log, flags) => (await import('./commands/backup.js')).backupCommand(config, log, flags)));

const restore = program
  .command('restore')
  .description('restore a backup file into this database (all or nothing; every balance checked against the backup)')
  .argument('<file>', 'the backup file')
  .option('--force', 'wipe the businesses already in this database first')
  .addOption(new Option('--json', 'print the result as JSON'));
restore.action(
  action<{ force?: boolean; json?: boolean }>(async (config, log, flags) =>
    (await import('./commands/backup.js')).restoreCommand(config, log, restore.args[0] ?? '', flags),
  ),
);

const exportCmd = program
  .command('export')
  .description('write members or points transactions to a CSV or XLSX file (streamed; progress on stderr)')
  .argument('<what>', 'members or transactions')
  .requiredOption('--business <id>', 'the business id')
  .addOption(new Option('--format <format>', 'file format').choices(['csv', 'xlsx']).makeOptionMandatory())
  .requiredOption('--out <file>', 'where to write it')
  .addOption(new Option('--lang <lang>', 'language of the header row (default en)').choices(['ru', 'en']))
  .addOption(new Option('--separator <char>', 'CSV separator (default ;)').choices([';', ',']))
  .option('--from <date>', 'transactions: first day, YYYY-MM-DD in the business\'s time zone')
  .option('--to <date>', 'transactions: last day, YYYY-MM-DD in the business\'s time zone')
  .addOption(new Option('--json', 'print the result as JSON'));
exportCmd.action(
  action<{ business: string; format: string; out: string; lang?: string; separator?: string; from?: string; to?: string; json?: boolean }>(async (config, log, flags) =>
    (await import('./commands/dataExchange.js')).exportCommand(config, log, exportCmd.args[0] ?? '', flags),
  ),
);

const importCmd = program
  .command('import')
  .description('import members with their balances from a CSV or XLSX file (all rows or none; the same file twice adds nothing)')
  .argument('<file>', 'the CSV or XLSX file')
  .requiredOption('--business <id>', 'the business id')
  .option('--phone-column <header>', 'the header of the phone column (without it, every column is guessed from the file\'s header and the choice printed)')
  .option('--name-column <header>', 'the header of the name column')
  .option('--balance-column <header>', 'the header of the points balance column')
  .option('--birthday-column <header>', 'the header of the birthday column')
  .option('--email-column <header>', 'the header of the e-mail column')
  .option('--card-column <header>', 'the header of a Kopilka card number column')
  .option('--external-id-column <header>', 'the header of the other system\'s customer id column')
  .option('--expires-on <date>', 'the last day (YYYY-MM-DD) imported points may be used (default: the program\'s points lifetime)')
  .option('--match-existing', 'add a row\'s points to the member who already has its phone (default: such a row is bad)')
  .option('--dry-run', 'check every row and list the bad ones; change nothing (exit code 1 when any row is bad)')
  .addOption(new Option('--json', 'print the result as JSON'));
importCmd.action(
  action<{ business: string; phoneColumn?: string; nameColumn?: string; balanceColumn?: string; birthdayColumn?: string; emailColumn?: string; cardColumn?: string; externalIdColumn?: string; expiresOn?: string; matchExisting?: boolean; dryRun?: boolean; json?: boolean }>(
    async (config, log, flags) => (await import('./commands/dataExchange.js')).importCommand(config, log, importCmd.args[0] ?? '', flags),
  ),
);

program
  .command('setup-link')
  .description('print a new one-time link (24 hours) to the set-up wizard; earlier links stop working')
  .addOption(new Option('--json', 'print the result as JSON'))
  .action(action<{ json?: boolean }>(async (config, log, flags) => (await import('./commands/setup.js')).setupLinkCommand(config, log, flags)));

program
  .command('operator')
  .description('the platform operator, who creates businesses and sees their health')
  .command('create')
  .description('create the operator account (without --password or KOPILKA_OPERATOR_PASSWORD a password is made and shown once)')
  .requiredOption('--email <email>', "the operator's e-mail")
  .option('--password <password>', 'at least 10 characters')
  .addOption(new Option('--json', 'print the result as JSON'))
  .action(
    action<{ email: string; password?: string; json?: boolean }>(async (config, log, flags) => (await import('./commands/setup.js')).operatorCreateCommand(config, log, flags)),
  );

program
  .command('demo')
  .description('fill the database with a demo coffee shop (members, purchases, redemptions, expiries)')
  .option('--json', 'print the summary as JSON')
  .action(
    action<{ json?: boolean }>(async (config, log, flags) => (await import('./commands/demo.js')).demoCommand(config, log, flags)),
  );

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (!wasInterrupted()) process.exitCode = reportError(e, process.argv.includes('--debug') || debugRequested());
}
