import jStat from 'jstat';
import { epley } from '@/server/analytics/e1rm';
import { addDays } from '@/server/time/calendar';
import { filterDays } from './estimate';
import { type SetRow, toSet } from './fold';
import { dayEvidence } from './observations';

/**
 * How well the estimate forecasts a real lifter's next session: replays one lifter's history in date order and,
 * before each day with sets of an exercise, forecasts that day's best Epley e1RM — the estimate predicted to that
 * day, times the lifter's usual ratio of best e1RM to estimated 1RM on that exercise (from the days before only;
 * most sets are not taken to failure). Scored beside two naive forecasts — the previous session's best e1RM, the
 * best of the last 4 weeks — on the same days: those with a forecast from every method.
 */
export interface BacktestResult {
  user: string;
  exercises: number;
  sessions_scored: number;
  estimator: { mae_pct: number; coverage_80: number };
  baselines: { previous_session: { mae_pct: number }; best_4w: { mae_pct: number } };
}

/** Days of an exercise's own history before its forecasts count (the ratio needs a few to learn from). */
const WARM_UP_DAYS = 4;
/** The ratio is learned from the most recent days' offsets. */
const OFFSET_WINDOW = 12;
const Z80 = jStat.normal.inv(0.9, 0, 1);

interface Day {
  date: string;
  best: number | null;
  sets: SetRow[];
}

export function backtest(user: string, sets: readonly SetRow[]): BacktestResult {
  const errors = { estimator: [] as number[], previous: [] as number[], best4w: [] as number[] };
  let covered = 0;
  const exercises = new Set<string>();
  for (const days of exerciseDays(sets)) {
    exercises.add(days[0]!.sets[0]!.exercise);
    const steps = filterDays(days.map((d) => ({ date: d.date, evidence: dayEvidence(d.sets.map(toSet)) })));
    const stepOn = new Map(steps.map((s) => [s.date, s]));
    const offsets: number[] = [];
    for (let k = 0; k < days.length; k++) {
      const day = days[k]!;
      const step = stepOn.get(day.date);
      if (day.best === null || !step) continue;
      const level = step.predicted.mean[0];
      const forecastNow =
        k >= WARM_UP_DAYS && offsets.length >= 3 ? forecast(level, step.predicted.cov[0][0], offsets) : null;
      const previous = lastBest(days, k);
      const best4w = bestSince(days, k, addDays(day.date, -28));
      if (forecastNow && previous !== null && best4w !== null) {
        errors.estimator.push(Math.abs(forecastNow.value / day.best - 1));
        errors.previous.push(Math.abs(previous / day.best - 1));
        errors.best4w.push(Math.abs(best4w / day.best - 1));
        if (forecastNow.low <= day.best && day.best <= forecastNow.high) covered++;
      }
      // After a confirmed level shift the old offsets describe another level: learn again.
      if (step.restarted) offsets.length = 0;
      else offsets.push(Math.log(day.best) - level);
      if (offsets.length > OFFSET_WINDOW) offsets.shift();
    }
  }
  const pct = (xs: number[]) => (xs.length ? round2((100 * xs.reduce((a, b) => a + b, 0)) / xs.length) : 0);
  const n = errors.estimator.length;
  return {
    user,
    exercises: exercises.size,
    sessions_scored: n,
    estimator: { mae_pct: pct(errors.estimator), coverage_80: n ? round2(covered / n) : 0 },
    baselines: { previous_session: { mae_pct: pct(errors.previous) }, best_4w: { mae_pct: pct(errors.best4w) } },
  };
}

/** The day's best e1RM: the predicted log level plus the usual offset, with an 80 % interval. */
function forecast(level: number, levelVar: number, offsets: readonly number[]) {
  const mean = offsets.reduce((a, b) => a + b, 0) / offsets.length;
  const spread = offsets.reduce((a, b) => a + (b - mean) ** 2, 0) / (offsets.length - 1);
  // The offset's own spread already holds most of the level's noise day to day; the level's variance adds the
  // part a gap adds.
  const sd = Math.sqrt(spread * (1 + 1 / offsets.length) + levelVar);
  const centre = level + mean;
  return { value: Math.exp(centre), low: Math.exp(centre - Z80 * sd), high: Math.exp(centre + Z80 * sd) };
}

function lastBest(days: readonly Day[], k: number): number | null {
  for (let j = k - 1; j >= 0; j--) if (days[j]!.best !== null) return days[j]!.best;
  return null;
}

function bestSince(days: readonly Day[], k: number, from: string): number | null {
  let best: number | null = null;
  for (let j = k - 1; j >= 0 && days[j]!.date >= from; j--) {
    const b = days[j]!.best;
    if (b !== null && (best === null || b > best)) best = b;
  }
  return best;
}

/** Per exercise, its days in order with the day's best Epley e1RM (sets of 1–12 reps). */
function exerciseDays(sets: readonly SetRow[]): Day[][] {
  const byExercise = new Map<string, Map<string, SetRow[]>>();
  for (const s of sets) {
    const days = byExercise.get(s.exercise) ?? byExercise.set(s.exercise, new Map()).get(s.exercise)!;
    days.set(s.date, [...(days.get(s.date) ?? []), s]);
  }
  return [...byExercise.values()].map((days) =>
    [...days.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([date, rows]) => ({ date, sets: rows, best: bestE1rm(rows) })),
  );
}

function bestE1rm(rows: readonly SetRow[]): number | null {
  let best: number | null = null;
  for (const r of rows) {
    const v = r.weight !== null && r.reps !== null ? epley(r.weight, r.reps) : null;
    if (v !== null && (best === null || v > best)) best = v;
  }
  return best;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
