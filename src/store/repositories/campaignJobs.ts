// The daily notification jobs on PostgreSQL: run dates, set-based expiry reminder planning, campaign candidates.
import { sql, type Kysely } from 'kysely';
import type { BirthdayCandidate, CampaignJobRepository, WinbackCandidate } from '../../core/index.js';
import type { Database } from '../schema.js';
import { toBusiness } from './rows.js';

// The member's latest answer about marketing messages (no answer: no consent).
const marketingConsent = sql<boolean>`coalesce((
  select c.granted from member_consents c
   where c.business_id = m.business_id and c.member_id = m.id and c.kind = 'marketing'
   order by c.id desc limit 1), false)`;

export function campaignJobRepository(db: Kysely<Database>): CampaignJobRepository {
  return {
    async runStates(job, businessId) {
      let q = db
        .selectFrom('businesses as b')
        .leftJoin('notification_runs as r', (j) => j.onRef('r.business_id', '=', 'b.id').on('r.job', '=', job))
        .select(['b.id', 'b.name', 'b.timezone', 'b.currency', 'b.region', 'b.program', 'b.created_at', 'r.last_local_date']);
      if (businessId) q = q.where('b.id', '=', businessId);
      const rows = await q.orderBy('b.id').execute();
      return rows.map((r) => ({ business: toBusiness(r), lastLocalDate: r.last_local_date ?? null }));
    },

    async markRun(businessId, job, localDate, at) {
      await db
        .insertInto('notification_runs')
        .values({ business_id: businessId, job, last_local_date: localDate, ran_at: at })
        .onConflict((oc) => oc.columns(['business_id', 'job']).doUpdateSet({ last_local_date: localDate, ran_at: at }))
        .execute();
    },

    async planReminderDay(businessId, plan, now) {
      if (plan.reminders.length === 0) return 0;
      const reminders = JSON.stringify(plan.reminders.map((r) => ({ n: r.daysBefore, send_after: r.sendAfter.toISOString() })));
      // One statement per expiry day: the members come from the lots' expiry index, the messages from a cross join
      // with the day's few reminders; nothing goes through the application row by row.
      const r = await sql`
        with due as (
          select distinct l.member_id
            from lots l join members m on m.business_id = l.business_id and m.id = l.member_id
           where l.business_id = ${businessId} and l.remaining > 0 and l.expires_at is not null
             and l.expires_at >= ${plan.from} and l.expires_at < ${plan.to}
             and not m.blocked and m.erased_at is null
        ), plan as (
          select * from jsonb_to_recordset(${reminders}::jsonb) as p(n int, send_after timestamptz)
        )
        insert into messages (business_id, id, key, member_id, kind, purpose, vars, send_after, created_at)
        select ${businessId}, gen_random_uuid(), 'expiry:' || d.member_id::text || ':' || ${plan.expiresOn}::text || ':' || p.n, d.member_id,
               'expiry_reminder', 'service', jsonb_build_object('expiresOn', ${plan.expiresOn}::text, 'days', p.n), p.send_after, ${now}
          from due d cross join plan p
        on conflict (business_id, key) do nothing
      `.execute(db);
      return Number(r.numAffectedRows ?? 0);
    },

    async birthdayCandidates(businessId, monthDays, year) {
      if (monthDays.length === 0) return [];
      const r = await sql<{ id: string; birthday: string; birthday_changed_at: Date | null; last_birthday_year: number | null; language: string | null }>`
        select m.id, m.birthday, coalesce(m.birthday_changed_at, m.created_at) as birthday_changed_at, m.last_birthday_year, m.language
          from members m
         where m.business_id = ${businessId} and m.birthday is not null
           and substr(m.birthday::text, 6, 5) in (${sql.join(monthDays)})
           and not m.blocked and m.erased_at is null
           and m.last_birthday_year is distinct from ${year}
           and ${marketingConsent}
         order by m.id`.execute(db);
      return r.rows.map(
        (x): BirthdayCandidate => ({ memberId: x.id, birthday: x.birthday, birthdayChangedAt: x.birthday_changed_at, lastBirthdayYear: x.last_birthday_year, language: x.language }),
      );
    },

    async winbackCandidates(businessId, purchasedBefore) {
      const r = await sql<{ id: string; last: Date; last_winback_at: Date | null; language: string | null }>`
        select m.id, p.last, m.last_winback_at, m.language
          from (select member_id, max(occurred_at) as last from purchases where business_id = ${businessId}
                 group by member_id having max(occurred_at) < ${purchasedBefore}) p
          join members m on m.business_id = ${businessId} and m.id = p.member_id
         where not m.blocked and m.erased_at is null
           and (m.last_winback_at is null or m.last_winback_at < p.last)
           and ${marketingConsent}
         order by m.id`.execute(db);
      return r.rows.map((x): WinbackCandidate => ({ memberId: x.id, lastPurchaseAt: x.last, lastWinbackAt: x.last_winback_at, language: x.language }));
    },

    async markBirthday(businessId, memberId, year) {
      await db.updateTable('members').set({ last_birthday_year: year }).where('business_id', '=', businessId).where('id', '=', memberId).execute();
    },

    async markWinback(businessId, memberId, at) {
      await db.updateTable('members').set({ last_winback_at: at }).where('business_id', '=', businessId).where('id', '=', memberId).execute();
    },
  };
}
