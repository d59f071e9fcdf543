import { round2 } from './e1rm';
import type { ExerciseWeek } from './weekly-series';

/** Rep counts with a rep PR: the heaviest weight lifted for at least that many reps. */
const REP_PR_REPS = [1, 3, 5, 8, 10] as const;

export interface ExercisePr {
  exercise: string;
  /** Heaviest actual weight on a done set with ≥ 1 rep (the seed's `prs` value), first date lifted. */
  heaviest: number;
  heaviestDate: string;
  /** Best Epley e1RM over sets of 1–12 reps, with the set that made it (first date on a tie). */
  e1rm: { value: number; weight: number; reps: number; date: string } | null;
  repPrs: Record<(typeof REP_PR_REPS)[number], number | null>;
}

/** What a PR is made of: one exercise's bests in one week. */
export type PrWeek = Pick<
  ExerciseWeek,
  | 'exercise'
  | 'weekStart'
  | 'bestWeight'
  | 'bestWeightDate'
  | 'bestE1rm'
  | 'bestE1rmWeight'
  | 'bestE1rmReps'
  | 'bestE1rmDate'
  | 'bestWeight3'
  | 'bestWeight5'
  | 'bestWeight8'
  | 'bestWeight10'
>;

const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * PRs over the weeks given (already limited to the range). A tie keeps the earlier date: a PR is the first
 * time a number was reached. Exercises without a done set of ≥ 1 rep have no PR. Only the weeks that hold a best
 * matter (the read passes those alone).
 */
export function personalRecords(weeks: readonly PrWeek[]): ExercisePr[] {
  const byExercise = new Map<string, ExercisePr>();
  const sorted = [...weeks].sort((a, b) => (a.weekStart < b.weekStart ? -1 : a.weekStart > b.weekStart ? 1 : 0));
  for (const w of sorted) {
    if (w.bestWeight === null || w.bestWeightDate === null) continue;
    let pr = byExercise.get(w.exercise);
    if (!pr) {
      pr = {
        exercise: w.exercise,
        heaviest: w.bestWeight,
        heaviestDate: w.bestWeightDate,
        e1rm: null,
        repPrs: { 1: null, 3: null, 5: null, 8: null, 10: null },
      };
      byExercise.set(w.exercise, pr);
    } else if (w.bestWeight > pr.heaviest) {
      pr.heaviest = w.bestWeight;
      pr.heaviestDate = w.bestWeightDate;
    }
    if (w.bestE1rm !== null && (pr.e1rm === null || w.bestE1rm > pr.e1rm.value)) {
      pr.e1rm = { value: w.bestE1rm, weight: w.bestE1rmWeight!, reps: w.bestE1rmReps!, date: w.bestE1rmDate! };
    }
    pr.repPrs[1] = max(pr.repPrs[1], w.bestWeight);
    pr.repPrs[3] = max(pr.repPrs[3], w.bestWeight3);
    pr.repPrs[5] = max(pr.repPrs[5], w.bestWeight5);
    pr.repPrs[8] = max(pr.repPrs[8], w.bestWeight8);
    pr.repPrs[10] = max(pr.repPrs[10], w.bestWeight10);
  }
  return [...byExercise.values()]
    .map((p) => ({ ...p, e1rm: p.e1rm ? { ...p.e1rm, value: round2(p.e1rm.value) } : null }))
    .sort((a, b) => a.exercise.localeCompare(b.exercise));
}
