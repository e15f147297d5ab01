// Migrations live in code, in order; each module exports up().
import type { Migration } from 'kysely';
import * as m001 from './001_foundation.js';
import * as m002 from './002_api.js';
import * as m003 from './003_webhooks.js';
import * as m004 from './004_telegram_members.js';
import * as m005 from './005_card_app.js';
import * as m006 from './006_staff.js';
import * as m007 from './007_notifications.js';
import * as m009 from './009_backups.js';
import * as m010 from './010_imports.js';
import * as m011 from './011_card_opens.js';
import * as m012 from './012_setup.js';
import * as m014 from './014_business_profile.js';
import * as m013 from './013_work_progress.js';
import * as m015 from './015_revenue_days.js';
import * as m016 from './016_backup_requested_by.js';

export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_api': m002,
  '003_webhooks': m003,
  '004_telegram_members': m004,
  '005_card_app': m005,
  '006_staff': m006,
  '007_notifications': m007,
  '009_backups': m009,
  '010_imports': m010,
  '011_card_opens': m011,
  '012_setup': m012,
  '013_work_progress': m013,
  '014_business_profile': m014,
  '015_revenue_days': m015,
  '016_backup_requested_by': m016,
};
