import { describe, expect, it } from 'vitest';
import { lifterOutcome, preWindow, progressionOf, strengthProgressionOf } from '@/server/experiments/outcomes';
import { type ExerciseWeekRow, emptyHistory, type LifterHistory } from '@/server/learning/history';

/** When the modifiers below were written: any instant will do. */
const CREATED_AT = new Date('2026-12-07T03:00:00Z');

const W = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30'];

const week = (
  exercise: string,
  weekStart: string,
  bestE1rm: number | null,
  sample = 6,
  successes = 6,
): ExerciseWeekRow => ({
  exercise,
  weekStart,
  sets: sample,
  sample,
  successes,
  rpeMean: null,
  bestE1rm,
  volumeKg: 0,
  recWeight: null,
});

function history(rows: ExerciseWeekRow[], extra: Partial<LifterHistory> = {}): LifterHistory {
  return { ...emptyHistory('u', W[0]), exerciseWeeks: rows, ...extra };
}

describe('progressionOf: each exercise’s least-squares slope relative to its mean, in % per week, averaged', () => {
  it.each([
    [
      'a steady climb of 2 kg a week from 100',
      [week('Squat', W[0]!, 100), week('Squat', W[1]!, 102), week('Squat', W[2]!, 104)],
      100 * (2 / 102),
    ],
    ['flat', [week('Squat', W[0]!, 100), week('Squat', W[2]!, 100)], 0],
    ['one week only: no slope', [week('Squat', W[0]!, 100)], null],
    [
      'a gap is measured in weeks, not in points',
      [week('Squat', W[0]!, 100), week('Squat', W[2]!, 104)],
      100 * (2 / 102),
    ],
    [
      'two exercises averaged',
      [week('Squat', W[0]!, 100), week('Squat', W[1]!, 102), week('Bench', W[0]!, 50), week('Bench', W[1]!, 50)],
      (100 * (2 / 101)) / 2,
    ],
    [
      'weeks without an e1RM are skipped',
      [week('Squat', W[0]!, 100), week('Squat', W[1]!, null), week('Squat', W[2]!, 104)],
      100 * (2 / 102),
    ],
    [
      'weeks outside the window are ignored',
      [week('Squat', W[0]!, 50), week('Squat', W[1]!, 100), week('Squat', W[2]!, 101)],
      100 * (1 / 100.5),
    ],
  ])('%s', (_name, rows, expected) => {
    const got = progressionOf(history(rows), _name.includes('outside') ? W[1]! : W[0]!, W[2]!);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(expected, 10);
  });
});

describe('lifterOutcome over a window', () => {
  const h = history(
    [week('Squat', W[0]!, 100, 6, 3), week('Squat', W[1]!, 101, 6, 6), week('Squat', W[3]!, 103, 4, 4)],
    {
      sessionsByWeek: new Map([
        [W[0]!, 2],
        [W[1]!, 3],
        [W[3]!, 1],
      ]),
      feedback: [
        { date: '2026-03-03', helpful: true },
        { date: '2026-03-10', helpful: false },
        { date: '2026-04-07', helpful: false },
      ],
      modifiers: [
        {
          exercise: 'Squat',
          weekStart: W[1]!,
          multiplier: 0.9,
          repDelta: 0,
          source: 'coach',
          policy: 'coach',
          createdAt: CREATED_AT,
        },
        {
          exercise: 'Squat',
          weekStart: W[1]!,
          multiplier: 1,
          repDelta: 0,
          source: 'auto',
          policy: 'hold',
          createdAt: CREATED_AT,
        },
      ],
    },
  );

  it('sums the sets, sessions, answers and coach overrides of the window’s weeks', () => {
    expect(lifterOutcome(h, { from: W[0]!, to: W[3]! })).toEqual({
      strengthProgression: null,
      strengthMeasured: false,
      progression: expect.any(Number),
      sample: 16,
      successes: 13,
      sessions: 6,
      weeks: 4,
      answers: 2,
      notHelpful: 1,
      dropout: 0,
      overrides: 1,
    });
  });

  it.each([
    ['trained in the window’s last week', [W[0]!, W[3]!], 0],
    ['trained two weeks before its end', [W[2]!], 0],
    ['no session in the window’s last 14 days', [W[0]!, W[1]!], 1],
    ['no session at all', [], 1],
  ])('drop-out: %s', (_name, weeks, dropout) => {
    const trained = history([], { sessionsByWeek: new Map(weeks.map((w) => [w, 1])) });
    expect(lifterOutcome(trained, { from: W[0]!, to: W[3]! }).dropout).toBe(dropout);
  });

  it('the pre-period is the PRE_WEEKS weeks before the window, and the ones before that', () => {
    expect(preWindow({ from: '2026-03-30' })).toEqual({ from: '2026-03-02', to: '2026-03-23' });
    expect(preWindow({ from: '2026-03-30' }, 2)).toEqual({ from: '2026-02-02', to: '2026-02-23' });
  });
});

