// The card app's API beyond sign-in by link: codes by phone, the full first screen (branding, rewards, invite link,
// profile), profile edits, sign-out and "delete my data"; and referrals paid on the friend's first purchase.
import { describe, expect, it } from 'vitest';
import { connectBot } from '../src/app/bots.js';
import { issueSignInToken } from '../src/app/cardSessions.js';
import { joinFromTelegram } from '../src/app/joinFromTelegram.js';
import { createCardClient, type CardClient } from '../src/client/card.js';
import { telegramGateway } from '../src/bots/telegramGateway.js';
import { CARD_LINK_BASE, useApi } from './support/apiServer.js';
import { nextPhone } from './support/factories.js';
import { useTelegramApi } from './support/useTelegramApi.js';

const h = useApi();
const tg = useTelegramApi();

const cardClient = () => createCardClient({ baseUrl: h.url });
const codeOf = (c: Promise<unknown>) => c.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));
async function signedIn(businessId: string, phone: string): Promise<CardClient> {
  const { token } = await issueSignInToken(h.t.deps, { businessId, phone });
  const card = cardClient();
  await card.signIn({ signInToken: token });
  return card;
}
let botSeq = 0;
async function withBot(businessId: string) {
  botSeq += 1;
  const token = `74000000${String(botSeq).padStart(2, '0')}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw`;
  tg.addBot({ token, username: `shop${botSeq}_bot` });
  return connectBot(h.t.deps, telegramGateway(tg.url), { businessId, role: 'customer', token });
}

describe('sign-in with a code sent to the member', () => {
  it('sends a code and a link; a wrong code is refused, the fifth wrong try burns it, the right one signs in', async () => {
    const shop = await h.business();
    const phone = nextPhone();
    const m = await shop.api.members.create({ phone });
    const card = cardClient();
    const asked = await card.requestCode({ businessId: shop.id, phone: phone.replace('+7', '8') });
    expect(new Date(asked.expiresAt).getTime()).toBeGreaterThan(h.t.clock.now().getTime());
    const sent = h.sentCodes.filter((s) => s.memberId === m.id);
    expect(sent).toHaveLength(1);
    const { code, link } = sent[0]!;
    expect(code).toMatch(/^\d{6}$/);
    expect(link).toMatch(new RegExp(`^${CARD_LINK_BASE}\\?b=${shop.id}#signin=ksl_`));
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await codeOf(card.signIn({ businessId: shop.id, phone, code: wrong }))).toBe('invalid_code');
    expect(await codeOf(card.requestCode({ businessId: shop.id, phone }))).toBe('too_many_codes'); // one a minute
    await card.signIn({ businessId: shop.id, phone, code });
    expect((await card.me()).member.id).toBe(m.id);
    expect(await codeOf(cardClient().signIn({ businessId: shop.id, phone, code }))).toBe('invalid_code'); // used

    h.t.clock.advance(61_000);
    await card.requestCode({ businessId: shop.id, phone });
    const second = h.sentCodes.filter((s) => s.memberId === m.id)[1]!.code;
    for (let i = 0; i < 5; i++) {
      h.t.clock.advance(1000); // failed sign-ins per address are limited too (below)
      expect(await codeOf(cardClient().signIn({ businessId: shop.id, phone, code: second === '000000' ? '111111' : '000000' }))).toBe('invalid_code');
    }
    h.t.clock.advance(1000);
    expect(await codeOf(cardClient().signIn({ businessId: shop.id, phone, code: second }))).toBe('invalid_code'); // burnt
    // The link that came with the first code works once by itself.
    expect(await codeOf(cardClient().signIn({ signInToken: link!.split('#signin=')[1]! }))).toBe('ok');
    // Guessing in a burst from one address is slowed down.
    h.t.clock.advance(2000);
    const guesses = await Promise.all(Array.from({ length: 8 }, () => codeOf(cardClient().signIn({ businessId: shop.id, phone, code: '123456' }))));
    expect(guesses.filter((g) => g === 'rate_limited').length).toBeGreaterThan(0);
    h.t.clock.advance(2000);
  });

  it('answers the same for a phone that is not a member, sends nothing, and refuses malformed input', async () => {
    const shop = await h.business();
    const before = h.sentCodes.length;
    const card = cardClient();
    await card.requestCode({ businessId: shop.id, phone: nextPhone() });
    expect(h.sentCodes.length).toBe(before);
    expect(await codeOf(card.requestCode({ businessId: shop.id, phone: 'not a phone' }))).toBe('invalid_phone');
    expect(await codeOf(card.requestCode({ businessId: 'nope', phone: nextPhone() }))).toBe('business_not_found');
    h.t.clock.advance(2000);
    expect(await codeOf(card.signIn({ businessId: shop.id, phone: nextPhone(), code: '12' }))).toBe('invalid_code');
    const res = await fetch(`${h.url}/api/card/codes`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(res.status).toBe(415);
  });
});

