// Notifications and campaigns: messages to members (a durable outbox, one row per message with a unique key, sent
// through the pg-boss queue), the channels a business set up (VK, SMS, e-mail; Telegram is its customer bot),
// campaigns with their recipients and control groups, runs of the daily campaign jobs, and the two-way chat.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The notifications relay's own cursor over the outbox (webhooks keep published_at). Events recorded before
    -- notifications existed are not announced to members now.
    alter table outbox_events add column notified_at timestamptz;
    update outbox_events set notified_at = created_at;
    create index outbox_events_unnotified on outbox_events (id) where notified_at is null;

    alter table members
      add column vk_user_id bigint,
      add column language text check (language in ('ru', 'en')),
      -- Channels that failed for good (bot blocked, number invalid): skipped until the member is reachable again.
      add column dead_channels text[] not null default '{}',
      add column birthday_changed_at timestamptz,
      add column last_birthday_year int,
      add column last_winback_at timestamptz;
    create unique index members_vk on members (business_id, vk_user_id) where vk_user_id is not null;

    alter table ledger_transactions drop constraint ledger_transactions_type_check;
    alter table ledger_transactions add constraint ledger_transactions_type_check
      check (type in ('earn', 'redeem', 'welcome', 'referral', 'adjust', 'expire', 'refund', 'birthday', 'winback'));

    -- A business's VK, SMS and e-mail settings (secrets in clear: every send needs them); Telegram is its customer bot.
    create table notification_channels (
      business_id uuid not null references businesses (id),
      channel text not null check (channel in ('vk', 'sms', 'email')),
      config jsonb not null,
      -- In the address providers call back with delivery statuses, so nobody else can fake them.
      callback_secret text not null,
      updated_at timestamptz not null,
      primary key (business_id, channel)
    );

    create table campaigns (
      business_id uuid not null references businesses (id),
      id uuid not null,
      kind text not null check (kind in ('broadcast', 'birthday', 'winback')),
      name text not null,
      text text,
      segment jsonb not null default '{}',
      purpose text not null default 'marketing' check (purpose in ('service', 'marketing')),
      control_percent int not null default 0 check (control_percent between 0 and 50),
      status text not null check (status in ('scheduled', 'planning', 'running', 'done', 'cancelled', 'active')),
      scheduled_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      created_by text,
      created_at timestamptz not null,
      primary key (business_id, id)
    );
    create unique index campaigns_automatic on campaigns (business_id, kind) where kind in ('birthday', 'winback');
    create index campaigns_due on campaigns (scheduled_at) where status in ('scheduled', 'planning');

    -- Who a campaign reached or held out (control), per occurrence: a year for birthdays, a lapse for win-back.
    create table campaign_recipients (
      business_id uuid not null,
      campaign_id uuid not null,
      member_id uuid not null,
      occurrence text not null default '',
      control boolean not null,
      at timestamptz not null,
      primary key (business_id, campaign_id, member_id, occurrence),
      foreign key (business_id, campaign_id) references campaigns (business_id, id),
      foreign key (business_id, member_id) references members (business_id, id)
    );

    -- The outbox of messages: inserted in the transaction of what causes them, with a key that makes each one once.
    create table messages (
      business_id uuid not null references businesses (id),
      id uuid not null,
      key text not null,
      member_id uuid not null,
      kind text not null,
      purpose text not null check (purpose in ('service', 'marketing')),
      campaign_id uuid,
      vars jsonb not null default '{}',
      -- A fixed text (broadcasts, chat replies); otherwise the business's template for the kind, rendered when sent.
      text text,
      status text not null default 'scheduled' check (status in ('scheduled', 'queued', 'sending', 'sent', 'failed', 'skipped')),
      channel text,
      tried_channels text[] not null default '{}',
      send_after timestamptz not null,
      attempts int not null default 0,
      body text,
      provider_message_id text,
      delivery_status text,
      last_error text,
      created_at timestamptz not null,
      queued_at timestamptz,
      sent_at timestamptz,
      primary key (business_id, id),
      unique (business_id, key),
      foreign key (business_id, member_id) references members (business_id, id)
    );
    create index messages_scheduled on messages (send_after) where status = 'scheduled';
    create index messages_campaign on messages (business_id, campaign_id, status) where campaign_id is not null;
    create index messages_member on messages (business_id, member_id, created_at desc);
    create index messages_provider on messages (business_id, channel, provider_message_id) where provider_message_id is not null;

    -- When each business's daily jobs (birthday, win-back, full reminder planning) last ran, by its local date.
    create table notification_runs (
      business_id uuid not null references businesses (id),
      job text not null,
      last_local_date date not null,
      ran_at timestamptz not null,
      primary key (business_id, job)
    );

    -- The two-way chat: what members wrote to the business and what staff answered.
    create table chat_messages (
      business_id uuid not null,
      id uuid not null,
      member_id uuid not null,
      direction text not null check (direction in ('in', 'out')),
      text text not null,
      channel text not null,
      staff_id uuid,
      at timestamptz not null,
      read_at timestamptz,
      primary key (business_id, id),
      foreign key (business_id, member_id) references members (business_id, id)
    );
    create index chat_messages_member on chat_messages (business_id, member_id, at desc);
    create index chat_messages_unread on chat_messages (business_id, at) where direction = 'in' and read_at is null;
  `.execute(db);
}
