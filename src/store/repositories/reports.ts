// The admin panel's reads on PostgreSQL. The dashboard is computed here in SQL from postings, transactions,
// purchases and refunds (never from counters kept elsewhere), so its figures are the ledger's.
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { DashboardData, DashboardSeriesPoint, MemberListQuery, PointFlows, ReportRepository } from '../../core/index.js';
import type { AuditLogTable, Database, MembersTable, PurchaseItemsTable, PurchaseRefundsTable, PurchasesTable } from '../schema.js';
import { memberShareOf, revenueDayRepository } from './revenueDays.js';
import { toLot, toMember, toPurchase, toRefund } from './rows.js';
import { toAudit } from './staff.js';

const DAY_MS = 86_400_000;

type FlowRow = { earned: number; earned_on_purchases: number; redeemed: number; expired: number; adjusted: number; returned: number; clawed_back: number; net: number };

const flowsOf = (r: FlowRow): PointFlows => ({
  earned: Number(r.earned),
  earnedOnPurchases: Number(r.earned_on_purchases),
  redeemed: Number(r.redeemed),
  expired: Number(r.expired),
  adjusted: Number(r.adjusted),
  returned: Number(r.returned),
  clawedBack: Number(r.clawed_back),
  net: Number(r.net),
});

/** The postings' sums by what moved them (see PointFlows), over `p` postings joined to `t` transactions. */
const FLOW_COLUMNS = sql`
  coalesce(sum(p.amount) filter (where p.source = 'issued' and t.type <> 'adjust'), 0)::bigint as earned,
  coalesce(sum(p.amount) filter (where p.source = 'issued' and t.type = 'earn'), 0)::bigint as earned_on_purchases,
  coalesce(sum(p.amount) filter (where p.destination = 'redeemed'), 0)::bigint as redeemed,
  coalesce(sum(p.amount) filter (where p.destination = 'expired'), 0)::bigint as expired,
  coalesce(sum(case when t.type <> 'adjust' then 0 when p.destination = 'member' then p.amount when p.source = 'member' then -p.amount else 0 end), 0)::bigint as adjusted,
  coalesce(sum(p.amount) filter (where p.source = 'redeemed'), 0)::bigint as returned,
  coalesce(sum(p.amount) filter (where p.destination = 'clawed_back'), 0)::bigint as clawed_back,
  coalesce(sum(case when p.destination = 'member' then p.amount when p.source = 'member' then -p.amount else 0 end), 0)::bigint as net`;