describe('strengthProgressionOf: from the strength at the window’s start to the last estimate, over the whole window', () => {
  const ln = Math.log;
  // Four weeks, 2 to 29 March; % per week compounding: 100 × (e^(Δℓ/4) − 1).
  const window = { from: W[0]!, to: W[3]! };
  const perWeek = (from: number, to: number, weeks = 4) => 100 * ((to / from) ** (1 / weeks) - 1);
  const r = (exercise: string, date: string, kg: number) => ({ exercise, date, level: ln(kg) });

  it.each([
    [
      'the last estimate before the window is the baseline; the last inside it the end',
      [
        r('Squat', '2026-02-20', 100),
        r('Squat', '2026-02-27', 101),
        r('Squat', '2026-03-10', 103),
        r('Squat', '2026-03-27', 105),
      ],
      perWeek(101, 105),
      true,
    ],
    [
      'a lifter who stopped keeps their last estimate: the gain spreads over the whole window',
      [r('Squat', '2026-02-27', 100), r('Squat', '2026-03-03', 104)],
      perWeek(100, 104),
      true,
    ],
    ['no estimate inside the window: no gain, and not measured', [r('Squat', '2026-02-27', 100)], 0, false],
    [
      'without any baseline, from the first estimate inside the window',
      [r('Squat', '2026-03-03', 100), r('Squat', '2026-03-24', 102)],
      perWeek(100, 102),
      true,
    ],
    [
      'a lift first logged inside the window does not count beside one with a baseline',
      [
        r('Bench', '2026-03-03', 50),
        r('Bench', '2026-03-24', 70),
        r('Squat', '2026-02-27', 100),
        r('Squat', '2026-03-24', 102),
      ],
      perWeek(100, 102),
      true,
    ],
    [
      'the mean over lifts with a baseline',
      [
        r('Bench', '2026-02-24', 60),
        r('Bench', '2026-03-24', 57),
        r('Squat', '2026-02-27', 100),
        r('Squat', '2026-03-24', 102),
      ],
      (perWeek(60, 57) + perWeek(100, 102)) / 2,
      true,
    ],
    [
      'an estimate more than 8 weeks before is no baseline; one after the window is not read',
      [
        r('Squat', '2026-01-02', 80),
        r('Squat', '2026-03-03', 100),
        r('Squat', '2026-03-24', 102),
        r('Squat', '2026-03-30', 120),
      ],
      perWeek(100, 102),
      true,
    ],
  ])('%s', (_name, readings, progression, measured) => {
    const got = strengthProgressionOf(readings, window);
    expect(got.progression).toBeCloseTo(progression, 10);
    expect(got.measured).toBe(measured);
  });

  it('nothing in or before the window: null (the metric counts the lifter as no gain)', () => {
    expect(strengthProgressionOf([], window)).toEqual({ progression: null, measured: false });
  });
});
