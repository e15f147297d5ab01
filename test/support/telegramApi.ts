// A local stand-in for the Telegram Bot API (https://core.telegram.org/bots/api) that speaks its HTTP protocol, so
// bots built on grammY can be driven end to end without the internet:
//   const tg = await startTelegramApi();
//   tg.addBot({ token: '1001:test-secret', username: 'kopilka_test_bot' });
//   const bot = new Bot('1001:test-secret', { client: { apiRoot: tg.url } });
//   const alice = tg.user('1001:test-secret', { id: 42, first_name: 'Alice' });
//   alice.sendCommand('/start'); const reply = await alice.waitForMessage();
// Faithful where a bot can tell: real long polling, offsets, webhooks with the secret header and retries, 409 conflicts,
// Telegram's error codes and descriptions, HTML / MarkdownV2 parsing into text + entities, keyboard validation.
// Only private chats exist; every method not implemented here answers 404 like an unknown method, so a test notices.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type {
  BotCommand,
  CallbackQuery,
  Chat,
  ChatMemberUpdated,
  ForceReply,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  KeyboardButton,
  MenuButton,
  Message,
  MessageEntity,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  Update,
  User,
  UserFromGetMe,
  WebhookInfo,
} from 'grammy/types';

// ---------------------------------------------------------------------------------------------------------------
// Public API

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

export interface StartTelegramApiOptions {
  /** Delays between webhook delivery attempts; its length is the number of retries after the first try. */
  webhookRetryDelaysMs?: number[];
  /** How long a webhook receiver may take to answer one delivery. */
  webhookTimeoutMs?: number;
  /** Telegram refuses web_app URLs that are not https and url buttons to hosts like `localhost`; false relaxes that. */
  strictUrls?: boolean;
  /**
   * Flood control as Telegram does it: sendMessage past `perBotPerSecond` (default 30) in any sliding second for a
   * bot, or past `perChatPerSecond` (default 1) for one chat, answers 429 "Too Many Requests: retry after N" with
   * `parameters.retry_after`. Absent: no limits.
   */
  rateLimit?: { perBotPerSecond?: number; perChatPerSecond?: number };
  /** Keep every call in `calls` (default true); a benchmark pushing 100,000 messages turns it off to save memory. */
  recordCalls?: boolean;
}

/** What a bot's sendMessage calls came to: counters a test or benchmark reads (`sendStats(token)`). */
export interface SendStats {
  /** Messages accepted (delivered into a chat). */
  accepted: number;
  /** sendMessage calls answered 429. */
  tooManyRequests: number;
  /** Accepted messages per chat id. */
  perChat: ReadonlyMap<number, number>;
  /** When each accepted message arrived (Date.now()), in order. */
  acceptedAt: readonly number[];
}

export interface UserOptions {
  /** The user pressed Start long ago: the bot may message them, and no update is queued (bulk set-ups). */
  started?: true;
}

export interface AddBotOptions {
  /** `<id>:<secret>`, like a real token. */
  token: string;
  /** Defaults to the number before the colon. */
  id?: number;
  username: string;
  firstName?: string;
}

export interface TelegramUserProfile {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: true;
}

/** One message the bot sent into a chat, in its current state (edits applied). */
export interface BotMessage {
  message_id: number;
  date: number;
  /** The text as the user sees it: markup of parse_mode already turned into `entities`. */
  text: string;
  entities: MessageEntity[];
  parse_mode?: string;
  /** The markup as the bot sent it or last edited it (reply keyboards too; string buttons become `{ text }`). */
  reply_markup?: ReplyMarkup;
  edit_date?: number;
  deleted: boolean;
}

export interface CallbackAnswer {
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
}

export interface PressedButton {
  /** The callback_query id the bot must answer. */
  queryId: string;
  /** Resolves with the bot's answerCallbackQuery parameters; rejects if it does not answer in time. */
  answer(timeoutMs?: number): Promise<CallbackAnswer>;
}

export interface TelegramUser {
  readonly user: User;
  /** Private chat id: the user's id. */
  readonly chatId: number;
  sendText(text: string): Message;
  /** Sends text as a reply to (swipe on) message `messageId` of this chat: the update carries it as reply_to_message. */
  replyTo(messageId: number, text: string): Message;
  /** Sends `/command payload` with a bot_command entity; the slash is optional. */
  sendCommand(command: string, payload?: string): Message;
  /** A contact message; user_id defaults to the user's own id (pass another to forge), first_name to the user's. */
  shareContact(contact: { phone_number: string; user_id?: number; first_name?: string; last_name?: string }): Message;
  /** Presses an inline button with that callback_data on `messageId`, or on the newest bot message that has one. */
  pressButton(callbackData: string, messageId?: number): PressedButton;
  /** Everything the bot sent to this chat, in order, in its current state. */
  messages(): BotMessage[];
  lastMessage(): BotMessage | undefined;
  /** Resolves with the first message the bot sends here after this call that matches; rejects with the transcript. */
  waitForMessage(predicate?: (message: BotMessage) => boolean, timeoutMs?: number): Promise<BotMessage>;
  /** The reply keyboard the user currently sees, if any. */
  replyKeyboard(): ReplyKeyboardMarkup | undefined;
  /** The menu button the user sees in this chat. */
  menuButton(): MenuButton;
  /** The user blocks the bot: it gets a my_chat_member update and sendMessage answers 403 from then on. */
  block(): void;
  unblock(): void;
  /** The chat as readable lines, for error messages. */
  transcript(): string;
}

export interface ApiCall {
  token: string;
  method: string;
  params: Record<string, unknown>;
  at: number;
  /** The answer sent back; absent while a long poll is held. */
  response?: { ok: boolean; error_code?: number; description?: string; result?: unknown; parameters?: { retry_after?: number } };
  /** True when the bot made this call in the body of its answer to a webhook delivery. */
  viaWebhookReply?: true;
  /** True when the client hung up before the answer (grammY's bot.stop() cancelling its long poll does this). */
  aborted?: true;
}

export interface TelegramApi {
  /** The apiRoot to give grammY: `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every method call, in arrival order. */
  readonly calls: ApiCall[];
  addBot(options: AddBotOptions): UserFromGetMe;
  user(token: string, profile: TelegramUserProfile, options?: UserOptions): TelegramUser;
  /** sendMessage counters for that bot (live: the same object keeps counting). */
  sendStats(token: string): SendStats;
  /** Updates not yet confirmed (long polling) or not yet delivered (webhook). */
  pendingUpdates(token: string): Update[];
  /** Resolves once webhook delivery for that bot has nothing in flight (delivered everything, or gave up for now). */
  webhookIdle(token: string): Promise<void>;
  /** Ends held long polls (with an empty result), stops webhook deliveries and closes the server. */
  close(): Promise<void>;
}

export async function startTelegramApi(options: StartTelegramApiOptions = {}): Promise<TelegramApi> {
  const standIn = new StandIn(options);
  await standIn.listen();
  return standIn.facade();
}

/** Every button of a keyboard (or of a message's keyboard), rows flattened, string buttons as `{ text }`. */
export function buttonsOf(
  target: BotMessage | ReplyMarkup | undefined,
): Array<Exclude<KeyboardButton, string> | InlineKeyboardButton> {
  const markup = target && 'message_id' in target ? target.reply_markup : target;
  if (!markup) return [];
  if ('inline_keyboard' in markup) return markup.inline_keyboard.flat();
  if ('keyboard' in markup) return markup.keyboard.flat().map((b) => (typeof b === 'string' ? { text: b } : b));
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// Errors and parameters

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after: number },
  ) {
    super(description);
  }
}

const badRequest = (message: string) => new ApiError(400, `Bad Request: ${message}`);
const NOT_FOUND = () => new ApiError(404, 'Not Found');
const QUERY_INVALID = 'query is too old and response timeout expired or query ID is invalid';
const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

class Params {
  constructor(readonly raw: Record<string, unknown>) {}

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  str(key: string): string | undefined {
    const v = this.raw[key];
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return undefined;
  }

  int(key: string): number | undefined {
    const v = this.raw[key];
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
    return undefined;
  }

