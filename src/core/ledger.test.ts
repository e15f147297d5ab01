import { describe, expect, it } from 'vitest';
import { credits, debits, memberDelta, TRANSACTION_TYPES, type NewLot, type Posting } from './ledger.js';

const newLot = (id: string, amount: number): NewLot => ({
  id,
  amount,
  activatesAt: new Date('2026-06-15T12:00:00Z'),
  expiresAt: new Date('2026-12-12T21:00:00Z'),
  purchaseId: 'purchase-1',
});

describe('credits', () => {
  it('credits each new lot to the member from the given account', () => {
    expect(credits([newLot('lot-1', 35)], 'issued')).toEqual([{ source: 'issued', destination: 'member', amount: 35, lotId: 'lot-1' }]);
  });

  it('skips empty lots (a purchase that earned nothing posts nothing)', () => {
    expect(credits([newLot('a', 0), newLot('b', 10)], 'redeemed')).toEqual([{ source: 'redeemed', destination: 'member', amount: 10, lotId: 'b' }]);
    expect(credits([], 'issued')).toEqual([]);
  });
});

describe('debits', () => {
  it('debits the member’s lots to the given account', () => {
    expect(
      debits(
        [
          { lotId: 'a', points: 50 },
          { lotId: 'b', points: 250 },
        ],
        'redeemed',
      ),
    ).toEqual([
      { source: 'member', destination: 'redeemed', amount: 50, lotId: 'a' },
      { source: 'member', destination: 'redeemed', amount: 250, lotId: 'b' },
    ]);
  });

  it('skips zero takes', () => {
    expect(debits([{ lotId: 'a', points: 0 }], 'expired')).toEqual([]);
  });
});

describe('memberDelta', () => {
  it('a purchase redeeming 300 and earning 35 changes the balance by -265', () => {
    const postings: Posting[] = [
      ...debits(
        [
          { lotId: 'old-1', points: 200 },
          { lotId: 'old-2', points: 100 },
        ],
        'redeemed',
      ),
      ...credits([newLot('new', 35)], 'issued'),
    ];
    expect(memberDelta(postings)).toBe(-265);
  });

  it('a full refund of that purchase: 35 clawed back, 300 returned → +265', () => {
    const postings = [...debits([{ lotId: 'new', points: 35 }], 'clawed_back'), ...credits([newLot('returned', 300)], 'redeemed')];
    expect(memberDelta(postings)).toBe(265);
  });

  it('postings between program accounts do not touch the member', () => {
    expect(memberDelta([{ source: 'issued', destination: 'written_off', amount: 99, lotId: 'x' }])).toBe(0);
    expect(memberDelta([])).toBe(0);
  });

  it('expiring points lowers the balance', () => {
    expect(memberDelta(debits([{ lotId: 'a', points: 40 }], 'expired'))).toBe(-40);
  });
});

describe('TRANSACTION_TYPES', () => {
  it('lists every kind of movement once', () => {
    expect([...TRANSACTION_TYPES].sort()).toEqual(['adjust', 'birthday', 'earn', 'expire', 'redeem', 'referral', 'refund', 'welcome', 'winback']);
  });
});
