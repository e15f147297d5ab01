// A local SMTP server (the smtp-server package) that receives real SMTP on 127.0.0.1 and keeps every message, parsed
// with mailparser. Recipients can be refused for good (550) or for now (451); AUTH PLAIN/LOGIN is required when
// credentials are given (without TLS: allowInsecureAuth, as it is only local).
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpStandIn {
  port: number;
  received: { envelopeTo: string[]; mail: ParsedMail }[];
  /** Addresses refused with 550 (no such mailbox). */
  rejected: Set<string>;
  /** Addresses refused with 451 (try again later). */
  deferred: Set<string>;
  /** Waits until `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpServer(o: { user?: string; password?: string } = {}): Promise<SmtpStandIn> {
  const received: SmtpStandIn['received'] = [];
  const rejected = new Set<string>();
  const deferred = new Set<string>();
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: o.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !o.user,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === o.user && auth.password === o.password) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      const to = address.address.toLowerCase();
      if (rejected.has(to)) return cb(Object.assign(new Error(`5.1.1 <${to}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      if (deferred.has(to)) return cb(Object.assign(new Error(`4.2.1 <${to}>: Mailbox temporarily unavailable`), { responseCode: 451 }));
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
          for (const w of waiters.splice(0)) w();
          cb();
        })
        .catch((e: Error) => cb(e));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    rejected,
    deferred,
    async waitFor(count, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} e-mails, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
