import { describe, expect, it } from 'vitest';
import { epley } from '@/server/analytics/e1rm';
import { deloadWeeks, detectPlateau, detectPlateaus, isDeload, type WeekPoint } from '@/server/analytics/plateaus';
import { personalRecords } from '@/server/analytics/prs';
import { resolveRange } from '@/server/analytics/range';
import type { ExerciseWeek } from '@/server/analytics/weekly-series';
import { bodyweightAt, weeklySummary, weeksBetween } from '@/server/analytics/weekly-summary';
import { rangeParam } from '@/server/contracts/analytics';
import { addDays } from '@/server/time/calendar';

describe('epley e1RM', () => {
  it.each([
    [100, 1, 100 * (1 + 1 / 30)],
    [80, 5, 80 * (1 + 5 / 30)],
    [60, 12, 84],
    [60, 13, null], // beyond 12 reps: no estimate
    [60, 0, null],
    [0, 5, null],
  ])('%d kg × %d → %s', (w, r, expected) => {
    if (expected === null) expect(epley(w, r)).toBeNull();
    else expect(epley(w, r)).toBeCloseTo(expected, 10);
  });
});

describe('range', () => {
  it.each(['7d', '30d', '12w', '6m', '1y', 'all', '90d', '1d', '20y', '240m'])('accepts %s', (r) =>
    expect(rangeParam.safeParse(r).success).toBe(true),
  );
  it.each(['', '30', 'd', '0d', '-1d', '30D', '1.5w', '21y', '10000d', 'forever', ' 30d', '30d '])('refuses %j', (r) =>
    expect(rangeParam.safeParse(r).success).toBe(false),
  );
  it.each([
    // today is Wednesday 2025-11-26
    ['7d', '2025-11-17'], // today − 6 = Thu 20th → its Monday
    ['30d', '2025-10-27'], // Mon 2025-10-28 → week of the 27th
    ['12w', '2025-09-01'],
    ['6m', '2025-05-26'],
    ['1y', '2024-11-25'],
  ])('%s from 2025-11-26 starts on %s and ends today', (r, start) => {
    const resolved = resolveRange(r, '2025-11-26');
    expect(resolved.start).toBe(start);
    expect(resolved.end).toBe('2025-11-26');
    expect(resolved.endWeek).toBe('2025-11-24');
  });
  it('all has no start of its own', () => expect(resolveRange('all', '2025-11-26').start).toBeNull());
});

const week = (exercise: string, weekStart: string, over: Partial<ExerciseWeek> = {}): ExerciseWeek => ({
  exercise,
  weekStart,
  sets: 3,
  volumeKg: 1000,
  bestWeight: 100,
  bestWeightDate: weekStart,
  bestE1rm: 110,
  bestE1rmWeight: 100,
  bestE1rmReps: 3,
  bestE1rmDate: weekStart,
  bestWeight3: 100,
  bestWeight5: 90,
  bestWeight8: null,
  bestWeight10: null,
  sample: 3,
  successes: 3,
  hardSets: 3,
  ...over,
});

describe('personal records', () => {
  it('keeps the first date of a tie, takes later improvements, and folds rep PRs', () => {
    const prs = personalRecords([
      week('Squat', '2025-01-13', { bestWeight: 100, bestE1rm: 110 }),
      week('Squat', '2025-01-06', { bestWeight: 100, bestE1rm: 110, bestWeight8: 70 }),
      week('Squat', '2025-01-20', { bestWeight: 102.5, bestE1rm: 109, bestWeight5: 95 }),
    ]);
    expect(prs).toHaveLength(1);
    expect(prs[0]).toMatchObject({
      exercise: 'Squat',
      heaviest: 102.5,
      heaviestDate: '2025-01-20',
      e1rm: { value: 110, date: '2025-01-06' },
      repPrs: { 1: 102.5, 3: 100, 5: 95, 8: 70, 10: null },
    });
  });

  it('lists a new exercise on its own, and skips weeks without a rep', () => {
    const prs = personalRecords([
      week('Row', '2025-01-06'),
      week('Curl', '2025-01-13', { bestWeight: null, bestWeightDate: null, bestE1rm: null }),
    ]);
    expect(prs.map((p) => p.exercise)).toEqual(['Row']);
  });

  it('has no e1RM PR when every set was over 12 reps', () => {
    const [pr] = personalRecords([
      week('Calf Raise', '2025-01-06', {
        bestE1rm: null,
        bestE1rmWeight: null,
        bestE1rmReps: null,
        bestE1rmDate: null,
      }),
    ]);
    expect(pr!.e1rm).toBeNull();
    expect(pr!.heaviest).toBe(100);
  });
});

describe('deload weeks', () => {
  it.each([
    [500, [1000, 1000, 1000, 1000], true],
    [600, [1000, 1000, 1000, 1000], false], // exactly 60%: not below
    [100, [1000], false], // too little history to tell
    [100, [1000, 900], true],
    [100, [0, 0], false],
  ])('%d against %j → %s', (v, prev, deload) => expect(isDeload(v, prev)).toBe(deload));
});

const series = (start: string, e1rms: (number | null)[]): WeekPoint[] =>
  e1rms.map((e, i) => ({ weekStart: addDays(start, 7 * i), bestE1rm: e }));
const endOf = (start: string, n: number) => addDays(start, 7 * (n - 1));

