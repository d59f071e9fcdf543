import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { importLocks } from '@/db/schema';
import { DomainError } from '@/server/errors';

/** A claim older than this is stale: the process that held it died (an import takes seconds, the CLI minutes). */
export const IMPORT_LOCK_STALE_MS = 15 * 60_000;

/**
 * One import at a time per lifter, across processes: a row per lifter, claimed before the file is read and
 * released when the import ends. A second import meanwhile → 409; a stale claim is taken over.
 */
export async function claimImport(db: Db, userId: string, now: Date): Promise<string> {
  const holder = randomUUID();
  const staleBefore = new Date(now.getTime() - IMPORT_LOCK_STALE_MS);
  const [claimed] = await db
    .insert(importLocks)
    .values({ userId, holder, claimedAt: now })
    .onConflictDoUpdate({
      target: importLocks.userId,
      set: { holder, claimedAt: now },
      setWhere: sql`${importLocks.claimedAt} < ${staleBefore.toISOString()}::timestamptz`,
    })
    .returning({ holder: importLocks.holder });
  if (claimed?.holder !== holder) {
    throw new DomainError(
      'conflict',
      'import_in_progress',
      'Another import of yours is running; try again when it has finished.',
    );
  }
  return holder;
}

export async function releaseImport(db: Db, userId: string, holder: string): Promise<void> {
  await db.delete(importLocks).where(and(eq(importLocks.userId, userId), eq(importLocks.holder, holder)));
}
