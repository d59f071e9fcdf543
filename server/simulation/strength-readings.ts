import { sessionDates } from '@/server/ingest/sessions';
import type { LifterHistory } from '@/server/learning/history';
import {
  byExerciseThenDate,
  type EstimateRow,
  foldStrength,
  readingsOf,
  type SetRow,
  type StrengthReading,
} from '@/server/strength/fold';

/** A simulated session as both simulators keep it: the wire's date and done sets. */
interface SimulatedSession {
  date: string;
  sets: readonly {
    exercise: string;
    actual_weight: number | null;
    actual_reps: number | null;
    intensity: number | null;
    rec_reps: number | null;
    done?: boolean;
  }[];
}

/**
 * A simulated lifter's estimated strength per exercise and day, as the analytics job would materialize it from the
 * same sessions written (`strength/materialize.ts`: working sets, fewer reps than prescribed a failure, the fold):
 * what an experiment's in-memory analysis reads where the report reads `strength_estimates`.
 */
function strengthReadings(userId: string, sessions: readonly SimulatedSession[]): StrengthReading[] {
  return readingsOf(foldStrength(setRowsOf(userId, sessions), []));
}

/** The done sets of these sessions as the fold reads them, by exercise then date. */
function setRowsOf(userId: string, sessions: readonly SimulatedSession[], timeZone: string | null = null): SetRow[] {
  const rows: SetRow[] = [];
  for (const session of sessions) {
    const { date } = sessionDates(session.date, timeZone);
    for (const s of session.sets) {
      if (s.done === false) continue;
      rows.push({
        userId,
        exercise: s.exercise,
        date,
        weight: s.actual_weight,
        reps: s.actual_reps,
        rpe: s.intensity,
        failed: s.actual_reps !== null && s.rec_reps !== null && s.actual_reps < s.rec_reps,
      });
    }
  }
  // The fold wants (exercise, date) order; sessions come by date and a stable sort keeps their set order.
  return rows.sort(byExerciseThenDate);
}

/**
 * A lifter's strength, folded week by week as the analytics job would have it at each week's end: each call folds
 * that week's sessions, every exercise continuing from its last belief (the filter needs nothing else), and answers
 * the new readings. What the simulators' decision contexts read.
 */
export function weeklyStrengthFold(userId: string): (sessions: readonly SimulatedSession[]) => StrengthReading[] {
  const last = new Map<string, EstimateRow>();
  return (sessions) => {
    const estimates = foldStrength(setRowsOf(userId, sessions), [...last.values()]);
    for (const e of estimates) last.set(e.exercise, e);
    return readingsOf(estimates);
  };
}

/** The history with its estimated strength attached (the feature pipeline's histories do not load it). */
export function withStrength(history: LifterHistory, sessions: readonly SimulatedSession[]): LifterHistory {
  return { ...history, strength: strengthReadings(history.userId, sessions) };
}
