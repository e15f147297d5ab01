// `kopilka demo`: a coffee shop with 2 locations, ~300 members and 6 months of purchases, redemptions, refunds and
// expiries, produced through the real use cases with a clock that walks from six months ago to today. An owner who
// can sign in to the panel (e-mail and a printed password) and a cashier per location, who record that location's
// purchases and register its members (so the dashboard's per-staff figures have something to show).
import { randomBytes } from 'node:crypto';
import type { AppDeps } from '../app/deps.js';
import { addLocation } from '../app/addLocation.js';
import { adjustPoints } from '../app/adjustPoints.js';
import { createBusiness } from '../app/createBusiness.js';
import { createMember } from '../app/createMember.js';
import { expirePoints } from '../app/expirePoints.js';
import { recordPurchase } from '../app/recordPurchase.js';
import { recordTakingsBulk } from '../app/recordDailyTakings.js';
import { refundPurchase } from '../app/refundPurchase.js';
import { inviteStaff } from '../app/staff.js';
import { updateBusinessProfile } from '../app/updateBusinessProfile.js';
import { hashPassword } from '../app/passwords.js';
import { acceptInvite } from '../app/staffSessions.js';
import { DomainError, addDays, localDateOf, startOfLocalDay, type Clock } from '../core/index.js';
import { seededRandom } from '../core/seededRandom.js';

export const DEMO_NAME = 'Кофейня на Ленина (демо)';
const TZ = 'Europe/Moscow';
const DAYS = 183;
/** Days (up to yesterday) with the till's total takings entered: the dashboard's share of revenue from members. */
const TAKINGS_DAYS = 120;
const MEMBERS = 300;
export const DEMO_OWNER_EMAIL = 'owner@demo.kopilka.test';

export interface DemoSummary {
  businessId: string;
  apiKey: string;
  members: number;
  purchases: number;
  redemptions: number;
  refunds: number;
  expiredPoints: number;
  /** Signs in to the panel at /admin/?b=<businessId> (the password is made here, shown once). */
  owner: { email: string; password: string };
}

const FIRST = ['Анна', 'Мария', 'Елена', 'Ольга', 'Дмитрий', 'Алексей', 'Иван', 'Сергей', 'Наталья', 'Павел', 'Ксения', 'Артём', 'Юлия', 'Никита', 'Татьяна'];
const LAST = ['Иванова', 'Смирнов', 'Кузнецова', 'Попов', 'Васильева', 'Петров', 'Соколова', 'Михайлов', 'Новикова', 'Фёдоров'];

const at = (t: Date): Clock => ({ now: () => t });

const DAILY = { open: '08:00', close: '22:00' };
/** The demo's business profile: address with a map link, phone, social links, hours and a formatted Info page. */
export const DEMO_PROFILE = {
  address: 'ул. Ленина, 12 (вход со двора) и пр. Мира, 3',
  mapUrl: 'https://yandex.ru/maps/?text=%D1%83%D0%BB.%20%D0%9B%D0%B5%D0%BD%D0%B8%D0%BD%D0%B0%2C%2012',
  phone: '+7 495 123-45-67',
  socialLinks: [
    { kind: 'vk' as const, url: 'https://vk.com/kopilka_demo_coffee' },
    { kind: 'telegram' as const, url: 'https://t.me/kopilka_demo_coffee' },
  ],
  hours: {
    days: { mon: DAILY, tue: DAILY, wed: DAILY, thu: DAILY, fri: { open: '08:00', close: '23:00' }, sat: { open: '10:00', close: '23:00' }, sun: { open: '10:00', close: '20:00' } },
    note: 'В праздничные дни — с 10:00 до 20:00',
  },
  infoHtml: [
    '<h2>Кофейня на Ленина</h2>',
    '<p>Варим кофе из зёрен <strong>свежей обжарки</strong> и печём круассаны каждое утро.</p>',
    '<h3>Как копить зёрна</h3>',
    '<ul><li>Покажите карту на кассе — начислим <b>5 %</b> от покупки.</li><li>Оплачивайте зёрнами до 30 % чека.</li><li>С 5 000 ₽ покупок за полгода — уровень «Серебро», с 15 000 ₽ — «Золото».</li></ul>',
    '<p><em>Зёрна живут 90 дней</em> — за 4 и за 1 день до сгорания напомним.</p>',
    '<p>Меню и новости — <a href="https://vk.com/kopilka_demo_coffee">в нашей группе</a>.</p>',
  ].join(''),
};