describe('plateaus', () => {
  const W = '2025-01-06';
  it('reports 3 weeks without a 1% gain', () => {
    const p = detectPlateau('Bench', series(W, [90, 95, 95.5, 94, 95.9]), endOf(W, 5));
    expect(p).toEqual({ exercise: 'Bench', since: addDays(W, 14), weeks: 3, bestE1rm: 95.9, lastE1rm: 95.9 });
  });

  it('a 1% gain ends it', () => {
    expect(detectPlateau('Bench', series(W, [90, 95, 95, 95, 96]), endOf(W, 5))).toBeNull();
  });

  it('needs 3 stalled weeks, not 2', () => {
    expect(detectPlateau('Bench', series(W, [90, 95, 95, 95]), endOf(W, 4))).toBeNull();
  });

  it('a deload week inside a plateau neither ends nor counts toward it', () => {
    // week 4 is a deload (low e1RM): skipped, so the plateau spans it.
    const p = detectPlateau('Bench', series(W, [90, 100, 100, 99, 60, 100]), endOf(W, 6), new Set([addDays(W, 28)]));
    expect(p).toMatchObject({ since: addDays(W, 14), weeks: 3 });
  });

  it('a deload week cannot start one either', () => {
    expect(detectPlateau('Bench', series(W, [90, 95, 60, 97, 99]), endOf(W, 5), new Set([addDays(W, 14)]))).toBeNull();
  });

  it('finds deload weeks from the lifter’s total weekly volume', () => {
    const v = (i: number, volumeKg: number) => ({ weekStart: addDays(W, 7 * i), volumeKg });
    expect(deloadWeeks([v(0, 1000), v(1, 1000), v(2, 1000), v(3, 400), v(4, 1000), v(5, 0)])).toEqual(
      new Set([addDays(W, 21)]),
    );
    // A lift trained twice one week and once the next is not a deload when the week's total holds up.
    const weeks = [0, 1, 2, 3, 4, 5].flatMap((i) => [
      week('Bench', addDays(W, 7 * i), { volumeKg: i % 2 ? 2000 : 800, bestE1rm: 100 + i * 2 }),
      week('Squat', addDays(W, 7 * i), { volumeKg: i % 2 ? 1000 : 2200, bestE1rm: 150 + i * 3 }),
    ]);
    expect(detectPlateaus(weeks, weeks, endOf(W, 6))).toEqual([]);
  });

  it('needs the exercise trained in at least 3 of the last 4 weeks', () => {
    // Stalled for months, but trained only twice in the last four weeks.
    const s = [...series(W, [90, 95, 95, 95, 95]), { weekStart: addDays(W, 7 * 7), bestE1rm: 95, volumeKg: 1000 }];
    expect(detectPlateau('Bench', s, addDays(W, 7 * 8))).toBeNull();
  });

  it('a single session is no plateau', () => {
    expect(detectPlateau('Bench', series(W, [90]), W)).toBeNull();
  });

  it('counts trained weeks across a gap of several weeks', () => {
    // Trained in weeks 0–1, then nothing for two weeks, then weeks 4–6: the stall carries across the gap.
    const s = [...series(W, [100, 99]), ...series(addDays(W, 7 * 4), [100, 98, 99])];
    expect(detectPlateau('Bench', s, addDays(W, 7 * 6))).toMatchObject({
      since: addDays(W, 7),
      weeks: 4,
      bestE1rm: 100,
      lastE1rm: 99,
    });
  });

  it('ignores weeks after the end of the range', () => {
    expect(detectPlateau('Bench', series(W, [90, 95, 95, 95, 95, 120]), endOf(W, 5))).toMatchObject({ weeks: 3 });
  });
});

describe('weekly summary', () => {
  it('bodyweight is the last reading on or before a date', () => {
    const r = [
      { effectiveDate: '2025-01-05', weightKg: 70 },
      { effectiveDate: '2025-01-12', weightKg: 70.4 },
      { effectiveDate: '2025-01-12', weightKg: 70.6 }, // a later write on the same day wins
    ];
    expect(bodyweightAt(r, '2025-01-04')).toBeNull();
    expect(bodyweightAt(r, '2025-01-11')).toBe(70);
    expect(bodyweightAt(r, '2025-01-19')).toBe(70.6);
  });

  it('weeks run Monday to Monday, across New Year', () => {
    expect(weeksBetween('2025-12-22', '2026-01-05')).toEqual(['2025-12-22', '2025-12-29', '2026-01-05']);
  });

  it('computes kgDelta, avgCalories, sessions, sets and volume; nulls where unknown', () => {
    const rows = weeklySummary(
      ['2025-01-06', '2025-01-13', '2025-01-20'],
      [
        { weekStart: '2025-01-06', sessions: 2, caloriesSum: 5100, caloriesCount: 2 },
        { weekStart: '2025-01-13', sessions: 1, caloriesSum: null, caloriesCount: 0 },
      ],
      [week('A', '2025-01-06', { sets: 3, volumeKg: 100.1 }), week('B', '2025-01-06', { sets: 2, volumeKg: 200.2 })],
      [
        { effectiveDate: '2025-01-08', weightKg: 70 },
        { effectiveDate: '2025-01-15', weightKg: 70.8 },
      ],
    );
    expect(rows).toEqual([
      { weekStart: '2025-01-06', kgDelta: null, avgCalories: 2550, sessions: 2, sets: 5, volumeKg: 300.3 },
      { weekStart: '2025-01-13', kgDelta: 0.8, avgCalories: null, sessions: 1, sets: 0, volumeKg: 0 },
      { weekStart: '2025-01-20', kgDelta: 0, avgCalories: null, sessions: 0, sets: 0, volumeKg: 0 },
    ]);
  });
});
