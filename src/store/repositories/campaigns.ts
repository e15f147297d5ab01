// Campaigns and their recipients, the members of a segment (keyset pages in id order, so a 100,000-member business
// is walked without offsets), progress from the messages outbox, and the treated-vs-control outcome for reports.
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Campaign, CampaignKind, CampaignRepository, CampaignStatus, MessagePurpose, MessageStatus, Segment, SegmentFilter } from '../../core/index.js';
import type { CampaignsTable, Database } from '../schema.js';

const toCampaign = (r: Selectable<CampaignsTable>): Campaign => ({
  businessId: r.business_id,
  id: r.id,
  kind: r.kind as CampaignKind,
  name: r.name,
  text: r.text,
  segment: (r.segment ?? {}) as Segment,
  purpose: r.purpose as MessagePurpose,
  controlPercent: r.control_percent,
  status: r.status as CampaignStatus,
  scheduledAt: r.scheduled_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

// Where a member can be reached on each channel (an address, and the channel not dead for them).
const REACHABLE: Record<string, RawBuilder<unknown>> = {
  telegram: sql`m.telegram_user_id is not null`,
  vk: sql`m.vk_user_id is not null`,
  sms: sql`m.phone not like 'erased:%'`,
  email: sql`m.email is not null`,
};

/** The latest answer to the marketing question was yes (the consent log is append-only; its id orders it). */
const CONSENTED = sql`coalesce((select c.granted from member_consents c
   where c.business_id = m.business_id and c.member_id = m.id and c.kind = 'marketing'
   order by c.id desc limit 1), false)`;

/**
 * `from members m … where …` for a segment (without the consent condition); blocked and erased members never match.
 * `perMember`: purchase conditions as per-row lookups (a LIMIT subquery, never turned into a join), for keyset pages —
 * otherwise a page near the end, estimated small, may be planned as a hash join over all purchases, every page.
 */
function segmentFrom(f: SegmentFilter, perMember = false): RawBuilder<unknown> {
  const bought = (cond: RawBuilder<unknown>) =>
    perMember
      ? sql`coalesce((select true from purchases p where p.business_id = m.business_id and p.member_id = m.id and ${cond} limit 1), false)`
      : sql`exists (select 1 from purchases p where p.business_id = m.business_id and p.member_id = m.id and ${cond})`;
  const where: RawBuilder<unknown>[] = [sql`m.business_id = ${f.businessId}`, sql`not m.blocked`, sql`m.erased_at is null`];
  let lateral = sql``;
  if (f.memberIds) where.push(sql`m.id = any(${f.memberIds}::uuid[])`);
  if (f.totalSpentMin !== undefined) where.push(sql`m.total_spent >= ${f.totalSpentMin}`);
  if (f.totalSpentMax !== undefined) where.push(sql`m.total_spent <= ${f.totalSpentMax}`);
  if (f.birthdayMonth !== undefined) where.push(sql`extract(month from m.birthday) = ${f.birthdayMonth}`);
  if (f.channel) where.push(sql`${REACHABLE[f.channel] ?? sql`false`} and not (${f.channel}::text = any(m.dead_channels))`);
  if (f.locationId) {
    where.push(bought(sql`p.location_id = ${f.locationId}`));
  }
  if (f.lastPurchaseAfter) {
    where.push(bought(sql`p.occurred_at >= ${f.lastPurchaseAfter}`));
  }
  if (f.lastPurchaseBefore) {
    where.push(bought(sql`p.occurred_at < ${f.lastPurchaseBefore}`));
    where.push(sql`not ${bought(sql`p.occurred_at >= ${f.lastPurchaseBefore}`)}`);
  }
  if (f.tierSpend) {
    const from = f.tierWindowStart ?? null;
    // As PurchaseRepository.totalSpent: purchases in the window less refunds of those purchases; all time is the
    // member's running total.
    lateral =
      from === null
        ? sql`cross join lateral (select m.total_spent as spend) t`
        : sql`cross join lateral (select
            coalesce((select sum(p.amount) from purchases p
                       where p.business_id = m.business_id and p.member_id = m.id and p.occurred_at >= ${from}), 0)
          - coalesce((select sum(r.amount) from purchase_refunds r
                        join purchases p on p.business_id = r.business_id and p.id = r.purchase_id
                       where r.business_id = m.business_id and r.member_id = m.id and p.occurred_at >= ${from}), 0) as spend) t`;
    const ranges = f.tierSpend.map((r) => (r.max === null ? sql`t.spend >= ${r.min}` : sql`(t.spend >= ${r.min} and t.spend < ${r.max})`));
    where.push(ranges.length > 0 ? sql`(${sql.join(ranges, sql` or `)})` : sql`false`);
  }
  return sql`from members m ${lateral} where ${sql.join(where, sql` and `)}`;
}

export function campaignRepository(db: Kysely<Database>): CampaignRepository {
  // Segment queries are many small index lookups; compiling them (JIT, triggered by their row estimates) costs more
  // than it saves (~200 ms on 100,000 members). For the rest of this transaction only.
  const noJit = () => sql`set local jit = off`.execute(db);
  const selectOne = async (businessId: string, id: string, lock: boolean) => {
    let q = db.selectFrom('campaigns').selectAll().where('business_id', '=', businessId).where('id', '=', id);
    if (lock) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row ? toCampaign(row) : null;
  };

  return {
    async insert(c) {
      await db
        .insertInto('campaigns')
        .values({
          business_id: c.businessId,
          id: c.id,
          kind: c.kind,
          name: c.name,
          text: c.text,
          segment: JSON.stringify(c.segment),
          purpose: c.purpose,
          control_percent: c.controlPercent,
          status: c.status,
          scheduled_at: c.scheduledAt,
          started_at: c.startedAt,
          finished_at: c.finishedAt,
          created_by: c.createdBy,
          created_at: c.createdAt,
        })
        .execute();
    },

    get: (businessId, id) => selectOne(businessId, id, false),
    lock: (businessId, id) => selectOne(businessId, id, true),

    async list(businessId, q) {
      let query = db.selectFrom('campaigns as c').selectAll('c').where('c.business_id', '=', businessId);
      if (q.kind) query = query.where('c.kind', '=', q.kind);
      if (q.before) {
        const before = q.before;
        query = query.where(sql<boolean>`(c.created_at, c.id) < (select b.created_at, b.id from campaigns b where b.business_id = ${businessId} and b.id = ${before})`);
      }
      const rows = await query.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(q.limit).execute();
      return rows.map(toCampaign);
    },

    async automatic(businessId, kind, name, controlPercent, at) {
      const r = await sql<Selectable<CampaignsTable>>`
        insert into campaigns (business_id, id, kind, name, segment, purpose, control_percent, status, created_at)
        values (${businessId}, gen_random_uuid(), ${kind}, ${name}, '{}', 'marketing', ${controlPercent}, 'active', ${at})
        on conflict (business_id, kind) where kind in ('birthday', 'winback')
        do update set control_percent = excluded.control_percent
        returning *`.execute(db);
      const row = r.rows[0];
      if (!row) throw new Error(`automatic campaign ${kind} of ${businessId} was not made`);
      return toCampaign(row);
    },

    async setStatus(businessId, id, status, times) {
      await db
        .updateTable('campaigns')
        .set({ status, ...(times.startedAt ? { started_at: times.startedAt } : {}), ...(times.finishedAt ? { finished_at: times.finishedAt } : {}) })
        .where('business_id', '=', businessId)
        .where('id', '=', id)
        .execute();
    },

    async due(now, opts) {
      const r = await sql<{ business_id: string; id: string }>`
        select business_id, id from campaigns
         where kind = 'broadcast' and ((status = 'scheduled' and scheduled_at <= ${now}) or status = 'planning')
           ${opts.businessId === null ? sql`` : sql`and business_id = ${opts.businessId}`}
         order by scheduled_at, id
         limit ${opts.limit}`.execute(db);
      return r.rows.map((x) => ({ businessId: x.business_id, id: x.id }));
    },

    async nextDueAt(businessId) {
      const r = await sql<{ at: Date | null }>`
        select min(scheduled_at) as at from campaigns
         where business_id = ${businessId} and kind = 'broadcast' and status in ('scheduled', 'planning')`.execute(db);
      return r.rows[0]?.at ?? null;
    },

    async finishSent(now, businessId) {
      const r = await sql`
        update campaigns c set status = 'done', finished_at = ${now}
         where c.kind = 'broadcast' and c.status = 'running'
           ${businessId === null ? sql`` : sql`and c.business_id = ${businessId}`}
           and not exists (select 1 from messages x where x.business_id = c.business_id and x.campaign_id = c.id
                            and x.status in ('scheduled', 'queued', 'sending'))`.execute(db);
      return Number(r.numAffectedRows ?? 0);
    },

    async countSegment(f) {
      await noJit();
      // Counting walks every member: the latest marketing answers are read in one pass and joined, rather than
      // looked up member by member (a third of the time on 100,000 members).
      const r = await sql<{ matched: number; reachable: number }>`
        with consent as (
          select distinct on (member_id) member_id, granted from member_consents
           where business_id = ${f.businessId} and kind = 'marketing'
           order by member_id, id desc
        ), segment as (select m.id ${segmentFrom(f)})
        select count(*)::int as matched, count(*) filter (where ${f.marketingOnly ? sql`coalesce(c.granted, false)` : sql`true`})::int as reachable
          from segment s left join consent c on c.member_id = s.id`.execute(db);
      return { matched: r.rows[0]?.matched ?? 0, reachable: r.rows[0]?.reachable ?? 0 };
    },

    async segmentPage(f, afterId, limit) {
      await noJit();
      const r = await sql<{ id: string }>`
        select m.id ${segmentFrom(f, true)}
           ${afterId === null ? sql`` : sql`and m.id > ${afterId}`}
           ${f.marketingOnly ? sql`and ${CONSENTED}` : sql``}
         order by m.id
         limit ${limit}`.execute(db);
      return r.rows.map((x) => x.id);
    },

    async lastRecipient(businessId, campaignId) {
      const r = await sql<{ id: string | null }>`
        select member_id as id from campaign_recipients where business_id = ${businessId} and campaign_id = ${campaignId}
         order by member_id desc limit 1`.execute(db);
      return r.rows[0]?.id ?? null;
    },

    async addRecipients(rows) {
      if (rows.length === 0) return 0;
      const r = await db
        .insertInto('campaign_recipients')
        .values(rows.map((x) => ({ business_id: x.businessId, campaign_id: x.campaignId, member_id: x.memberId, occurrence: x.occurrence, control: x.control, at: x.at })))
        .onConflict((oc) => oc.columns(['business_id', 'campaign_id', 'member_id', 'occurrence']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0);
    },

    async counts(businessId, campaignId) {
      const [recipients, messages] = await Promise.all([
        sql<{ recipients: number; control: number }>`
          select count(*)::int as recipients, count(*) filter (where control)::int as control
            from campaign_recipients where business_id = ${businessId} and campaign_id = ${campaignId}`.execute(db),
        sql<{ status: MessageStatus; n: number }>`
          select status, count(*)::int as n from messages where business_id = ${businessId} and campaign_id = ${campaignId} group by status`.execute(db),
      ]);
      const byStatus: Partial<Record<MessageStatus, number>> = {};
      for (const row of messages.rows) byStatus[row.status] = row.n;
      return { recipients: recipients.rows[0]?.recipients ?? 0, control: recipients.rows[0]?.control ?? 0, messages: byStatus };
    },

    async recipientCounts(businessId, campaignIds) {
      const out = new Map<string, { recipients: number; control: number }>();
      if (campaignIds.length === 0) return out;
      const r = await sql<{ campaign_id: string; recipients: number; control: number }>`
        select campaign_id, count(*)::int as recipients, count(*) filter (where control)::int as control
          from campaign_recipients where business_id = ${businessId} and campaign_id = any(${campaignIds}::uuid[])
         group by campaign_id`.execute(db);
      for (const row of r.rows) out.set(row.campaign_id, { recipients: row.recipients, control: row.control });
      return out;
    },

    async skipUnsent(businessId, campaignId) {
      const r = await sql`
        update messages set status = 'skipped', last_error = 'campaign cancelled'
         where business_id = ${businessId} and campaign_id = ${campaignId} and status in ('scheduled', 'queued')`.execute(db);
      return Number(r.numAffectedRows ?? 0);
    },

    async outcome(businessId, campaignId, days) {
      // Each recipient's own window [at, at + days): purchases then, less refunds of them made within the window.
      const r = await sql<{ control: boolean; members: number; returned: number; revenue: number; first_at: Date | null; last_at: Date | null }>`
        select r.control, count(*)::int as members, count(*) filter (where o.purchases > 0)::int as returned,
               coalesce(sum(o.revenue), 0)::bigint as revenue, min(r.at) as first_at, max(r.at) as last_at
          from campaign_recipients r
          cross join lateral (
            select count(*) as purchases,
                   coalesce(sum(p.amount - coalesce((select sum(x.amount) from purchase_refunds x
                                                      where x.business_id = p.business_id and x.purchase_id = p.id
                                                        and x.created_at < r.at + make_interval(days => ${days})), 0)), 0) as revenue
              from purchases p
             where p.business_id = r.business_id and p.member_id = r.member_id
               and p.occurred_at >= r.at and p.occurred_at < r.at + make_interval(days => ${days})
          ) o
         where r.business_id = ${businessId} and r.campaign_id = ${campaignId}
         group by r.control`.execute(db);
      const group = (control: boolean) => {
        const row = r.rows.find((x) => x.control === control);
        return { members: row?.members ?? 0, returned: row?.returned ?? 0, revenue: row ? Number(row.revenue) : 0 };
      };
      const firsts = r.rows.map((x) => x.first_at).filter((x): x is Date => x !== null);
      const lasts = r.rows.map((x) => x.last_at).filter((x): x is Date => x !== null);
      return {
        treated: group(false),
        control: group(true),
        firstAt: firsts.length ? new Date(Math.min(...firsts.map((d) => d.getTime()))) : null,
        lastAt: lasts.length ? new Date(Math.max(...lasts.map((d) => d.getTime()))) : null,
      };
    },
  };
}
