import { count, eq, lt, max, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import {
  adaptiveModifiers,
  coachAthletes,
  deloadCancellations,
  deloadPlans,
  exercisePolicies,
  jobRuns,
  users,
} from '@/db/schema';
import { refuseLosingLastAdmin } from '@/server/admin/users';
import { retireIdentitiesOf } from '@/server/auth/identities';
import { forgetEverywhere } from '@/server/auth/revocation';
import { USER_TABLES } from './user-tables';

/** What a deleted coach's name becomes in the audit trail of the athletes it decided for. */
export const DELETED_USER = 'deleted-user';

/**
 * The right to erasure: every row of the user, in every user-owned table, in one transaction. Rows are
 * removed by the `users` row's ON DELETE CASCADE; the counts are taken first for the answer, and the tables
 * are checked again afterwards so a table that ever escaped the cascade would roll the whole deletion back.
 * A coach's id in its athletes' audit trail (`decided_by`, `updated_by`) is replaced, not kept, and so is a
 * resumable job's cursor that names the user.
 */
export async function deleteUser(db: Db, userId: string): Promise<{ deleted: Record<string, number> }> {
  return db
    .transaction(async (tx) => {
      await refuseLosingLastAdmin(tx, userId, 'delete');
      const deleted: Record<string, number> = {};
      for (const t of USER_TABLES) {
        const [row] = await tx.select({ n: count() }).from(t.table).where(eq(t.userId, userId));
        if (row && row.n > 0) deleted[t.name] = row.n;
      }
      // Declares this transaction as an erasure: the audit-trail trigger lets `decided_by` (only) change.
      await tx.execute(sql`select set_config('overload.maintenance', 'erase', true)`);
      await tx
        .update(adaptiveModifiers)
        .set({ decidedBy: DELETED_USER })
        .where(eq(adaptiveModifiers.decidedBy, userId));
      await tx.update(exercisePolicies).set({ updatedBy: DELETED_USER }).where(eq(exercisePolicies.updatedBy, userId));
      await tx.update(deloadPlans).set({ plannedBy: DELETED_USER }).where(eq(deloadPlans.plannedBy, userId));
      await tx
        .update(deloadCancellations)
        .set({ cancelledBy: DELETED_USER })
        .where(eq(deloadCancellations.cancelledBy, userId));
      // A coach's links to its athletes live on the athletes' rows; the foreign key that would cascade is not
      // enforceable when the schema is sharded (docs/scaling.md), so they go explicitly.
      await tx.delete(coachAthletes).where(eq(coachAthletes.coachId, userId));
      // Identities are global (looked up before the user is known): removed here, and remembered by hash so the
      // provider's next token does not quietly make the account again.
      await retireIdentitiesOf(tx, userId);
      const gone = await tx.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
      deleted.users = gone.length;
      // A cursor means "done up to this user id"; the id just below it means the same once this user is gone, so
      // an interrupted run resumes exactly where it would have (NULL: nobody below, start from the beginning).
      // After the delete: that waited for any job batch still writing this user's rows, whose cursor is now seen.
      const below = tx
        .select({ id: max(users.id) })
        .from(users)
        .where(lt(users.id, userId));
      await tx
        .update(jobRuns)
        .set({ cursor: sql`(${below})` })
        .where(eq(jobRuns.cursor, userId));
      for (const t of USER_TABLES) {
        const [row] = await tx.select({ n: count() }).from(t.table).where(eq(t.userId, userId));
        if (row && row.n > 0) throw new Error(`deleting ${userId} left ${row.n} rows in ${t.name}`);
      }
      return { deleted };
    })
    .finally(() => forgetEverywhere(userId));
}