export async function runDemo(deps: AppDeps, log: { info(message: string): void }, opts: { members?: number } = {}): Promise<DemoSummary> {
  const existing = await deps.uow.run((repos) => repos.businesses.findByName(DEMO_NAME));
  if (existing) {
    throw new DomainError('validation_failed', `The demo is already loaded (business ${existing.id}); use a fresh data directory or database for another one`);
  }
  const rnd = seededRandom(20260101);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const today = localDateOf(deps.clock.now(), TZ);
  const firstDay = addDays(today, -DAYS);
  const moment = (day: string, hour: number, minute: number) => new Date(startOfLocalDay(day, TZ).getTime() + (hour * 60 + minute) * 60_000);
  const on = (t: Date): AppDeps => ({ ...deps, clock: at(t) });

  const created = await createBusiness(on(moment(firstDay, 8, 0)), {
    name: DEMO_NAME,
    timezone: TZ,
    currency: 'RUB',
    program: {
      pointsName: 'зёрна',
      earnRateBp: 500,
      maxRedeemBp: 3000,
      welcomeBonus: 100,
      pointsLifetimeDays: 90,
      tierWindowDays: 180,
      tiers: [
        { id: 'silver', name: 'Серебро', minTotalSpent: 5_000_00, earnRateBp: 700, maxRedeemBp: 3000 },
        { id: 'gold', name: 'Золото', minTotalSpent: 15_000_00, earnRateBp: 1000, maxRedeemBp: 5000 },
      ],
    },
  });
  const businessId = created.business.id;
  const setup = on(moment(firstDay, 8, 0));
  const locations = [
    await addLocation(setup, { businessId, name: 'Ленина, 12', address: 'ул. Ленина, 12' }),
    await addLocation(setup, { businessId, name: 'Мира, 3', address: 'пр. Мира, 3' }),
  ];
  // The profile and the Info page the card app's "About" screen shows.
  await updateBusinessProfile(setup, { cli: true }, { businessId, change: DEMO_PROFILE });
  const staffMember = async (role: 'owner' | 'cashier', name: string, email: string, password: string, locationIds: string[] = []) => {
    const { token } = await inviteStaff(setup, { cli: true }, { businessId, role, name, locationIds });
    const who = { name, email, passwordHash: await hashPassword(password), telegramUserId: null, telegramUsername: null };
    return (await acceptInvite(setup, token, who, 'web')).id;
  };
  const owner = { email: DEMO_OWNER_EMAIL, password: randomBytes(12).toString('base64url') };
  await staffMember('owner', 'Владелец', owner.email, owner.password);
  // Each location's cashier (their password is not needed for the demo: a new one is made every run).
  const cashierOf = new Map<string, string>();
  for (const [i, l] of locations.entries()) {
    cashierOf.set(l.id, await staffMember('cashier', `Кассир ${l.name}`, `cashier${i + 1}@demo.kopilka.test`, randomBytes(12).toString('base64url'), [l.id]));
  }
  const cashier = (locationId: string) => ({ type: 'staff' as const, id: cashierOf.get(locationId) ?? null });
  log.info(`demo: business ${businessId}, walking ${DAYS} days…`);

  // Members join over the period, more of them early; each has a habit: visits per week and a usual spend.
  const total = opts.members ?? MEMBERS;
  const people = Array.from({ length: total }, (_, i) => ({
    joinDay: Math.floor(DAYS * Math.pow(rnd(), 1.6)),
    perWeek: 0.15 + rnd() * rnd() * 4,
    spend: 150_00 + Math.floor(rnd() * 600_00),
    saver: rnd() < 0.6,
    home: pick(locations).id,
    phone: `+7916${String(1_000_000 + i * 7_919).padStart(7, '0')}`,
    name: `${pick(FIRST)} ${pick(LAST)}`,
    birthday: rnd() < 0.7 ? `${1960 + Math.floor(rnd() * 45)}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}` : null,
    id: '',
  }));
  const stats = { members: 0, purchases: 0, redemptions: 0, refunds: 0, expiredPoints: 0 };
  const recent: { id: string; day: number }[] = [];
  /** Members' purchases per day and location (minor units), for believable total takings. */
  const memberTakings = new Map<string, number>();

  for (let d = 0; d <= DAYS; d++) {
    const day = addDays(firstDay, d);
    const work: Promise<void>[] = [];
    for (const p of people) {
      if (p.joinDay === d) {
        const m = await createMember(on(moment(day, 9 + Math.floor(rnd() * 11), Math.floor(rnd() * 60))), { businessId, phone: p.phone, name: p.name, birthday: p.birthday, actor: cashier(p.home) });
        p.id = m.member.id;
        stats.members++;
      }
      if (!p.id || p.joinDay > d || rnd() > p.perWeek / 7) continue;
      const when = moment(day, 8 + Math.floor(rnd() * 13), Math.floor(rnd() * 60));
      if (d === DAYS && when.getTime() > deps.clock.now().getTime()) continue;
      const amount = Math.max(100_00, p.spend + Math.floor((rnd() - 0.5) * 200_00));
      const redeem = p.saver ? 0 : rnd() < 0.35 ? ('max' as const) : 0;
      const location = rnd() < 0.8 ? p.home : pick(locations).id;
      work.push(
        recordPurchase(on(when), { businessId, member: { id: p.id }, amount, redeemPoints: redeem, locationId: location, externalId: `demo-${d}-${p.phone}`, actor: cashier(location) }).then((r) => {
          stats.purchases++;
          if (r.redeemedPoints > 0) stats.redemptions++;
          recent.push({ id: r.purchaseId, day: d });
          memberTakings.set(`${day}|${location}`, (memberTakings.get(`${day}|${location}`) ?? 0) + amount);
        }),
      );
    }
    await Promise.all(work);
    // A few refunds of recent purchases, and the odd gift from the owner.
    if (recent.length > 0 && rnd() < 0.25) {
      const target = recent[Math.floor(rnd() * recent.length)];
      if (target && d - target.day < 14) {
        const partial = rnd() < 0.5;
        await refundPurchase(on(moment(day, 20, 30)), { businessId, purchaseId: target.id, ...(partial ? { amount: 50_00 } : {}) })
          .then(() => void stats.refunds++)
          .catch((e: unknown) => {
            if (!(e instanceof DomainError)) throw e;
          });
      }
    }
    if (d % 30 === 15) {
      const lucky = people.filter((p) => p.id).slice(0, 5);
      for (const p of lucky) await adjustPoints(on(moment(day, 12, 0)), { businessId, member: { id: p.id }, points: 50, reason: 'Подарок от кофейни' });
    }
    const expired = await expirePoints(on(moment(day, 23, 59)));
    stats.expiredPoints += expired.points;
    if (d % 30 === 0) log.info(`demo: ${day}: ${stats.members} members, ${stats.purchases} purchases`);
    while (recent.length > 0 && (recent[0]?.day ?? d) < d - 14) recent.shift();
  }
  // The till's total takings (members and everyone else) per location for the last days up to yesterday (today's
  // Z-report is not in yet), the odd day forgotten: members bring in about half of each day's takings.
  const takings: { day: string; locationId: string; amount: number }[] = [];
  for (let d = Math.max(0, DAYS - TAKINGS_DAYS); d < DAYS; d++) {
    const day = addDays(firstDay, d);
    if (rnd() < 0.06) continue;
    for (const l of locations) {
      const members = memberTakings.get(`${day}|${l.id}`) ?? 0;
      const share = 0.5 + rnd() * 0.15;
      takings.push({ day, locationId: l.id, amount: Math.round(members / share / 100) * 100 + 500_00 + Math.floor(rnd() * 10) * 100_00 });
    }
  }
  await recordTakingsBulk(deps, { cli: true }, { businessId, source: 'import', days: takings });
  return { businessId, apiKey: created.apiKey, ...stats, owner };
}
