import type { Detected } from './detect';
import { type ReadRow, toKg } from './imported-set';

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
  const positions = new Map<string, number>();

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
      const cell = (name: string) => (at(name) >= 0 ? (record[at(name)] ?? '').trim() : '');
      const date = cell('date');
      const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
      const real = day && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);
      if (!real) return invalid(`date "${date}" is not a date`);
      const exercise = cell('exercise');
      if (!exercise) return invalid('the exercise is empty');
      const number = (text: string) => (text === '' ? null : Number.isFinite(Number(text)) ? Number(text) : undefined);
      const weight = number(cell('weight'));
      if (weight === undefined) return invalid(`weight "${cell('weight')}" is not a number`);
      const reps = number(cell('reps'));
      if (reps === undefined || (reps !== null && !Number.isInteger(reps))) {
        return invalid(`reps "${cell('reps')}" is not a whole number`);
      }
      if (!weight && !reps) {
        const timed = Boolean(number(cell('distance'))) || cell('time') !== '';
        return { skipped: { line, reason: timed ? 'cardio or timed (no weight or reps)' : 'no weight or reps' } };
      }
      const unitText = cell('weight unit').toLowerCase();
      const unit = unitText.startsWith('kg') ? 'kg' : unitText.startsWith('lb') ? 'lb' : undefined;
      if (weight !== null && !unit) return invalid(`weight unit "${unitText}" is neither kgs nor lbs`);
      const key = `${date}\u0000${exercise}`;
      const setOrder = (positions.get(key) ?? 0) + 1;
      positions.set(key, setOrder);
      return {
        set: {
          line,
          workoutStart: date,
          workoutName: cell('category') || null,
          exercise,
          setOrder,
          setType: 'normal',
          weightKg: weight === null ? null : toKg(weight, unit ?? 'kg'),
          reps,
          rpe: null,
          notes: cell('comment') || null,
        },
      };
    },
  };
}
