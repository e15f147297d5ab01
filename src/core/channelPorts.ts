// A business's VK, SMS and e-mail settings as the use cases see them, and delivery reports providers call back with.
import type { AnyChannelSettings, ConfigurableChannel } from './channelSettings.js';
import type { DeliveryReport } from './smsDelivery.js';

export interface StoredChannel {
  businessId: string;
  channel: ConfigurableChannel;
  settings: AnyChannelSettings;
  /** In the address providers call back with delivery reports, so nobody else can fake them. */
  callbackSecret: string;
  updatedAt: Date;
}

export interface NotificationChannelRepository {
  list(businessId: string): Promise<StoredChannel[]>;
  get(businessId: string, channel: ConfigurableChannel): Promise<StoredChannel | null>;
  /** Inserts or replaces the channel's settings (the callback secret of an existing row stays). */
  put(c: StoredChannel): Promise<void>;
  delete(businessId: string, channel: ConfigurableChannel): Promise<boolean>;
  findByCallbackSecret(secret: string): Promise<StoredChannel | null>;
  /**
   * Records a delivery report on the business's message sent on `channel` with that provider id, unless its recorded
   * status is already final; returns the message and its member, and whether the status changed; null when unknown.
   */
  recordDeliveryReport(businessId: string, channel: ConfigurableChannel, report: DeliveryReport): Promise<{ messageId: string; memberId: string; changed: boolean } | null>;
}
