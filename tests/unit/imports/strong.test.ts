import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '@/server/imports/detect';
import type { ImportedSet, ReadRow } from '@/server/imports/imported-set';
import { readExport, UnitRequiredError } from '@/server/imports/read-export';
import { localDateTime, strongReader } from '@/server/imports/strong';

/** When the files are read: after every workout in them. */
const READ_AT = new Date('2026-12-09T10:00:00Z');

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
    await expect(readExport(createReadStream(REAL), { now: READ_AT })).rejects.toThrow(UnitRequiredError);
  });

  it('reads every row as a set, streamed: workouts, exercises and the heaviest lift of each as in the file', async () => {
    const { rows } = await readExport(createReadStream(REAL, { highWaterMark: 1024 }), { unit: 'kg', now: READ_AT });
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
    const { rows } = await readExport(createReadStream(REAL), { unit: 'lb', now: READ_AT });
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
    const { rows } = await readExport(createReadStream(FILE), { now: READ_AT });
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

describe('a real Strong export (semicolons, 14 columns, Weight Unit per row in lbs, RPE in half steps)', () => {
  const FILE = 'tests/fixtures/imports/strong/semicolon-14-columns-weight-unit-lbs.csv';
  const records = parse(readFileSync(FILE), { columns: true, delimiter: ';' }) as Record<string, string>[];

  it('converts every row’s pounds to kg and keeps its RPE', async () => {
    const { detected, rows } = await readExport(createReadStream(FILE), { now: READ_AT });
    expect(detected.layout).toBe('strong, semicolon, 14 columns, unit per row');
    const sets = setsOf(await all(rows));
    expect(sets).toHaveLength(records.length);
    records.forEach((r, i) => {
      expect(r['Weight Unit']).toBe(r.Weight === '' ? '' : 'lbs');
      expect(sets[i]).toMatchObject({
        weightKg: r.Weight === '' ? null : Math.round(Number(r.Weight) * 0.45359237 * 100) / 100,
        reps: Number(r.Reps),
        rpe: r.RPE === '' ? null : Number(r.RPE),
      });
    });
    expect(sets.some((s) => s.rpe === 6.5)).toBe(true);
  });
});

describe('a real 2019 Strong export (semicolons, 12 columns, no RPE, cardio rows in miles)', () => {
  const FILE = 'tests/fixtures/imports/strong/semicolon-12-columns-2019-no-rpe.csv';
  const text = readFileSync(FILE, 'utf8');
  const records = parse(text, { columns: true, delimiter: ';' }) as Record<string, string>[];
  const lifted = records.filter((r) => Number(r.Weight || 0) > 0 || Number(r.Reps || 0) > 0);

  it('reads the lifted rows, skips the cardio ones with their reason — the same with CRLF line ends', async () => {
    for (const source of [text, text.replace(/\n/g, '\r\n')]) {
      const read = await all((await readExport(Readable.from([Buffer.from(source)]), { now: READ_AT })).rows);
      expect(read.filter((r) => 'invalid' in r)).toEqual([]);
      const sets = setsOf(read);
      expect(sets.map((s) => [s.exercise, s.weightKg, s.reps])).toEqual(
        lifted.map((r) => [
          r['Exercise Name'],
          r.Weight === '' ? null : Math.round(Number(r.Weight) * 0.45359237 * 100) / 100,
          Number(r.Reps),
        ]),
      );
      const cardio = records.filter((r) => r.Weight === '' && r.Reps === '' && Number(r.Distance) > 0).length;
      expect(read.filter((r) => 'skipped' in r && r.skipped.reason.startsWith('cardio'))).toHaveLength(cardio);
    }
  });
});

describe('a real 2018 Strong export (unit as the column name, every line quoted whole)', () => {
  const FILE = 'tests/fixtures/imports/strong/legacy-2018-unit-columns-lines-quoted.csv';
  // Read independently: each record is one field holding the line; split it as the semicolon line it is.
  const lines = (
    parse(readFileSync(FILE), { delimiter: ';', from_line: 2, relax_column_count: true }) as string[][]
  ).map((r) => (r.length === 1 ? (parse(r[0]!, { delimiter: ';' }) as string[][])[0]! : r));

  it('reads each quoted line as its row, the weights in pounds from the header', async () => {
    const { detected, rows } = await readExport(createReadStream(FILE), { now: READ_AT });
    expect(detected.layout).toBe('strong, semicolon, 10 columns, unit in the header (lbs)');
    const read = await all(rows);
    expect(read.filter((r) => 'invalid' in r)).toEqual([]);
    const lifted = lines.filter((l) => Number(l[4] || 0) > 0 || Number(l[5] || 0) > 0);
    expect(setsOf(read).map((s) => [s.workoutStart.replace('T', ' '), s.exercise, s.weightKg, s.reps])).toEqual(
      lifted.map((l) => [
        l[0],
        l[2],
        l[4] === '' ? null : Math.round(Number(l[4]) * 0.45359237 * 100) / 100,
        Number(l[5]),
      ]),
    );
  });
});

describe('a real export of Strong’s French edition (comma, 12 columns, no unit, rest-timer rows)', () => {
  const FILE = 'tests/fixtures/imports/strong/french-12-columns-no-unit.csv';
  const text = readFileSync(FILE, 'utf8');
  const records = parse(text, { columns: true, bom: true }) as Record<string, string>[];
  const order = 'Ordre de la série';
  const lifted = records.filter((r) => /^\d+$/.test(r[order]!) && (Number(r.Poids) > 0 || Number(r.Réps) > 0));

  it('is recognised by its French column names', () => {
    expect(detectFormat(text.split('\n')[0]!)).toMatchObject({
      format: 'strong',
      delimiter: ',',
      layout: 'strong, comma, 12 columns, no unit',
    });
  });

  it('reads the lifted rows as sets, rest timers ("Minuteur de repos") and timed rows as not sets — alike with CRLF', async () => {
    for (const source of [text, text.replace(/\n/g, '\r\n')]) {
      const { rows } = await readExport(Readable.from([Buffer.from(source)]), { unit: 'kg', now: READ_AT });
      const read = await all(rows);
      expect(read.filter((r) => 'invalid' in r)).toEqual([]);
      const sets = setsOf(read);
      expect(
        sets.map((s) => [s.workoutStart.replace('T', ' '), s.workoutName, s.exercise, s.weightKg, s.reps]),
      ).toEqual(
        lifted.map((r) => [
          r.Date,
          r["Nom de l'entraînement"]!.trim(),
          r["Nom de l'exercice"]!.trim(),
          Number(r.Poids),
          Number(r.Réps),
        ]),
      );
      const reasons = (reason: string) => read.filter((r) => 'skipped' in r && r.skipped.reason === reason).length;
      expect(reasons('rest timer')).toBe(records.filter((r) => r[order] === 'Minuteur de repos').length);
      const timed = records.filter(
        (r) => /^\d+$/.test(r[order]!) && !(Number(r.Poids) > 0 || Number(r.Réps) > 0) && Number(r.Secondes) > 0,
      );
      expect(reasons('cardio or timed (no weight or reps)')).toBe(timed.length);
      expect(read).toHaveLength(records.length);
    }
  });
});

describe('Strong’s German edition (header as published in public importers; no real German export was found)', () => {
  // The header line from `Datum,Workout-Name,…` importers' tests (see tests/fixtures/imports/README.md).
  const GERMAN =
    'Datum,Workout-Name,Dauer,Name der Übung,Reihenfolge festlegen,Gewicht,Wiederh.,Entfernung,Sekunden,Notizen,Workout-Notizen,RPE';

  it('is recognised by its column names; rest timers ("Ruhezeit") and notes are not sets', () => {
    const detected = detectFormat(GERMAN)!;
    expect(detected).toMatchObject({ format: 'strong', layout: 'strong, comma, 12 columns, no unit' });
    const r = strongReader(detected, 'kg');
    // Rows written as comma-separated cells: date, workout, duration, exercise, set order, then the rest.
    const row = (line: string) => r.read(line.split(','), 2);
    const start = '2025-08-23 17:51:23,Ganzkörper,2h 23min,Chest Press (Machine)';
    expect(row(`${start},1,50.0,12.0,0,0.0,,,`)).toEqual({
      set: expect.objectContaining({ exercise: 'Chest Press (Machine)', weightKg: 50, reps: 12 }),
    });
    expect(row(`${start},Ruhezeit,,,,90,,,`)).toEqual({ skipped: { line: 2, reason: 'rest timer' } });
    expect(row(`${start},Note,,,,,Sitz 4,,`)).toEqual({ skipped: { line: 2, reason: 'exercise note' } });
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