describe('the card\'s first screen', () => {
  it('has the business, branding, info text, rewards marked available, profile, questions and the invite link', async () => {
    const shop = await h.business({
      welcomeBonus: 150,
      infoText: 'Кофейня «Зерно». Пн–Вс 8–22.',
      rewards: [{ id: 'espresso', title: 'Эспрессо', points: 100 }, { id: 'cake', title: 'Торт', points: 1000 }],
      branding: { logoUrl: 'https://example.com/logo.png', accentColor: '#ff6600', cardColor: '#000000', cardTextColor: '#ffffff' },
      referral: { enabled: true, inviterBonus: 100, friendBonus: 50 },
      questionnaire: [{ id: 'drink', type: 'text', label: 'Любимый напиток', required: false }],
    });
    const bot = await withBot(shop.id);
    const phone = nextPhone();
    await shop.api.members.create({ phone, name: 'Ира' });
    const card = await signedIn(shop.id, phone);
    const view = await card.me();
    expect(view.business).toEqual({ id: shop.id, name: 'API test shop', pointsName: 'баллы', infoText: 'Кофейня «Зерно». Пн–Вс 8–22.', botUsername: bot.username, branding: { logoUrl: 'https://example.com/logo.png', accentColor: '#ff6600', cardColor: '#000000', cardTextColor: '#ffffff' } });
    expect(view.rewards).toEqual([{ id: 'espresso', title: 'Эспрессо', points: 100, available: true }, { id: 'cake', title: 'Торт', points: 1000, available: false }]);
    expect(view.member.balance.available).toBe(150);
    expect(view.profile).toMatchObject({ name: 'Ира', phone, answers: {}, consents: { personalDataAt: null, marketing: false } });
    expect(view.questions).toEqual([{ id: 'drink', type: 'text', label: 'Любимый напиток', required: false }]);
    expect(view.referral).toEqual({ link: expect.stringMatching(new RegExp(`^https://t\\.me/${bot.username}\\?start=ref_[a-z0-9]{8}$`)), inviterBonus: 100, friendBonus: 50 });
    expect((await card.me()).referral?.link).toBe(view.referral?.link); // the code is kept
    h.t.clock.advance(1000);
    const qr = await card.qr();
    expect(qr.token).not.toBe(view.qr.token);
    expect(await cardClient().business(shop.id)).toEqual({ id: shop.id, name: 'API test shop', pointsName: 'баллы', botUsername: bot.username, branding: view.business.branding });
    expect(await codeOf(cardClient().business('00000000-0000-7000-8000-000000000000'))).toBe('business_not_found');
  });

  it('shows no invite link when referrals are off', async () => {
    const shop = await h.business();
    const phone = nextPhone();
    await shop.api.members.create({ phone });
    expect((await (await signedIn(shop.id, phone)).me()).referral).toBeNull();
  });
});

