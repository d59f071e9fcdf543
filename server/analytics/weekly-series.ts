/** One exercise in one ISO week, as the aggregates (materialized or live) describe it. */
export interface ExerciseWeek {
  exercise: string;
  weekStart: string;
  sets: number;
  volumeKg: number;
  bestWeight: number | null;
  bestWeightDate: string | null;
  bestE1rm: number | null;
  bestE1rmWeight: number | null;
  bestE1rmReps: number | null;
  bestE1rmDate: string | null;
  bestWeight3: number | null;
  bestWeight5: number | null;
  bestWeight8: number | null;
  bestWeight10: number | null;
}

/** What plateau detection needs of a week before the range: its best e1RM and its volume (for deloads). */
export type StrengthWeek = Pick<ExerciseWeek, 'exercise' | 'weekStart' | 'bestE1rm' | 'volumeKg'>;

/** One user in one ISO week. */
export interface UserWeek {
  weekStart: string;
  sessions: number;
  caloriesSum: number | null;
  caloriesCount: number;
}

/** A bodyweight reading from a profile version. */
export interface Bodyweight {
  effectiveDate: string;
  weightKg: number;
}
