// Migrations live in code, in order; each module exports up().
import type { Migration } from 'kysely';
import * as m001 from './001_foundation.js';

export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
};
