// The only module that reads process.env: every setting is validated here, once, at start.
import path from 'node:path';
import { z } from 'zod';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** External PostgreSQL; null means the embedded server in dataDir. */
  databaseUrl: string | null;
  /** Absolute path. */
  dataDir: string;
  port: number;
  host: string;
  publicUrl: string | null;
  expiryIntervalSeconds: number;
  logLevel: LogLevel;
  /** API requests per second per key. */
  apiRateLimit: number;
  /** Serve /api/v1/test-clock (never in production). */
  testClock: boolean;
  nodeEnv: string | null;
  /** Where the Telegram Bot API is (a local stand-in in tests). */
  telegramApiRoot: string;
  /** Where the VK API, SMS.ru and SMSC.ru are (local stand-ins in tests; SMSC's regional sites, e.g. https://smsc.kz). */
  vkApiRoot: string;
  smsRuApiRoot: string;
  smscApiRoot: string;
  /** Where backups go (absolute): KOPILKA_BACKUP_DIR, default <dataDir>/backups. */
  backupDir: string;
  /** A TrueType font for the printed poster (default: the packaged DejaVu Sans Bold). */
  posterFont: string | null;
  /** `kopilka operator create`: the operator's password when not given as --password (else one is made). */
  operatorPassword: string | null;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Values given as command-line flags; they win over the environment. */
export type ConfigOverrides = Partial<Record<keyof Config, string | number | boolean | null | undefined>>;

const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());

const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// or postgresql:// URL' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });
const intIn = (min: number, max: number) =>
  z.coerce
    .number({ error: `expected a whole number from ${min} to ${max}` })
    .int(`expected a whole number from ${min} to ${max}`)
    .min(min, `expected a whole number from ${min} to ${max}`)
    .max(max, `expected a whole number from ${min} to ${max}`);

// Each setting: its environment variable, its flag (if any), and how to read it.
const SETTINGS = {
  databaseUrl: { env: 'DATABASE_URL', flag: undefined, schema: optional(postgresUrl) },
  dataDir: { env: 'KOPILKA_DATA_DIR', flag: '--data-dir', schema: z.preprocess(emptyToUndefined, z.string().default('./data')) },
  port: { env: 'PORT', flag: '--port', schema: z.preprocess(emptyToUndefined, intIn(1, 65535).default(3000)) },
  host: { env: 'HOST', flag: '--host', schema: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')) },
  publicUrl: { env: 'PUBLIC_URL', flag: undefined, schema: optional(httpUrl) },
  expiryIntervalSeconds: {
    env: 'KOPILKA_EXPIRY_INTERVAL_SECONDS',
    flag: undefined,
    schema: z.preprocess(emptyToUndefined, intIn(1, 86_400).default(300)),
  },
  apiRateLimit: { env: 'KOPILKA_API_RATE_LIMIT', flag: undefined, schema: z.preprocess(emptyToUndefined, intIn(1, 1_000_000).default(50)) },
  testClock: {
    env: 'KOPILKA_TEST_CLOCK',
    flag: '--test-clock',
    schema: z.preprocess(
      (v) => (v === undefined || v === '' ? false : v === true || v === 'true' || v === '1' ? true : v === false || v === 'false' || v === '0' ? false : v),
      z.boolean({ error: 'expected true or false' }),
    ),
  },
  nodeEnv: { env: 'NODE_ENV', flag: undefined, schema: optional(z.string()) },
  telegramApiRoot: { env: 'TELEGRAM_API_ROOT', flag: undefined, schema: z.preprocess(emptyToUndefined, httpUrl.default('https://api.telegram.org')) },
  vkApiRoot: { env: 'VK_API_ROOT', flag: undefined, schema: z.preprocess(emptyToUndefined, httpUrl.default('https://api.vk.ru')) },
  smsRuApiRoot: { env: 'SMSRU_API_ROOT', flag: undefined, schema: z.preprocess(emptyToUndefined, httpUrl.default('https://sms.ru')) },
  smscApiRoot: { env: 'SMSC_API_ROOT', flag: undefined, schema: z.preprocess(emptyToUndefined, httpUrl.default('https://smsc.ru')) },
  backupDir: { env: 'KOPILKA_BACKUP_DIR', flag: undefined, schema: optional(z.string()) },
  posterFont: { env: 'KOPILKA_POSTER_FONT', flag: undefined, schema: optional(z.string()) },
  operatorPassword: { env: 'KOPILKA_OPERATOR_PASSWORD', flag: undefined, schema: optional(z.string().min(12, 'expected at least 12 characters')) },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: '--debug',
    schema: z.preprocess(
      (v) => (typeof v === 'string' && v !== '' ? v.toLowerCase() : undefined),
      z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    ),
  },
} satisfies Record<keyof Config, { env: string; flag: string | undefined; schema: z.ZodType }>;

