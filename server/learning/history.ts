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
import { plansOf } from '@/server/deloads/deloads';
import { type PlannedDeloadWeeks, plannedDeloadWeeks } from '@/server/deloads/plans';
import type { Modifier } from '@/server/modifiers/rules';
import { snapshotFacts } from '@/server/profile/snapshot';
import type { StrengthReading } from '@/server/strength/fold';
import { latestSettledStrengthOf, settledStrengthOf } from '@/server/strength/materialize';
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
  /** Mean prescribed weight of the recommended working sets; null without a recommendation. */
  recWeight: number | null;
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
  /** The weeks planned as deloads (`server/deloads/`), per exercise: the job holds after them, plateaus skip them. */
  plannedDeloads: PlannedDeloadWeeks;
  /**
   * Estimated strength per exercise and day with sets (each exercise's by date), as the analytics job has settled
   * it; absent where not loaded. Loaded histories read the stored beliefs only: cheap whatever is dirty, and the same
   * for the job and the training data set.
   */
  strength?: StrengthReading[];
  /** The lifter's first week the analytics job has not settled: `strength` ends before it. */
  strengthSettledBefore?: string;
}

interface Proposal {
  exercise: string;
  weekStart: string;
  policy: string;
  multiplier: number;
  repDelta: number;
  pSuccess: number | null;
  deload: boolean;
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
    plannedDeloads: new Map(),
  };
}

const EARLIEST = '1900-01-01';

const weekOf = (date: unknown) => sql<string>`date_trunc('week', ${date})::date`;

/** Whose history, and which weeks: sessions from `fromWeek` (null: the start) to before `end`. */
interface Scope {
  ids: string[];
  fromWeek: string | null;
  /** The Monday after the last week. */
  end: string;
}

/**
 * The histories of these lifters, over the weeks from `fromWeek` (null: from the start) up to and including
 * `toWeek`. Modifier rows and feedback come in full up to `toWeek`'s end: they are few.
 */
export async function loadHistories(
  db: Db,
  userIds: readonly string[],
  fromWeek: string | null,
  toWeek: string,
  /** `latest`: only each exercise's last estimate — all the next week's decision reads (the weekly job). */
  opts: { strength?: 'all' | 'latest' } = {},
): Promise<Map<string, LifterHistory>> {
  const out = new Map<string, LifterHistory>();
  if (userIds.length === 0) return out;
  const scope: Scope = { ids: [...userIds], fromWeek, end: addDays(toWeek, 7) };
  const ids = sql.join(
    scope.ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const [weekly, perWeek, first, versions, answers, modifiers, policies, proposals, strength, plans] =
    await Promise.all([
      exerciseWeeksOf(db, scope),
      sessionsPerWeekOf(db, scope),
      firstSessionsOf(db, scope),
      profilesOf(db, scope),
      feedbackOf(db, scope),
      modifiersOf(db, scope),
      exercisePoliciesOf(db, scope),
      proposalsOf(db, scope),
      opts.strength === 'latest'
        ? latestSettledStrengthOf(db, ids, scope.end)
        : settledStrengthOf(db, ids, fromWeek ?? EARLIEST, addDays(scope.end, -1)),
      plansOf(db, scope.ids),
    ]);

  for (const userId of scope.ids) out.set(userId, { ...emptyHistory(userId), strength: [] });
  const of = (userId: string) => out.get(userId)!;
  for (const { userId, ...row } of weekly) of(userId).exerciseWeeks.push(row);
  for (const r of perWeek) of(r.userId).sessionsByWeek.set(r.weekStart, r.n);
  for (const r of first) of(r.userId).firstWeek = r.first ? isoWeekStart(r.first) : null;
  for (const { userId, ...row } of versions) of(userId).profiles.push(row);
  for (const { userId, ...row } of answers) of(userId).feedback.push(row);
  for (const { userId, ...row } of modifiers) of(userId).modifiers.push(row);
  for (const r of policies) of(r.userId).exercisePolicies.set(r.exercise, r.policy);
  for (const { userId, ...row } of proposals) of(userId).proposals.push(row);
  for (const [userId, readings] of strength.readings) of(userId).strength = readings;
  for (const [userId, week] of strength.settledBefore) of(userId).strengthSettledBefore = week;
  const plansByUser = new Map<string, typeof plans>();
  for (const p of plans) {
    const own = plansByUser.get(p.userId);
    if (own) own.push(p);
    else plansByUser.set(p.userId, [p]);
  }
  for (const [userId, own] of plansByUser) of(userId).plannedDeloads = plannedDeloadWeeks(own);
  for (const h of out.values()) h.exerciseWeeks.sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1));
  return out;
}

