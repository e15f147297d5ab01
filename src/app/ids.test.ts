import { describe, expect, it } from 'vitest';
import { UUID_RE, uuidv7 } from './ids.js';

describe('uuidv7', () => {
  it('is a version 7 UUID that increases strictly, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(1_760_000_000_000));
    for (const id of ids) expect(id).toMatch(UUID_RE);
    expect(ids[0]?.[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(ids[0]?.[19]);
    for (let i = 1; i < ids.length; i++) expect((ids[i] ?? '') > (ids[i - 1] ?? ''), `${i}`).toBe(true);
    expect(uuidv7(1_760_000_000_000 + 10_000) > (ids.at(-1) ?? '')).toBe(true);
  });
});