type Setting<K extends keyof Config> = z.output<(typeof SETTINGS)[K]['schema']>;

function read<K extends keyof Config>(key: K, env: NodeJS.ProcessEnv, overrides: ConfigOverrides): Setting<K> {
  const { env: name, flag, schema } = SETTINGS[key];
  const fromFlag = overrides[key] !== undefined;
  const raw = fromFlag ? overrides[key] : env[name];
  const result = schema.safeParse(raw);
  if (!result.success) {
    const source = fromFlag && flag ? flag : name;
    const problem = result.error.issues[0]?.message ?? 'invalid value';
    // A database URL may carry a password: never echo it.
    const shown = key === 'databaseUrl' ? '' : ` ${JSON.stringify(String(raw))}`;
    throw new ConfigError(`invalid ${source}${shown}: ${problem}`);
  }
  return result.data as Setting<K>;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const config = readAll(env, overrides);
  // The test clock rewrites time for a business; a production server must never offer it.
  if (config.testClock && config.nodeEnv === 'production') throw new ConfigError('--test-clock is refused when NODE_ENV=production');
  return config;
}

function readAll(env: NodeJS.ProcessEnv, overrides: ConfigOverrides): Config {
  const dataDir = path.resolve(read('dataDir', env, overrides));
  return {
    databaseUrl: read('databaseUrl', env, overrides) ?? null,
    dataDir,
    port: read('port', env, overrides),
    host: read('host', env, overrides),
    publicUrl: read('publicUrl', env, overrides) ?? null,
    expiryIntervalSeconds: read('expiryIntervalSeconds', env, overrides),
    logLevel: read('logLevel', env, overrides),
    apiRateLimit: read('apiRateLimit', env, overrides),
    testClock: read('testClock', env, overrides),
    nodeEnv: read('nodeEnv', env, overrides) ?? null,
    telegramApiRoot: read('telegramApiRoot', env, overrides).replace(/\/+$/, ''),
    vkApiRoot: read('vkApiRoot', env, overrides).replace(/\/+$/, ''),
    smsRuApiRoot: read('smsRuApiRoot', env, overrides).replace(/\/+$/, ''),
    smscApiRoot: read('smscApiRoot', env, overrides).replace(/\/+$/, ''),
    backupDir: path.resolve(read('backupDir', env, overrides) ?? path.join(dataDir, 'backups')),
    posterFont: read('posterFont', env, overrides) ?? null,
    operatorPassword: read('operatorPassword', env, overrides) ?? null,
  };
}

/** The URL with its password replaced, for printing. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Whether LOG_LEVEL asks for debug output; usable even when the rest of the configuration is invalid. */
export const debugRequested = (env: NodeJS.ProcessEnv = process.env): boolean => env.LOG_LEVEL?.toLowerCase() === 'debug';

/** Where users reach this server: PUBLIC_URL, or the local listening address. No trailing slash. */
export function baseUrlOf(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  const local = `http://${config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  return (config.publicUrl ?? local).replace(/\/+$/, '');
}
