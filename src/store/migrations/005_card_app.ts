// The card app and the customer bot's extras: answers to the business's own questions, referrals (who invited whom,
// rewarded once), one-time sign-in codes by phone, and erasure of a member's personal data on request.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table members
      add column answers jsonb not null default '{}',
      -- Invite code for /start ref_<code>: random, not the card number (a card number pays at the till).
      add column referral_code text,
      add column referred_by uuid,
      add column referral_rewarded_at timestamptz,
      -- Personal data erased at the member's request; the ledger stays (accounting), the person is gone.
      add column erased_at timestamptz;
    create unique index members_referral_code on members (business_id, referral_code) where referral_code is not null;

    alter table ledger_transactions drop constraint ledger_transactions_type_check;
    alter table ledger_transactions add constraint ledger_transactions_type_check
      check (type in ('earn', 'redeem', 'welcome', 'referral', 'adjust', 'expire', 'refund'));

    -- A 6-digit code sent to the member's channel; a few wrong tries burn it.
    create table sign_in_codes (
      business_id uuid not null,
      member_id uuid not null,
      id uuid not null,
      code_hash text not null,
      attempts int not null default 0,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      primary key (business_id, id),
      foreign key (business_id, member_id) references members (business_id, id)
    );
    create index sign_in_codes_member on sign_in_codes (business_id, member_id, created_at desc);
  `.execute(db);
}
