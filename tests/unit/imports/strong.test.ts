import { createReadStream, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '@/server/imports/detect';
import type { ImportedSet, ReadRow } from '@/server/imports/imported-set';
import { readExport, UnitRequiredError } from '@/server/imports/read-export';
import { localDateTime, strongReader } from '@/server/imports/strong';

const REAL = 'tests/fixtures/imports/strong/comma-12-columns-kg.csv';

async function all(rows: AsyncIterable<ReadRow>): Promise<ReadRow[]> {
  const out: ReadRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}
const setsOf = (rows: ReadRow[]) => rows.flatMap((r) => ('set' in r ? [r.set] : []));

describe('a real Strong export (comma, 12 columns, no unit)', () => {
  // The file read a second, independent way: csv-parse's synchronous API over the whole text.
  const records = parse(readFileSync(REAL), { columns: true, bom: true }) as Record<string, string>[];

  it('is recognised from its header', () => {
    const header = readFileSync(REAL, 'utf8').split('\n')[0]!;
    expect(detectFormat(header)).toMatchObject({
      format: 'strong',
      delimiter: ',',
      layout: 'strong, comma, 12 columns, no unit',
    });
  });

  it('needs to be told its unit', async () => {
    await expect(readExport(createReadStream(REAL))).rejects.toThrow(UnitRequiredError);
  });

  it('reads every row as a set, streamed: workouts, exercises and the heaviest lift of each as in the file', async () => {
    const { rows } = await readExport(createReadStream(REAL, { highWaterMark: 1024 }), { unit: 'kg' });
    const read = await all(rows);
    expect(read.filter((r) => !('set' in r))).toEqual([]);
    const sets = setsOf(read);
    expect(sets).toHaveLength(records.length);
    expect(new Set(sets.map((s) => s.workoutStart)).size).toBe(new Set(records.map((r) => r.Date)).size);
    const heaviest = (xs: { name: string; kg: number }[]) => {
      const m = new Map<string, number>();
      for (const x of xs) m.set(x.name, Math.max(m.get(x.name) ?? 0, x.kg));
      return Object.fromEntries([...m].sort());
    };
    expect(heaviest(sets.map((s) => ({ name: s.exercise, kg: s.weightKg ?? 0 })))).toEqual(
      heaviest(records.map((r) => ({ name: r['Exercise Name']!, kg: Number(r.Weight) }))),
    );
    expect(sets[0]).toMatchObject({ line: 2, workoutStart: '2022-07-28T20:14:20', setOrder: 1, setType: 'normal' });
  });

  it('converts pounds when told the file is in pounds (× 0.45359237, to 0.01 kg)', async () => {
    const { rows } = await readExport(createReadStream(REAL), { unit: 'lb' });
    const sets = setsOf(await all(rows));
    records.forEach((r, i) => {
      expect(sets[i]!.weightKg).toBe(Math.round(Number(r.Weight) * 0.45359237 * 100) / 100);
    });
  });
});

describe('a real Strong export (every field quoted, semicolons, `Weight (kg)` with pound-conversion noise)', () => {
  const FILE = 'tests/fixtures/imports/strong/semicolon-quoted-weight-kg.csv';
  const records = parse(readFileSync(FILE), { columns: true, bom: true, delimiter: ';' }) as Record<string, string>[];

  it('reads its unit from the header, rounds to 0.01 kg, keeps warm-up and failure sets, skips what was not lifted', async () => {
    const header = readFileSync(FILE, 'utf8').split('\n')[0]!;
    expect(detectFormat(header)).toMatchObject({ format: 'strong', delimiter: ';' });
    const { rows } = await readExport(createReadStream(FILE));
    const read = await all(rows);
    expect(read.filter((r) => 'invalid' in r)).toEqual([]);
    expect(read).toHaveLength(records.length);
    // Rows with weight or reps are sets, except those past 100 reps (endurance work, skipped with a reason).
    const lifted = records.filter(
      (r) => (Number(r['Weight (kg)'] || 0) > 0 || Number(r.Reps || 0) > 0) && Number(r.Reps || 0) <= 100,
    );
    const sets = setsOf(read);
    expect(sets).toHaveLength(lifted.length);
    expect(sets.filter((s) => s.setType === 'warmup')).toHaveLength(
      lifted.filter((r) => r['Set Order'] === 'WARM_UP').length,
    );
    expect(sets.filter((s) => s.setType === 'failure')).toHaveLength(
      lifted.filter((r) => r['Set Order'] === 'FAILURE').length,
    );
    lifted.forEach((r, i) => {
      const kg = r['Weight (kg)'] ? Math.round(Number(r['Weight (kg)']) * 100) / 100 : null;
      expect([sets[i]!.exercise, sets[i]!.weightKg, sets[i]!.reps]).toEqual([
        r['Exercise Name']!.trim(),
        kg,
        r.Reps ? Number(r.Reps) : null,
      ]);
    });
  });
});

describe('Strong’s rules, row by row', () => {
  const reader = (header: string, unit?: 'kg' | 'lb') => strongReader(detectFormat(header)!, unit);
  const set = (r: ReadRow): ImportedSet => {
    if (!('set' in r)) throw new Error(JSON.stringify(r));
    return r.set;
  };

  it.each([
    ['2022-07-28 20:14:20', '2022-07-28T20:14:20'],
    ['2022-07-28 20:14', '2022-07-28T20:14:00'],
    ['2025-02-30 10:00:00', undefined],
    ['2025-02-28 24:00:00', undefined],
    ['28/07/2022 20:14', undefined],
  ])('date %j → %j', (text, expected) => expect(localDateTime(text)).toBe(expected));

  it('reads the unit from the header, per row, or as told; set types from letters; rest timers skipped', () => {
    const kgHeader = reader(
      '"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";"Weight (kg)";"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"',
    );
    const kgRow = (cells: string, line: number) => kgHeader.read(cells.split(';'), line);
    expect(kgHeader.statesUnit).toBe(true);
    expect(set(kgRow('1;2025-03-01 09:00:00;A;3600;Squat (Barbell);W;61.23492;5;;;;;', 2))).toMatchObject({
      setType: 'warmup',
      weightKg: 61.23,
      setOrder: 1,
    });
    expect(set(kgRow('1;2025-03-01 09:00:00;A;3600;Squat (Barbell);1;100;5;8;;;;', 3))).toMatchObject({
      setOrder: 2,
      rpe: 8,
    });
    expect(kgRow('1;2025-03-01 09:00:00;A;3600;Squat (Barbell);Rest Timer;;;;;90;;', 4)).toEqual({
      skipped: { line: 4, reason: 'rest timer' },
    });

    const perRow = reader(
      'Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration',
    );
    const perRowWeight = (cells: string, line: number) => set(perRow.read(cells.split(';'), line)).weightKg;
    expect(perRowWeight('2021-05-10 07:30:00;Full body;Deadlift (Barbell);1;225;lbs;5;;;;0;;;1h 5m', 2)).toBe(102.06);
    expect(perRowWeight('2021-05-10 07:30:00;Full body;Deadlift (Barbell);2;102,5;kg;5;;;;0;;;1h 5m', 3)).toBe(102.5);

    const legacy = reader('Date,Workout Name,Exercise Name,Set Order,lb,Reps,mi,Seconds,Notes');
    expect(set(legacy.read('2017-01-02 18:00:00,A,Bench Press (Barbell),1,135,5,,,'.split(','), 2)).weightKg).toBe(
      61.23,
    );
  });

  it.each([
    [['2025-02-30 10:00:00', 'A', '7m', 'Bench', '1', '80', '5', '0', '0', '', '', ''], /date/],
    [['2025-02-03 10:00:00', 'A', '7m', 'Bench', '1', 'heavy', '5', '0', '0', '', '', ''], /weight "heavy"/],
    [['2025-02-03 10:00:00', 'A', '7m', 'Bench', '1', '80', '5.5', '0', '0', '', '', ''], /reps/],
    [['2025-02-03 10:00:00', 'A', '7m', 'Bench', 'X', '80', '5', '0', '0', '', '', ''], /set order "X"/],
    [['2025-02-03 10:00:00', 'A', '7m', '', '1', '80', '5', '0', '0', '', '', ''], /exercise/],
  ])('%j is invalid (%s)', (record, message) => {
    const r = reader(
      'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE',
      'kg',
    ).read(record, 7);
    expect('invalid' in r && r.invalid.line === 7 && message.test(r.invalid.message)).toBe(true);
  });

  it('skips rows that are not sets, with the reason', () => {
    const r = reader(
      'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE',
      'kg',
    );
    expect(r.read(['2025-02-03 10:00:00', 'A', '7m', 'Running', '1', '0', '0', '5', '1800', '', '', ''], 2)).toEqual({
      skipped: { line: 2, reason: 'cardio or timed (no weight or reps)' },
    });
  });
});
