import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { profiles, profileVersions } from '@/db/schema';
import type { ProfileVersionInput } from '@/server/contracts/profile-versions';
import { snapshotWeightKg } from '@/server/profile/snapshot';
import { wallClock } from '@/server/time/clock';

/**
 * Stores a profile snapshot and, when it is the latest by effective date (a tie goes to the newer write),
 * brings the user's `profiles` row up to date with the snapshot's known keys. Back-dated versions are kept
 * for history but never overwrite the current profile.
 */
export async function recordProfileVersion(
  db: Db,
  userId: string,
  input: ProfileVersionInput,
): Promise<{ id: string }> {
  return db.transaction(async (tx) => {
    // One statement whether or not the profile exists yet, so two first snapshots cannot race.
    const [profile] = await tx
      .insert(profiles)
      .values({ userId })
      .onConflictDoUpdate({ target: profiles.userId, set: { updatedAt: wallClock() } })
      .returning({ id: profiles.id });

    const [version] = await tx
      .insert(profileVersions)
      .values({
        userId,
        profileId: profile!.id,
        snapshotJson: input.snapshot,
        weightKg: snapshotWeightKg(input.snapshot),
        effectiveDate: input.effective_date,
        source: input.source,
        notes: input.notes ?? null,
      })
      .returning({ id: profileVersions.id });

    const [later] = await tx
      .select({ id: profileVersions.id })
      .from(profileVersions)
      .where(and(eq(profileVersions.userId, userId), gt(profileVersions.effectiveDate, input.effective_date)))
      .limit(1);
    if (!later) {
      const s = input.snapshot;
      await tx
        .update(profiles)
        .set({
          ...(s.weightKg !== undefined ? { currentWeightKg: s.weightKg } : {}),
          ...(s.heightCm !== undefined ? { heightCm: s.heightCm } : {}),
          ...(s.age !== undefined ? { age: s.age } : {}),
          ...(s.sex !== undefined ? { sex: s.sex } : {}),
          ...(s.timeZone !== undefined ? { timeZone: s.timeZone } : {}),
          updatedAt: wallClock(),
        })
        .where(eq(profiles.userId, userId));
    }
    return { id: version!.id };
  });
}
