import { describe, expect, it } from 'vitest';
import { deliveryStatusMayChange, genericDeliveryState, smscDeliveryState, smsRuDeliveryState } from './smsDelivery.js';

describe('SMS delivery states', () => {
  it('reads each provider\'s codes', () => {
    expect(smsRuDeliveryState(103)).toMatchObject({ status: 'delivered', numberDead: false });
    expect(smsRuDeliveryState(102)).toMatchObject({ status: 'pending' });
    expect(smsRuDeliveryState(104)).toMatchObject({ status: 'failed', numberDead: false });
    expect(smsRuDeliveryState(150)).toMatchObject({ status: 'failed', numberDead: true });
    expect(smsRuDeliveryState(-1)).toBeNull();
    expect(smscDeliveryState(1, 0)).toMatchObject({ status: 'delivered' });
    expect(smscDeliveryState(20, 253)).toEqual({ status: 'failed', detail: 'not delivered: impossible to deliver (error 253)', numberDead: false });
    expect(smscDeliveryState(22, null)).toMatchObject({ status: 'failed', numberDead: true });
    expect(smscDeliveryState(-3, null)).toBeNull();
    expect(genericDeliveryState('DELIVERED', null)).toMatchObject({ status: 'delivered' });
    expect(genericDeliveryState('invalid_number', 'no such subscriber')).toEqual({ status: 'failed', detail: 'not delivered: invalid number: no such subscriber', numberDead: true });
    expect(genericDeliveryState('whatever', null)).toBeNull();
  });

  it('moves only forward: pending → final; a final state stays', () => {
    expect(deliveryStatusMayChange(null, 'pending')).toBe(true);
    expect(deliveryStatusMayChange('pending', 'delivered')).toBe(true);
    expect(deliveryStatusMayChange('pending', 'pending')).toBe(false);
    expect(deliveryStatusMayChange('delivered', 'failed')).toBe(false);
    expect(deliveryStatusMayChange('failed', 'pending')).toBe(false);
  });
});