const sessionsInScope = ({ ids, fromWeek, end }: Scope) =>
  and(inArray(sessions.userId, ids), fromWeek ? gte(sessions.date, fromWeek) : undefined, lt(sessions.date, end));

const sessionWeek = () => weekOf(sessions.date).as('week_start');

/** Per lifter, exercise and week: the working sets, their success against the prescription, e1RM and volume. */
function exerciseWeeksOf(db: Db, scope: Scope) {
  const recommended = sql`${sets.recWeight} is not null and ${sets.recReps} is not null`;
  const weekStart = sessionWeek();
  return db
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
      recWeight: sql<number | null>`round((avg(${sets.recWeight}) filter (where ${recommended}))::numeric, 2)::float8`,
    })
    .from(sessions)
    .innerJoin(sets, and(eq(sets.userId, sessions.userId), eq(sets.sessionId, sessions.id)))
    .where(and(sessionsInScope(scope), workingSet))
    .groupBy(sets.userId, sets.exercise, weekStart);
}

function sessionsPerWeekOf(db: Db, scope: Scope) {
  const weekStart = sessionWeek();
  return db
    .select({ userId: sessions.userId, weekStart, n: sql<number>`count(*)::int` })
    .from(sessions)
    .where(sessionsInScope(scope))
    .groupBy(sessions.userId, weekStart);
}

/** Each lifter's first session ever, whatever the window: how long they have trained. */
function firstSessionsOf(db: Db, { ids }: Scope) {
  return db
    .select({ userId: sessions.userId, first: min(sessions.date) })
    .from(sessions)
    .where(inArray(sessions.userId, ids))
    .groupBy(sessions.userId);
}

/** Profile versions, their snapshots decrypted here and read by their known keys. */
async function profilesOf(db: Db, { ids, end }: Scope) {
  const v = profileVersions;
  const found = await db
    .select({ userId: v.userId, effectiveDate: v.effectiveDate, weightKg: v.weightKg, snapshot: v.snapshotJson })
    .from(v)
    .where(and(inArray(v.userId, ids), lt(v.effectiveDate, end)))
    .orderBy(asc(v.effectiveDate), asc(v.createdAt), asc(v.id));
  return found.map(({ userId, effectiveDate, weightKg, snapshot }) => {
    const { heightCm, age, sex, goalWeightKg } = snapshotFacts(snapshot);
    return { userId, effectiveDate, weightKg, heightCm, age, sex, goalWeightKg };
  });
}

function feedbackOf(db: Db, { ids, end }: Scope) {
  const f = feedbackEvents;
  return db
    .select({ userId: f.userId, date: sql<string>`${f.createdAt}::date`, helpful: f.helpful })
    .from(f)
    .where(and(inArray(f.userId, ids), lt(f.createdAt, sql`${end}::date`)))
    .orderBy(asc(f.createdAt));
}

function modifiersOf(db: Db, { ids, end }: Scope) {
  const m = adaptiveModifiers;
  return db
    .select({
      userId: m.userId,
      exercise: m.exercise,
      weekStart: m.weekStart,
      multiplier: m.multiplier,
      repDelta: m.repDelta,
      source: m.source,
      policy: m.policy,
      propensity: m.propensity,
      createdAt: m.createdAt,
    })
    .from(m)
    .where(and(inArray(m.userId, ids), lt(m.weekStart, end)))
    .orderBy(asc(m.weekStart), asc(m.createdAt), asc(m.id));
}

function exercisePoliciesOf(db: Db, { ids }: Scope) {
  const p = exercisePolicies;
  return db.select({ userId: p.userId, exercise: p.exercise, policy: p.policy }).from(p).where(inArray(p.userId, ids));
}

function proposalsOf(db: Db, { ids, end }: Scope) {
  const p = policyProposals;
  return db
    .select({
      userId: p.userId,
      exercise: p.exercise,
      weekStart: p.weekStart,
      policy: p.policy,
      multiplier: p.multiplier,
      repDelta: p.repDelta,
      pSuccess: p.pSuccess,
      deload: p.deload,
    })
    .from(p)
    .where(and(inArray(p.userId, ids), lt(p.weekStart, end)))
    .orderBy(asc(p.weekStart), asc(p.policy));
}
