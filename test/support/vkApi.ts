// A local stand-in for the VK API (https://dev.vk.com/method/messages.send) as a community bot uses it: POST
// /method/<name> with form fields, answers {response} or {error: {error_code, error_msg, request_params}}. It keeps
// VK's rules a sender can tell: the token decides the community, 20 calls a second per token (error 6 above that),
// users who never allowed the community to write get 901, blacklisted 900, privacy 902; a repeated random_id to
// the same user is not delivered twice. `failNext` makes the next calls fail with a code (e.g. 10, internal error).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VkDelivered {
  groupId: number;
  userId: number;
  messageId: number;
  randomId: number;
  text: string;
}

export interface VkApiStandIn {
  url: string;
  addGroup(groupId: number, token: string): void;
  /** How a user treats the community: allowed (default), never allowed messages, blacklisted it, or closed by privacy. */
  setUser(userId: number, state: 'allowed' | 'not_allowed' | 'blacklisted' | 'privacy'): void;
  failNext(count: number, code: number, message?: string): void;
  delivered: VkDelivered[];
  /** Every call answered with error 6 (too many requests per second). */
  tooMany: number;
  calls: number;
  close(): Promise<void>;
}

export async function startVkApi(o: { callsPerSecond?: number } = {}): Promise<VkApiStandIn> {
  const perSecond = o.callsPerSecond ?? 20;
  const groups = new Map<string, number>();
  const users = new Map<number, string>();
  const recent = new Map<string, number[]>();
  const seen = new Map<string, number>();
  const failures: { code: number; message: string }[] = [];
  const delivered: VkDelivered[] = [];
  let nextId = 1;
  const stats = { tooMany: 0, calls: 0 };

  const error = (code: number, msg: string, params: Record<string, string>) => ({
    error: { error_code: code, error_msg: msg, request_params: Object.entries(params).filter(([k]) => k !== 'access_token').map(([key, value]) => ({ key, value })) },
  });

  const handle = (method: string, p: Record<string, string>): unknown => {
    const groupId = groups.get(p.access_token ?? '');
    if (groupId === undefined) return error(5, 'User authorization failed: invalid access_token (4).', p);
    // A sliding one-second window per token, as VK counts.
    const now = Date.now();
    const window = (recent.get(p.access_token!) ?? []).filter((t) => t > now - 1000);
    if (window.length >= perSecond) {
      stats.tooMany += 1;
      recent.set(p.access_token!, window);
      return error(6, 'Too many requests per second', p);
    }
    window.push(now);
    recent.set(p.access_token!, window);
    const failure = failures.shift();
    if (failure) return error(failure.code, failure.message, p);
    if (method !== 'messages.send') return error(3, 'Unknown method passed', p);
    if (!p.v) return error(8, 'Invalid request: v (version) is required', p);
    const userId = Number(p.user_id ?? p.peer_id);
    const randomId = Number(p.random_id);
    if (!Number.isInteger(userId) || userId <= 0) return error(100, 'One of the parameters specified was missing or invalid: user_id', p);
    if (p.random_id === undefined || !Number.isInteger(randomId)) return error(100, 'One of the parameters specified was missing or invalid: random_id is a required parameter', p);
    const state = users.get(userId) ?? 'allowed';
    if (state === 'not_allowed') return error(901, 'Can\'t send messages for users without permission', p);
    if (state === 'blacklisted') return error(900, 'Can\'t send messages for users from blacklist', p);
    if (state === 'privacy') return error(902, 'Can\'t send messages to this user due to their privacy settings', p);
    const key = `${groupId}:${userId}:${randomId}`;
    const again = seen.get(key);
    if (again !== undefined) return { response: again };
    const messageId = nextId++;
    seen.set(key, messageId);
    delivered.push({ groupId, userId, messageId, randomId, text: p.message ?? '' });
    return { response: messageId };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stats.calls += 1;
      const url = new URL(req.url ?? '/', 'http://x');
      const m = /^\/method\/([\w.]+)$/.exec(url.pathname);
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      for (const [k, v] of url.searchParams) params[k] ??= v;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(handle(m[1]!, params)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    addGroup: (groupId, token) => void groups.set(token, groupId),
    setUser: (userId, state) => void users.set(userId, state),
    failNext: (count, code, message = 'Internal server error') => {
      for (let i = 0; i < count; i++) failures.push({ code, message });
    },
    delivered,
    get tooMany() {
      return stats.tooMany;
    },
    get calls() {
      return stats.calls;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
