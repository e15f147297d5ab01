// Staff: people of a business with a role (and optionally locations), invitations, per-device sessions, the
// append-only audit log of their actions, and confirmation codes for redemptions without the customer's QR.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table staff (
      business_id uuid not null references businesses (id),
      id uuid not null,
      name text not null,
      role text not null check (role in ('owner', 'admin', 'manager', 'cashier')),
      location_ids uuid[] not null default '{}',
      email text,
      -- scrypt (memory-hard), with its parameters and salt: "scrypt$N$r$p$salt$hash"
      password_hash text,
      telegram_user_id bigint,
      telegram_username text,
      limits jsonb not null,
      status text not null default 'active' check (status in ('active', 'blocked', 'removed')),
      created_at timestamptz not null,
      primary key (business_id, id)
    );
    create unique index staff_email on staff (business_id, lower(email)) where email is not null and status <> 'removed';
    create unique index staff_telegram on staff (business_id, telegram_user_id) where telegram_user_id is not null and status <> 'removed';

    create table staff_invites (
      token_hash text primary key,
      business_id uuid not null references businesses (id),
      role text not null,
      name text not null,
      location_ids uuid[] not null default '{}',
      created_by uuid,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      used_by uuid
    );

    create table staff_sessions (
      secret_hash text primary key,
      business_id uuid not null,
      staff_id uuid not null,
      channel text not null,
      device text,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      foreign key (business_id, staff_id) references staff (business_id, id)
    );
    create index staff_sessions_staff on staff_sessions (business_id, staff_id);

    -- Never updated or deleted (the trigger refuses): who, with which role, did what, to whom, how many points, from where.
    create table audit_log (
      business_id uuid not null references businesses (id),
      id bigint generated always as identity,
      at timestamptz not null,
      staff_id uuid,
      staff_role text,
      action text not null,
      member_id uuid,
      points integer,
      -- the points this action issued (earned or accrued), for the per-day limits and budgets
      issued_points integer not null default 0,
      amount bigint,
      channel text not null,
      details jsonb not null default '{}',
      primary key (business_id, id)
    );
    create index audit_log_staff on audit_log (business_id, staff_id, at);
    create index audit_log_at on audit_log (business_id, at desc);
    create function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$;
    create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_append_only();

    -- "Log in with Telegram" on the cashier screen: the page holds the secret, the staff bot approves the code.
    create table staff_telegram_logins (
      business_id uuid not null references businesses (id),
      code text not null,
      secret_hash text not null unique,
      staff_id uuid,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      approved_at timestamptz,
      collected_at timestamptz,
      primary key (business_id, code)
    );

    create table redeem_codes (
      business_id uuid not null,
      id uuid not null,
      member_id uuid not null,
      staff_id uuid not null,
      code_hash text not null,
      attempts int not null default 0,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      primary key (business_id, id),
      foreign key (business_id, member_id) references members (business_id, id)
    );
    create index redeem_codes_member on redeem_codes (business_id, member_id, created_at desc);
  `.execute(db);
}
