import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '@/server/imports/detect';
import type { ReadRow } from '@/server/imports/imported-set';
import { liftosaurInstant } from '@/server/imports/liftosaur';
import { readExport } from '@/server/imports/read-export';

/** When the files are read: after every workout in them. */
const READ_AT = new Date('2026-12-09T10:00:00Z');

const FILE = 'tests/fixtures/imports/liftosaur/history-from-hevy-workouts.csv';
const records = parse(readFileSync(FILE), { columns: true }) as Record<string, string>[];

async function all(rows: AsyncIterable<ReadRow>): Promise<ReadRow[]> {
  const out: ReadRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

describe('a Liftosaur history CSV (written as Liftosaur writes it)', () => {
  it('is recognised from its header, states its units', () => {
    expect(detectFormat(readFileSync(FILE, 'utf8').split('\n')[0]!)).toMatchObject({
      format: 'liftosaur',
      delimiter: ',',
    });
  });

  it('reads the plan as the recommendation and what was done as the set; planned sets never done are skipped', async () => {
    const { rows } = await readExport(createReadStream(FILE, { highWaterMark: 4096 }), { now: READ_AT });
    const read = await all(rows);
    expect(read.filter((r) => 'invalid' in r)).toEqual([]);
    const done = records.filter((r) => r['Completed Reps'] !== '');
    const sets = read.flatMap((r) => ('set' in r ? [r.set] : []));
    expect(sets).toHaveLength(done.length);
    expect(read.filter((r) => 'skipped' in r).map((r) => ('skipped' in r ? r.skipped.reason : ''))).toEqual(
      records.filter((r) => r['Completed Reps'] === '').map(() => 'planned, not done'),
    );
    sets.forEach((s, i) => {
      const r = done[i]!;
      expect(s).toMatchObject({
        workoutStart: new Date(r['Workout DateTime']!).toISOString(),
        exercise: r.Exercise,
        setType: r['Is Warmup Set?'] === '1' ? 'warmup' : 'normal',
        weightKg: Number(r['Completed Weight Value']),
        reps: Number(r['Completed Reps']),
        recWeightKg: Number(r['Required Weight Value']),
        recReps: Number(r['Required Reps']),
        workoutName: r['Day Name'],
      });
    });
    expect(sets.some((s) => s.recWeightKg !== s.weightKg)).toBe(true);
  });

  it('converts pounds per row, refuses a unit it does not know and a time that is not one', async () => {
    const header = readFileSync(FILE, 'utf8').split('\n')[0]!;
    const text = [
      header,
      '2026-03-01T10:00:00.000Z,P,Day 1,"Squat, Barbell",0,5,5,0,,8,0,225,lb,220,lb,0,2026-03-01T10:05:00.000Z,,,',
      '2026-03-01T10:00:00.000Z,P,Day 1,"Squat, Barbell",0,5,5,0,,,0,100,kg,100,stone,0,,,,',
      'yesterday,P,Day 1,Squat,0,5,5,0,,,0,100,kg,100,kg,0,,,,',
    ].join('\n');
    const read = await all((await readExport(Readable.from([Buffer.from(text)]), { now: READ_AT })).rows);
    expect(read[0]).toEqual({
      set: expect.objectContaining({ weightKg: 99.79, recWeightKg: 102.06, rpe: 8, line: 2 }),
    });
    expect(read[1]).toEqual({ invalid: { line: 3, message: expect.stringContaining('stone') } });
    expect(read[2]).toEqual({ invalid: { line: 4, message: expect.stringContaining('yesterday') } });
  });
});

describe('a Liftosaur workout start', () => {
  it.each([
    ['2026-06-29T04:56:39.712Z', '2026-06-29T04:56:39.712Z'],
    ['2026-03-07 09:01:00 +00:00', '2026-03-07T09:01:00.000Z'],
    ['2026-03-07 09:01:00 +01:00', '2026-03-07T08:01:00.000Z'],
    ['2026-03-07 09:01:00 -05:00', '2026-03-07T14:01:00.000Z'],
    ['2026-03-07 09:01:00+0530', '2026-03-07T03:31:00.000Z'],
    ['2026-03-07T09:01+00:00', '2026-03-07T09:01:00.000Z'],
    ['2026-12-31 23:30:00 -12:00', '2027-01-01T11:30:00.000Z'],
  ])('%s is the instant %s', (text, iso) => {
    expect(liftosaurInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-02-30 09:01:00 +00:00', // no such day
    '2026-03-07 24:01:00 +00:00',
    '2026-03-07 09:01:00 +15:00', // no such offset
    '2026-03-07 09:01:00', // no offset: which instant is unknown
    '2026-03-07',
    'yesterday',
  ])('%s is none', (text) => {
    expect(liftosaurInstant(text)).toBeUndefined();
  });
});
