import type { Db } from '@/db/client';
import { plansOf } from '@/server/deloads/deloads';
import { plannedDeloadWeeks } from '@/server/deloads/plans';
import type { StrengthPoint } from '@/server/strength/estimate';
import { currentStrength, strengthHistory } from '@/server/strength/materialize';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { todayFor } from '@/server/time/lifter-calendar';
import { round2 } from './e1rm';
import { detectPlateaus, type Plateau } from './plateaus';
import { type ExercisePr, personalRecords } from './prs';
import { resolveRange } from './range';
import {
  bodyweightsRead,
  exerciseHistoryRead,
  exerciseWeeksRead,
  prWeeksRead,
  userWeeksRead,
  type WeeksOf,
} from './reads';
import { type WeeklySummaryRow, weeklySummary, weeksBetween } from './weekly-summary';

/** Before any data: the lower bound of an open range (`all`). */
const EARLIEST_WEEK = '0001-01-01';

/** A read started on first use; later uses share it. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | undefined;
  return () => (started ??= read());
}

/**
 * One lifter's analytics over a range, read lazily: each answer (PRs, plateaus, the weekly summary, an
 * exercise's history) starts only the reads it needs, and answers asked together share them.
 */
export type AnalyticsReads = Awaited<ReturnType<typeof loadAnalytics>>;

export async function loadAnalytics(db: Db, userId: string, range: string, now: Date) {
  const resolved = resolveRange(range, await todayFor(db, userId, now));
  const weeks: WeeksOf = { userId, from: resolved.startWeek ?? EARLIEST_WEEK, to: resolved.endWeek };
  // Every week up to the range's end: plateaus count history a short range does not show.
  const history: WeeksOf = { userId, from: EARLIEST_WEEK, to: resolved.endWeek };
  return {
    range: resolved,
    prWeeks: once(() => prWeeksRead(db, weeks)),
    // Per exercise and week, every week: the strength series and the weekly totals.
    history: once(() => exerciseWeeksRead(db, history)),
    userWeeks: once(() => userWeeksRead(db, weeks)),
    // From the week before the range: its readings give the first week's change.
    bodyweights: once(() =>
      bodyweightsRead(db, {
        userId,
        from: resolved.startWeek ? addDays(resolved.startWeek, -7) : EARLIEST_WEEK,
        to: resolved.end,
      }),
    ),
    exerciseHistory: (exercise: string) => exerciseHistoryRead(db, { ...weeks, exercise }),
    strength: once(() => currentStrength(db, userId)),
    plannedDeloads: once(async () => plannedDeloadWeeks(await plansOf(db, [userId]))),
    strengthHistory: (exercise: string) => strengthHistory(db, userId, exercise),
  };
}

export async function prsOf(a: AnalyticsReads): Promise<ExercisePr[]> {
  return personalRecords(await a.prWeeks());
}

export async function plateausOf(a: AnalyticsReads): Promise<Plateau[]> {
  const [history, planned] = await Promise.all([a.history(), a.plannedDeloads()]);
  return detectPlateaus(history, history, a.range.endWeek, planned);
}

/** The weekly summary, and the range it covers: `all` starts at the first week with any data. */
export async function weeklySummaryOf(
  a: AnalyticsReads,
): Promise<{ range: { start: string | null; end: string }; weeks: WeeklySummaryRow[] }> {
  const [totals, userWeeks, bodyweights] = await Promise.all([a.history(), a.userWeeks(), a.bodyweights()]);
  const first =
    a.range.startWeek ?? [...totals.map((w) => w.weekStart), ...userWeeks.map((w) => w.weekStart)].sort()[0] ?? null;
  const weeks = first ? weeksBetween(first, a.range.endWeek) : [];
  return { range: { start: first, end: a.range.end }, weeks: weeklySummary(weeks, userWeeks, totals, bodyweights) };
}

/** Estimated strength per exercise, as of each one's last day with sets (the range does not bound it). */
export async function strengthOf(a: AnalyticsReads): Promise<ExerciseStrength[]> {
  return (await a.strength()).map(({ exercise, date, estimateKg, lowKg, highKg, trendPctPerWeek }) => ({
    exercise,
    date,
    estimateKg,
    lowKg,
    highKg,
    trendPctPerWeek,
  }));
}

export type ExerciseStrength = StrengthPoint & { exercise: string };

/** One exercise's estimated strength per week of the range: the smoothed estimate on the week's last day with sets. */
export async function strengthHistoryOf(a: AnalyticsReads, exercise: string): Promise<WeeklyStrength[]> {
  const byWeek = new Map<string, WeeklyStrength>();
  for (const p of await a.strengthHistory(exercise)) {
    const weekStart = isoWeekStart(p.date);
    if (a.range.startWeek && weekStart < a.range.startWeek) continue;
    if (weekStart > a.range.endWeek) continue;
    byWeek.set(weekStart, {
      weekStart,
      estimateKg: round2(p.estimateKg),
      lowKg: round2(p.lowKg),
      highKg: round2(p.highKg),
    });
  }
  return [...byWeek.values()];
}

export interface WeeklyStrength {
  weekStart: string;
  estimateKg: number;
  lowKg: number;
  highKg: number;
}

export async function exerciseHistoryOf(a: AnalyticsReads, exercise: string): Promise<ExerciseHistoryPoint[]> {
  return (await a.exerciseHistory(exercise)).map((w) => ({
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
  /** Estimated strength per exercise, as of its last day with sets (docs/strength.md). */
  strength: ExerciseStrength[];
}

export async function analyticsOf(db: Db, userId: string, range: string, now: Date): Promise<Analytics> {
  const a = await loadAnalytics(db, userId, range, now);
  const [prs, plateaus, summary, strength] = await Promise.all([
    prsOf(a),
    plateausOf(a),
    weeklySummaryOf(a),
    strengthOf(a),
  ]);
  return {
    userId,
    range: { value: range, ...summary.range },
    prs,
    plateaus,
    weeklySummary: summary.weeks,
    strength,
  };
}
