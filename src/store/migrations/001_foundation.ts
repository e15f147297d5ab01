// Foundation schema: businesses, members, the points ledger (transactions, postings, lots), purchases, refunds,
// idempotency keys and the outbox. Every business-owned table leads its keys with business_id.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table businesses (
      id uuid primary key,
      name text not null check (length(name) between 1 and 200),
      timezone text not null,
      currency char(3) not null,
      region char(2) not null,
      program jsonb not null,
      created_at timestamptz not null
    );

    create table locations (
      business_id uuid not null references businesses (id),
      id uuid not null,
      name text not null,
      address text,
      primary key (business_id, id)
    );

    create table api_keys (
      business_id uuid not null references businesses (id),
      id uuid not null,
      name text not null,
      prefix text not null,
      secret_hash text not null,
      location_id uuid,
      created_at timestamptz not null,
      revoked_at timestamptz,
      primary key (business_id, id),
      unique (prefix),
      foreign key (business_id, location_id) references locations (business_id, id)
    );

    create table members (
      business_id uuid not null references businesses (id),
      id uuid not null,
      card_number text not null,
      phone text not null,
      phone_last4 text generated always as (right(phone, 4)) stored,
      name text,
      birthday date,
      email text,
      blocked boolean not null default false,
      -- Bumped by every write that changes the member's lots (see LedgerRepository).
      ledger_seq bigint not null default 0,
      created_at timestamptz not null,
      primary key (business_id, id),
      unique (business_id, phone),
      unique (business_id, card_number)
    ) with (fillfactor = 80); -- room on each page, so bumping ledger_seq stays a HOT update (no index writes)
    create index members_last4 on members (business_id, phone_last4);

    create table purchases (
      business_id uuid not null,
      id uuid not null,
      member_id uuid not null,
      amount bigint not null check (amount > 0),
      redeemed_points bigint not null check (redeemed_points >= 0),
      redeem_value bigint not null check (redeem_value >= 0),
      earned_points bigint not null check (earned_points >= 0),
      payable_amount bigint not null check (payable_amount >= 0),
      earn_lot_id uuid,
      tier_id text,
      external_id text,
      location_id uuid,
      occurred_at timestamptz not null,
      created_at timestamptz not null,
      primary key (business_id, id),
      foreign key (business_id, member_id) references members (business_id, id),
      foreign key (business_id, location_id) references locations (business_id, id)
    );
    create index purchases_member on purchases (business_id, member_id, occurred_at);
    create unique index purchases_external on purchases (business_id, external_id) where external_id is not null;

    create table ledger_transactions (
      business_id uuid not null,
      id uuid not null,
      member_id uuid not null,
      type text not null check (type in ('earn', 'redeem', 'welcome', 'adjust', 'expire', 'refund')),
      points bigint not null,
      balance_after bigint not null check (balance_after >= 0),
      reason text,
      actor_type text not null,
      actor_id text,
      purchase_id uuid,
      meta jsonb not null default '{}',
      created_at timestamptz not null,
      primary key (business_id, id),
      foreign key (business_id, member_id) references members (business_id, id)
    );
    create index ledger_transactions_member on ledger_transactions (business_id, member_id, created_at desc, id desc);

    create table lots (
      business_id uuid not null,
      id uuid not null,
      member_id uuid not null,
      transaction_id uuid not null,
      purchase_id uuid,
      amount bigint not null check (amount > 0),
      remaining bigint not null check (remaining >= 0 and remaining <= amount),
      expired_points bigint not null default 0 check (expired_points >= 0),
      activates_at timestamptz not null,
      expires_at timestamptz,
      created_at timestamptz not null,
      primary key (business_id, id),
      foreign key (business_id, member_id) references members (business_id, id)
    );
    create index lots_open on lots (business_id, member_id) where remaining > 0;
    -- The expiry job scans all businesses by expiry time; only lots with points left are indexed.
    create index lots_due on lots (expires_at) where remaining > 0 and expires_at is not null;

    create table postings (
      business_id uuid not null,
      id bigint generated always as identity,
      transaction_id uuid not null,
      member_id uuid not null,
      lot_id uuid not null,
      source text not null,
      destination text not null,
      amount bigint not null check (amount > 0),
      -- Postings are read by transaction; the identity only keeps rows of one transaction apart.
      primary key (business_id, transaction_id, id),
      check (source <> destination)
    );

    create table purchase_refunds (
      business_id uuid not null,
      id uuid not null,
      purchase_id uuid not null,
      member_id uuid not null,
      amount bigint not null check (amount > 0),
      clawed_back_points bigint not null,
      returned_points bigint not null,
      absorbed_by_expiry bigint not null,
      shortfall bigint not null,
      transaction_id uuid,
      created_at timestamptz not null,
      primary key (business_id, id),
      foreign key (business_id, purchase_id) references purchases (business_id, id)
    );
    create index purchase_refunds_purchase on purchase_refunds (business_id, purchase_id);
    create index purchase_refunds_member on purchase_refunds (business_id, member_id);

    create table idempotency_keys (
      business_id uuid not null,
      key text not null,
      request_hash text not null,
      result jsonb,
      created_at timestamptz not null,
      primary key (business_id, key)
    );

    create table outbox_events (
      id bigint generated always as identity primary key,
      business_id uuid not null,
      type text not null,
      payload jsonb not null,
      created_at timestamptz not null,
      published_at timestamptz
    );
  `.execute(db);
}
