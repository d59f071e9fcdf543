import { describe, expect, it } from 'vitest';
import { lifterOutcome, preWindow, progressionOf } from '@/server/experiments/outcomes';
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
