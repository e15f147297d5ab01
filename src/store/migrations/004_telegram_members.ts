// Customers from Telegram: each business's own bots (by role), the member's Telegram account, and the consents they
// gave (append-only, with the text version and the time, as personal-data law asks).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table bots (
      business_id uuid not null references businesses (id),
      id uuid not null,
      role text not null check (role in ('customer', 'staff')),
      -- The BotFather token: needed in clear to call the Bot API. It never leaves the server.
      token text not null,
      telegram_id bigint not null,
      username text not null,
      webhook_secret text not null,
      created_at timestamptz not null,
      disconnected_at timestamptz,
      primary key (business_id, id)
    );
    create unique index bots_live_role on bots (business_id, role) where disconnected_at is null;
    create unique index bots_live_telegram on bots (telegram_id) where disconnected_at is null;

    alter table members add column telegram_user_id bigint, add column telegram_username text;
    create unique index members_telegram on members (business_id, telegram_user_id) where telegram_user_id is not null;

    -- Where a Telegram user is in a bot's conversation (e.g. consented, waiting for the phone), per business.
    create table bot_sessions (
      business_id uuid not null references businesses (id),
      telegram_user_id bigint not null,
      state jsonb not null,
      updated_at timestamptz not null,
      primary key (business_id, telegram_user_id)
    );

    -- The card app's sign-in: one-time links (by phone, or printed by the CLI) and sessions; only hashes are kept.
    create table sign_in_tokens (
      token_hash text primary key,
      business_id uuid not null,
      member_id uuid not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      foreign key (business_id, member_id) references members (business_id, id)
    );
    create table member_sessions (
      secret_hash text primary key,
      business_id uuid not null,
      member_id uuid not null,
      channel text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      foreign key (business_id, member_id) references members (business_id, id)
    );

    create table member_consents (
      business_id uuid not null,
      member_id uuid not null,
      id bigint generated always as identity,
      kind text not null check (kind in ('personal_data', 'marketing')),
      granted boolean not null,
      text_version text not null,
      channel text not null,
      at timestamptz not null,
      primary key (business_id, member_id, id),
      foreign key (business_id, member_id) references members (business_id, id)
    );
  `.execute(db);
}
