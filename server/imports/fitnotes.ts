import type { Detected } from './detect';
import {
  cellAt,
  isRealDate,
  liftedValues,
  notASet,
  numberCell,
  type ReadRow,
  setPositions,
  toKg,
  weightUnit,
} from './imported-set';

/**
 * FitNotes (Android): `Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time[,Comment]`, a
 * calendar date only (one workout per day), `kgs`/`lbs` per row. Exercise names are written without quotes even
 * when they hold commas (`Overhead Press (Each Side, Dumbbells)`), so such a row has more fields than the header:
 * the extra ones belong to the name. Identical rows are legitimately repeated sets.
 */
export function fitnotesReader(detected: Detected) {
  const lower = detected.columns.map((c) => c.toLowerCase());
  const at = (name: string) => lower.indexOf(name);
  const exerciseAt = at('exercise');
  const positionOf = setPositions();

  return {
    statesUnit: at('weight unit') >= 0,
    read(fields: string[], line: number): ReadRow {
      const invalid = (message: string): ReadRow => ({ invalid: { line, message } });
      // The columns after the name, counted from the end, are where they belong; the name takes what is left.
      const extra = Math.max(0, fields.length - lower.length);
      const record = [
        ...fields.slice(0, exerciseAt),
        fields.slice(exerciseAt, exerciseAt + extra + 1).join(','),
        ...fields.slice(exerciseAt + extra + 1),
      ];
      const cell = (name: string) => cellAt(record, at(name));
      const date = cell('date');
      const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
      if (!day || !isRealDate(+day[1]!, +day[2]!, +day[3]!)) return invalid(`date "${date}" is not a date`);
      const exercise = cell('exercise');
      if (!exercise) return invalid('the exercise is empty');
      const lifted = liftedValues({ weight: cell('weight'), reps: cell('reps'), rpe: '' });
      if ('invalid' in lifted) return invalid(lifted.invalid);
      const { weight, reps } = lifted;
      if (!weight && !reps) return notASet(line, Boolean(numberCell(cell('distance'))) || cell('time') !== '');
      const unitText = cell('weight unit').toLowerCase();
      const unit = weightUnit(unitText);
      if (weight !== null && !unit) return invalid(`weight unit "${unitText}" is neither kgs nor lbs`);
      return {
        set: {
          line,
          workoutStart: date,
          workoutName: cell('category') || null,
          exercise,
          setOrder: positionOf(date, exercise),
          setType: 'normal',
          weightKg: weight === null ? null : toKg(weight, unit ?? 'kg'),
          reps,
          recWeightKg: null,
          recReps: null,
          rpe: null,
          notes: cell('comment') || null,
        },
      };
    },
  };
}
