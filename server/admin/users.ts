import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { type UserRole, users } from '@/db/schema';
import { forgetEverywhere } from '@/server/auth/revocation';
import { DomainError } from '@/server/errors';

/**
 * Provisioning for the app's backend (admin token only) and `npm run user:create`: a user with a role, created or
 * changed. A changed role takes effect at once in this process (its remembered credentials are forgotten). The last
 * admin cannot be demoted (409): nobody could provision anyone afterwards.
 */
export async function provisionUser(
  db: Db,
  input: { id: string; role: UserRole; displayName?: string | null },
): Promise<{ id: string; role: UserRole; created: boolean }> {
  const row = await db.transaction(async (tx) => {
    if (input.role !== 'admin') await refuseLosingLastAdmin(tx, input.id, 'demote');
    const [written] = await tx
      .insert(users)
      .values({ id: input.id, role: input.role, displayName: input.displayName ?? null })
      .onConflictDoUpdate({
        target: users.id,
        set: {
          role: input.role,
          ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
          updatedAt: sql`now()`,
        },
      })
      .returning({ id: users.id, role: users.role, created: sql<boolean>`(xmax = 0)` });
    return written!;
  });
  await forgetEverywhere(input.id);
  return row;
}

/**
 * Refuses (409 `last_admin`) to let the only admin stop being one — demoted or deleted. The admins' rows are locked
 * first, so two admins demoting each other at once cannot both succeed.
 */
export async function refuseLosingLastAdmin(tx: Db, userId: string, what: 'demote' | 'delete'): Promise<void> {
  const admins = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).for('update');
  if (admins.length === 1 && admins[0]!.id === userId) {
    throw new DomainError(
      'conflict',
      'last_admin',
      `${userId} is the last admin: make another user admin before you ${what} this one.`,
      [{ path: 'id', message: 'is the last admin' }],
    );
  }
}

export async function userRoleOf(db: Db, id: string): Promise<UserRole | undefined> {
  const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, id));
  return row?.role;
}
