// Wires the PostgreSQL adapters into the use cases' dependencies.
import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../core/index.js';
import type { AppDeps } from '../app/deps.js';
import { uuidv7 } from '../app/ids.js';
import type { Database } from '../store/schema.js';
import { postgresUnitOfWork } from '../store/unitOfWork.js';

export function makeDeps(db: Kysely<Database>, clock: Clock = systemClock): AppDeps {
  return { uow: postgresUnitOfWork(db), clock, newId: uuidv7 };
}
