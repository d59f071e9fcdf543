import { columnKey, type Detected } from './detect';
import {
  cellAt,
  isRealDate,
  liftedValues,
  notASet,
  numberCell,
  type ReadRow,
  type SetType,
  setPositions,
  toKg,
  weightUnit,
} from './imported-set';

/**
 * Strong's exports, every layout matched by column name: comma or semicolon; the unit nowhere (the lifter says
 * which), in the weight column's name (`Weight (kg)`, `kg`, `lb`) or per row (`Weight Unit`); set orders as
 * numbers (from 0 or 1, per exercise or across the workout) or letters for warm-up, drop and failure sets;
 * `Rest Timer` rows that are not sets.
 */
type Unit = 'kg' | 'lb';

// English, and as Strong's German and French editions name the columns.
const COLUMN = {
  date: ['date', 'datum'],
  workout: ['workout name', 'workout-name', "nom de l'entraînement"],
  exercise: ['exercise name', 'name der übung', "nom de l'exercice"],
  setOrder: ['set order', 'reihenfolge festlegen', 'ordre de la série'],
  weight: ['weight', 'weight (kg)', 'weight (lbs)', 'kg', 'lb', 'lbs', 'gewicht', 'poids'],
  unit: ['weight unit'],
  reps: ['reps', 'wiederh.', 'réps'],
  rpe: ['rpe'],
  notes: ['notes', 'notizen'],
  distance: ['distance', 'distance (meters)', 'km', 'mi', 'mi.', 'entfernung'],
  seconds: ['seconds', 'sekunden', 'secondes'],
} as const satisfies Record<string, readonly string[]>;

/** Set-order values that mark a row that is not a set: rest timers and exercise notes, in each language. */
const NOT_SETS: Record<string, string> = {
  'rest timer': 'rest timer',
  ruhezeit: 'rest timer',
  'minuteur de repos': 'rest timer',
  note: 'exercise note',
  notiz: 'exercise note',
};
type Column = keyof typeof COLUMN;

const SET_TYPES: Record<string, SetType> = {
  w: 'warmup',
  warm_up: 'warmup',
  d: 'drop',
  drop: 'drop',
  f: 'failure',
  failure: 'failure',
};

export interface StrongReader {
  /** Whether the file states its unit; when not, the import must be told (`?unit=`). */
  statesUnit: boolean;
  read(record: string[], line: number): ReadRow;
}

function headerUnit(name: string): Unit | undefined {
  if (name === 'weight (kg)' || name === 'kg') return 'kg';
  if (name === 'weight (lbs)' || name === 'lb' || name === 'lbs') return 'lb';
  return undefined;
}

/** `2022-07-28 20:14:20` (or without seconds) → `2022-07-28T20:14:20`, if it is a real date-time. */
export function localDateTime(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s = '00'] = m.slice(1).map((x) => x ?? '00') as string[];
  const real = isRealDate(+y!, +mo!, +d!) && +h! < 24 && +mi! < 60 && +s < 60;
  return real ? `${y}-${mo}-${d}T${h}:${mi}:${s}` : undefined;
}

export function strongReader(detected: Detected, givenUnit?: Unit): StrongReader {
  const lower = detected.columns.map(columnKey);
  const index = Object.fromEntries(
    Object.entries(COLUMN).map(([key, names]) => [
      key,
      lower.findIndex((c) => (names as readonly string[]).includes(c)),
    ]),
  ) as Record<Column, number>;
  const fromHeader = index.weight >= 0 ? headerUnit(lower[index.weight]!) : undefined;
  const statesUnit = Boolean(fromHeader) || index.unit >= 0;
  const decimalComma = detected.delimiter === ';';
  const positionOf = setPositions();
  const cell = (record: string[], key: Column) => cellAt(record, index[key]);

  return {
    statesUnit,
    read(record, line) {
      const invalid = (message: string): ReadRow => ({ invalid: { line, message } });
      const order = cell(record, 'setOrder');
      const pseudo = NOT_SETS[order.toLowerCase()];
      if (pseudo) return { skipped: { line, reason: pseudo } };
      const start = localDateTime(cell(record, 'date'));
      if (!start) return invalid(`date "${cell(record, 'date')}" is not a date and time`);
      const exercise = cell(record, 'exercise');
      if (!exercise) return invalid('the exercise name is empty');
      const setType: SetType | undefined = /^\d+$/.test(order) ? 'normal' : SET_TYPES[order.toLowerCase()];
      if (!setType) return invalid(`set order "${order}" is neither a number nor W, D or F`);

      const lifted = liftedValues(
        { weight: cell(record, 'weight'), reps: cell(record, 'reps'), rpe: cell(record, 'rpe') },
        decimalComma,
      );
      if ('invalid' in lifted) return invalid(lifted.invalid);
      const { weight, reps, rpe } = lifted;
      if (!weight && !reps) {
        const timed = [cell(record, 'distance'), cell(record, 'seconds')].some((t) => numberCell(t, decimalComma));
        return notASet(line, timed);
      }
      const rowUnit = cell(record, 'unit').toLowerCase();
      const unit: Unit | undefined = fromHeader ?? weightUnit(rowUnit) ?? givenUnit;
      if (!unit && weight !== null) {
        return invalid(
          rowUnit
            ? `weight unit "${rowUnit}" is neither kg nor lbs`
            : 'the weight unit is empty (send ?unit=kg or ?unit=lb for such rows)',
        );
      }

      const notes = cell(record, 'notes');
      return {
        set: {
          line,
          workoutStart: start,
          workoutName: cell(record, 'workout') || null,
          exercise,
          setOrder: positionOf(start, exercise),
          setType,
          weightKg: weight === null ? null : toKg(weight, unit!),
          reps,
          recWeightKg: null,
          recReps: null,
          rpe,
          notes: notes || null,
        },
      };
    },
  };
}