  num(key: string): number | undefined {
    const v = this.raw[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return undefined;
  }

  bool(key: string): boolean {
    const v = this.raw[key];
    return v === true || v === 1 || v === 'true' || v === '1' || v === 'True';
  }

  /** Objects arrive as JSON values in a JSON body and as JSON text in a form body. */
  json(key: string, unparsable: string): unknown {
    const v = this.raw[key];
    if (typeof v !== 'string') return v ?? undefined;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw badRequest(unparsable);
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);
const unixNow = () => Math.floor(Date.now() / 1000);
const byteOffset = (s: string, index: number) => Buffer.byteLength(s.slice(0, index), 'utf8');

// ---------------------------------------------------------------------------------------------------------------
// Formatted text: parse_mode → text + entities, as Telegram does it (the usual errors included)

interface Formatted {
  text: string;
  entities: MessageEntity[];
}

const entityError = (message: string) => badRequest(`can't parse entities: ${message}`);

function finishEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.filter((e) => e.length > 0).sort((a, b) => a.offset - b.offset || b.length - a.length);
}

const HTML_TAGS: Record<string, MessageEntity['type']> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

function decodeHtmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot);/g, (_m, body: string) => {
    if (body === 'lt') return '<';
    if (body === 'gt') return '>';
    if (body === 'amp') return '&';
    if (body === 'quot') return '"';
    const code = body.startsWith('#x') ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

function parseHtml(src: string): Formatted {
  let out = '';
  const entities: MessageEntity[] = [];
  const stack: Array<{ tag: string; offset: number; attrs: Record<string, string> }> = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '&') {
      const m = /^&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot);/.exec(src.slice(i, i + 16));
      out += m ? decodeHtmlEntities(m[0]) : '&';
      i += m ? m[0].length : 1;
      continue;
    }
    if (c !== '<') {
      out += c;
      i++;
      continue;
    }
    const at = byteOffset(src, i);
    if (src[i + 1] === '/') {
      const m = /^<\/([a-zA-Z0-9-]*)\s*>/.exec(src.slice(i));
      if (!m) throw entityError(`Can't find end tag at byte offset ${at}`);
      const open = stack.pop();
      if (!open) throw entityError(`Unexpected end tag at byte offset ${at}`);
      const name = m[1]!.toLowerCase();
      if (name !== '' && name !== open.tag) {
        throw entityError(`Unmatched end tag at byte offset ${at}, expected "</${open.tag}>", found "</${name}>"`);
      }
      const parent = stack[stack.length - 1];
      const length = out.length - open.offset;
      if (open.tag === 'code' && parent?.tag === 'pre' && parent.offset === open.offset) {
        const lang = /^language-(.+)$/.exec(open.attrs.class ?? '');
        if (lang) parent.attrs['data-language'] = lang[1]!;
      } else if (open.tag === 'pre') {
        const language = open.attrs['data-language'];
        entities.push(language ? { type: 'pre', offset: open.offset, length, language } : { type: 'pre', offset: open.offset, length });
      } else if (open.tag === 'a') {
        if (open.attrs.href) entities.push({ type: 'text_link', offset: open.offset, length, url: open.attrs.href });
      } else if (open.tag === 'tg-emoji') {
        entities.push({ type: 'custom_emoji', offset: open.offset, length, custom_emoji_id: open.attrs['emoji-id']! });
      } else if (open.tag === 'blockquote') {
        const type = 'expandable' in open.attrs ? 'expandable_blockquote' : 'blockquote';
        entities.push({ type, offset: open.offset, length });
      } else {
        entities.push({ type: HTML_TAGS[open.tag] as 'bold', offset: open.offset, length });
      }
      i += m[0].length;
      continue;
    }
    const nameMatch = /^<([a-zA-Z0-9-]*)/.exec(src.slice(i))!;
    const tag = nameMatch[1]!.toLowerCase();
    if (!Object.hasOwn(HTML_TAGS, tag)) throw entityError(`Unsupported start tag "${tag}" at byte offset ${at}`);
    let j = i + nameMatch[0].length;
    const attrs: Record<string, string> = {};
    const attrRe = /\s*([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/y;
    for (;;) {
      while (src[j] === ' ' || src[j] === '\n' || src[j] === '\t') j++;
      if (src[j] === '>') break;
      attrRe.lastIndex = j;
      const a = attrRe.exec(src);
      if (!a || a[0].length === 0) throw entityError(`Can't find end of the tag at byte offset ${at}`);
      attrs[a[1]!.toLowerCase()] = decodeHtmlEntities(a[2] ?? a[3] ?? a[4] ?? '');
      j = attrRe.lastIndex;
    }
    if (tag === 'span' && attrs.class !== 'tg-spoiler') throw entityError(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
    if (tag === 'tg-emoji' && !attrs['emoji-id']) throw entityError(`Tag "tg-emoji" must have attribute "emoji-id" at byte offset ${at}`);
    stack.push({ tag, offset: out.length, attrs });
    i = j + 1;
  }
  const unclosed = stack.pop();
  if (unclosed) throw entityError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text: out, entities: finishEntities(entities) };
}

const MDV2_RESERVED = '_*[]()~`>#+-=|{}.!';
const MDV2_NAMES: Record<string, string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  code: 'Code',
  pre: 'Pre',
  text_link: 'TextUrl',
  custom_emoji: 'CustomEmoji',
};

