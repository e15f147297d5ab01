// What every use case needs; the composition root (src/cli/makeDeps.ts) or a test wires it.
import type { Clock, UnitOfWork } from '../core/index.js';

export interface AppDeps {
  uow: UnitOfWork;
  clock: Clock;
  newId: () => string;
}
