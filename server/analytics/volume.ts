import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { muscleTargets, sessions } from '@/db/schema';
import { MUSCLE_GROUPS, type MuscleGroup } from '@/server/contracts/volume';
import { DEFAULT_WEEKLY_TARGET } from '@/server/exercises/muscles';
import { isoWeekStart } from '@/server/time/calendar';
import { todayFor } from '@/server/time/lifter-calendar';
import { resolveRange } from './range';
import { type VolumeRow, volumeWeeksRead } from './reads';
import { weeksBetween } from './weekly-summary';

/**
 * Weekly volume per muscle group: every working set counts for the groups its exercise trains — the lifter's own
 * mapping, else the catalog's (free-exercise-db) — 1 for a primary group, ½ for a secondary one; hard sets as
 * `hard-sets.ts` defines them. Read from the weekly aggregates (settled, and live for weeks touched since), the
 * mapping applied on read: a new mapping shows at once, without rebuilding anything.
 */
interface GroupWeek {
  hardSets: number;
  sets: number;
  tonnageKg: number;
}

interface VolumeWeek {
  weekStart: string;
  groups: Partial<Record<MuscleGroup, GroupWeek>>;
}

/** The lifter's volume over an analytics range (`all`: from their first session). */
export async function volumeOf(db: Db, userId: string, range: string, now: Date) {
  const resolved = resolveRange(range, await todayFor(db, userId, now));
  const from = resolved.startWeek ?? (await firstWeek(db, userId)) ?? resolved.endWeek;
  const [found, targets] = await Promise.all([
    volumeWeeksRead(db, { userId, from, to: resolved.endWeek }),
    db
      .select({ muscle: muscleTargets.muscle, min: muscleTargets.minSets, max: muscleTargets.maxSets })
      .from(muscleTargets)
      .where(eq(muscleTargets.userId, userId)),
  ]);
  return {
    range: { value: range, start: from, end: resolved.end },
    weeks: weeksOf(found, from, resolved.endWeek),
    targets: targetsOf(targets),
    unmapped: [...new Set(found.flatMap((r) => (r.unmapped ? [r.unmapped] : [])))].sort(),
  };
}

/** The Monday of the lifter's first session: where `all` starts. */
async function firstWeek(db: Db, userId: string): Promise<string | null> {
  const [first] = await db
    .select({ date: sql<string | null>`min(${sessions.date})::text` })
    .from(sessions)
    .where(eq(sessions.userId, userId));
  return first?.date ? isoWeekStart(first.date) : null;
}

/** Every week of the range, the empty ones too. */
function weeksOf(found: readonly VolumeRow[], from: string, to: string): VolumeWeek[] {
  const weeks: VolumeWeek[] = weeksBetween(from, to).map((weekStart) => ({ weekStart, groups: {} }));
  const byWeek = new Map(weeks.map((w) => [w.weekStart, w]));
  for (const r of found) {
    const week = byWeek.get(r.weekStart);
    if (week && r.muscle)
      week.groups[r.muscle as MuscleGroup] = { hardSets: r.hardSets, sets: r.sets, tonnageKg: r.tonnageKg };
  }
  return weeks;
}

function targetsOf(own: { muscle: string; min: number; max: number }[]) {
  const mine = new Map(own.map((t) => [t.muscle, { min: t.min, max: t.max }]));
  return Object.fromEntries(MUSCLE_GROUPS.map((g) => [g, mine.get(g) ?? { ...DEFAULT_WEEKLY_TARGET }])) as Record<
    MuscleGroup,
    { min: number; max: number }
  >;
}

/** Sets the lifter's own weekly target for a group. */
export async function setMuscleTarget(db: Db, userId: string, muscle: MuscleGroup, min: number, max: number) {
  const values = { userId, muscle, minSets: min, maxSets: max, updatedAt: sql`now()` };
  await db
    .insert(muscleTargets)
    .values(values)
    .onConflictDoUpdate({ target: [muscleTargets.userId, muscleTargets.muscle], set: values });
  return { muscle, min, max };
}