export function reportRepository(db: Kysely<Database>): ReportRepository {
  return {
    ...revenueDayRepository(db),

    async snapshot() {
      await sql`set transaction isolation level repeatable read, read only`.execute(db);
    },

    async dashboard(q) {
      const b = q.businessId;
      const tz = q.timezone;
      const unit = q.bucket;
      const step = q.bucket === 'day' ? '1 day' : '7 days';
      const inPeriod = (col: RawBuilder<unknown>) => sql`${col} >= ${q.from} and ${col} < ${q.to}`;
      const bucketOf = (col: RawBuilder<unknown>) => sql`date_trunc(${unit}, ${col} at time zone ${tz})::date`;
      const loc = q.locationId;
      // With a location: only purchases there, and only the points of those purchases (earn, redeem, refund).
      const purchaseAtLoc = (alias: string) => (loc ? sql`and ${sql.ref(`${alias}.location_id`)} = ${loc}` : sql``);
      const txAtLoc = loc ? sql`and t.purchase_id in (select id from purchases where business_id = ${b} and location_id = ${loc})` : sql``;

      const series = await sql<FlowRow & { bucket: string; new_members: number; members: number; purchases: number; purchase_amount: number; refund_amount: number }>`
        with buckets as (
          select d::date as bucket
            from generate_series(date_trunc(${unit}, ${q.fromDate}::date::timestamp), ${q.toDate}::date::timestamp, ${step}::interval) d
        ), flows as (
          select ${bucketOf(sql`t.created_at`)} as bucket, ${FLOW_COLUMNS}
            from ledger_transactions t
            join postings p on p.business_id = t.business_id and p.transaction_id = t.id
           where t.business_id = ${b} and ${inPeriod(sql`t.created_at`)} ${txAtLoc}
           group by 1
        ), buys as (
          select ${bucketOf(sql`pu.occurred_at`)} as bucket, count(*) as n, sum(pu.amount) as amount
            from purchases pu
           where pu.business_id = ${b} and ${inPeriod(sql`pu.occurred_at`)} ${purchaseAtLoc('pu')}
           group by 1
        ), refunds as (
          select ${bucketOf(sql`r.created_at`)} as bucket, sum(r.amount) as amount
            from purchase_refunds r
            join purchases pu on pu.business_id = r.business_id and pu.id = r.purchase_id
           where r.business_id = ${b} and ${inPeriod(sql`r.created_at`)} ${purchaseAtLoc('pu')}
           group by 1
        ), joins as (
          select ${bucketOf(sql`m.created_at`)} as bucket, count(*) as n
            from members m where m.business_id = ${b} and ${inPeriod(sql`m.created_at`)}
           group by 1
        )
        select to_char(k.bucket, 'YYYY-MM-DD') as bucket,
               coalesce(j.n, 0)::int as new_members,
               ((select count(*) from members where business_id = ${b} and created_at < ${q.from})
                 + sum(coalesce(j.n, 0)) over (order by k.bucket))::int as members,
               coalesce(bu.n, 0)::int as purchases,
               coalesce(bu.amount, 0)::bigint as purchase_amount,
               coalesce(r.amount, 0)::bigint as refund_amount,
               coalesce(f.earned, 0) as earned, coalesce(f.earned_on_purchases, 0) as earned_on_purchases,
               coalesce(f.redeemed, 0) as redeemed, coalesce(f.expired, 0) as expired, coalesce(f.adjusted, 0) as adjusted,
               coalesce(f.returned, 0) as returned, coalesce(f.clawed_back, 0) as clawed_back, coalesce(f.net, 0) as net
          from buckets k
          left join joins j on j.bucket = k.bucket
          left join buys bu on bu.bucket = k.bucket
          left join refunds r on r.bucket = k.bucket
          left join flows f on f.bucket = k.bucket
         order by k.bucket`.execute(db);

      const since30 = new Date(q.now.getTime() - 30 * DAY_MS);
      const since90 = new Date(q.now.getTime() - 90 * DAY_MS);
      const in30 = new Date(q.now.getTime() + 30 * DAY_MS);
      const active = (since: Date) =>
        sql`(select count(distinct pu.member_id) from purchases pu where pu.business_id = ${b} and pu.occurred_at > ${since} and pu.occurred_at <= ${q.now} ${purchaseAtLoc('pu')})::int`;
      const figures = await sql<{ members_total: number; active30: number; active90: number; available: number; pending: number; expiring: number; purchasers: number; repeaters: number }>`
        select (select count(*) from members where business_id = ${b})::int as members_total,
               ${active(since30)} as active30,
               ${active(since90)} as active90,
               o.available, o.pending, o.expiring, rp.purchasers, rp.repeaters
          from (select coalesce(sum(remaining) filter (where activates_at <= ${q.now}), 0)::bigint as available,
                       coalesce(sum(remaining) filter (where activates_at > ${q.now}), 0)::bigint as pending,
                       coalesce(sum(remaining) filter (where expires_at <= ${in30}), 0)::bigint as expiring
                  from lots
                 where business_id = ${b} and remaining > 0 and (expires_at is null or expires_at > ${q.now})) o,
               (select count(*)::int as purchasers, (count(*) filter (where n >= 2))::int as repeaters
                  from (select pu.member_id, count(*) as n from purchases pu
                         where pu.business_id = ${b} and ${inPeriod(sql`pu.occurred_at`)} ${purchaseAtLoc('pu')}
                         group by 1) per_member) rp`.execute(db);

      const opens = await sql<{ dow: number; hour: number; n: number }>`
        select (extract(isodow from at at time zone ${tz}))::int - 1 as dow, (extract(hour from at at time zone ${tz}))::int as hour, count(*)::int as n
          from card_opens where business_id = ${b} and ${inPeriod(sql`at`)}
         group by 1, 2`.execute(db);

      const perLocation = await sql<{ location_id: string | null; name: string | null; purchases: number; revenue: number; points_earned: number }>`
        with l as (
          select id, name from locations where business_id = ${b}
          union all select null::uuid, null::text
        ), bu as (
          select location_id, count(*) as n, sum(amount) as amount from purchases
           where business_id = ${b} and ${inPeriod(sql`occurred_at`)} group by 1
        ), rf as (
          select pu.location_id, sum(r.amount) as amount from purchase_refunds r
            join purchases pu on pu.business_id = r.business_id and pu.id = r.purchase_id
           where r.business_id = ${b} and ${inPeriod(sql`r.created_at`)} group by 1
        ), e as (
          select pu.location_id, sum(p.amount) as points from ledger_transactions t
            join postings p on p.business_id = t.business_id and p.transaction_id = t.id
            join purchases pu on pu.business_id = t.business_id and pu.id = t.purchase_id
           where t.business_id = ${b} and t.type = 'earn' and p.source = 'issued' and ${inPeriod(sql`t.created_at`)} group by 1
        )
        select l.id as location_id, l.name, coalesce(bu.n, 0)::int as purchases,
               (coalesce(bu.amount, 0) - coalesce(rf.amount, 0))::bigint as revenue, coalesce(e.points, 0)::bigint as points_earned
          from l
          left join bu on bu.location_id is not distinct from l.id
          left join rf on rf.location_id is not distinct from l.id
          left join e on e.location_id is not distinct from l.id
         where (l.id is not null or bu.n is not null or rf.amount is not null or e.points is not null)
           ${loc ? sql`and l.id = ${loc}` : sql``}
         order by l.name nulls last, l.id`.execute(db);

      const perStaff = await sql<{ id: string; name: string; role: string; members_registered: number; points_issued: number }>`
        select s.id, s.name, s.role, coalesce(m.n, 0)::int as members_registered, coalesce(i.points, 0)::bigint as points_issued
          from staff s
          left join (select registered_by_staff as id, count(*) as n from members
                      where business_id = ${b} and registered_by_staff is not null and ${inPeriod(sql`created_at`)} group by 1) m on m.id = s.id
          left join (select t.actor_id, sum(p.amount) as points from ledger_transactions t
                       join postings p on p.business_id = t.business_id and p.transaction_id = t.id
                      where t.business_id = ${b} and t.actor_type = 'staff' and p.source = 'issued' and ${inPeriod(sql`t.created_at`)} ${txAtLoc}
                      group by 1) i on i.actor_id = s.id::text
         where s.business_id = ${b} and (s.status <> 'removed' or m.n is not null or i.points is not null)
         order by points_issued desc, members_registered desc, s.name, s.id`.execute(db);

      const memberShare = await memberShareOf(db, { businessId: b, timezone: tz, from: q.from, to: q.to, fromDate: q.fromDate, toDate: q.toDate, locationId: loc });

      const points: DashboardSeriesPoint[] = series.rows.map((r) => ({
        bucket: r.bucket,
        newMembers: r.new_members,
        members: r.members,
        purchases: r.purchases,
        revenue: Number(r.purchase_amount) - Number(r.refund_amount),
        ...flowsOf(r),
      }));
      const sum = (f: (r: (typeof series.rows)[number]) => number) => series.rows.reduce((s, r) => s + Number(f(r)), 0);
      const totals: DashboardData['totals'] = {
        newMembers: sum((r) => r.new_members),
        purchases: sum((r) => r.purchases),
        purchaseAmount: sum((r) => r.purchase_amount),
        refunds: sum((r) => r.refund_amount),
        revenue: sum((r) => r.purchase_amount) - sum((r) => r.refund_amount),
        earned: sum((r) => r.earned),
        earnedOnPurchases: sum((r) => r.earned_on_purchases),
        redeemed: sum((r) => r.redeemed),
        expired: sum((r) => r.expired),
        adjusted: sum((r) => r.adjusted),
        returned: sum((r) => r.returned),
        clawedBack: sum((r) => r.clawed_back),
        net: sum((r) => r.net),
      };
      const f = figures.rows[0];
      if (!f) throw new Error('dashboard figures: no row');
      const outstanding = Number(f.available) + Number(f.pending);
      const grid = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
      for (const o of opens.rows) {
        const row = grid[o.dow];
        if (row && o.hour >= 0 && o.hour < 24) row[o.hour] = o.n;
      }
      return {
        series: points,
        totals,
        figures: {
          membersTotal: f.members_total,
          active30: f.active30,
          active90: f.active90,
          outstanding: { points: outstanding, available: Number(f.available), pending: Number(f.pending), money: outstanding * q.pointValue },
          expiringIn30Days: Number(f.expiring),
          repeatPurchase: { purchasers: f.purchasers, repeaters: f.repeaters, rate: f.purchasers > 0 ? f.repeaters / f.purchasers : null },
        },
        cardOpens: { total: opens.rows.reduce((s, o) => s + o.n, 0), byWeekdayHour: grid },
        perLocation: perLocation.rows.map((r) => ({ locationId: r.location_id, name: r.name, purchases: r.purchases, revenue: Number(r.revenue), pointsEarned: Number(r.points_earned) })),
        perStaff: perStaff.rows.map((r) => ({ staffId: r.id, name: r.name, role: r.role, membersRegistered: r.members_registered, pointsIssued: Number(r.points_issued) })),
        memberShare,
      };
    },

    async addCardOpen(o) {
      await sql`insert into card_opens (business_id, member_id, at, source) values (${o.businessId}, ${o.memberId}, ${o.at}, ${o.source})`.execute(db);
    },

    async noteRegisteredBy(businessId, memberId, staffId) {
      await sql`update members set registered_by_staff = ${staffId} where business_id = ${businessId} and id = ${memberId}`.execute(db);
    },

    async listMembers(q) {
      return listMembers(db, q);
    },

    async lots(businessId, memberId) {
      const rows = await db.selectFrom('lots').selectAll().where('business_id', '=', businessId).where('member_id', '=', memberId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1000).execute();
      return rows.map(toLot);
    },

    async messages(businessId, memberId, limit, before) {
      let query = db
        .selectFrom('messages')
        .select(['id', 'kind', 'purpose', 'channel', 'status', 'delivery_status', 'text', 'body', 'last_error', 'created_at', 'sent_at'])
        .where('business_id', '=', businessId)
        .where('member_id', '=', memberId);
      if (before) query = query.where(sql<boolean>`(created_at, id) < (${before.at}, ${before.id}::uuid)`);
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        purpose: r.purpose,
        channel: r.channel,
        status: r.status,
        deliveryStatus: r.delivery_status,
        // What went out, as rendered when sent; before that, a fixed text if the message has one.
        text: r.body ?? r.text,
        lastError: r.last_error,
        createdAt: r.created_at,
        sentAt: r.sent_at,
      }));
    },

    async purchases(businessId, memberId, limit, before) {
      let query = db.selectFrom('purchases').selectAll().where('business_id', '=', businessId).where('member_id', '=', memberId);
      if (before) query = query.where(sql<boolean>`(occurred_at, id) < (${before.at}, ${before.id}::uuid)`);
      const rows = (await query.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(limit).execute()) as Selectable<PurchasesTable>[];
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      const items = (await db.selectFrom('purchase_items').selectAll().where('business_id', '=', businessId).where('purchase_id', 'in', ids).orderBy('line').execute()) as Selectable<PurchaseItemsTable>[];
      const refunds = (await db.selectFrom('purchase_refunds').selectAll().where('business_id', '=', businessId).where('purchase_id', 'in', ids).orderBy('created_at').execute()) as Selectable<PurchaseRefundsTable>[];
      return rows.map((r) => ({
        purchase: toPurchase(r),
        items: items.filter((i) => i.purchase_id === r.id).map((i) => ({ sku: i.sku, name: i.name, category: i.category, quantity: Number(i.quantity), price: i.price })),
        refunds: refunds.filter((x) => x.purchase_id === r.id).map(toRefund),
      }));
    },

    async audit(businessId, q) {
      let query = db.selectFrom('audit_log').selectAll().where('business_id', '=', businessId);
      if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
      if (q.staffId !== undefined) query = query.where('staff_id', '=', q.staffId);
      if (q.memberId !== undefined) query = query.where('member_id', '=', q.memberId);
      if (q.action !== undefined) query = query.where('action', '=', q.action);
      if (q.from !== undefined) query = query.where('at', '>=', q.from);
      if (q.to !== undefined) query = query.where('at', '<', q.to);
      const rows = (await query.orderBy('id', 'desc').limit(q.limit).execute()) as Selectable<AuditLogTable>[];
      return rows.map(toAudit);
    },

    async memberReach(businessId, memberId) {
      const r = await db.selectFrom('members').select(['dead_channels', 'language']).where('business_id', '=', businessId).where('id', '=', memberId).executeTakeFirst();
      return r ? { deadChannels: r.dead_channels, language: r.language } : null;
    },
  };
}

