import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { type UserRole, users } from '@/db/schema';
import { forgetEverywhere } from '@/server/auth/revocation';

/**
 * Provisioning for the app's backend (admin token only) and `npm run user:create`: a user with a role, created or
 * changed. A changed role takes effect at once in this process (its remembered credentials are forgotten).
 */
export async function provisionUser(
  db: Db,
  input: { id: string; role: UserRole; displayName?: string | null },
): Promise<{ id: string; role: UserRole; created: boolean }> {
  const [row] = await db
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
  await forgetEverywhere(input.id);
  return row!;
}

export async function userRoleOf(db: Db, id: string): Promise<UserRole | undefined> {
  const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, id));
  return row?.role;
}