describe('profile, sign-out and "delete my data"', () => {
  it('edits the profile and answers, keeps required ones, records the marketing choice', async () => {
    const shop = await h.business({ questionnaire: [{ id: 'name', type: 'name', label: '', required: true }, { id: 'pet', type: 'text', label: 'Питомец', required: true }] });
    const phone = nextPhone();
    await shop.api.members.create({ phone });
    const card = await signedIn(shop.id, phone);
    const p = await card.updateProfile({ name: 'Оля', birthday: '1990-05-01', answers: { pet: 'кот' }, marketing: true });
    expect(p).toMatchObject({ name: 'Оля', birthday: '1990-05-01', answers: { pet: 'кот' }, consents: { marketing: true } });
    expect(await codeOf(card.updateProfile({ name: null }))).toBe('validation_failed');
    expect(await codeOf(card.updateProfile({ answers: { pet: null } }))).toBe('validation_failed');
    expect(await codeOf(card.updateProfile({ answers: { other: 'x' } }))).toBe('validation_failed');
    expect(await codeOf(card.updateProfile({ birthday: '2999-01-01' }))).toBe('validation_failed');
    expect(await codeOf(card.updateProfile({ email: 'nope' }))).toBe('validation_failed');
    expect(await codeOf(card.updateProfile({ phone: '+1' } as never))).toBe('validation_failed');
    expect((await card.me()).profile).toMatchObject({ name: 'Оля', birthday: '1990-05-01', email: null, answers: { pet: 'кот' } });
    expect((await card.updateProfile({ marketing: false })).consents.marketing).toBe(false);
  });

  it('signs out: the session stops working at once', async () => {
    const shop = await h.business();
    const phone = nextPhone();
    await shop.api.members.create({ phone });
    const card = await signedIn(shop.id, phone);
    const token = card.sessionToken!;
    await card.signOut();
    expect(await codeOf(createCardClient({ baseUrl: h.url, sessionToken: token }).me())).toBe('unauthorized');
  });

  it('erases the personal data, ends every session, and frees the phone for a new card; points cannot be spent', async () => {
    const shop = await h.business({ welcomeBonus: 100 });
    const bot = await withBot(shop.id);
    const phone = nextPhone();
    const joined = await joinFromTelegram(h.t.deps, { businessId: shop.id, telegramUserId: 52_001, contact: { phone, userId: 52_001 }, profile: { firstName: 'Петя', username: 'petya' } });
    const card = await signedIn(shop.id, phone);
    const other = await signedIn(shop.id, phone);
    const qr = (await card.me()).qr.token;
    await card.deleteMe();
    expect(await codeOf(other.me())).toBe('unauthorized');
    const erased = await shop.api.members.get(joined.member.id);
    expect(erased).toMatchObject({ name: null, birthday: null, email: null, blocked: true });
    expect(erased.phone).not.toBe(phone);
    expect(await codeOf(shop.api.purchases.create({ member: { qrToken: qr }, amount: 100_00 }))).toBe('member_blocked');
    expect(await shop.api.members.find({ phone })).toEqual([]);
    // The same person may join again: a new card, the Telegram account free.
    const again = await joinFromTelegram(h.t.deps, { businessId: shop.id, telegramUserId: 52_001, contact: { phone, userId: 52_001 }, profile: { firstName: 'Петя' } });
    expect(again.outcome).toBe('joined');
    expect(again.member.id).not.toBe(joined.member.id);
    expect(bot.username).toBeTruthy();
  });
});

describe('referrals', () => {
  it('credits both sides once, after the friend\'s first purchase, when the business has them on', async () => {
    const shop = await h.business({ referral: { enabled: true, inviterBonus: 300, friendBonus: 200 } });
    await withBot(shop.id);
    const inviterPhone = nextPhone();
    const inviter = await shop.api.members.create({ phone: inviterPhone });
    const link = (await (await signedIn(shop.id, inviterPhone)).me()).referral!.link;
    const code = link.split('start=ref_')[1]!;
    const friend = await joinFromTelegram(h.t.deps, { businessId: shop.id, telegramUserId: 53_001, contact: { phone: nextPhone(), userId: 53_001 }, profile: { firstName: 'Друг' }, referralCode: code });
    expect((await shop.api.members.get(inviter.id)).balance.available).toBe(0); // not before a purchase
    const first = await shop.api.purchases.create({ member: { id: friend.member.id }, amount: 1000_00 });
    expect(first.balance.available).toBe(50 + 200); // 5% earned + the friend's bonus
    expect((await shop.api.members.get(inviter.id)).balance.available).toBe(300);
    await shop.api.purchases.create({ member: { id: friend.member.id }, amount: 1000_00 });
    expect((await shop.api.members.get(inviter.id)).balance.available).toBe(300);
    const history = await shop.api.members.transactions(inviter.id);
    expect(history.items.map((x) => [x.type, x.points, x.reason])).toEqual([['referral', 300, 'Invited a friend']]);
    const friendHistory = await shop.api.members.transactions(friend.member.id);
    expect(friendHistory.items.filter((x) => x.type === 'referral').map((x) => x.points)).toEqual([200]);
  });

  it('ignores unknown codes, and codes while referrals are off', async () => {
    const shop = await h.business({ referral: { enabled: false, inviterBonus: 300, friendBonus: 200 } });
    const inviter = await shop.api.members.create({ phone: nextPhone() });
    const a = await joinFromTelegram(h.t.deps, { businessId: shop.id, telegramUserId: 54_001, contact: { phone: nextPhone(), userId: 54_001 }, profile: {}, referralCode: 'abcdefgh' });
    await shop.api.purchases.create({ member: { id: a.member.id }, amount: 100_00 });
    expect((await shop.api.members.get(inviter.id)).balance.available).toBe(0);
    expect((await shop.api.members.get(a.member.id)).balance.available).toBe(5);
  });
});
