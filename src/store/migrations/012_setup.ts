// First run and the platform operator: one-time set-up links (stored hashed), bot tokens pasted in the wizard while
// Telegram was unreachable (connected later), and the operator accounts with their sessions.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table setup_tokens (
      token_hash text primary key,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );

    create table pending_bot_tokens (
      business_id uuid not null references businesses (id),
      role text not null check (role in ('customer', 'staff')),
      token text not null,
      created_at timestamptz not null,
      last_error text,
      primary key (business_id, role)
    );

    create table operators (
      id uuid primary key,
      email text not null unique,
      password_hash text not null,
      created_at timestamptz not null
    );

    create table operator_sessions (
      secret_hash text primary key,
      operator_id uuid not null references operators (id),
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
  `.execute(db);
}
