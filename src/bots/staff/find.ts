// Finding a member from what the cashier types: 4 digits are the phone's last four (several matches: buttons to
// choose), 10 digits with a valid check digit a card number, other digit strings a phone; words a name (only for
// roles that may search). "Scan QR" lives in admin.ts with the other menu items.
import { Composer, InlineKeyboard } from 'grammy';
import { tillLookup, type LookupInput, type TillMemberView } from '../../app/till.js';
import { DomainError, can, formatCardNumber, isValidCardNumber } from '../../core/index.js';
import { callerOf, type StaffContext } from '../staffContext.js';
import { mainMenu, scanKeyboard } from './keyboards.js';
import { showMember } from './member.js';

export const find = new Composer<StaffContext>();

const SHOWN = 10;

/** How a text reads as a lookup; null when it is not one. */
export function lookupOf(text: string): LookupInput | null {
  const compact = text.trim().replace(/[\s()\-.\u00a0]/g, '');
  if (/^\d{4}$/.test(compact)) return { last4: compact };
  if (/^\d{10}$/.test(compact) && isValidCardNumber(compact)) return { card: compact };
  if (/^\+?\d{10,15}$/.test(compact)) return { phone: compact };
  if (/\p{L}/u.test(text)) return { q: text.trim() };
  return null;
}

/** Whether a text is plainly a new lookup (a card or phone number), not an answer to a question. */
export const looksLikeLookup = (text: string) => {
  const l = lookupOf(text);
  return l !== null && ('card' in l || 'phone' in l);
};

async function lookup(ctx: StaffContext, query: LookupInput): Promise<TillMemberView[]> {
  const caller = callerOf(ctx);
  const { items } = await tillLookup(ctx.kopilka.deps, caller, query);
  // Ten digits that pass the card check may still be a phone typed without the country code.
  if (items.length === 0 && 'card' in query) {
    try {
      return (await tillLookup(ctx.kopilka.deps, caller, { phone: query.card })).items;
    } catch (e) {
      if (e instanceof DomainError && e.code === 'invalid_phone') return [];
      throw e;
    }
  }
  return items;
}

find.on('message:text', async (ctx, next) => {
  const k = ctx.kopilka;
  const text = ctx.message.text;
  if (text.startsWith('/') || k.state.flow) return next();
  const query = lookupOf(text);
  const role = callerOf(ctx).staff.role;
  if (!query) return next();
  if ('q' in query) {
    if (!can(role, 'member.search')) return void (await ctx.reply(k.t('nameSearchForbidden'), { reply_markup: mainMenu(ctx) }));
    if (query.q.length < 2) return void (await ctx.reply(k.t('shortQuery')));
  }
  const items = await lookup(ctx, query);
  if (items.length === 0) {
    const scan = scanKeyboard(ctx);
    return void (await ctx.reply(k.t('notFound'), scan ? { reply_markup: scan } : {}));
  }
  if (items.length === 1) return showMember(ctx, (items[0] as TillMemberView).id);
  const kb = new InlineKeyboard();
  for (const m of items.slice(0, SHOWN)) kb.text(`${m.name ?? k.t('noName')} · ${m.phoneMasked} · ${formatCardNumber(m.cardNumber)}`, `m:${m.id}`).row();
  await ctx.reply(items.length > SHOWN ? k.t('chooseMemberMore', { shown: SHOWN }) : k.t('chooseMember', { count: items.length }), { reply_markup: kb });
});
