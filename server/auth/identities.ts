import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import { identities, retiredIdentities, type UserRole, users } from '@/db/schema';
import { userIdField } from '@/server/contracts/common';
import type { Principal } from './principal';
import { forgetEverywhere } from './revocation';

/**
 * Identity-provider accounts and the local users they are (the `identities` table). An identity is its issuer and
 * its `sub`: stable and assigned by the provider. The configured claim (`AUTH_USER_CLAIM`) only names the account
 * made for an identity seen the first time; an account that already exists is never taken over by a token whose
 * claim happens to name it — an admin links such an identity explicitly.
 */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
}

/** Why an identity was not let in: its account was deleted, or the user it names exists and is not linked to it. */
export class IdentityRefusedError extends Error {
  constructor(
    readonly reason: 'retired' | 'not_linked' | 'unusable_id',
    message: string,
  ) {
    super(message);
  }
}

/** What a deleted account's identities leave behind: a hash, nothing of the person. */
const identityHash = (i: ProviderIdentity) =>
  createHash('sha256')
    .update(JSON.stringify([i.issuer, i.subject]))
    .digest('hex');

async function linkedUser(db: Db, i: ProviderIdentity): Promise<Principal | null> {
  const [row] = await db
    .select({ userId: users.id, role: users.role })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.issuer, i.issuer), eq(identities.subject, i.subject)))
    .limit(1);
  return row ?? null;
}

async function isRetired(db: Db, i: ProviderIdentity): Promise<boolean> {
  const [row] = await db
    .select({ hash: retiredIdentities.identityHash })
    .from(retiredIdentities)
    .where(eq(retiredIdentities.identityHash, identityHash(i)));
  return Boolean(row);
}

/**
 * The user an identity is. Seen the first time, it gets a new lifter account named `proposedUserId` (the
 * configured claim) — only if no such account exists. Throws `IdentityRefusedError` otherwise.
 */
export async function userForIdentity(db: Db, i: ProviderIdentity, proposedUserId: string): Promise<Principal> {
  const linked = await linkedUser(db, i);
  if (linked) return linked;
  if (await isRetired(db, i)) {
    throw new IdentityRefusedError('retired', 'this identity’s account was deleted; an admin may provision it again');
  }
  if (!userIdField.safeParse(proposedUserId).success) {
    throw new IdentityRefusedError('unusable_id', 'the claim naming the user is not a usable user id');
  }
  // One statement: the account is made, and the identity linked to it, only if the account did not exist.
  const [made] = await rows<{ role: UserRole }>(
    db,
    sql`with created as (
          insert into ${users} (id, role) values (${proposedUserId}, 'lifter') on conflict (id) do nothing returning id, role
        ), linked as (
          insert into ${identities} (issuer, subject, user_id, linked_by)
          select ${i.issuer}, ${i.subject}, id, 'first sign-in' from created
          on conflict (issuer, subject) do nothing
        )
        select role::text as role from created`,
  );
  if (made) return { userId: proposedUserId, role: made.role };
  // Another request of the same identity may have made it meanwhile.
  const raced = await linkedUser(db, i);
  if (raced) return raced;
  throw new IdentityRefusedError(
    'not_linked',
    `user ${proposedUserId} exists and is not linked to this identity; an admin links it (PUT /api/v1/admin/identities)`,
  );
}

/** An admin links an identity to a user (moving it, if it was linked elsewhere); a retired identity is let in again. */
export async function linkIdentity(
  db: Db,
  i: ProviderIdentity & { userId: string; by: string },
): Promise<{ changed: boolean }> {
  const before = await db.transaction(async (tx) => {
    await tx.delete(retiredIdentities).where(eq(retiredIdentities.identityHash, identityHash(i)));
    const [row] = await tx
      .select({ userId: identities.userId })
      .from(identities)
      .where(and(eq(identities.issuer, i.issuer), eq(identities.subject, i.subject)))
      .for('update');
    if (row?.userId !== i.userId) {
      await tx
        .insert(identities)
        .values({ issuer: i.issuer, subject: i.subject, userId: i.userId, linkedBy: i.by })
        .onConflictDoUpdate({
          target: [identities.issuer, identities.subject],
          set: { userId: i.userId, linkedBy: i.by, createdAt: sql`now()` },
        });
    }
    return row;
  });
  // Remembered lookups of this identity named the old user.
  if (before && before.userId !== i.userId) await forgetEverywhere(before.userId);
  return { changed: before?.userId !== i.userId };
}

/** An admin ends a link: the identity is then a stranger again (its next sign-in makes a new account, if it can). */
export async function unlinkIdentity(db: Db, i: ProviderIdentity): Promise<{ changed: boolean }> {
  const gone = await db
    .delete(identities)
    .where(and(eq(identities.issuer, i.issuer), eq(identities.subject, i.subject)))
    .returning({ userId: identities.userId });
  for (const { userId } of gone) await forgetEverywhere(userId);
  return { changed: gone.length > 0 };
}

/** Part of deleting a user: its identities are removed and remembered as retired (by hash). */
export async function retireIdentitiesOf(tx: Db, userId: string): Promise<void> {
  const gone = await tx
    .delete(identities)
    .where(eq(identities.userId, userId))
    .returning({ issuer: identities.issuer, subject: identities.subject });
  if (gone.length === 0) return;
  await tx
    .insert(retiredIdentities)
    .values(gone.map((i) => ({ identityHash: identityHash(i) })))
    .onConflictDoNothing();
}
