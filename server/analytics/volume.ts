import { eq, sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import { exerciseMuscles, muscleTargets, sessions, sets, strengthEstimates } from '@/db/schema';
import { MUSCLE_GROUPS, type MuscleGroup } from '@/server/contracts/volume';
import { CATALOG_MUSCLES } from '@/server/exercises/catalog-muscles';
import { DEFAULT_WEEKLY_TARGET, PRIMARY_CREDIT, SECONDARY_CREDIT } from '@/server/exercises/muscles';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { todayFor } from '@/server/time/lifter-calendar';
import { resolveRange } from './range';
import { workingSet } from './working-sets';

/**
 * Weekly volume per muscle group: every working set counts for the groups its exercise trains — the lifter's own
 * mapping, else the catalog's (free-exercise-db) — 1 for a primary group, ½ for a secondary one. A set is *hard*
 * when it ended close to failure: RPE ≥ HARD_RPE when the app sent one; else at most HARD_RIR reps in reserve by
 * the estimated strength that day (Epley: reps to failure at w are 30·(E/w − 1)); else, with neither, it counts.
 */
export const HARD_RPE = 7;
export const HARD_RIR = 3;

interface GroupWeek {
  hardSets: number;
  sets: number;
  tonnageKg: number;
}

interface VolumeWeek {
  weekStart: string;
  groups: Partial<Record<MuscleGroup, GroupWeek>>;
}

export interface Volume {
  weeks: VolumeWeek[];
  targets: Record<MuscleGroup, { min: number; max: number }>;
  /** Exercises trained in the range that map to no group: the lifter can map them. */
  unmapped: string[];
}

/** The catalog's mapping as rows (exercise, muscle, credit), for the statement. */
const catalogRows = CATALOG_MUSCLES.flatMap((m) => [
  ...m.primary.map((muscle) => sql`(${m.exercise}, ${muscle}, ${PRIMARY_CREDIT}::float8)`),
  ...m.secondary.map((muscle) => sql`(${m.exercise}, ${muscle}, ${SECONDARY_CREDIT}::float8)`),
]);

/** The groups each of the lifter's exercises trains, with its credit: their own mapping, else the catalog's. */
function mappingOf(userId: string) {
  const own = exerciseMuscles;
  return sql`select ${own.exercise} as exercise, unnest(${own.primary}) as muscle, ${PRIMARY_CREDIT}::float8 as credit
               from ${own} where ${own.userId} = ${userId}
             union all
             select ${own.exercise}, unnest(${own.secondary}), ${SECONDARY_CREDIT}::float8
               from ${own} where ${own.userId} = ${userId}
             union all
             select c.exercise, c.muscle, c.credit from (values ${sql.join(catalogRows, sql`, `)}) c(exercise, muscle, credit)
             where not exists (select 1 from ${own} where ${own.userId} = ${userId} and ${own.exercise} = c.exercise)`;
}

/** A working set close to failure (see the module's comment). */
const hard = sql`case
  when ${sets.intensity} is not null then ${sets.intensity} >= ${HARD_RPE}
  when ${strengthEstimates.estimateKg} is not null and ${sets.actualWeight} > 0 and ${sets.actualReps} >= 1
    then 30 * (${strengthEstimates.estimateKg} / ${sets.actualWeight} - 1) - ${sets.actualReps} <= ${HARD_RIR}
  else true end`;

/** The lifter's weekly volume per group over the weeks [fromWeek, toWeek] (Mondays). */
async function weeklyVolume(db: Db, userId: string, fromWeek: string, toWeek: string): Promise<Volume> {
  const week = sql<string>`date_trunc('week', ${sessions.date})::date::text`;
  const [found, unmapped, targets] = await Promise.all([
    rows<{ week: string; muscle: string; hard: number; sets: number; tonnage: number }>(
      db,
      sql`with mapping as (${mappingOf(userId)})
          select ${week} as week, m.muscle,
                 coalesce(sum(m.credit) filter (where ${hard}), 0)::float8 as hard,
                 sum(m.credit)::float8 as sets,
                 coalesce(sum(m.credit * ${sets.actualWeight} * ${sets.actualReps}), 0)::float8 as tonnage
          from ${sets}
          join ${sessions} on ${sessions.userId} = ${sets.userId} and ${sessions.id} = ${sets.sessionId}
          join mapping m on m.exercise = ${sets.exercise}
          left join ${strengthEstimates} on ${strengthEstimates.userId} = ${sets.userId}
            and ${strengthEstimates.exercise} = ${sets.exercise} and ${strengthEstimates.date} = ${sessions.date}
          where ${sets.userId} = ${userId} and ${workingSet}
            and ${sessions.date} between ${fromWeek}::date and ${addDays(toWeek, 6)}::date
          group by 1, 2 order by 1, 2`,
    ),
    rows<{ exercise: string }>(
      db,
      sql`select distinct ${sets.exercise} as exercise from ${sets}
          join ${sessions} on ${sessions.userId} = ${sets.userId} and ${sessions.id} = ${sets.sessionId}
          where ${sets.userId} = ${userId} and ${workingSet}
            and ${sessions.date} between ${fromWeek}::date and ${addDays(toWeek, 6)}::date
            and ${sets.exercise} not in (select exercise from (${mappingOf(userId)}) m)
          order by 1`,
    ),
    db
      .select({ muscle: muscleTargets.muscle, min: muscleTargets.minSets, max: muscleTargets.maxSets })
      .from(muscleTargets)
      .where(eq(muscleTargets.userId, userId)),
  ]);
  return {
    weeks: weeksOf(found, fromWeek, toWeek),
    targets: targetsOf(targets),
    unmapped: unmapped.map((u) => u.exercise),
  };
}

/** Every week of the range, empty ones included, each group rounded to the half set. */
function weeksOf(
  found: { week: string; muscle: string; hard: number; sets: number; tonnage: number }[],
  from: string,
  to: string,
) {
  const weeks: VolumeWeek[] = [];
  for (let w = from; w <= to; w = addDays(w, 7)) weeks.push({ weekStart: w, groups: {} });
  const byWeek = new Map(weeks.map((w) => [w.weekStart, w]));
  for (const r of found) {
    const target = byWeek.get(r.week);
    if (!target) continue;
    target.groups[r.muscle as MuscleGroup] = {
      hardSets: r.hard,
      sets: r.sets,
      tonnageKg: Math.round(r.tonnage * 10) / 10,
    };
  }
  return weeks;
}

function targetsOf(own: { muscle: string; min: number; max: number }[]) {
  const mine = new Map(own.map((t) => [t.muscle, { min: t.min, max: t.max }]));
  return Object.fromEntries(
    MUSCLE_GROUPS.map((g) => [g, mine.get(g) ?? { ...DEFAULT_WEEKLY_TARGET }]),
  ) as Volume['targets'];
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

/** The lifter's volume over an analytics range (`all`: from their first session). */
export async function volumeOf(db: Db, userId: string, range: string, now: Date) {
  const resolved = resolveRange(range, await todayFor(db, userId, now));
  const [first] = await db
    .select({ date: sql<string | null>`min(${sessions.date})::text` })
    .from(sessions)
    .where(eq(sessions.userId, userId));
  const fromWeek = resolved.startWeek ?? (first?.date ? isoWeekStart(first.date) : resolved.endWeek);
  const volume = await weeklyVolume(db, userId, fromWeek, resolved.endWeek);
  return { range: { value: range, start: fromWeek, end: resolved.end }, ...volume };
}
