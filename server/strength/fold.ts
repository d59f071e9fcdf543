import { type Belief, filterDays, pointOf, type StrengthPoint } from './estimate';
import { dayEvidence, type StrengthSet } from './observations';

/** A working set as the estimate's SQL reads it. */
export type SetRow = {
  userId: string;
  exercise: string;
  date: string;
  weight: number | null;
  reps: number | null;
  rpe: number | null;
  failed: boolean;
};

/** The filter's belief after one day, as stored (`strength_estimates`). */
export interface EstimateRow extends StrengthPoint {
  userId: string;
  exercise: string;
  belief: Belief;
}

/** One day's estimated strength of an exercise: the filter's log 1RM (`strength_estimates.level`). */
export interface StrengthReading {
  exercise: string;
  date: string;
  level: number;
}

/** Readings (or set rows) by exercise, then date: the order the fold and the metric read them in. */
export const byExerciseThenDate = (a: { exercise: string; date: string }, b: { exercise: string; date: string }) =>
  a.exercise < b.exercise ? -1 : a.exercise > b.exercise ? 1 : a.date.localeCompare(b.date);

/** The fold's beliefs as readings, by exercise then date (the order the fold gives them per lifter). */
export const readingsOf = (rows: readonly EstimateRow[]): StrengthReading[] =>
  rows.map((r) => ({ exercise: r.exercise, date: r.date, level: r.belief.mean[0] }));

const key = (userId: string, exercise: string) => `${userId}\u0000${exercise}`;

/**
 * Every (lifter, exercise, day with sets) belief from these sets (ordered by lifter, exercise, date), each
 * series continuing from its last stored belief (`prior`) when there is one. Pure: the job and the live read
 * run the same fold, so an answer does not depend on whether the job has run.
 */
export function foldStrength(sets: readonly SetRow[], prior: readonly EstimateRow[]): EstimateRow[] {
  const start = new Map(prior.map((p) => [key(p.userId, p.exercise), { date: p.date, belief: p.belief }]));
  const out: EstimateRow[] = [];
  for (const [k, rows] of groupBy(sets, (s) => key(s.userId, s.exercise))) {
    const { userId, exercise } = rows[0]!;
    const days = [...groupBy(rows, (r) => r.date)].map(([date, day]) => ({
      date,
      evidence: dayEvidence(day.map(toSet)),
    }));
    for (const step of filterDays(days, start.get(k))) {
      out.push({ userId, exercise, belief: step.filtered, ...pointOf(step.date, step.filtered) });
    }
  }
  return out;
}

/** A set row as the estimate reads it. */
export function toSet(r: SetRow): StrengthSet {
  return { weight: r.weight ?? 0, reps: r.reps ?? 0, rpe: r.rpe, failed: r.failed };
}

/** Consecutive runs of equal keys (the rows come ordered). */
function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}
