import type { Detected } from './detect';
import {
  cellAt,
  isRealDate,
  liftedValues,
  numberCell,
  type ReadRow,
  setPositions,
  toKg,
  weightUnit,
} from './imported-set';

/**
 * Liftosaur's history CSV (`History_exportAsCSV` in astashov/liftosaur): one row per planned set, the plan
 * (`Required …`) beside what was done (`Completed …`), the workout's start as an instant, warm-ups flagged
 * `1`, a unit per row for each weight. The plan becomes the set's recommendation (`rec_weight`/`rec_reps`), so
 * this history feeds success rates; a planned set with no completed reps was never done and is not a set.
 */
// A workout's start, as `Date#toISOString()` writes it (`2026-06-29T04:56:39.712Z`) or as other rows of the same
// exports hold it (`2026-03-07 09:01:00 +00:00`: spaces before the time and the offset), with any offset.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)? ?(Z|[+-]\d{2}:?\d{2})$/;

/** The instant a Liftosaur start names, in any of its forms and any offset; undefined if it names none. */
export function liftosaurInstant(text: string): Date | undefined {
  const m = INSTANT.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', fraction = '', zone] = m as unknown as string[];
  const offset = zone === 'Z' ? 'Z' : `${zone!.slice(0, 3)}:${zone!.slice(-2)}`;
  const real =
    isRealDate(+y!, +mo!, +d!) && +h! < 24 && +mi! < 60 && +s < 60 && /^(Z|[+-](0\d|1[0-4]):[0-5]\d)$/.test(offset);
  return real ? new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}${offset}`) : undefined;
}

export function liftosaurReader(detected: Detected) {
  const lower = detected.columns.map((c) => c.toLowerCase());
  const at = (name: string) => lower.indexOf(name);
  const idx = {
    start: at('workout datetime'),
    day: at('day name'),
    program: at('program'),
    exercise: at('exercise'),
    warmup: at('is warmup set?'),
    recReps: at('required reps'),
    reps: at('completed reps'),
    rpe: at('completed rpe'),
    recWeight: at('required weight value'),
    recUnit: at('required weight unit'),
    weight: at('completed weight value'),
    unit: at('completed weight unit'),
    notes: at('notes'),
  };
  const positionOf = setPositions();

  return {
    statesUnit: true,
    read(record: string[], line: number): ReadRow {
      const invalid = (message: string): ReadRow => ({ invalid: { line, message } });
      const startText = cellAt(record, idx.start);
      const instant = liftosaurInstant(startText);
      if (!instant) return invalid(`Workout DateTime "${startText}" is not a date and time`);
      const start = instant.toISOString();
      const exercise = cellAt(record, idx.exercise);
      if (!exercise) return invalid('the exercise is empty');
      if (cellAt(record, idx.reps) === '') return { skipped: { line, reason: 'planned, not done' } };

      const lifted = liftedValues({
        weight: cellAt(record, idx.weight),
        reps: cellAt(record, idx.reps),
        rpe: cellAt(record, idx.rpe),
      });
      if ('invalid' in lifted) return invalid(lifted.invalid);
      const planned = liftedValues({
        weight: cellAt(record, idx.recWeight),
        reps: cellAt(record, idx.recReps),
        rpe: '',
      });
      if ('invalid' in planned) return invalid(`required ${planned.invalid}`);
      const unit = weightUnit(cellAt(record, idx.unit));
      if (lifted.weight !== null && !unit)
        return invalid(`weight unit "${cellAt(record, idx.unit)}" is neither kg nor lb`);
      const recUnit = weightUnit(cellAt(record, idx.recUnit)) ?? unit;
      if (planned.weight !== null && !recUnit) {
        return invalid(`required weight unit "${cellAt(record, idx.recUnit)}" is neither kg nor lb`);
      }
      const warmup = numberCell(cellAt(record, idx.warmup)) === 1;
      const day = cellAt(record, idx.day);
      return {
        set: {
          line,
          workoutStart: start,
          workoutName: day || cellAt(record, idx.program) || null,
          exercise,
          setOrder: positionOf(start, exercise),
          setType: warmup ? 'warmup' : 'normal',
          weightKg: lifted.weight === null ? null : toKg(lifted.weight, unit!),
          reps: lifted.reps,
          recWeightKg: planned.weight === null ? null : toKg(planned.weight, recUnit!),
          recReps: planned.reps,
          rpe: lifted.rpe,
          notes: cellAt(record, idx.notes) || null,
        },
      };
    },
  };
}
