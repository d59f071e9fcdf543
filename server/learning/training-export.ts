import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { pseudonym } from '@/server/privacy/pseudonym';
import { type DecisionRow, decisionRowsOf, type FlatDecisionRow, flatten } from './decision-rows';
import { indexHistory } from './features';
import { loadHistories } from './history';

/**
 * The training data set (`npm run export:training`): a decision row per lifter × exercise × week, for lifters who
 * opted in to analytics only, named by a keyed pseudonym. Everyone else is left out entirely — not blanked, not
 * counted. Lifters are read in batches by id, so memory stays bounded whatever the database holds.
 */
async function optedInUsers(db: Db, after = '', limit = 200): Promise<string[]> {
  const found = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.analyticsOptIn, true), gt(users.id, after)))
    .orderBy(asc(users.id))
    .limit(limit);
  return found.map((u) => u.id);
}

export interface ExportOptions {
  /** The last week whose training counts (a Monday); decisions up to the week after it. */
  throughWeek: string;
  batchSize?: number;
  onProgress?: (progress: { users: number; rows: number }) => void;
}

/** Every opted-in lifter's decision rows, a lifter at a time: what both the export and training read. */
export async function forEachDecisionRows(
  db: Db,
  onRows: (rows: DecisionRow[]) => void | Promise<void>,
  opts: ExportOptions,
): Promise<{ users: number; rows: number }> {
  const { throughWeek } = opts;
  const totals = { users: 0, rows: 0 };
  for (let after = ''; ; ) {
    const ids = await optedInUsers(db, after, opts.batchSize);
    if (ids.length === 0) return totals;
    const histories = await loadHistories(db, ids, null, throughWeek);
    for (const id of ids) {
      const rows = decisionRowsOf(indexHistory(histories.get(id)!), pseudonym(id), throughWeek);
      await onRows(rows);
      totals.users += 1;
      totals.rows += rows.length;
    }
    opts.onProgress?.({ ...totals });
    after = ids.at(-1)!;
  }
}

/** The training data set, flat: what `npm run export:training` writes. */
export function exportDecisionRows(
  db: Db,
  onRows: (rows: FlatDecisionRow[]) => void | Promise<void>,
  opts: ExportOptions,
): Promise<{ users: number; rows: number }> {
  return forEachDecisionRows(db, (rows) => onRows(rows.map(flatten)), opts);
}
