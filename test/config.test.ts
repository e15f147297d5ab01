// Configuration: defaults, overrides, and one clear error per bad variable.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, maskUrl } from '../src/config/config.js';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: null,
      dataDir: path.resolve('data'),
      port: 3000,
      host: '127.0.0.1',
      publicUrl: null,
      expiryIntervalSeconds: 300,
      logLevel: 'info',
      apiRateLimit: 50,
      testClock: false,
      nodeEnv: null,
      telegramApiRoot: 'https://api.telegram.org',
      vkApiRoot: 'https://api.vk.ru',
      smsRuApiRoot: 'https://sms.ru',
      smscApiRoot: 'https://smsc.ru',
      backupDir: path.resolve('data', 'backups'),
      posterFont: null,
      operatorPassword: null,
    });
  });

  it('puts backups under the data dir unless KOPILKA_BACKUP_DIR says where', () => {
    expect(loadConfig({ KOPILKA_DATA_DIR: '/srv/kopilka' }).backupDir).toBe('/srv/kopilka/backups');
    expect(loadConfig({ KOPILKA_DATA_DIR: '/srv/kopilka', KOPILKA_BACKUP_DIR: '/mnt/nas/kopilka' }).backupDir).toBe('/mnt/nas/kopilka');
  });

  it('turns the test clock on by flag or KOPILKA_TEST_CLOCK, and never when NODE_ENV=production', () => {
    expect(loadConfig({}, { testClock: true }).testClock).toBe(true);
    expect(loadConfig({ KOPILKA_TEST_CLOCK: '1' }).testClock).toBe(true);
    expect(loadConfig({ KOPILKA_TEST_CLOCK: 'false' }).testClock).toBe(false);
    expect(() => loadConfig({ KOPILKA_TEST_CLOCK: 'maybe' })).toThrow('invalid KOPILKA_TEST_CLOCK "maybe": expected true or false');
    expect(() => loadConfig({ NODE_ENV: 'production' }, { testClock: true })).toThrow('--test-clock is refused when NODE_ENV=production');
    expect(loadConfig({ NODE_ENV: 'production' }).testClock).toBe(false);
    expect(loadConfig({ KOPILKA_API_RATE_LIMIT: '200' }).apiRateLimit).toBe(200);
    expect(() => loadConfig({ KOPILKA_API_RATE_LIMIT: '0' })).toThrow(/KOPILKA_API_RATE_LIMIT/);
  });

  it('reads the environment, and flags win over it', () => {
    const env = { DATABASE_URL: 'postgres://u:p@db:5432/k', KOPILKA_DATA_DIR: '/srv/k', PORT: '8080', LOG_LEVEL: 'WARN' };
    expect(loadConfig(env)).toMatchObject({ databaseUrl: env.DATABASE_URL, dataDir: '/srv/k', port: 8080, logLevel: 'warn' });
    expect(loadConfig(env, { port: '9090', logLevel: 'debug' })).toMatchObject({ port: 9090, logLevel: 'debug' });
  });

  it.each([
    [{ PORT: '0' }, 'invalid PORT "0": expected a whole number from 1 to 65535'],
    [{ KOPILKA_EXPIRY_INTERVAL_SECONDS: '2.5' }, 'invalid KOPILKA_EXPIRY_INTERVAL_SECONDS "2.5"'],
    [{ LOG_LEVEL: 'verbose' }, 'invalid LOG_LEVEL "verbose": expected one of debug, info, warn, error'],
    [{ PUBLIC_URL: 'example.com' }, 'invalid PUBLIC_URL "example.com"'],
    [{ DATABASE_URL: 'mysql://root:hunter2@db/x' }, 'invalid DATABASE_URL: expected a postgres:// or postgresql:// URL'],
  ])('rejects %o clearly', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a database password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' })).not.toThrow(/hunter2/);
    expect(maskUrl('postgres://u:hunter2@db:5432/k')).toBe('postgres://u:***@db:5432/k');
  });

  it('names the flag when a flag is wrong', () => {
    expect(() => loadConfig({}, { port: 'x' })).toThrow('invalid --port "x"');
  });
});
