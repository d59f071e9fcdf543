import type { Detected } from './detect';
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
} from './imported-set';

/**
 * Hevy's export: one row per set, newest workout first; `start_time` as Hevy prints it in the phone's language
 * (`8 Apr 2026, 16:50`, `Apr 12, 2026, 12:29 PM`, `5 Mai 2026, 07:10`); `set_type` normal, warmup, dropset or
 * failure; the unit in the weight column's name (`weight_kg` or `weight_lbs`); notes with real newlines inside
 * quotes.
 */
const MONTHS: Record<string, number> = {};
for (const [i, names] of [
  ['jan', 'janv', 'ene', 'jän', 'gen'],
  ['feb', 'févr', 'fev', 'fév', 'febr'],
  ['mar', 'mär', 'mars', 'marz', 'märz'],
  ['apr', 'avr', 'abr', 'aprile'],
  ['may', 'mai', 'mayo', 'maio', 'mag'],
  ['jun', 'juin', 'juni', 'giu'],
  ['jul', 'juil', 'juli', 'lug'],
  ['aug', 'août', 'ago', 'agosto'],
  ['sep', 'sept', 'set', 'sett'],
  ['oct', 'okt', 'out', 'ott'],
  ['nov'],
  ['dec', 'déc', 'dez', 'dic'],
].entries()) {
  for (const n of names) MONTHS[n] = i + 1;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Hevy's printed start time → `YYYY-MM-DDTHH:MM:00`, if it is a real one. */
export function hevyDateTime(text: string): string | undefined {
  const t = text.trim().replace(/\s+/g, ' ');
  const monthOf = (name: string) => MONTHS[name.toLowerCase().replace(/\.$/, '')];
  let y: number;
  let mo: number | undefined;
  let d: number;
  let h: number;
  let mi: number;
  let m = /^(\d{1,2})\.? (\p{L}+)\.? (\d{4}),? (\d{1,2}):(\d{2})$/u.exec(t);
  if (m) {
    [d, mo, y, h, mi] = [+m[1]!, monthOf(m[2]!), +m[3]!, +m[4]!, +m[5]!];
  } else {
    m = /^(\p{L}+)\.? (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}) ?([AaPp][Mm])$/u.exec(t);
    if (!m) return undefined;
    [mo, d, y, h, mi] = [monthOf(m[1]!), +m[2]!, +m[3]!, +m[4]!, +m[5]!];
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (m[6]!.toLowerCase() === 'pm' ? 12 : 0);
  }
  if (!mo || h > 23 || mi > 59) return undefined;
  if (!isRealDate(y, mo, d)) return undefined;
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:00`;
}

const SET_TYPES: Record<string, SetType> = { normal: 'normal', warmup: 'warmup', dropset: 'drop', failure: 'failure' };

export function hevyReader(detected: Detected) {
  const lower = detected.columns.map((c) => c.toLowerCase());
  const at = (name: string) => lower.indexOf(name);
  const weightAt = at('weight_kg') >= 0 ? at('weight_kg') : at('weight_lbs');
  const unit = at('weight_kg') >= 0 ? 'kg' : 'lb';
  const idx = {
    title: at('title'),
    start: at('start_time'),
    exercise: at('exercise_title'),
    setType: at('set_type'),
    reps: at('reps'),
    rpe: at('rpe'),
    notes: at('exercise_notes'),
    distance: at('distance_km') >= 0 ? at('distance_km') : at('distance_miles'),
    seconds: at('duration_seconds'),
  };
  const positionOf = setPositions();

  return {
    statesUnit: weightAt >= 0,
    read(record: string[], line: number): ReadRow {
      const invalid = (message: string): ReadRow => ({ invalid: { line, message } });
      const start = hevyDateTime(cellAt(record, idx.start));
      if (!start) return invalid(`start_time "${cellAt(record, idx.start)}" is not a date and time`);
      const exercise = cellAt(record, idx.exercise);
      if (!exercise) return invalid('exercise_title is empty');
      const setType = SET_TYPES[cellAt(record, idx.setType).toLowerCase() || 'normal'];
      if (!setType)
        return invalid(`set_type "${cellAt(record, idx.setType)}" is not normal, warmup, dropset or failure`);
      const lifted = liftedValues({
        weight: cellAt(record, weightAt),
        reps: cellAt(record, idx.reps),
        rpe: cellAt(record, idx.rpe),
      });
      if ('invalid' in lifted) return invalid(lifted.invalid);
      const { weight, reps, rpe } = lifted;
      if (!weight && !reps) {
        return notASet(
          line,
          [cellAt(record, idx.distance), cellAt(record, idx.seconds)].some((t) => numberCell(t)),
        );
      }
      return {
        set: {
          line,
          workoutStart: start,
          workoutName: cellAt(record, idx.title) || null,
          exercise,
          setOrder: positionOf(start, exercise),
          setType,
          weightKg: weight === null ? null : toKg(weight, unit),
          reps,
          recWeightKg: null,
          recReps: null,
          rpe,
          notes: cellAt(record, idx.notes) || null,
        },
      };
    },
  };
}
