import { describe, expect, it } from 'vitest';
import type { BusinessHealth } from '../../../src/client/operator.js';
import { arrange } from './operatorList.js';

const biz = (id: string, name: string, o: Partial<BusinessHealth> = {}): BusinessHealth => ({
  id, name, timezone: 'Europe/Moscow', currency: 'RUB', createdAt: '2026-03-01T00:00:00Z', members: 0, purchasesLast30Days: 0, lastPurchaseAt: null,
  lastActivityAt: null, outstandingPoints: 0, activeStaff: 0, ownerJoined: false, bots: [], pendingBots: [], webhookFailures: 0, ...o,
});
const list = [
  biz('b1', 'пекарня «Колос»', { createdAt: '2026-03-02T00:00:00Z', members: 5, lastActivityAt: '2026-03-05T10:00:00Z', outstandingPoints: 100 }),
  biz('b2', 'Кофейня «Зерно»', { createdAt: '2026-03-01T00:00:00Z', members: 40, lastActivityAt: null, outstandingPoints: 900 }),
  biz('b3', 'Аптека', { createdAt: '2026-03-03T00:00:00Z', members: 5, lastActivityAt: '2026-03-04T10:00:00Z', outstandingPoints: 100 }),
];
const names = (l: BusinessHealth[]) => l.map((b) => b.id);

describe('the operator\'s list of businesses', () => {
  it('sorts by name (any case), newest first, and by figures with ties by name; never-active last', () => {
    expect(names(arrange(list, '', 'name', 'ru'))).toEqual(['b3', 'b2', 'b1']);
    expect(names(arrange(list, '', 'created', 'ru'))).toEqual(['b3', 'b1', 'b2']);
    expect(names(arrange(list, '', 'members', 'ru'))).toEqual(['b2', 'b3', 'b1']);
    expect(names(arrange(list, '', 'activity', 'ru'))).toEqual(['b1', 'b3', 'b2']);
    expect(names(arrange(list, '', 'outstanding', 'ru'))).toEqual(['b2', 'b3', 'b1']);
  });

  it('searches names in any case, ignoring surrounding spaces, without changing the given list', () => {
    expect(names(arrange(list, '  КОЛОС ', 'name', 'ru'))).toEqual(['b1']);
    expect(names(arrange(list, 'ня', 'name', 'ru'))).toEqual(['b2', 'b1']);
    expect(arrange(list, 'нет такого', 'name', 'ru')).toEqual([]);
    expect(names(list)).toEqual(['b1', 'b2', 'b3']);
  });
});
