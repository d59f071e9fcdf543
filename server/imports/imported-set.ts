/**
 * What every importer turns a row of another app's export into (issue 22): one set of one workout, in kilograms,
 * with its line in the file for reports. Workout starts are local date-times as the file wrote them
 * (`YYYY-MM-DDTHH:MM:SS`, no zone; the import places them in the lifter's zone), or a bare date (`YYYY-MM-DD`) when
 * the app records only the day.
 */
export type SetType = 'normal' | 'warmup' | 'drop' | 'failure';

export interface ImportedSet {
  line: number;
  workoutStart: string;
  workoutName: string | null;
  exercise: string;
  /** Position of the set within its exercise in the workout, as the file numbers it (or counted when it does not). */
  setOrder: number;
  setType: SetType;
  weightKg: number | null;
  reps: number | null;
  rpe: number | null;
  notes: string | null;
}

/** A row that is not a set (a rest timer, cardio only, planned but not done): skipped with a counted reason. */
export interface SkippedRow {
  line: number;
  reason: string;
}

/** A row that cannot be read (a weight that is text, an impossible date): the import refuses it. */
export interface InvalidRow {
  line: number;
  message: string;
}

export type ReadRow = { set: ImportedSet } | { skipped: SkippedRow } | { invalid: InvalidRow };

export const LB_IN_KG = 0.45359237;

/** Kilograms, rounded to 0.01 (pound conversions and float noise such as 61.23492 become 61.23). */
export function toKg(value: number, unit: 'kg' | 'lb'): number {
  const kg = unit === 'lb' ? value * LB_IN_KG : value;
  return Math.round(kg * 100) / 100;
}
