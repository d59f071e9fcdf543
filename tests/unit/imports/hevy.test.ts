import { createReadStream, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '@/server/imports/detect';
import { hevyDateTime } from '@/server/imports/hevy';
import type { ReadRow } from '@/server/imports/imported-set';
import { readExport } from '@/server/imports/read-export';

/** When the files are read: after every workout in them. */
const READ_AT = new Date('2026-12-09T10:00:00Z');

const REAL = 'tests/fixtures/imports/hevy/workouts-kg-multiline-notes.csv';

describe('a real Hevy export (1 MB, kilograms, notes spanning lines)', () => {
  const records = parse(readFileSync(REAL), { columns: true, bom: true }) as Record<string, string>[];

  it('is recognised from its header and read without a unit', async () => {
    expect(detectFormat(readFileSync(REAL, 'utf8').split('\n')[0]!)).toMatchObject({ format: 'hevy', delimiter: ',' });
    const { rows } = await readExport(createReadStream(REAL, { highWaterMark: 4096 }), { now: READ_AT });
    const read: ReadRow[] = [];
    for await (const r of rows) read.push(r);
    expect(read.filter((r) => 'invalid' in r)).toEqual([]);
    expect(read).toHaveLength(records.length);

    const sets = read.flatMap((r) => ('set' in r ? [r.set] : []));
    // Rows with weight or reps are sets, except those past 100 reps (endurance work, skipped with a reason).
    const lifted = records.filter(
      (r) => (Number(r.weight_kg || 0) > 0 || Number(r.reps || 0) > 0) && Number(r.reps || 0) <= 100,
    );
    expect(sets).toHaveLength(lifted.length);
    expect(new Set(sets.map((s) => s.workoutStart)).size).toBe(new Set(lifted.map((r) => r.start_time)).size);
    expect(sets.filter((s) => s.setType === 'drop')).toHaveLength(
      lifted.filter((r) => r.set_type === 'dropset').length,
    );
    expect(sets.filter((s) => s.setType === 'warmup')).toHaveLength(
      lifted.filter((r) => r.set_type === 'warmup').length,
    );
    const heaviest = (xs: [string, number][]) => {
      const m = new Map<string, number>();
      for (const [name, kg] of xs) m.set(name, Math.max(m.get(name) ?? 0, kg));
      return Object.fromEntries([...m].sort());
    };
    expect(heaviest(sets.map((s) => [s.exercise, s.weightKg ?? 0]))).toEqual(
      heaviest(lifted.map((r) => [r.exercise_title!, Number(r.weight_kg || 0)])),
    );
    // Records whose notes span lines are read whole, and every row's line is where its record starts (each
    // record of this file starts with its quoted title); the timed sets among them are skipped with the reason.
    const fileLines = readFileSync(REAL, 'utf8').split('\n');
    const lineOf = (r: ReadRow) => ('set' in r ? r.set.line : 'skipped' in r ? r.skipped.line : r.invalid.line);
    expect(read.every((r) => fileLines[lineOf(r) - 1]!.startsWith('"'))).toBe(true);
    const multiline = records.findIndex((r) => r.exercise_notes!.includes('\n'));
    expect(multiline).toBeGreaterThan(0);
    expect(read[multiline]).toEqual({
      skipped: { line: expect.any(Number), reason: 'cardio or timed (no weight or reps)' },
    });
  });
});

describe('Hevy’s printed dates', () => {
  it.each([
    ['2 Mar 2026, 19:59', '2026-03-02T19:59:00'],
    ['8 Apr 2026, 16:50', '2026-04-08T16:50:00'],
    ['Apr 12, 2026, 12:29 PM', '2026-04-12T12:29:00'],
    ['Apr 12, 2026, 12:29 AM', '2026-04-12T00:29:00'],
    ['Dec 1, 2025, 7:05 pm', '2025-12-01T19:05:00'],
    ['5 Mai 2026, 07:10', '2026-05-05T07:10:00'],
    ['12 déc. 2025, 18:00', '2025-12-12T18:00:00'],
    ['30 Feb 2026, 10:00', undefined],
    ['5 Foo 2026, 10:00', undefined],
    ['Apr 12, 2026, 13:29 PM', undefined],
    ['2026-04-12 10:00', undefined],
  ])('%j → %j', (text, expected) => expect(hevyDateTime(text)).toBe(expected));
});
