import { and, asc, between, eq, gte, isNotNull, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { exerciseWeeklyStats, profileVersions, userWeeklyStats } from '@/db/schema';
import { addDays } from '@/server/time/calendar';
import { todayFor } from '@/server/time/lifter-calendar';
import { dirtyWeeksOf, liveExerciseWeeks, liveUserWeeks, settled } from './aggregates';
import { round2 } from './e1rm';
import { detectPlateaus, type Plateau } from './plateaus';
import { type ExercisePr, personalRecords } from './prs';
import { type ResolvedRange, resolveRange } from './range';
import type { Bodyweight, ExerciseWeek, StrengthWeek, UserWeek } from './weekly-series';
import { type WeeklySummaryRow, weeklySummary, weeksBetween } from './weekly-summary';

/** Before any data: the lower bound of an open range (`all`). */
const EARLIEST_WEEK = '0001-01-01';

const m = exerciseWeeklyStats;

/**
 * Reads weekly aggregates: materialized rows for weeks the job has settled, live rows (the same aggregate) for
 * weeks touched since — in one statement, so one snapshot. The range's weeks (from `fromWeek`, or all when null)
 * in full.
 */
function exerciseWeeks(db: Db, userId: string, fromWeek: string | null, endWeek: string): Promise<ExerciseWeek[]> {
  const from = fromWeek ?? EARLIEST_WEEK;
  return db
    .select()
    .from(m)
    .where(and(eq(m.userId, userId), between(m.weekStart, from, endWeek), settled(m)))
    .unionAll(liveExerciseWeeks(db, dirtyWeeksOf(userId, from, endWeek)));
}

/**
 * The weeks before the range, as plateau detection needs them (history counts: a short range does not hide a
 * long plateau) — four columns, not fifteen: years of history are most of the rows a short range reads.
 */
function earlierStrengthWeeks(db: Db, userId: string, beforeWeek: string): Promise<StrengthWeek[]> {
  const live = liveExerciseWeeks(db, dirtyWeeksOf(userId, EARLIEST_WEEK, addDays(beforeWeek, -7))).as('live');
  return db
    .select({ exercise: m.exercise, weekStart: m.weekStart, bestE1rm: m.bestE1rm, volumeKg: m.volumeKg })
    .from(m)
    .where(and(eq(m.userId, userId), lt(m.weekStart, beforeWeek), settled(m)))
    .unionAll(
      db
        .select({
          exercise: live.exercise,
          weekStart: live.weekStart,
          bestE1rm: live.bestE1rm,
          volumeKg: live.volumeKg,
        })
        .from(live),
    );
}

function userWeeks(db: Db, userId: string, startWeek: string | null, endWeek: string): Promise<UserWeek[]> {
  const from = startWeek ?? EARLIEST_WEEK;
  const u = userWeeklyStats;
  return db
    .select()
    .from(u)
    .where(and(eq(u.userId, userId), between(u.weekStart, from, endWeek), settled(u)))
    .unionAll(liveUserWeeks(db, dirtyWeeksOf(userId, from, endWeek)));
}

/**
 * Bodyweight readings from the week before the range on, and those of the last date with a reading before
 * that (the weight in force when the range starts). Later writes sort last, as `bodyweightAt` expects.
 */
function bodyweights(db: Db, userId: string, startWeek: string | null, end: string): Promise<Bodyweight[]> {
  const from = startWeek ? addDays(startWeek, -7) : EARLIEST_WEEK;
  const p = profileVersions;
  const withWeight = and(eq(p.userId, userId), isNotNull(p.weightKg));
  const lastBefore = db
    .select({ d: sql`coalesce(max(${p.effectiveDate}), ${from}::date)` })
    .from(p)
    .where(and(withWeight, lt(p.effectiveDate, from)));
  return db
    .select({ effectiveDate: p.effectiveDate, weightKg: sql<number>`${p.weightKg}` })
    .from(p)
    .where(and(withWeight, gte(p.effectiveDate, sql`(${lastBefore})`), lte(p.effectiveDate, end)))
    .orderBy(asc(p.effectiveDate), asc(p.createdAt));
}

export interface AnalyticsData {
  range: ResolvedRange & { value: string };
  weeks: string[];
  /** The range's exercise weeks, in full. */
  exerciseWeeks: ExerciseWeek[];
  /** Every exercise week before the range, for plateaus; none for `all`. */
  earlierWeeks: StrengthWeek[];
  userWeeks: UserWeek[];
  bodyweights: Bodyweight[];
}

export async function loadAnalytics(db: Db, userId: string, range: string, now: Date): Promise<AnalyticsData> {
  const resolved = resolveRange(range, await todayFor(db, userId, now));
  const [rangeExerciseWeeks, earlierWeeks, uWeeks, bw] = await Promise.all([
    exerciseWeeks(db, userId, resolved.startWeek, resolved.endWeek),
    resolved.startWeek === null ? [] : earlierStrengthWeeks(db, userId, resolved.startWeek),
    userWeeks(db, userId, resolved.startWeek, resolved.endWeek),
    bodyweights(db, userId, resolved.startWeek, resolved.end),
  ]);
  // `all` starts at the first week with any data.
  const firstWeek =
    resolved.startWeek ??
    [...rangeExerciseWeeks.map((w) => w.weekStart), ...uWeeks.map((w) => w.weekStart)].sort()[0] ??
    null;
  return {
    range: { ...resolved, start: firstWeek, startWeek: firstWeek, value: range },
    weeks: firstWeek ? weeksBetween(firstWeek, resolved.endWeek) : [],
    exerciseWeeks: rangeExerciseWeeks,
    earlierWeeks,
    userWeeks: uWeeks,
    bodyweights: bw,
  };
}

const inRange = (data: AnalyticsData) => (w: { weekStart: string }) =>
  data.range.startWeek !== null && w.weekStart >= data.range.startWeek && w.weekStart <= data.range.endWeek;

export function prsOf(data: AnalyticsData) {
  return personalRecords(data.exerciseWeeks.filter(inRange(data)));
}

export function plateausOf(data: AnalyticsData) {
  return detectPlateaus([...data.earlierWeeks, ...data.exerciseWeeks], data.range.endWeek);
}

export function weeklySummaryOf(data: AnalyticsData) {
  return weeklySummary(data.weeks, data.userWeeks, data.exerciseWeeks.filter(inRange(data)), data.bodyweights);
}

export function exerciseHistoryOf(data: AnalyticsData, exercise: string): ExerciseHistoryPoint[] {
  return data.exerciseWeeks
    .filter((w) => w.exercise === exercise)
    .filter(inRange(data))
    .sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1))
    .map((w) => ({
      weekStart: w.weekStart,
      bestE1rm: w.bestE1rm === null ? null : round2(w.bestE1rm),
      bestWeight: w.bestWeight,
      volumeKg: round2(w.volumeKg),
      sets: w.sets,
    }));
}

export interface ExerciseHistoryPoint {
  weekStart: string;
  bestE1rm: number | null;
  bestWeight: number | null;
  volumeKg: number;
  sets: number;
}

/** The analytics of one lifter over a range: what GET /api/analytics answers (`analyticsToWire`). */
export interface Analytics {
  userId: string;
  range: { value: string; start: string | null; end: string };
  prs: ExercisePr[];
  plateaus: Plateau[];
  weeklySummary: WeeklySummaryRow[];
}

export async function analyticsOf(db: Db, userId: string, range: string, now: Date): Promise<Analytics> {
  const data = await loadAnalytics(db, userId, range, now);
  return {
    userId,
    range: { value: range, start: data.range.start, end: data.range.end },
    prs: prsOf(data),
    plateaus: plateausOf(data),
    weeklySummary: weeklySummaryOf(data),
  };
}
