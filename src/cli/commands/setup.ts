// `kopilka setup-link` (a fresh one-time set-up link) and `kopilka operator create` (the platform operator).
import { randomBytes } from 'node:crypto';
import { createOperator } from '../../app/operators.js';
import { issueSetupToken, SETUP_HOURS } from '../../app/setup.js';
import type { AppDeps } from '../../app/deps.js';
import { baseUrlOf, type Config } from '../../config/config.js';
import type { Logger } from '../../config/logger.js';
import { withApp } from '../compose.js';

export const setupLinkOf = (config: Config, token: string) => `${baseUrlOf(config)}/admin/setup#token=${token}`;

/** A new link (earlier ones stop working), as `kopilka start` prints it on an instance with no business. */
export async function newSetupLink(deps: AppDeps, config: Config): Promise<{ url: string; expiresAt: string }> {
  const { token, expiresAt } = await issueSetupToken(deps);
  return { url: setupLinkOf(config, token), expiresAt };
}

export async function setupLinkCommand(config: Config, log: Logger, flags: { json?: boolean }): Promise<void> {
  const link = await withApp(config, log, ({ deps }) => newSetupLink(deps, config));
  if (flags.json) return void console.log(JSON.stringify(link));
  console.log(`Set up your program: ${link.url}`);
  console.log(`(one use, valid ${SETUP_HOURS} hours, until ${link.expiresAt}; earlier set-up links no longer work)`);
}

export async function operatorCreateCommand(config: Config, log: Logger, flags: { email: string; password?: string; json?: boolean }): Promise<void> {
  // No password given: a strong one is made and shown once (sign in with it at /api/operator/session).
  const generated = flags.password === undefined && config.operatorPassword === null;
  const password = flags.password ?? config.operatorPassword ?? randomBytes(18).toString('base64url');
  const operator = await withApp(config, log, ({ deps }) => createOperator(deps, { email: flags.email, password }));
  if (flags.json) return void console.log(JSON.stringify({ ...operator, ...(generated ? { password } : {}) }));
  console.log(`Created the platform operator ${operator.email} (id ${operator.id})`);
  if (generated) console.log(`  password: ${password}\nKeep it somewhere safe: it is shown only this once.`);
}
