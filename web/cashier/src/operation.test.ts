import { describe, expect, it } from 'vitest';
import { OperationKeys, stableJson } from './operation.js';

function keys() {
  let n = 0;
  return new OperationKeys(() => `key-${++n}`);
}

describe('OperationKeys', () => {
  it('one key per operation: retries and double taps of the same input reuse it', () => {
    const k = keys();
    const input = { memberId: 'm1', amount: 125050 };
    expect(k.keyFor('earn', input)).toBe('key-1');
    expect(k.pending).toBe(true);
    expect(k.keyFor('earn', { amount: 125050, memberId: 'm1' })).toBe('key-1'); // same input, keys in another order
    expect(k.keyFor('earn', input)).toBe('key-1');
  });

  it('a new key for another input, another kind, or after the operation finished', () => {
    const k = keys();
    expect(k.keyFor('earn', { memberId: 'm1', amount: 100 })).toBe('key-1');
    expect(k.keyFor('earn', { memberId: 'm1', amount: 200 })).toBe('key-2');
    expect(k.keyFor('redeem', { memberId: 'm1', amount: 200 })).toBe('key-3');
    k.finish();
    expect(k.pending).toBe(false);
    expect(k.keyFor('redeem', { memberId: 'm1', amount: 200 })).toBe('key-4');
  });
});

describe('stableJson', () => {
  it('sorts keys and drops undefined', () => {
    expect(stableJson({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe('{"a":[1,{"d":2}],"b":1}');
    expect(stableJson(undefined)).toBe('null');
  });
});
