import { and, asc, eq, gte, inArray, lt, min, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import {
  adaptiveModifiers,
  exercisePolicies,
  feedbackEvents,
  policyProposals,
  profileVersions,
  sessions,
  sets,
} from '@/db/schema';
import { E1RM_MAX_REPS } from '@/server/analytics/e1rm';
import { workingSet } from '@/server/analytics/working-sets';
import type { Modifier } from '@/server/modifiers/rules';
import { addDays, isoWeekStart } from '@/server/time/calendar';

/**
 * What the feature pipeline reads of lifters, aggregated by SQL to one row per lifter × exercise × ISO week (and
 * per lifter × week, and the small per-lifter tables), so the pure fold in `features.ts` never sees a set. The
 * weekly job loads a bounded window before the week it decides; the training export loads everything. Both fold
 * the same rows the same way: no skew between what a model was trained on and what it is served.
 */
export interface ExerciseWeekRow {
  exercise: string;
  weekStart: string;
  /** Done sets. */
  sets: number;
  /** Done sets that carried a recommendation, and those that met it (reps and weight). */
  sample: number;
  successes: number;
  /** Mean RPE (`intensity`) of done sets that reported one. */
  rpeMean: number | null;
  /** Best Epley e1RM over done sets of 1–12 reps. */
  bestE1rm: number | null;
  volumeKg: number;
}

interface ProfileReading {
  effectiveDate: string;
  weightKg: number | null;
  heightCm: number | null;
  age: number | null;
  sex: string | null;
  goalWeightKg: number | null;
}

export interface ModifierRow extends Modifier {
  exercise: string;
  weekStart: string;
  source: 'auto' | 'coach';
  policy: string;
  /** The probability the policy had of deciding this (1 unless an experiment's arm explored). */
  propensity?: number;
  createdAt: Date;
}

export interface LifterHistory {
  userId: string;
  /** Monday of the lifter's first session ever (not only within the window); null without sessions. */
  firstWeek: string | null;
  exerciseWeeks: ExerciseWeekRow[];
  /** Sessions per ISO week. */
  sessionsByWeek: Map<string, number>;
  /** Profile versions, by effective date then write order. */
  profiles: ProfileReading[];
  /** Feedback answers: the day given, helpful or not. */
  feedback: { date: string; helpful: boolean }[];
  /** The modifier history (every row, auto and coach), oldest week first. */
  modifiers: ModifierRow[];
  /** How each exercise adapts when it goes badly, as its coach set it (current setting). */
  exercisePolicies: Map<string, 'load' | 'reps'>;
  /** What shadow policies proposed, per exercise and week. */
  proposals: Proposal[];
}

interface Proposal {
  exercise: string;
  weekStart: string;
  policy: string;
  multiplier: number;
  repDelta: number;
  pSuccess: number | null;
}

/** A lifter with nothing recorded yet. */
export function emptyHistory(userId: string, firstWeek: string | null = null): LifterHistory {
  return {
    userId,
    firstWeek,
    exerciseWeeks: [],
    sessionsByWeek: new Map(),
    profiles: [],
    feedback: [],
    modifiers: [],
    exercisePolicies: new Map(),
    proposals: [],
  };
}

const weekOf = (date: unknown) => sql<string>`date_trunc('week', ${date})::date`;

/**
 * The histories of these lifters, over the weeks from `fromWeek` (null: from the start) up to and including
 * `toWeek`. Modifier rows and feedback come in full up to `toWeek`'s end: they are few.
 */
export async function loadHistories(
  db: Db,
  userIds: readonly string[],
  fromWeek: string | null,
  toWeek: string,
): Promise<Map<string, LifterHistory>> {
  const ids = [...userIds];
  const out = new Map<string, LifterHistory>();
  if (ids.length === 0) return out;
  const end = addDays(toWeek, 7);
  const inWindow = and(
    inArray(sessions.userId, ids),
    fromWeek ? gte(sessions.date, fromWeek) : undefined,
    lt(sessions.date, end),
  );
  const recommended = sql`${sets.recWeight} is not null and ${sets.recReps} is not null`;
  const weekStart = weekOf(sessions.date).as('week_start');
  const [weekly, perWeek, first, versions, answers, modifiers, policies, proposals] = await Promise.all([
    db
      .select({
        userId: sets.userId,
        exercise: sets.exercise,
        weekStart,
        sets: sql<number>`count(*)::int`,
        sample: sql<number>`count(*) filter (where ${recommended})::int`,
        successes: sql<number>`count(*) filter (where ${recommended} and ${sets.actualReps} >= ${sets.recReps}
                                                 and ${sets.actualWeight} >= ${sets.recWeight})::int`,
        // Rounded, so the order the rows were summed in (which differs between windows) cannot show.
        rpeMean: sql<number | null>`round(avg(${sets.intensity})::numeric, 4)::float8`,
        bestE1rm: sql<number | null>`max(case when ${sets.actualReps} between 1 and ${sql.raw(String(E1RM_MAX_REPS))}
                                              and ${sets.actualWeight} > 0
                                         then ${sets.actualWeight} * (1 + ${sets.actualReps}::float8 / 30) end)`,
        volumeKg: sql<number>`round(coalesce(sum(${sets.actualWeight} * ${sets.actualReps}), 0)::numeric, 2)::float8`,
      })
      .from(sessions)
      .innerJoin(sets, and(eq(sets.userId, sessions.userId), eq(sets.sessionId, sessions.id)))
      .where(and(inWindow, workingSet))
      .groupBy(sets.userId, sets.exercise, weekStart),
    db
      .select({ userId: sessions.userId, weekStart, n: sql<number>`count(*)::int` })
      .from(sessions)
      .where(inWindow)
      .groupBy(sessions.userId, weekStart),
    db
      .select({ userId: sessions.userId, first: min(sessions.date) })
      .from(sessions)
      .where(inArray(sessions.userId, ids))
      .groupBy(sessions.userId),
    db
      .select({
        userId: profileVersions.userId,
        effectiveDate: profileVersions.effectiveDate,
        weightKg: profileVersions.weightKg,
        heightCm: sql<number | null>`(${profileVersions.snapshotJson} ->> 'heightCm')::float8`,
        age: sql<number | null>`(${profileVersions.snapshotJson} ->> 'age')::float8`,
        sex: sql<string | null>`${profileVersions.snapshotJson} ->> 'sex'`,
        goalWeightKg: sql<number | null>`(${profileVersions.snapshotJson} ->> 'idealWeightGoal')::float8`,
      })
      .from(profileVersions)
      .where(and(inArray(profileVersions.userId, ids), lt(profileVersions.effectiveDate, end)))
      .orderBy(asc(profileVersions.effectiveDate), asc(profileVersions.createdAt), asc(profileVersions.id)),
    db
      .select({
        userId: feedbackEvents.userId,
        date: sql<string>`${feedbackEvents.createdAt}::date`,
        helpful: feedbackEvents.helpful,
      })
      .from(feedbackEvents)
      .where(and(inArray(feedbackEvents.userId, ids), lt(feedbackEvents.createdAt, sql`${end}::date`)))
      .orderBy(asc(feedbackEvents.createdAt)),
    db
      .select({
        userId: adaptiveModifiers.userId,
        exercise: adaptiveModifiers.exercise,
        weekStart: adaptiveModifiers.weekStart,
        multiplier: adaptiveModifiers.multiplier,
        repDelta: adaptiveModifiers.repDelta,
        source: adaptiveModifiers.source,
        policy: adaptiveModifiers.policy,
        propensity: adaptiveModifiers.propensity,
        createdAt: adaptiveModifiers.createdAt,
      })
      .from(adaptiveModifiers)
      .where(and(inArray(adaptiveModifiers.userId, ids), lt(adaptiveModifiers.weekStart, end)))
      .orderBy(asc(adaptiveModifiers.weekStart), asc(adaptiveModifiers.createdAt), asc(adaptiveModifiers.id)),
    db
      .select({ userId: exercisePolicies.userId, exercise: exercisePolicies.exercise, policy: exercisePolicies.policy })
      .from(exercisePolicies)
      .where(inArray(exercisePolicies.userId, ids)),
    db
      .select({
        userId: policyProposals.userId,
        exercise: policyProposals.exercise,
        weekStart: policyProposals.weekStart,
        policy: policyProposals.policy,
        multiplier: policyProposals.multiplier,
        repDelta: policyProposals.repDelta,
        pSuccess: policyProposals.pSuccess,
      })
      .from(policyProposals)
      .where(and(inArray(policyProposals.userId, ids), lt(policyProposals.weekStart, end)))
      .orderBy(asc(policyProposals.weekStart), asc(policyProposals.policy)),
  ]);

  for (const userId of ids) {
    out.set(userId, emptyHistory(userId));
  }
  const of = (userId: string) => out.get(userId)!;
  for (const { userId, ...row } of weekly) of(userId).exerciseWeeks.push(row);
  for (const r of perWeek) of(r.userId).sessionsByWeek.set(r.weekStart, r.n);
  for (const r of first) of(r.userId).firstWeek = r.first ? isoWeekStart(r.first) : null;
  for (const { userId, ...row } of versions) of(userId).profiles.push(row);
  for (const { userId, ...row } of answers) of(userId).feedback.push(row);
  for (const { userId, ...row } of modifiers) of(userId).modifiers.push(row);
  for (const r of policies) of(r.userId).exercisePolicies.set(r.exercise, r.policy);
  for (const { userId, ...row } of proposals) of(userId).proposals.push(row);
  for (const h of out.values()) h.exerciseWeeks.sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1));
  return out;
}