/** The sort key of each sort, as an SQL expression over the list's columns (bigint, or text for names). */
const SORT_KEYS: Record<MemberListQuery['sort'], { expr: RawBuilder<unknown>; type: 'bigint' | 'text' }> = {
  created: { expr: sql`(extract(epoch from m.created_at) * 1000000)::bigint`, type: 'bigint' },
  lastPurchase: { expr: sql`coalesce((extract(epoch from lp.at) * 1000000)::bigint, -1)`, type: 'bigint' },
  balance: { expr: sql`bal.points`, type: 'bigint' },
  totalSpent: { expr: sql`m.total_spent::bigint`, type: 'bigint' },
  name: { expr: sql`lower(coalesce(m.name, ''))`, type: 'text' },
};

async function listMembers(db: Kysely<Database>, q: MemberListQuery) {
  const b = q.businessId;
  const key = SORT_KEYS[q.sort];
  const where: RawBuilder<unknown>[] = [sql`m.business_id = ${b}`, sql`m.erased_at is null`];
  if (q.tierSpend) {
    const since = q.tierSpend.since;
    const spend = since === null
      ? sql`m.total_spent`
      : sql`(coalesce((select sum(amount) from purchases where business_id = m.business_id and member_id = m.id and occurred_at >= ${since}), 0)
           - coalesce((select sum(r.amount) from purchase_refunds r join purchases p on p.business_id = r.business_id and p.id = r.purchase_id
                        where r.business_id = m.business_id and r.member_id = m.id and p.occurred_at >= ${since}), 0))`;
    where.push(sql`${spend} >= ${q.tierSpend.min}`);
    if (q.tierSpend.max !== null) where.push(sql`${spend} < ${q.tierSpend.max}`);
  }
  if (q.lastPurchaseBefore) where.push(sql`lp.at < ${q.lastPurchaseBefore}`);
  if (q.lastPurchaseFrom) where.push(sql`lp.at >= ${q.lastPurchaseFrom}`);
  if (q.balanceMin !== undefined) where.push(sql`bal.points >= ${q.balanceMin}`);
  if (q.balanceMax !== undefined) where.push(sql`bal.points <= ${q.balanceMax}`);
  if (q.birthdayMonth !== undefined) where.push(sql`extract(month from m.birthday) = ${q.birthdayMonth}`);
  if (q.marketing !== undefined) where.push(q.marketing ? sql`mk.granted` : sql`not mk.granted`);
  if (q.channel === 'telegram') where.push(sql`m.telegram_user_id is not null and not ('telegram' = any(m.dead_channels))`);
  if (q.channel === 'vk') where.push(sql`m.vk_user_id is not null and not ('vk' = any(m.dead_channels))`);
  if (q.channel === 'sms') where.push(sql`not ('sms' = any(m.dead_channels))`);
  if (q.channel === 'email') where.push(sql`m.email is not null and not ('email' = any(m.dead_channels))`);
  const desc = q.order === 'desc';
  const after = q.after
    ? sql`where (x.sort_key, x.id) ${sql.raw(desc ? '<' : '>')} (${q.after.key}::${sql.raw(key.type)}, ${q.after.id}::uuid)`
    : sql``;
  const dir = sql.raw(desc ? 'desc' : 'asc');
  const rows = await sql<Selectable<MembersTable> & { last_purchase_at: Date | null; marketing: boolean; sort_key: string | number }>`
    select * from (
      select m.*, lp.at as last_purchase_at, mk.granted as marketing, ${key.expr} as sort_key
        from members m
        left join lateral (select max(occurred_at) as at from purchases p where p.business_id = m.business_id and p.member_id = m.id) lp on true
        left join lateral (select coalesce(sum(remaining), 0)::bigint as points from lots l
                            where l.business_id = m.business_id and l.member_id = m.id and l.remaining > 0
                              and l.activates_at <= ${q.now} and (l.expires_at is null or l.expires_at > ${q.now})) bal on true
        left join lateral (select coalesce((select c.granted from member_consents c
                                             where c.business_id = m.business_id and c.member_id = m.id and c.kind = 'marketing'
                                             order by c.id desc limit 1), false) as granted) mk on true
       where ${sql.join(where, sql` and `)}
    ) x
    ${after}
    order by x.sort_key ${dir}, x.id ${dir}
    limit ${q.limit}`.execute(db);
  return rows.rows.map((r) => ({ member: toMember(r), lastPurchaseAt: r.last_purchase_at, marketing: r.marketing, key: String(r.sort_key) }));
}