function parseMarkdownV2(src: string): Formatted {
  let out = '';
  const entities: MessageEntity[] = [];
  const stack: Array<{ type: string; offset: number; at: number; language?: string }> = [];
  let quote: { offset: number; expandable: boolean } | undefined;
  let i = 0;
  const lineStart = () => i === 0 || src[i - 1] === '\n';
  const closeQuote = () => {
    if (!quote) return;
    entities.push({ type: quote.expandable ? 'expandable_blockquote' : 'blockquote', offset: quote.offset, length: out.length - quote.offset });
    quote = undefined;
  };
  while (i < src.length) {
    const c = src[i]!;
    const top = stack[stack.length - 1];
    const inCode = top?.type === 'code' || top?.type === 'pre';
    if (c === '\\') {
      const next = src.codePointAt(i + 1);
      if (next !== undefined && next > 0 && next <= 126) {
        out += src[i + 1];
        i += 2;
        continue;
      }
      throw entityError(`Character '\\' is reserved and must be escaped with the preceding '\\'`);
    }
    if (!inCode && lineStart() && (c === '>' || src.startsWith('**>', i))) {
      if (!quote) quote = { offset: out.length, expandable: c === '*' };
      i += c === '>' ? 1 : 3;
      continue;
    }
    if (c === '\n' && quote && !inCode && src[i + 1] !== '>' && !src.startsWith('**>', i + 1)) {
      if (out.endsWith('||') && quote.expandable) out = out.slice(0, -2);
      closeQuote();
    }
    if (inCode) {
      if (top.type === 'code' && c === '`') {
        entities.push({ type: 'code', offset: top.offset, length: out.length - top.offset });
        stack.pop();
        i++;
        continue;
      }
      if (top.type === 'pre' && src.startsWith('```', i)) {
        const length = out.length - top.offset;
        entities.push(top.language ? { type: 'pre', offset: top.offset, length, language: top.language } : { type: 'pre', offset: top.offset, length });
        stack.pop();
        i += 3;
        continue;
      }
      out += c;
      i++;
      continue;
    }
    if (!MDV2_RESERVED.includes(c)) {
      out += c;
      i++;
      continue;
    }
    const at = byteOffset(src, i);
    // The innermost open entity may end here.
    if (top) {
      const closes =
        (top.type === 'bold' && c === '*') ||
        (top.type === 'italic' && c === '_' && src[i + 1] !== '_') ||
        (top.type === 'underline' && src.startsWith('__', i)) ||
        (top.type === 'strikethrough' && c === '~') ||
        (top.type === 'spoiler' && src.startsWith('||', i)) ||
        ((top.type === 'text_link' || top.type === 'custom_emoji') && c === ']');
      if (closes) {
        stack.pop();
        const length = out.length - top.offset;
        if (top.type === 'text_link' || top.type === 'custom_emoji') {
          let url = '';
          i++;
          if (src[i] === '(') {
            i++;
            for (;;) {
              if (i >= src.length) throw entityError(`Can't find end of a URL at byte offset ${byteOffset(src, i)}`);
              if (src[i] === '\\' && i + 1 < src.length) {
                url += src[i + 1];
                i += 2;
              } else if (src[i] === ')') {
                i++;
                break;
              } else {
                url += src[i++];
              }
            }
          } else if (top.type === 'text_link') {
            url = out.slice(top.offset);
          }
          if (top.type === 'custom_emoji') {
            const id = /^tg:\/\/emoji\?id=(\d+)$/.exec(url);
            if (!id) throw entityError(`Custom emoji URL must have an emoji identifier`);
            entities.push({ type: 'custom_emoji', offset: top.offset, length, custom_emoji_id: id[1]! });
          } else if (/^(https?:\/\/|tg:\/\/|ton:\/\/)?[^\s]+\.[^\s]+|^tg:\/\//.test(url)) {
            entities.push({ type: 'text_link', offset: top.offset, length, url });
          }
          continue;
        }
        entities.push({ type: top.type as 'bold', offset: top.offset, length });
        i += top.type === 'underline' || top.type === 'spoiler' ? 2 : 1;
        continue;
      }
    }
    // Otherwise it opens one, or is a reserved character that should have been escaped.
    let type: string | undefined;
    let width = 1;
    if (c === '*') type = 'bold';
    else if (c === '_') [type, width] = src[i + 1] === '_' ? ['underline', 2] : ['italic', 1];
    else if (c === '~') type = 'strikethrough';
    else if (c === '|' && src[i + 1] === '|') [type, width] = ['spoiler', 2];
    else if (c === '[') type = 'text_link';
    else if (c === '!' && src[i + 1] === '[') [type, width] = ['custom_emoji', 2];
    else if (c === '`') {
      if (src.startsWith('```', i)) {
        i += 3;
        const nl = src.indexOf('\n', i);
        const firstLine = nl === -1 ? '' : src.slice(i, nl);
        let language: string | undefined;
        if (nl !== -1 && /^[^\s`]+$/.test(firstLine)) {
          language = firstLine;
          i = nl + 1;
        } else if (src[i] === '\n') {
          i++;
        }
        stack.push(language ? { type: 'pre', offset: out.length, at, language } : { type: 'pre', offset: out.length, at });
        continue;
      }
      type = 'code';
    }
    if (!type) throw entityError(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    stack.push({ type, offset: out.length, at });
    i += width;
  }
  const unclosed = stack.pop();
  if (unclosed) throw entityError(`Can't find end of ${MDV2_NAMES[unclosed.type] ?? unclosed.type} entity at byte offset ${unclosed.at}`);
  if (quote && out.endsWith('||') && quote.expandable) out = out.slice(0, -2);
  closeQuote();
  return { text: out, entities: finishEntities(entities) };
}

function parseMarkdownLegacy(src: string): Formatted {
  let out = '';
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && '_*`['.includes(src[i + 1] ?? '')) {
      out += src[i + 1];
      i += 2;
      continue;
    }
    if (!'_*`['.includes(c)) {
      out += c;
      i++;
      continue;
    }
    const at = byteOffset(src, i);
    const fail = () => entityError(`Can't find end of the entity starting at byte offset ${at}`);
    if (c === '[') {
      const close = src.indexOf(']', i + 1);
      if (close === -1) throw fail();
      const label = src.slice(i + 1, close);
      if (src[close + 1] === '(') {
        const end = src.indexOf(')', close + 2);
        if (end === -1) throw fail();
        entities.push({ type: 'text_link', offset: out.length, length: label.length, url: src.slice(close + 2, end) });
        out += label;
        i = end + 1;
      } else {
        out += src.slice(i, close + 1);
        i = close + 1;
      }
      continue;
    }
    const marker = c === '`' && src.startsWith('```', i) ? '```' : c;
    const end = src.indexOf(marker, i + marker.length);
    if (end === -1) throw fail();
    let body = src.slice(i + marker.length, end);
    if (marker === '```') {
      const lang = /^([^\s`]+)\n/.exec(body);
      if (lang) body = body.slice(lang[0].length);
      entities.push(lang ? { type: 'pre', offset: out.length, length: body.length, language: lang[1]! } : { type: 'pre', offset: out.length, length: body.length });
    } else {
      entities.push({ type: c === '*' ? 'bold' : c === '_' ? 'italic' : 'code', offset: out.length, length: body.length });
    }
    out += body;
    i = end + marker.length;
  }
  return { text: out, entities: finishEntities(entities) };
}

function formatText(p: Params, textKey: string, entitiesKey: string): Formatted & { parse_mode?: string } {
  const raw = p.str(textKey) ?? '';
  const parseMode = p.str('parse_mode');
  let formatted: Formatted;
  if (p.has(entitiesKey)) {
    const given = p.json(entitiesKey, `can't parse entities JSON object`);
    if (!Array.isArray(given)) throw badRequest(`can't parse entities JSON object`);
    formatted = { text: raw, entities: given as MessageEntity[] };
  } else if (parseMode === undefined || parseMode === '') {
    formatted = { text: raw, entities: [] };
  } else if (parseMode.toLowerCase() === 'html') {
    formatted = parseHtml(raw);
  } else if (parseMode.toLowerCase() === 'markdownv2') {
    formatted = parseMarkdownV2(raw);
  } else if (parseMode.toLowerCase() === 'markdown') {
    formatted = parseMarkdownLegacy(raw);
  } else {
    throw badRequest('unsupported parse_mode');
  }
  if (formatted.text.trim() === '') throw badRequest('message text is empty');
  if (formatted.text.length > 4096) throw badRequest('message is too long');
  return parseMode ? { ...formatted, parse_mode: parseMode } : formatted;
}

/** What a Telegram client marks in text a user types: bot commands. */
function userEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  const re = /(^|\s)(\/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?)(?=$|[\s.,;:!?])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    entities.push({ type: 'bot_command', offset: m.index + m[1]!.length, length: m[2]!.length });
  }
  return entities;
}

// ---------------------------------------------------------------------------------------------------------------
// Keyboards

const INLINE_ACTIONS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'disabled',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
] as const;

class Markups {
  constructor(private readonly strictUrls: boolean) {}

  private checkWebApp(where: string, url: unknown): void {
    if (typeof url !== 'string') throw badRequest(`${where} Web App URL must be a string`);
    if (!this.strictUrls) return;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest(`${where} Web App URL '${url}' is invalid: Wrong HTTP URL`);
    }
    if (parsed.protocol !== 'https:') throw badRequest(`${where} Web App URL '${url}' is invalid: Only HTTPS links are allowed`);
  }

  private checkUrl(url: unknown): void {
    if (typeof url !== 'string') throw badRequest(`can't parse inline keyboard button: Field "url" must be of type String`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest(`inline keyboard button URL '${url}' is invalid: Wrong HTTP URL`);
    }
    if (!['http:', 'https:', 'tg:', 'ton:'].includes(parsed.protocol)) {
      throw badRequest(`inline keyboard button URL '${url}' is invalid: Unsupported URL protocol`);
    }
    if (this.strictUrls && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && !parsed.hostname.includes('.')) {
      throw badRequest(`inline keyboard button URL '${url}' is invalid: Wrong HTTP URL`);
    }
  }

  inline(value: unknown): InlineKeyboardMarkup {
    if (!isObject(value) || !Array.isArray(value.inline_keyboard)) throw badRequest("can't parse inline keyboard markup JSON object");
    const rows = value.inline_keyboard.map((row: unknown) => {
      if (!Array.isArray(row)) throw badRequest('field "inline_keyboard" must be an Array of Arrays');
      return row.map((button: unknown) => {
        if (!isObject(button)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        if (typeof button.text !== 'string') throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
        const actions = INLINE_ACTIONS.filter((k) => button[k] !== undefined);
        if (actions.length === 0) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        if (actions.length > 1) throw badRequest("can't parse inline keyboard button: Can't find field \"text\"");
        if (button.callback_data !== undefined) {
          const data = button.callback_data;
          if (typeof data !== 'string' || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64) throw badRequest('BUTTON_DATA_INVALID');
        }
        if (button.url !== undefined) this.checkUrl(button.url);
        if (button.web_app !== undefined) this.checkWebApp('inline keyboard button', isObject(button.web_app) ? button.web_app.url : undefined);
        return button as unknown as InlineKeyboardButton;
      });
    });
    return { inline_keyboard: rows };
  }

  any(value: unknown): ReplyMarkup {
    if (!isObject(value)) throw badRequest("can't parse reply keyboard markup JSON object");
    if ('inline_keyboard' in value) return this.inline(value);
    if ('keyboard' in value) {
      if (!Array.isArray(value.keyboard)) throw badRequest('field "keyboard" must be an Array');
      const keyboard = value.keyboard.map((row: unknown) => {
        if (!Array.isArray(row)) throw badRequest('field "keyboard" must be an Array of Arrays');
        return row.map((raw: unknown) => {
          const button = typeof raw === 'string' ? { text: raw } : raw;
          if (!isObject(button) || typeof button.text !== 'string') {
            throw badRequest(`can't parse keyboard button: Field "text" must be of type String`);
          }
          if (button.web_app !== undefined) this.checkWebApp('keyboard button', isObject(button.web_app) ? button.web_app.url : undefined);
          return button as unknown as Exclude<KeyboardButton, string>;
        });
      });
      return { ...(value as unknown as ReplyKeyboardMarkup), keyboard };
    }
    if (value.remove_keyboard === true) return value as unknown as ReplyKeyboardRemove;
    if (value.force_reply === true) return value as unknown as ForceReply;
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
}

const isInline = (m: ReplyMarkup | undefined): m is InlineKeyboardMarkup => !!m && 'inline_keyboard' in m;

// ---------------------------------------------------------------------------------------------------------------
// State

interface LogEntry {
  side: 'user' | 'bot';
  message: Message;
  sent?: BotMessage;
  deleted: boolean;
  note?: string;
}

interface MessageWaiter {
  predicate: (m: BotMessage) => boolean;
  resolve: (m: BotMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface ChatState {
  user: User;
  chat: Chat.PrivateChat;
  /** The user has written to the bot at least once. */
  started: boolean;
  blocked: boolean;
  nextMessageId: number;
  log: LogEntry[];
  byId: Map<number, LogEntry>;
  replyKeyboard?: ReplyKeyboardMarkup;
  menuButton?: MenuButton;
  waiters: Set<MessageWaiter>;
}

interface HeldPoll {
  wake(): void;
  fail(error: ApiError): void;
}

interface WebhookState {
  url: string;
  secretToken?: string;
  maxConnections: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

interface CallbackState {
  answered: boolean;
  answer?: CallbackAnswer;
  waiters: Array<(a: CallbackAnswer) => void>;
}

interface BotState {
  token: string;
  me: UserFromGetMe;
  nextUpdateId: number;
  queue: Update[];
  allowedUpdates: string[];
  poll?: HeldPoll;
  webhook?: WebhookState;
  pumping: boolean;
  stalled: boolean;
  idleWaiters: Array<() => void>;
  chats: Map<number, ChatState>;
  commands: Map<string, BotCommand[]>;
  descriptions: Map<string, string>;
  shortDescriptions: Map<string, string>;
  defaultMenuButton?: MenuButton;
  callbacks: Map<string, CallbackState>;
}

interface Connection {
  onClose(listener: () => void): void;
}

/** Flood control for one bot: accepted sends of the last second (a queue with a moving head, O(1) per send). */
interface FloodState {
  stats: SendStats & { perChat: Map<number, number>; acceptedAt: number[] };
  window: number[];
  head: number;
  chats: Map<number, number[]>;
}

type Handler = (bot: BotState, p: Params, conn: Connection) => unknown;

const DEFAULT_EXCLUDED_UPDATES = ['chat_member', 'message_reaction', 'message_reaction_count'];

// ---------------------------------------------------------------------------------------------------------------
// The server

class StandIn {
  private readonly server = http.createServer((req, res) => void this.onRequest(req, res));
  private readonly bots = new Map<string, BotState>();
  private readonly methods: Record<string, Handler>;
  private readonly markups: Markups;
  private readonly retryDelays: number[];
  private readonly webhookTimeoutMs: number;
  private readonly inFlight = new Set<http.ClientRequest>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly openResponses = new Set<http.ServerResponse>();
  private readonly rateLimit?: { perBot: number; perChat: number };
  private readonly recordCalls: boolean;
  private readonly floods = new Map<string, FloodState>();
  private nextQueryId = 1;
  private closed = false;
  readonly calls: ApiCall[] = [];
  url = '';

  constructor(options: StartTelegramApiOptions) {
    this.markups = new Markups(options.strictUrls ?? true);
    this.retryDelays = options.webhookRetryDelaysMs ?? [50, 100, 200];
    this.webhookTimeoutMs = options.webhookTimeoutMs ?? 10_000;
    if (options.rateLimit) this.rateLimit = { perBot: options.rateLimit.perBotPerSecond ?? 30, perChat: options.rateLimit.perChatPerSecond ?? 1 };
    this.recordCalls = options.recordCalls ?? true;
    const m: Record<string, Handler> = {
      getMe: (bot) => clone(bot.me),
      getUpdates: (bot, p, conn) => this.getUpdates(bot, p, conn),
      setWebhook: (bot, p) => this.setWebhook(bot, p),
      deleteWebhook: (bot, p) => this.deleteWebhook(bot, p),
      getWebhookInfo: (bot) => this.webhookInfo(bot),
      sendMessage: (bot, p) => this.sendMessage(bot, p),
      editMessageText: (bot, p) => this.editMessage(bot, p, true),
      editMessageReplyMarkup: (bot, p) => this.editMessage(bot, p, false),
      deleteMessage: (bot, p) => this.deleteMessage(bot, p),
      answerCallbackQuery: (bot, p) => this.answerCallbackQuery(bot, p),
      setChatMenuButton: (bot, p) => this.setChatMenuButton(bot, p),
      getChatMenuButton: (bot, p) => this.getChatMenuButton(bot, p),
      setMyCommands: (bot, p) => this.setMyCommands(bot, p),
      getMyCommands: (bot, p) => bot.commands.get(commandsKey(this.scope(p), p.str('language_code'))) ?? [],
      deleteMyCommands: (bot, p) => bot.commands.delete(commandsKey(this.scope(p), p.str('language_code'))) || true,
      setMyDescription: (bot, p) => setText(bot.descriptions, p, 'description', 512),
      getMyDescription: (bot, p) => ({ description: bot.descriptions.get(p.str('language_code') ?? '') ?? '' }),
      setMyShortDescription: (bot, p) => setText(bot.shortDescriptions, p, 'short_description', 120),
      getMyShortDescription: (bot, p) => ({ short_description: bot.shortDescriptions.get(p.str('language_code') ?? '') ?? '' }),
    };
    // Method names are case-insensitive in the Bot API.
    this.methods = Object.fromEntries(Object.entries(m).map(([k, v]) => [k.toLowerCase(), v]));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  facade(): TelegramApi {
    return {
      url: this.url,
      calls: this.calls,
      addBot: (o) => this.addBot(o),
      user: (token, profile, options) => this.user(token, profile, options),
      sendStats: (token) => this.flood(this.bot(token)).stats,
      pendingUpdates: (token) => clone(this.bot(token).queue),
      webhookIdle: (token) => this.webhookIdle(this.bot(token)),
      close: () => this.close(),
    };
  }

  // --- HTTP -----------------------------------------------------------------------------------------------------

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.openResponses.add(res);
    res.on('close', () => this.openResponses.delete(res));
    let call: ApiCall | undefined;
    if (this.closed) {
      req.socket.destroy();
      return;
    }
    const reply = (status: number, body: ApiCall['response'] & object) => {
      if (res.writableEnded || res.destroyed) {
        if (call) call.aborted = true;
        return;
      }
      if (call) call.response = body;
      const json = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const route = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
      if (!route || (req.method !== 'GET' && req.method !== 'POST')) throw NOT_FOUND();
      const token = decodeURIComponent(route[1]!);
      const method = decodeURIComponent(route[2]!);
      const body = await readBody(req);
      call = { token, method, params: {}, at: Date.now() };
      if (this.recordCalls) this.calls.push(call);
      call.params = parseParams(req.headers['content-type'], body, url.searchParams);
      const conn: Connection = {
        onClose: (listener) => res.on('close', () => !res.writableFinished && listener()),
      };
      const { result, description } = await this.invoke(token, method, new Params(call.params), conn);
      reply(200, description ? { ok: true, result, description } : { ok: true, result });
    } catch (error) {
      if (error instanceof ApiError) {
        reply(error.code, { ok: false, error_code: error.code, description: error.description, ...(error.parameters && { parameters: error.parameters }) });
      } else reply(500, { ok: false, error_code: 500, description: `Internal Server Error: ${(error as Error).message}` });
    }
  }

  private async invoke(token: string, method: string, p: Params, conn: Connection): Promise<{ result: unknown; description?: string }> {
    const bot = this.bots.get(token);
    if (!bot) throw new ApiError(401, 'Unauthorized');
    const handler = this.methods[method.toLowerCase()];
    if (!handler) throw NOT_FOUND();
    const out = await handler(bot, p, conn);
    if (out instanceof Described) return { result: out.result, description: out.description };
    return { result: out };
  }

  // --- Bots and users -------------------------------------------------------------------------------------------

  private addBot(o: AddBotOptions): UserFromGetMe {
    const m = /^(\d+):[A-Za-z0-9_-]+$/.exec(o.token);
    if (!m) throw new Error(`addBot: token must look like "<id>:<secret>", got "${o.token}"`);
    const id = o.id ?? Number(m[1]);
    if (this.bots.has(o.token)) throw new Error(`addBot: a bot with token ${o.token} exists`);
    const me: UserFromGetMe = {
      id,
      is_bot: true,
      first_name: o.firstName ?? o.username,
      username: o.username,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
    this.bots.set(o.token, {
      token: o.token,
      me,
      nextUpdateId: 100_000_001,
      queue: [],
      allowedUpdates: [],
      pumping: false,
      stalled: false,
      idleWaiters: [],
      chats: new Map(),
      commands: new Map(),
      descriptions: new Map(),
      shortDescriptions: new Map(),
      callbacks: new Map(),
    });
    return clone(me);
  }

  private bot(token: string): BotState {
    const bot = this.bots.get(token);
    if (!bot) throw new Error(`No bot with token ${token}: call addBot first`);
    return bot;
  }

  private botUser(bot: BotState): User {
    return { id: bot.me.id, is_bot: true, first_name: bot.me.first_name, username: bot.me.username };
  }

  private user(token: string, profile: TelegramUserProfile, options: UserOptions = {}): TelegramUser {
    const bot = this.bot(token);
    const user: User = { ...profile, is_bot: false };
    const chatInfo: Chat.PrivateChat = {
      id: profile.id,
      type: 'private',
      first_name: profile.first_name,
      ...(profile.last_name !== undefined && { last_name: profile.last_name }),
      ...(profile.username !== undefined && { username: profile.username }),
    };
    let chat = bot.chats.get(profile.id);
    if (chat) {
      chat.user = user;
      chat.chat = chatInfo;
    } else {
      chat = { user, chat: chatInfo, started: false, blocked: false, nextMessageId: 1, log: [], byId: new Map(), waiters: new Set() };
      bot.chats.set(profile.id, chat);
    }
    if (options.started) chat.started = true;
    const c = chat;
    const active = () => {
      if (this.closed) throw new Error('The Telegram stand-in is closed');
      if (c.blocked) throw new Error(`${describeUser(c.user)} has blocked @${bot.me.username}: call unblock() first`);
    };
    const userMessage = (fields: Partial<Message>, note?: string): Message => {
      active();
      c.started = true;
      const message: Message & Update.NonChannel = {
        ...fields,
        message_id: c.nextMessageId++,
        from: clone(c.user),
        chat: clone(c.chat),
        date: unixNow(),
      };
      const entry: LogEntry = { side: 'user', message, deleted: false, ...(note !== undefined && { note }) };
      c.log.push(entry);
      c.byId.set(message.message_id, entry);
      this.enqueue(bot, { message: clone(message) });
      return clone(message);
    };
    // A contact shared without its own name carries the user's name, as with the request_contact button.
    const lastName = (contact: { first_name?: string; last_name?: string }) =>
      contact.first_name === undefined ? c.user.last_name : contact.last_name;
    const pressedReplyButton = (match: (b: Exclude<KeyboardButton, string>) => boolean) => {
      const kb = c.replyKeyboard;
      if (kb?.one_time_keyboard && buttonsOf(kb).some((b) => match(b as Exclude<KeyboardButton, string>))) c.replyKeyboard = undefined;
    };
    return {
      user: clone(user),
      chatId: profile.id,
      sendText: (text) => {
        pressedReplyButton((b) => b.text === text);
        const entities = userEntities(text);
        return userMessage(entities.length ? { text, entities } : { text });
      },
      replyTo: (messageId, text) => {
        const target = c.byId.get(messageId);
        if (!target || target.deleted) throw new Error(`No message #${messageId} in the chat with ${describeUser(c.user)}`);
        const { reply_to_message: _nested, ...quoted } = clone(target.message);
        const entities = userEntities(text);
        return userMessage({ text, ...(entities.length > 0 && { entities }), reply_to_message: quoted as NonNullable<Message['reply_to_message']> });
      },
      sendCommand: (command, payload) => {
        const name = command.startsWith('/') ? command : `/${command}`;
        const text = payload === undefined || payload === '' ? name : `${name} ${payload}`;
        return userMessage({ text, entities: [{ type: 'bot_command', offset: 0, length: name.length }] });
      },
      shareContact: (contact) => {
        pressedReplyButton((b) => 'request_contact' in b && b.request_contact === true);
        return userMessage({
          contact: {
            phone_number: contact.phone_number,
            first_name: contact.first_name ?? c.user.first_name,
            ...(lastName(contact) !== undefined && { last_name: lastName(contact)! }),
            user_id: contact.user_id ?? c.user.id,
          },
        });
      },
      pressButton: (data, messageId) => this.pressButton(bot, c, data, messageId, active),
      messages: () => c.log.filter((e) => e.sent).map((e) => clone(e.sent!)),
      lastMessage: () => {
        const last = [...c.log].reverse().find((e) => e.sent);
        return last?.sent && clone(last.sent);
      },
      waitForMessage: (predicate = () => true, timeoutMs = 5000) =>
        new Promise<BotMessage>((resolve, reject) => {
          const waiter: MessageWaiter = {
            predicate,
            resolve,
            reject,
            timer: setTimeout(() => {
              c.waiters.delete(waiter);
              reject(new Error(`@${bot.me.username} sent no matching message to ${describeUser(c.user)} within ${timeoutMs} ms.\nTranscript:\n${transcript(c)}`));
            }, timeoutMs),
          };
          c.waiters.add(waiter);
        }),
      replyKeyboard: () => c.replyKeyboard && clone(c.replyKeyboard),
      menuButton: () => clone(this.effectiveMenuButton(bot, c)),
      block: () => {
        active();
        c.blocked = true;
        this.enqueue(bot, { my_chat_member: this.memberUpdate(bot, c, 'member', 'kicked') });
      },
      unblock: () => {
        if (!c.blocked) return;
        c.blocked = false;
        this.enqueue(bot, { my_chat_member: this.memberUpdate(bot, c, 'kicked', 'member') });
      },
      transcript: () => transcript(c),
    };
  }

  private memberUpdate(bot: BotState, c: ChatState, from: 'member' | 'kicked', to: 'member' | 'kicked'): ChatMemberUpdated {
    const member = (status: 'member' | 'kicked') =>
      status === 'member' ? { status, user: this.botUser(bot) } : { status, user: this.botUser(bot), until_date: 0 };
    return { chat: clone(c.chat), from: clone(c.user), date: unixNow(), old_chat_member: member(from), new_chat_member: member(to) };
  }

  private pressButton(bot: BotState, c: ChatState, data: string, messageId: number | undefined, active: () => void): PressedButton {
    active();
    const hasButton = (e: LogEntry) =>
      e.side === 'bot' && !e.deleted && isInline(e.sent?.reply_markup) && buttonsOf(e.sent.reply_markup).some((b) => 'callback_data' in b && b.callback_data === data);
    const entry = messageId !== undefined ? c.byId.get(messageId) : [...c.log].reverse().find(hasButton);
    if (!entry || !hasButton(entry)) {
      const where = messageId !== undefined ? `message #${messageId}` : 'any message';
      throw new Error(`No inline button with callback_data "${data}" on ${where} in the chat with ${describeUser(c.user)}.\nTranscript:\n${transcript(c)}`);
    }
    const queryId = `${c.user.id}${String(this.nextQueryId++).padStart(6, '0')}`;
    const state: CallbackState = { answered: false, waiters: [] };
    bot.callbacks.set(queryId, state);
    const query: CallbackQuery = {
      id: queryId,
      from: clone(c.user),
      message: clone(entry.message),
      chat_instance: String(BigInt(bot.me.id) * 1_000_003n + BigInt(c.user.id)),
      data,
    };
    c.log.push({ side: 'user', message: entry.message, deleted: false, note: `pressed [${data}] on #${entry.message.message_id}` });
    this.enqueue(bot, { callback_query: query });
    return {
      queryId,
      answer: (timeoutMs = 5000) =>
        new Promise<CallbackAnswer>((resolve, reject) => {
          if (state.answer) return resolve(clone(state.answer));
          const timer = setTimeout(() => reject(new Error(`@${bot.me.username} did not answer callback query ${queryId} ("${data}") within ${timeoutMs} ms`)), timeoutMs);
          state.waiters.push((a) => {
            clearTimeout(timer);
            resolve(clone(a));
          });
        }),
    };
  }

  // --- Updates: long polling ------------------------------------------------------------------------------------

  private enqueue(bot: BotState, body: Omit<Update, 'update_id'>): void {
    const type = Object.keys(body)[0]!;
    const allowed = bot.allowedUpdates.length ? bot.allowedUpdates.includes(type) : !DEFAULT_EXCLUDED_UPDATES.includes(type);
    if (!allowed) return; // Telegram never creates updates of types the bot did not subscribe to.
    bot.queue.push({ update_id: bot.nextUpdateId++, ...body } as Update);
    if (bot.webhook) {
      bot.stalled = false;
      void this.pump(bot);
    } else {
      bot.poll?.wake();
    }
  }

  private getUpdates(bot: BotState, p: Params, conn: Connection): Update[] | Promise<Update[]> {
    if (bot.webhook) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = p.int('offset') ?? 0;
    const limit = Math.min(100, Math.max(1, p.int('limit') ?? 100));
    const timeout = Math.max(0, p.num('timeout') ?? 0);
    const allowed = p.json('allowed_updates', "can't parse allowed updates");
    if (Array.isArray(allowed)) bot.allowedUpdates = allowed.filter((t): t is string => typeof t === 'string');
    if (offset > 0) bot.queue = bot.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) bot.queue = bot.queue.slice(offset);
    bot.poll?.fail(new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    const take = () => clone(bot.queue.slice(0, limit));
    if (bot.queue.length > 0 || timeout === 0 || this.closed) return take();
    return new Promise<Update[]>((resolve, reject) => {
      const timer = setTimeout(() => poll.wake(), timeout * 1000);
      const done = () => {
        clearTimeout(timer);
        if (bot.poll === poll) bot.poll = undefined;
      };
      const poll: HeldPoll = {
        wake: () => {
          done();
          resolve(take());
        },
        fail: (error) => {
          done();
          reject(error);
        },
      };
      bot.poll = poll;
      conn.onClose(() => poll.wake()); // nothing is written to a closed connection; the updates stay unconfirmed
    });
  }

  // --- Updates: webhooks ----------------------------------------------------------------------------------------

  private setWebhook(bot: BotState, p: Params): Described {
    const url = p.str('url') ?? '';
    if (url === '') return this.deleteWebhook(bot, p);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    }
    // Telegram requires https on ports 443, 80, 88 or 8443; the stand-in also takes plain http on any port for tests.
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secret = p.str('secret_token');
    if (secret !== undefined && secret !== '' && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw badRequest('secret token contains unallowed characters');
    }
    const maxConnections = p.int('max_connections') ?? 40;
    if (maxConnections < 1 || maxConnections > 100) throw badRequest('max_connections must be between 1 and 100');
    const allowed = p.json('allowed_updates', "can't parse allowed updates");
    if (Array.isArray(allowed)) bot.allowedUpdates = allowed.filter((t): t is string => typeof t === 'string');
    if (p.bool('drop_pending_updates')) bot.queue = [];
    const same = bot.webhook?.url === url && bot.webhook.secretToken === (secret || undefined);
    bot.webhook = { url, maxConnections, ...(secret ? { secretToken: secret } : {}) };
    bot.poll?.fail(new ApiError(409, 'Conflict: terminated by setWebhook request'));
    bot.stalled = false;
    void this.pump(bot);
    return new Described(true, same ? 'Webhook is already set' : 'Webhook was set');
  }

  private deleteWebhook(bot: BotState, p: Params): Described {
    const had = bot.webhook !== undefined;
    bot.webhook = undefined;
    if (p.bool('drop_pending_updates')) bot.queue = [];
    return new Described(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
  }

  private webhookInfo(bot: BotState): WebhookInfo {
    const wh = bot.webhook;
    if (!wh) return { url: '', has_custom_certificate: false, pending_update_count: bot.queue.length };
    return {
      url: wh.url,
      has_custom_certificate: false,
      pending_update_count: bot.queue.length,
      max_connections: wh.maxConnections,
      ip_address: '127.0.0.1',
      ...(wh.lastErrorDate !== undefined && { last_error_date: wh.lastErrorDate, last_error_message: wh.lastErrorMessage! }),
      ...(bot.allowedUpdates.length > 0 && { allowed_updates: [...bot.allowedUpdates] as WebhookInfo['allowed_updates'] }),
    };
  }

  /** Delivers queued updates one at a time, in order; after the retries fail the update stays pending until a new
   * update arrives or setWebhook is called again (Telegram would keep retrying on its own, more slowly). */
  private async pump(bot: BotState): Promise<void> {
    if (bot.pumping) return;
    bot.pumping = true;
    try {
      while (!this.closed && bot.webhook && bot.queue.length > 0 && !bot.stalled) {
        const wh = bot.webhook;
        const update = bot.queue[0]!;
        let delivered = false;
        for (let attempt = 0; attempt <= this.retryDelays.length; attempt++) {
          if (attempt > 0) await this.sleep(this.retryDelays[attempt - 1]!);
          if (this.closed || bot.webhook !== wh) break;
          const outcome = await this.post(wh, update);
          if (outcome.ok) {
            delivered = true;
            if (outcome.reply) await this.webhookReply(bot, outcome.reply);
            break;
          }
          wh.lastErrorDate = unixNow();
          wh.lastErrorMessage = outcome.error;
        }
        if (delivered) {
          if (bot.queue[0] === update) bot.queue.shift();
        } else if (bot.webhook === wh) {
          bot.stalled = true;
        }
      }
    } finally {
      bot.pumping = false;
      for (const w of bot.idleWaiters.splice(0)) w();
    }
  }

  private post(wh: WebhookState, update: Update): Promise<{ ok: true; reply?: Record<string, unknown> } | { ok: false; error: string }> {
    const body = JSON.stringify(update);
    const target = new URL(wh.url);
    const transport = target.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      const req = transport.request(
        target,
        {
          method: 'POST',
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...(wh.secretToken !== undefined && { 'X-Telegram-Bot-Api-Secret-Token': wh.secretToken }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', () => undefined);
          res.on('end', () => {
            clearTimeout(timer);
            this.inFlight.delete(req);
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) {
              resolve({ ok: false, error: `Wrong response from the webhook: ${status} ${http.STATUS_CODES[status] ?? ''}`.trim() });
              return;
            }
            let reply: Record<string, unknown> | undefined;
            try {
              const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              if (isObject(parsed) && typeof parsed.method === 'string') reply = parsed;
            } catch {
              // An empty or non-JSON body is a plain acknowledgement.
            }
            resolve(reply ? { ok: true, reply } : { ok: true });
          });
        },
      );
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('Read timeout expired'), { code: 'ETIMEDOUT' })), this.webhookTimeoutMs);
      this.inFlight.add(req);
      req.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        this.inFlight.delete(req);
        const error =
          err.code === 'ECONNREFUSED' ? 'Connection refused'
          : err.code === 'ETIMEDOUT' ? 'Read timeout expired'
          : err.code === 'ECONNRESET' ? 'Connection reset by peer'
          : err.message;
        resolve({ ok: false, error });
      });
      req.end(body);
    });
  }

  /** A bot may answer a webhook delivery with one method call in the response body. */
  private async webhookReply(bot: BotState, body: Record<string, unknown>): Promise<void> {
    const { method, ...params } = body as { method: string };
    const call: ApiCall = { token: bot.token, method, params, at: Date.now(), viaWebhookReply: true };
    this.calls.push(call);
    try {
      const { result } = await this.invoke(bot.token, method, new Params(params), { onClose: () => undefined });
      call.response = { ok: true, result };
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(500, String(error));
      call.response = { ok: false, error_code: e.code, description: e.description };
    }
  }

  private webhookIdle(bot: BotState): Promise<void> {
    if (!bot.pumping) return Promise.resolve();
    return new Promise((resolve) => bot.idleWaiters.push(resolve));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  // --- Messages -------------------------------------------------------------------------------------------------

  private chatFor(bot: BotState, p: Params, { forSending }: { forSending: boolean }): ChatState {
    if (!p.has('chat_id')) throw badRequest('chat_id is empty');
    const id = p.int('chat_id');
    const chat = id === undefined ? undefined : bot.chats.get(id);
    if (!chat || (!chat.started && !forSending)) throw badRequest('chat not found');
    if (forSending && chat.blocked) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    if (forSending && !chat.started) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
    return chat;
  }

  private flood(bot: BotState): FloodState {
    let f = this.floods.get(bot.token);
    if (!f) {
      f = { stats: { accepted: 0, tooManyRequests: 0, perChat: new Map(), acceptedAt: [] }, window: [], head: 0, chats: new Map() };
      this.floods.set(bot.token, f);
    }
    return f;
  }

  /** Telegram's flood control: 429 with retry_after past the bot's or the chat's rate; else counts the send. */
  private admit(bot: BotState, chatId: number): void {
    const f = this.flood(bot);
    const now = Date.now();
    if (this.rateLimit) {
      while (f.head < f.window.length && f.window[f.head]! <= now - 1000) f.head++;
      if (f.head > 10_000) {
        f.window.splice(0, f.head);
        f.head = 0;
      }
      const recent = (f.chats.get(chatId) ?? []).filter((t) => t > now - 1000);
      const tooMany = (oldest: number) => {
        f.stats.tooManyRequests++;
        const retryAfter = Math.max(1, Math.ceil((oldest + 1000 - now) / 1000));
        return new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
      };
      if (f.window.length - f.head >= this.rateLimit.perBot) throw tooMany(f.window[f.head]!);
      if (recent.length >= this.rateLimit.perChat) throw tooMany(recent[0]!);
      f.window.push(now);
      recent.push(now);
      f.chats.delete(chatId); // re-inserted last: the map stays in order of each chat's latest send
      f.chats.set(chatId, recent);
      // Chats quiet for a second are forgotten from the front, so 100,000 chats cost O(1) each.
      for (const [id, times] of f.chats) {
        if (f.chats.size <= 1000 || times.at(-1)! > now - 1000) break;
        f.chats.delete(id);
      }
    }
    f.stats.accepted++;
    f.stats.perChat.set(chatId, (f.stats.perChat.get(chatId) ?? 0) + 1);
    f.stats.acceptedAt.push(now);
  }

  private sendMessage(bot: BotState, p: Params): Message {
    const chat = this.chatFor(bot, p, { forSending: true });
    const formatted = formatText(p, 'text', 'entities');
    const markup = p.has('reply_markup') ? this.markups.any(p.json('reply_markup', "can't parse reply keyboard markup JSON object")) : undefined;
    this.admit(bot, chat.chat.id);
    const message: Message = {
      message_id: chat.nextMessageId++,
      from: this.botUser(bot),
      chat: clone(chat.chat),
      date: unixNow(),
      text: formatted.text,
      ...(formatted.entities.length > 0 && { entities: formatted.entities }),
      ...(isInline(markup) && markup.inline_keyboard.length > 0 && { reply_markup: markup }),
    };
    const sent: BotMessage = {
      message_id: message.message_id,
      date: message.date,
      text: formatted.text,
      entities: formatted.entities,
      ...(formatted.parse_mode !== undefined && { parse_mode: formatted.parse_mode }),
      ...(markup !== undefined && { reply_markup: markup }),
      deleted: false,
    };
    if (markup && 'keyboard' in markup) chat.replyKeyboard = markup;
    if (markup && 'remove_keyboard' in markup) chat.replyKeyboard = undefined;
    const entry: LogEntry = { side: 'bot', message, sent, deleted: false };
    chat.log.push(entry);
    chat.byId.set(message.message_id, entry);
    for (const waiter of [...chat.waiters]) {
      let matches: boolean;
      try {
        matches = waiter.predicate(clone(sent));
      } catch (error) {
        chat.waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.reject(error as Error);
        continue;
      }
      if (matches) {
        chat.waiters.delete(waiter);
        clearTimeout(waiter.timer);
        // Resolve after this call has been answered and recorded, so the test sees the call complete in `calls`.
        const snapshot = clone(sent);
        setImmediate(() => waiter.resolve(snapshot));
      }
    }
    return clone(message);
  }

  private editMessage(bot: BotState, p: Params, withText: boolean): Message {
    if (p.has('inline_message_id')) throw badRequest('MESSAGE_ID_INVALID');
    const chat = this.chatFor(bot, p, { forSending: false });
    const id = p.int('message_id');
    if (id === undefined) throw badRequest('message identifier is not specified');
    const entry = chat.byId.get(id);
    if (!entry || entry.deleted) throw badRequest('message to edit not found');
    if (entry.side !== 'bot' || !entry.sent) throw badRequest("message can't be edited");
    const formatted = withText ? formatText(p, 'text', 'entities') : undefined;
    const markupValue = p.has('reply_markup') ? p.json('reply_markup', "can't parse reply keyboard markup JSON object") : undefined;
    if (markupValue !== undefined && !(isObject(markupValue) && 'inline_keyboard' in markupValue)) throw badRequest('inline keyboard expected');
    // Omitting reply_markup in an edit removes the inline keyboard, as on Telegram.
    const markup = markupValue === undefined ? undefined : this.markups.inline(markupValue);
    const effective = markup && markup.inline_keyboard.length > 0 ? markup : undefined;
    const current = entry.sent;
    const sameText = !formatted || (formatted.text === current.text && JSON.stringify(formatted.entities) === JSON.stringify(current.entities));
    const currentInline = isInline(current.reply_markup) && current.reply_markup.inline_keyboard.length > 0 ? current.reply_markup : undefined;
    if (sameText && JSON.stringify(effective) === JSON.stringify(currentInline)) throw badRequest(NOT_MODIFIED);
    const editDate = unixNow();
    if (formatted) {
      current.text = formatted.text;
      current.entities = formatted.entities;
      if (formatted.parse_mode !== undefined) current.parse_mode = formatted.parse_mode;
      else delete current.parse_mode;
      entry.message.text = formatted.text;
      if (formatted.entities.length > 0) entry.message.entities = formatted.entities;
      else delete entry.message.entities;
    }
    if (effective) {
      current.reply_markup = effective;
      entry.message.reply_markup = effective;
    } else {
      if (isInline(current.reply_markup)) delete current.reply_markup;
      delete entry.message.reply_markup;
    }
    current.edit_date = editDate;
    entry.message.edit_date = editDate;
    return clone(entry.message);
  }

  private deleteMessage(bot: BotState, p: Params): boolean {
    const chat = this.chatFor(bot, p, { forSending: false });
    const id = p.int('message_id');
    if (id === undefined) throw badRequest('message identifier is not specified');
    const entry = chat.byId.get(id);
    if (!entry || entry.deleted) throw badRequest('message to delete not found');
    entry.deleted = true;
    if (entry.sent) entry.sent.deleted = true;
    return true;
  }

  private answerCallbackQuery(bot: BotState, p: Params): boolean {
    const id = p.str('callback_query_id');
    if (id === undefined || id === '') throw badRequest('QUERY_ID_INVALID');
    const state = bot.callbacks.get(id);
    if (!state || state.answered) throw badRequest(QUERY_INVALID);
    const text = p.str('text');
    if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
    const answer: CallbackAnswer = {
      ...(text !== undefined && { text }),
      ...(p.has('show_alert') && { show_alert: p.bool('show_alert') }),
      ...(p.str('url') !== undefined && { url: p.str('url')! }),
      ...(p.int('cache_time') !== undefined && { cache_time: p.int('cache_time')! }),
    };
    state.answered = true;
    state.answer = answer;
    for (const w of state.waiters.splice(0)) setImmediate(() => w(answer));
    return true;
  }

  // --- Bot settings ---------------------------------------------------------------------------------------------

  private menuButtonFrom(p: Params): MenuButton {
    const value = p.json('menu_button', "can't parse menu button JSON object");
    if (value === undefined) return { type: 'default' };
    if (!isObject(value)) throw badRequest("can't parse menu button JSON object");
    if (value.type === 'default' || value.type === 'commands') return { type: value.type };
    if (value.type === 'web_app') {
      if (typeof value.text !== 'string' || value.text === '') throw badRequest('menu button text is empty');
      const url = isObject(value.web_app) ? value.web_app.url : undefined;
      // Same rule as web_app keyboard buttons.
      this.markups.inline({ inline_keyboard: [[{ text: value.text, web_app: { url } }]] });
      return { type: 'web_app', text: value.text, web_app: { url: url as string } };
    }
    throw badRequest('unsupported menu button type');
  }

  private setChatMenuButton(bot: BotState, p: Params): boolean {
    const button = this.menuButtonFrom(p);
    if (p.has('chat_id')) {
      const chat = this.chatFor(bot, p, { forSending: false });
      if (button.type === 'default') delete chat.menuButton;
      else chat.menuButton = button;
    } else if (button.type === 'default') {
      delete bot.defaultMenuButton;
    } else {
      bot.defaultMenuButton = button;
    }
    return true;
  }

  private effectiveMenuButton(bot: BotState, chat: ChatState | undefined): MenuButton {
    return chat?.menuButton ?? bot.defaultMenuButton ?? { type: 'commands' };
  }

  private getChatMenuButton(bot: BotState, p: Params): MenuButton {
    const chat = p.has('chat_id') ? this.chatFor(bot, p, { forSending: false }) : undefined;
    return clone(this.effectiveMenuButton(bot, chat));
  }

  private scope(p: Params): Record<string, unknown> {
    const scope = p.json('scope', "can't parse BotCommandScope JSON object") ?? { type: 'default' };
    const types = ['default', 'all_private_chats', 'all_group_chats', 'all_chat_administrators', 'chat', 'chat_administrators', 'chat_member'];
    if (!isObject(scope) || typeof scope.type !== 'string' || !types.includes(scope.type)) throw badRequest('unsupported bot command scope type');
    return scope;
  }

  private setMyCommands(bot: BotState, p: Params): boolean {
    const commands = p.json('commands', "can't parse commands JSON object");
    if (!Array.isArray(commands)) throw badRequest('field "commands" must be an Array');
    if (commands.length > 100) throw badRequest('too many commands');
    const checked = commands.map((c: unknown): BotCommand => {
      if (!isObject(c) || typeof c.command !== 'string' || typeof c.description !== 'string') throw badRequest("can't parse BotCommand JSON object");
      const command = c.command.startsWith('/') ? c.command.slice(1) : c.command;
      if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest('BOT_COMMAND_INVALID');
      if (c.description.length < 1 || c.description.length > 256) throw badRequest('command description must be 1-256 characters long');
      return { command, description: c.description };
    });
    const key = commandsKey(this.scope(p), p.str('language_code'));
    if (checked.length === 0) bot.commands.delete(key);
    else bot.commands.set(key, checked);
    return true;
  }

  // --- Shutdown -------------------------------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const bot of this.bots.values()) {
      bot.poll?.wake();
      for (const chat of bot.chats.values()) {
        for (const w of chat.waiters) {
          clearTimeout(w.timer);
          w.reject(new Error('The Telegram stand-in was closed'));
        }
        chat.waiters.clear();
      }
    }
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const req of this.inFlight) req.destroy();
    // Let the answers to the ended long polls reach their clients, then cut keep-alive connections.
    const deadline = Date.now() + 500;
    while (this.openResponses.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    for (const bot of this.bots.values()) for (const w of bot.idleWaiters.splice(0)) w();
  }
}

