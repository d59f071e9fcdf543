import { ALL_EXERCISES, type PlannedDeloadWeeks } from '@/server/deloads/plans';
import { addDays } from '@/server/time/calendar';
import { round2 } from './e1rm';
import type { StrengthPoint } from './weekly-series';

/**
 * A plateau: an exercise trained in at least 3 of the last 4 weeks of the range whose best weekly e1RM has
 * not beaten its earlier best by at least 1% for 3 or more consecutive trained weeks, up to the end of the
 * range. The earlier best may come from before the range (history counts; a short range does not hide a
 * long plateau).
 *
 * Deload weeks neither end nor start a plateau: they are skipped. A deload week is one of the lifter's weeks
 * whose total volume (all exercises) is below 60% of the mean of the previous (up to) 4 non-deload trained
 * weeks, with at least 2 to compare. Total rather than per-exercise volume, because a lift trained twice one
 * week and once the next would otherwise look like a deload every other week.
 */
const PLATEAU_MIN_WEEKS = 3;
const PLATEAU_IMPROVEMENT = 0.01;
const DELOAD_RATIO = 0.6;
const RECENT_WEEKS = 4;
const MIN_RECENT_TRAINED = 3;

export interface Plateau {
  exercise: string;
  /** Monday of the first week that did not beat the earlier best. */
  since: string;
  /** Consecutive non-deload trained weeks without a 1% improvement. */
  weeks: number;
  bestE1rm: number;
  lastE1rm: number;
}

export interface WeekPoint {
  weekStart: string;
  bestE1rm: number | null;
}

export function isDeload(volume: number, previousVolumes: readonly number[]): boolean {
  const recent = previousVolumes.slice(-4);
  if (recent.length < 2) return false;
  const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
  return mean > 0 && volume < DELOAD_RATIO * mean;
}

/** The lifter's deload weeks, from total volume per trained week (any order). */
export function deloadWeeks(weeklyVolumes: readonly { weekStart: string; volumeKg: number }[]): Set<string> {
  const sorted = [...weeklyVolumes].filter((w) => w.volumeKg > 0).sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1));
  const out = new Set<string>();
  const volumes: number[] = [];
  for (const w of sorted) {
    if (isDeload(w.volumeKg, volumes)) out.add(w.weekStart);
    else volumes.push(w.volumeKg);
  }
  return out;
}

/** The plateau of one exercise's weekly series (any order), as of `endWeek`; null when there is none. */
export function detectPlateau(
  exercise: string,
  series: readonly WeekPoint[],
  endWeek: string,
  deloads: ReadonlySet<string> = new Set(),
): Plateau | null {
  const weeks = series.filter((w) => w.weekStart <= endWeek).sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1));
  const recentFrom = addDays(endWeek, -7 * (RECENT_WEEKS - 1));
  const recentTrained = weeks.filter((w) => w.weekStart >= recentFrom).length;
  if (recentTrained < MIN_RECENT_TRAINED) return null;

  let best: number | null = null;
  let since: string | null = null;
  let streak = 0;
  let last: number | null = null;
  for (const w of weeks) {
    if (deloads.has(w.weekStart)) continue;
    if (w.bestE1rm === null) continue; // only sets over 12 reps: says nothing about strength
    last = w.bestE1rm;
    if (best === null || w.bestE1rm >= best * (1 + PLATEAU_IMPROVEMENT)) {
      streak = 0;
      since = null;
    } else {
      streak += 1;
      since ??= w.weekStart;
    }
    best = best === null ? w.bestE1rm : Math.max(best, w.bestE1rm);
  }
  if (streak < PLATEAU_MIN_WEEKS || best === null || last === null || since === null) return null;
  return { exercise, since, weeks: streak, bestE1rm: round2(best), lastE1rm: round2(last) };
}

/**
 * Every exercise's plateau as of `endWeek`, from the exercises' weekly series and the lifter's weekly volumes
 * (any order; rows of one week are summed, so per-exercise rows do as well as totals). Weeks planned as deloads
 * (`server/deloads/`) are skipped like the deloads the volume shows.
 */
export function detectPlateaus(
  series: readonly StrengthPoint[],
  volumes: readonly { weekStart: string; volumeKg: number }[],
  endWeek: string,
  planned: PlannedDeloadWeeks = new Map(),
): Plateau[] {
  const byExercise = new Map<string, WeekPoint[]>();
  for (const w of series) {
    const list = byExercise.get(w.exercise) ?? [];
    list.push({ weekStart: w.weekStart, bestE1rm: w.bestE1rm });
    byExercise.set(w.exercise, list);
  }
  const totals = new Map<string, number>();
  for (const v of volumes) totals.set(v.weekStart, (totals.get(v.weekStart) ?? 0) + v.volumeKg);
  const deloads = deloadWeeks([...totals.entries()].map(([weekStart, volumeKg]) => ({ weekStart, volumeKg })));
  const skipped = (exercise: string) =>
    new Set([...deloads, ...(planned.get(exercise) ?? []), ...(planned.get(ALL_EXERCISES) ?? [])]);
  return [...byExercise.entries()]
    .map(([exercise, series]) => detectPlateau(exercise, series, endWeek, skipped(exercise)))
    .filter((p): p is Plateau => p !== null)
    .sort((a, b) => b.weeks - a.weeks || a.exercise.localeCompare(b.exercise));
}
