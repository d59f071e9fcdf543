/**
 * What every importer turns a row of another app's export into (issue 22): one set of one workout, in kilograms,
 * with its line in the file for reports. Workout starts are local date-times as the file wrote them
 * (`YYYY-MM-DDTHH:MM:SS`, no zone; the import places them in the lifter's zone), an instant when the app writes one
 * (`…Z`), or a bare date (`YYYY-MM-DD`) when the app records only the day.
 */
import type { SetType } from '@/db/schema/enums';

export type { SetType };

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
  /** What was planned, when the app records it (Liftosaur): the set's recommendation. */
  recWeightKg: number | null;
  recReps: number | null;
  rpe: number | null;
  notes: string | null;
}

/** A row that is not a set (a rest timer, cardio only, planned but not done): skipped with a counted reason. */
interface SkippedRow {
  line: number;
  reason: string;
}

/** A row that cannot be read (a weight that is text, an impossible date): the import refuses it. */
interface InvalidRow {
  line: number;
  message: string;
}

/** A set, with a warning when something of it was changed to fit (a note cut to the API's length). */
export type ReadRow = { set: ImportedSet; warning?: string } | { skipped: SkippedRow } | { invalid: InvalidRow };

const LB_IN_KG = 0.45359237;

/** Kilograms, rounded to 0.01 (pound conversions and float noise such as 61.23492 become 61.23). */
export function toKg(value: number, unit: 'kg' | 'lb'): number {
  const kg = unit === 'lb' ? value * LB_IN_KG : value;
  return Math.round(kg * 100) / 100;
}

/** The trimmed cell at a column's index; '' when the file has no such column or the row stops short. */
export const cellAt = (record: readonly string[], index: number): string =>
  index >= 0 ? (record[index] ?? '').trim() : '';

/** A weight unit as the apps write it (`kg`, `kgs`, `lb`, `lbs`, any case); undefined for anything else. */
export function weightUnit(text: string): 'kg' | 'lb' | undefined {
  const t = text.trim().toLowerCase();
  return t === 'kg' || t === 'kgs' ? 'kg' : t === 'lb' || t === 'lbs' ? 'lb' : undefined;
}

/** Whether year, month (1–12) and day name a day of the calendar (no 30 February). */
export function isRealDate(y: number, month: number, d: number): boolean {
  const t = new Date(Date.UTC(y, month - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === month - 1 && t.getUTCDate() === d;
}

/** A number cell: null when empty, undefined when it is not a number (decimal commas where the file uses them). */
export function numberCell(text: string, decimalComma = false): number | null | undefined {
  if (text === '') return null;
  const n = Number(decimalComma ? text.replace(',', '.') : text);
  return Number.isFinite(n) ? n : undefined;
}

/** The lifted values of a row, checked alike for every app: a number of kilograms or pounds, whole reps, an RPE. */
export function liftedValues(
  cells: { weight: string; reps: string; rpe: string },
  decimalComma = false,
): { weight: number | null; reps: number | null; rpe: number | null } | { invalid: string } {
  const weight = numberCell(cells.weight, decimalComma);
  if (weight === undefined) return { invalid: `weight "${cells.weight}" is not a number` };
  const reps = numberCell(cells.reps, decimalComma);
  if (reps === undefined || (reps !== null && !Number.isInteger(reps))) {
    return { invalid: `reps "${cells.reps}" is not a whole number` };
  }
  const rpe = numberCell(cells.rpe, decimalComma);
  if (rpe === undefined) return { invalid: `RPE "${cells.rpe}" is not a number` };
  return { weight, reps, rpe };
}

/** A row with neither weight nor reps is not a set; it was cardio or timed when it has a distance or a time. */
export const notASet = (line: number, timed: boolean): ReadRow => ({
  skipped: { line, reason: timed ? 'cardio or timed (no weight or reps)' : 'no weight or reps' },
});

/**
 * Numbers each set within its exercise in its workout, in file order (apps number from 0 or 1, per exercise or
 * across the workout, or not at all): part of the set's identity, so repeated identical rows stay apart.
 */
export function setPositions(): (workoutStart: string, exercise: string) => number {
  const seen = new Map<string, number>();
  return (workoutStart, exercise) => {
    const key = `${workoutStart}\u0000${exercise}`;
    const position = (seen.get(key) ?? 0) + 1;
    seen.set(key, position);
    return position;
  };
}

/**
 * A set past the API's rep bound (server/contracts/common.ts): real exports hold such rows (skipping rope logged as
 * 1000 reps); they are endurance work, not strength sets, and are skipped with a reason rather than refused.
 */
export function beyondStrength(s: ImportedSet): string | undefined {
  return (s.reps ?? 0) > MAX_REPS || (s.recReps ?? 0) > MAX_REPS
    ? `more than ${MAX_REPS} reps (endurance work)`
    : undefined;
}

/** Where a set read from a file leaves the bounds the API holds every set to (server/contracts/common.ts). */
export function outOfBounds(s: ImportedSet, now: Date): string | undefined {
  const kg = (w: number | null) => w !== null && (w < 0 || w > MAX_WEIGHT_KG);
  const count = (r: number | null) => r !== null && r < 0;
  if (kg(s.weightKg) || kg(s.recWeightKg))
    return `weight ${s.weightKg ?? s.recWeightKg} kg is outside 0–${MAX_WEIGHT_KG} kg`;
  if (count(s.reps) || count(s.recReps)) return `reps ${s.reps ?? s.recReps} is negative`;
  if (s.rpe !== null && (s.rpe < 0 || s.rpe > 10)) return `RPE ${s.rpe} is outside 0–10`;
  if (s.exercise.length > MAX_NAME) return `the exercise name is longer than ${MAX_NAME} characters`;
  const day = Date.parse(`${s.workoutStart.slice(0, 10)}T00:00:00Z`);
  if (!(day >= EARLIEST_DAY && day <= now.getTime() + 2 * 86_400_000)) {
    return `the workout date ${s.workoutStart.slice(0, 10)} is before 2000 or in the future`;
  }
  return undefined;
}
const MAX_WEIGHT_KG = 1000;
const MAX_REPS = 100;
const MAX_NAME = 120;
const EARLIEST_DAY = Date.parse('2000-01-01T00:00:00Z');
