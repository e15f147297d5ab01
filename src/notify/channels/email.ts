// E-mail through the business's SMTP server (nodemailer, a small connection pool): every message in text and HTML,
// kept to the server's messages-per-second. A recipient the server refuses for good (5xx) is "dead"; a temporary
// refusal (4xx), a dropped connection or wrong credentials are retried later.
import nodemailer from 'nodemailer';
import type { ChannelSender, EmailSettings, OutgoingMessage, SendOutcome } from '../../core/index.js';
import { createRateLimiter } from '../rateLimiter.js';
import { describeError } from './endpoints.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The plain text as a simple, safe HTML letter: escaped, links clickable, line breaks kept. */
export function textToHtml(text: string): string {
  const body = escapeHtml(text)
    .replace(/https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g, (url) => `<a href="${url}">${url}</a>`)
    .replace(/\r?\n/g, '<br>\n');
  return `<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:sans-serif;font-size:15px;line-height:1.5">${body}</body></html>`;
}

/** The first line, shortened to a subject line. */
export function subjectOf(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
  return first.length > 78 ? `${first.slice(0, 77)}…` : first;
}

export interface EmailSender extends ChannelSender {
  /** Closes the pooled connections. */
  close(): void;
}

export function emailSender(o: { settings: EmailSettings; timeoutMs: number }): EmailSender {
  const s = o.settings;
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    ...(s.user !== null ? { auth: { user: s.user, pass: s.password ?? '' } } : {}),
    pool: true,
    maxConnections: 2,
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
  });
  const limiter = createRateLimiter({ perSecond: s.ratePerSecond });
  const domain = s.from.split('@')[1] ?? 'localhost';
  return {
    channel: 'email',
    async send(m: OutgoingMessage): Promise<SendOutcome> {
      await limiter.take();
      try {
        const info = await transport.sendMail({
          from: s.fromName ? { name: s.fromName, address: s.from } : s.from,
          to: m.address,
          ...(s.replyTo ? { replyTo: s.replyTo } : {}),
          subject: m.subject ?? subjectOf(m.text),
          text: m.text,
          html: m.html ?? textToHtml(m.text),
          // The same message sent again (a retry after a lost answer) carries the same id, so mail clients show it once.
          messageId: `<${m.messageId}@${domain}>`,
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        return { status: 'sent', providerMessageId: info.messageId ?? null };
      } catch (e) {
        return outcomeOf(e);
      }
    },
    close() {
      transport.close();
    },
  };
}

function outcomeOf(e: unknown): SendOutcome {
  const err = e as { code?: string; responseCode?: number; response?: string };
  const said = err.response ? `${err.response}` : describeError(e);
  const error = `email: ${said}`.replace(/\s+/g, ' ').slice(0, 300);
  // The recipient refused for good, or the address cannot be an address at all.
  if (err.code === 'EENVELOPE' && (err.responseCode === undefined || err.responseCode >= 500)) return { status: 'dead', error };
  return { status: 'retry', error };
}
