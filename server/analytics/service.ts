import { eq, sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import { profiles } from '@/db/schema';
import type { AnalyticsResponse } from '@/server/contracts/analytics';
import { addDays, calendarDate } from '@/server/time/calendar';
import { dirtyTarget, exerciseWeeksQuery, SETTLED, userWeeksQuery } from './aggregates';
import { round2 } from './e1rm';
import { detectPlateaus } from './plateaus';
import { personalRecords } from './prs';
import { type ResolvedRange, resolveRange } from './range';
import type { Bodyweight, ExerciseWeek, StrengthWeek, UserWeek } from './weekly-series';
import { weeklySummary, weeksBetween } from './weekly-summary';

/** Before any data: the lower bound of an open range (`all`). */
const EARLIEST_WEEK = '0001-01-01';

/**
 * Reads weekly aggregates: materialized rows for weeks the job has settled, live rows (the same SQL) for
 * weeks touched since — in one statement, so one snapshot. The range's weeks (from `fromWeek`, or all when
 * null) in full.
 */
async function exerciseWeeks(
  db: Db,
  userId: string,
  fromWeek: string | null,
  endWeek: string,
): Promise<ExerciseWeek[]> {
  const from = fromWeek ?? EARLIEST_WEEK;
  const result = await rows<Record<string, unknown>>(
    db,
    sql`select m.user_id, m.exercise, m.week_start::text as week_start, m.sets, m.volume_kg, m.best_weight,
               m.best_weight_date::text as best_weight_date, m.best_e1rm, m.best_e1rm_weight, m.best_e1rm_reps,
               m.best_e1rm_date::text as best_e1rm_date, m.best_weight_3, m.best_weight_5, m.best_weight_8, m.best_weight_10
        from exercise_weekly_stats m
        where m.user_id = ${userId} and m.week_start between ${from}::date and ${endWeek}::date
          and ${SETTLED}
        union all
        select * from (${exerciseWeeksQuery(dirtyTarget(userId, from, endWeek))}) live`,
  );
  return result.map((r) => ({
    exercise: r.exercise as string,
    weekStart: r.week_start as string,
    sets: Number(r.sets),
    volumeKg: Number(r.volume_kg),
    bestWeight: r.best_weight as number | null,
    bestWeightDate: r.best_weight_date as string | null,
    bestE1rm: r.best_e1rm as number | null,
    bestE1rmWeight: r.best_e1rm_weight as number | null,
    bestE1rmReps: r.best_e1rm_reps as number | null,
    bestE1rmDate: r.best_e1rm_date as string | null,
    bestWeight3: r.best_weight_3 as number | null,
    bestWeight5: r.best_weight_5 as number | null,
    bestWeight8: r.best_weight_8 as number | null,
    bestWeight10: r.best_weight_10 as number | null,
  }));
}

/**
 * The weeks before the range, as plateau detection needs them (history counts: a short range does not hide a
 * long plateau) — four columns, not fifteen: years of history are most of the rows a short range reads.
 */
async function earlierStrengthWeeks(db: Db, userId: string, beforeWeek: string): Promise<StrengthWeek[]> {
  const result = await rows<{
    exercise: string;
    week_start: string;
    best_e1rm: number | null;
    volume_kg: number | string;
  }>(
    db,
    sql`select m.exercise, m.week_start::text as week_start, m.best_e1rm, m.volume_kg
        from exercise_weekly_stats m
        where m.user_id = ${userId} and m.week_start < ${beforeWeek}::date
          and ${SETTLED}
        union all
        select live.exercise, live.week_start, live.best_e1rm, live.volume_kg
        from (${exerciseWeeksQuery(dirtyTarget(userId, EARLIEST_WEEK, addDays(beforeWeek, -7)))}) live`,
  );
  return result.map((r) => ({
    exercise: r.exercise,
    weekStart: r.week_start,
    bestE1rm: r.best_e1rm,
    volumeKg: Number(r.volume_kg),
  }));
}

async function userWeeks(db: Db, userId: string, startWeek: string | null, endWeek: string): Promise<UserWeek[]> {
  const from = startWeek ?? EARLIEST_WEEK;
  const result = await rows<Record<string, unknown>>(
    db,
    sql`select m.user_id, m.week_start::text as week_start, m.sessions, m.calories_sum, m.calories_count
        from user_weekly_stats m
        where m.user_id = ${userId} and m.week_start between ${from}::date and ${endWeek}::date
          and ${SETTLED}
        union all
        select * from (${userWeeksQuery(dirtyTarget(userId, from, endWeek))}) live`,
  );
  return result.map((r) => ({
    weekStart: r.week_start as string,
    sessions: Number(r.sessions),
    caloriesSum: r.calories_sum === null ? null : Number(r.calories_sum),
    caloriesCount: Number(r.calories_count),
  }));
}

/** Bodyweight readings from the week before the range on, plus the last one before that. */
async function bodyweights(db: Db, userId: string, startWeek: string | null, end: string): Promise<Bodyweight[]> {
  const from = startWeek ? addDays(startWeek, -7) : EARLIEST_WEEK;
  const result = await rows<{ effective_date: string; weight_kg: number }>(
    db,
    sql`(select effective_date::text, weight_kg, created_at from profile_versions
         where user_id = ${userId} and weight_kg is not null and effective_date < ${from}::date
         order by effective_date desc, created_at desc limit 1)
        union all
        (select effective_date::text, weight_kg, created_at from profile_versions
         where user_id = ${userId} and weight_kg is not null and effective_date between ${from}::date and ${end}::date)
        order by effective_date, created_at`,
  );
  return result.map((r) => ({ effectiveDate: r.effective_date, weightKg: Number(r.weight_kg) }));
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

/** "Today" for a lifter: in the profile's zone, UTC when none. */
export async function todayFor(db: Db, userId: string, now: Date): Promise<string> {
  const [p] = await db
    .select({ timeZone: profiles.timeZone })
    .from(profiles)
    .where(eq(profiles.userId, userId))
    .limit(1);
  return calendarDate(now, p?.timeZone);
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

export function exerciseHistoryOf(data: AnalyticsData, exercise: string) {
  return data.exerciseWeeks
    .filter((w) => w.exercise === exercise)
    .filter(inRange(data))
    .sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1))
    .map((w) => ({
      weekStart: w.weekStart,
      best_e1rm: w.bestE1rm === null ? null : round2(w.bestE1rm),
      best_weight: w.bestWeight,
      volume_kg: round2(w.volumeKg),
      sets: w.sets,
    }));
}

/** GET /api/analytics: the seed's `prs`, `plateaus` and `weekly_summary`, plus e1RM and rep PRs. */
export async function getAnalytics(db: Db, userId: string, range: string, now: Date): Promise<AnalyticsResponse> {
  const data = await loadAnalytics(db, userId, range, now);
  const prs = prsOf(data);
  return {
    user_id: userId,
    range: { value: range, start: data.range.start, end: data.range.end },
    prs: Object.fromEntries(prs.map((p) => [p.exercise, p.heaviest])),
    pr_dates: Object.fromEntries(prs.map((p) => [p.exercise, p.heaviestDate])),
    e1rm_prs: Object.fromEntries(
      prs
        .filter((p) => p.e1rm)
        .map((p) => [
          p.exercise,
          { e1rm: p.e1rm!.value, weight: p.e1rm!.weight, reps: p.e1rm!.reps, date: p.e1rm!.date },
        ]),
    ),
    rep_prs: Object.fromEntries(prs.map((p) => [p.exercise, p.repPrs])),
    plateaus: plateausOf(data),
    weekly_summary: weeklySummaryOf(data),
  };
}