/** A successful result that also carries Telegram's `description` (setWebhook, deleteWebhook). */
class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

function setText(store: Map<string, string>, p: Params, key: string, max: number): boolean {
  const text = p.str(key) ?? '';
  if (text.length > max) throw badRequest(`${key} is too long`);
  const lang = p.str('language_code') ?? '';
  if (text === '') store.delete(lang);
  else store.set(lang, text);
  return true;
}

function commandsKey(scope: Record<string, unknown>, language: string | undefined): string {
  const ordered = Object.fromEntries(Object.entries(scope).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify(ordered)}|${language ?? ''}`;
}

function describeUser(u: User): string {
  return `${u.first_name}${u.username ? ` (@${u.username})` : ''} [${u.id}]`;
}

function describeMarkup(m: ReplyMarkup | undefined): string {
  if (!m) return '';
  if ('remove_keyboard' in m) return ' {remove keyboard}';
  if ('force_reply' in m && !('keyboard' in m) && !('inline_keyboard' in m)) return ' {force reply}';
  const label = (b: Exclude<KeyboardButton, string> | InlineKeyboardButton) => {
    const kind = Object.keys(b).find((k) => k !== 'text' && k !== 'style' && k !== 'icon_custom_emoji_id');
    const value = kind ? (b as unknown as Record<string, unknown>)[kind] : undefined;
    return kind ? `${b.text} (${kind}${typeof value === 'string' ? `=${value}` : ''})` : b.text;
  };
  const kind = 'inline_keyboard' in m ? 'inline' : 'keyboard';
  return ` {${kind}: ${buttonsOf(m).map(label).join(' | ')}}`;
}

function transcript(c: ChatState): string {
  if (c.log.length === 0) return '  (empty chat)';
  return c.log
    .map((e) => {
      if (e.note) return `  user: ${e.note}`;
      const m = e.message;
      const body = m.text !== undefined ? JSON.stringify(m.text) : m.contact ? `<contact ${m.contact.phone_number} user_id=${m.contact.user_id}>` : '<message>';
      const markup = e.sent ? describeMarkup(e.sent.reply_markup) : '';
      return `  #${m.message_id} ${e.side}: ${body}${markup}${e.sent?.edit_date ? ' (edited)' : ''}${e.deleted ? ' (deleted)' : ''}`;
    })
    .join('\n');
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 10 * 1024 * 1024) {
        reject(new ApiError(413, 'Request Entity Too Large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseParams(contentType: string | undefined, body: string, query: URLSearchParams): Record<string, unknown> {
  const params: Record<string, unknown> = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (body.trim() === '') return params;
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw badRequest("can't parse JSON encoded request body");
    }
    if (!isObject(parsed)) throw badRequest('request body must be a JSON object');
    return { ...params, ...parsed };
  }
  if (type === 'application/x-www-form-urlencoded') return { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
  if (type === 'multipart/form-data') throw badRequest('multipart/form-data is not supported by the Telegram stand-in');
  throw badRequest(`unsupported Content-Type "${type}"`);
}
