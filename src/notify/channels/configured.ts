// The senders for a business's VK, SMS and e-mail settings, kept while the settings stay the same: each holds the
// account's rate limit (and e-mail its open connections), so every worker sending for that account shares them.
import type { ChannelSender, EmailSettings, SmsSettings, StoredChannel, VkSettings } from '../../core/index.js';
import { smsCallbackPath } from '../../app/notificationChannels.js';
import { emailSender } from './email.js';
import type { ProviderEndpoints } from './endpoints.js';
import { smsSender } from './sms.js';
import { vkSender } from './vk.js';

export interface ConfiguredSenders {
  /** The sender for the stored settings: the same object as long as they are unchanged. */
  senderFor(c: StoredChannel): ChannelSender;
  /** Closes open connections (e-mail pools). */
  close(): void;
}

export function configuredSenders(endpoints: ProviderEndpoints): ConfiguredSenders {
  const cache = new Map<string, { version: string; sender: ChannelSender & { close?: () => void } }>();
  const build = (c: StoredChannel): ChannelSender & { close?: () => void } => {
    if (c.channel === 'vk') return vkSender({ settings: c.settings as VkSettings, apiRoot: endpoints.vkApiRoot, timeoutMs: endpoints.timeoutMs });
    if (c.channel === 'sms') {
      const callbackUrl = endpoints.publicUrl ? `${endpoints.publicUrl.replace(/\/+$/, '')}${smsCallbackPath(c.callbackSecret)}` : null;
      return smsSender({ settings: c.settings as SmsSettings, endpoints, callbackUrl });
    }
    return emailSender({ settings: c.settings as EmailSettings, timeoutMs: endpoints.timeoutMs });
  };
  return {
    senderFor(c) {
      const key = `${c.businessId}:${c.channel}`;
      const version = JSON.stringify(c.settings);
      const hit = cache.get(key);
      if (hit && hit.version === version) return hit.sender;
      hit?.sender.close?.();
      const sender = build(c);
      cache.set(key, { version, sender });
      return sender;
    },
    close() {
      for (const { sender } of cache.values()) sender.close?.();
      cache.clear();
    },
  };
}
