// Where the providers with fixed addresses live (tests point them at local stand-ins), and this server's public
// address for delivery-report callbacks. SMTP servers and generic SMS gateways are each business's own settings.
export interface ProviderEndpoints {
  /** VK API root; methods are under <root>/method. */
  vkApiRoot: string;
  smsRuApiRoot: string;
  smscApiRoot: string;
  /** This server's public https address; null = providers cannot call back (reports are then not asked for). */
  publicUrl: string | null;
  /** How long one call to a provider may take. */
  timeoutMs: number;
}

export const DEFAULT_PROVIDER_ENDPOINTS: ProviderEndpoints = {
  vkApiRoot: 'https://api.vk.ru',
  smsRuApiRoot: 'https://sms.ru',
  smscApiRoot: 'https://smsc.ru',
  publicUrl: null,
  timeoutMs: 15_000,
};

/** Why a call failed, for the message's record: short, one line, no secrets (callers never put them in URLs). */
export const describeError = (e: unknown): string => {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'no answer in time';
  const cause = err?.cause?.code ?? err?.cause?.message;
  return `${err?.message ?? String(e)}${cause ? ` (${cause})` : ''}`.replace(/\s+/g, ' ').slice(0, 300);
};
