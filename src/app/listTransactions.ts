// A member's points history, newest first, a page at a time (an opaque cursor points after the last row shown).
import { DomainError, invalid } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';

export interface TransactionView {
  id: string;
  type: string;
  points: number;
  balanceAfter: number;
  reason: string | null;
  who: { type: string; id: string | null; name: string | null };
  when: string;
  purchaseId: string | null;
}

export interface TransactionPage {
  items: TransactionView[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

const encodeCursor = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at = '', id = ''] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at);
  if (!UUID_RE.test(id) || Number.isNaN(createdAt.getTime()) || cursor.length > 200) throw invalid('cursor is not valid; use nextCursor from the previous page', { field: 'cursor' });
  return { createdAt, id };
}

export async function listTransactions(
  deps: AppDeps,
  input: { businessId: string; memberId: string; limit?: number | undefined; cursor?: string | null | undefined },
): Promise<TransactionPage> {
  const limit = input.limit ?? DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw invalid(`limit must be a whole number from 1 to ${MAX_PAGE}`, { field: 'limit' });
  const before = input.cursor ? decodeCursor(input.cursor) : null;
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const member = UUID_RE.test(input.memberId) ? await repos.members.get(business.id, input.memberId) : null;
    if (!member) throw new DomainError('member_not_found');
    const rows = await repos.ledger.history(business.id, member.id, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: r.id,
        type: r.type,
        points: r.points,
        balanceAfter: r.balanceAfter,
        reason: r.reason,
        who: { type: r.actor.type, id: r.actor.id, name: r.actorName },
        when: r.createdAt.toISOString(),
        purchaseId: r.purchaseId,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  });
}
