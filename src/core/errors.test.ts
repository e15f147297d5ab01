import { describe, expect, it } from 'vitest';
import { DomainError, ERROR_CODES, invalid, isDomainError } from './errors.js';

describe('DomainError', () => {
  it('carries a stable code, a default message and details', () => {
    const e = new DomainError('insufficient_points');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DomainError');
    expect(e.code).toBe('insufficient_points');
    expect(e.message).toBe(ERROR_CODES.insufficient_points);
    expect(e.details).toEqual({});
  });

  it('keeps a custom message and details', () => {
    const e = new DomainError('redeem_limit_exceeded', 'At most 300 points', { maxRedeemPoints: 300 });
    expect(e.message).toBe('At most 300 points');
    expect(e.details).toEqual({ maxRedeemPoints: 300 });
  });

  it('invalid() is a validation_failed error', () => {
    const e = invalid('amount must be positive', { field: 'amount' });
    expect(e.code).toBe('validation_failed');
    expect(e.message).toBe('amount must be positive');
    expect(e.details).toEqual({ field: 'amount' });
  });

  it('isDomainError tells domain errors from others', () => {
    expect(isDomainError(new DomainError('member_not_found'))).toBe(true);
    expect(isDomainError(new Error('boom'))).toBe(false);
    expect(isDomainError({ code: 'member_not_found' })).toBe(false);
  });

  it('every code has a message', () => {
    for (const [code, message] of Object.entries(ERROR_CODES)) {
      expect(message.length, code).toBeGreaterThan(0);
    }
  });
});
