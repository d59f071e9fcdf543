import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '@/server/imports/detect';
import type { ReadRow } from '@/server/imports/imported-set';
import { readExport } from '@/server/imports/read-export';

/** When the files are read: after every workout in them. */
const READ_AT = new Date('2026-12-09T10:00:00Z');

const REAL = 'tests/fixtures/imports/fitnotes/export-kgs-commas-in-names.csv';

describe('a real FitNotes export (kgs, exercise names with unquoted commas)', () => {
  // Read a second, independent way: by hand, taking the columns after the name from the end of each line.
  const lines = readFileSync(REAL, 'utf8').trimEnd().split('\n').slice(1);
  const byHand = lines.map((l) => {
    const f = l.split(',');
    const tail = f.slice(-6); // Weight, Weight Unit, Reps, Distance, Distance Unit, Time
    return { date: f[0]!, exercise: f.slice(1, f.length - 7).join(','), kg: Number(tail[0]), reps: Number(tail[2]) };
  });

  it('is recognised and read: every line a set, names with commas whole, identical rows kept as sets', async () => {
    expect(detectFormat(readFileSync(REAL, 'utf8').split('\n')[0]!)).toMatchObject({ format: 'fitnotes' });
    const { rows } = await readExport(createReadStream(REAL, { highWaterMark: 2048 }), { now: READ_AT });
    const read: ReadRow[] = [];
    for await (const r of rows) read.push(r);
    expect(read.filter((r) => !('set' in r))).toEqual([]);
    const sets = read.flatMap((r) => ('set' in r ? [r.set] : []));
    expect(sets.map((s) => [s.workoutStart, s.exercise, s.weightKg, s.reps])).toEqual(
      byHand.map((h) => [h.date, h.exercise, h.kg, h.reps]),
    );
    expect(sets.some((s) => s.exercise === 'Overhead Press (Each Side, Dumbbells)')).toBe(true);
    // Repeated identical rows are separate sets, told apart by their position.
    const keys = sets.map((s) => `${s.workoutStart}|${s.exercise}|${s.setOrder}`);
    expect(new Set(keys).size).toBe(sets.length);
  });
});
