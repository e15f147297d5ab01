import type { Actor } from '../../core/index.js';
import type { Caller } from '../env.js';

export const actorOf = (caller: Caller): Actor => ({ type: 'api_key', id: caller.keyId });
