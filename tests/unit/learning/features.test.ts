import { describe, expect, it } from 'vitest';
import { decisionContext, indexHistory, inForceAt, relativeSlope, trainedBefore } from '@/server/learning/features';
import { type ExerciseWeekRow, emptyHistory, type LifterHistory, type ModifierRow } from '@/server/learning/history';
import { addDays } from '@/server/time/calendar';

const W = '2025-03-03'; // the week decided for
const back = (n: number) => addDays(W, -7 * n);

const week = (exercise: string, n: number, over: Partial<ExerciseWeekRow> = {}): ExerciseWeekRow => ({
  exercise,
  weekStart: back(n),
  sets: 5,
  sample: 5,
  successes: 5,
  rpeMean: 8,
  bestE1rm: 100,
  volumeKg: 2000,
  recWeight: 80,
  ...over,
});

function history(over: Partial<LifterHistory> = {}): LifterHistory {
  return { ...emptyHistory('u', back(10)), ...over };
}

const mod = (weekStart: string, multiplier: number, source: 'auto' | 'coach', createdAt: string): ModifierRow => ({
  exercise: 'Squat',
  weekStart,
  multiplier,
  repDelta: 0,
  source,
  policy: source === 'coach' ? 'coach' : 'rules@po-overlay-2',
  createdAt: new Date(createdAt),
});

describe('relativeSlope', () => {
  it.each([
    [[], null],
    [[{ x: 0, y: 100 }], null],
    [
      [
        { x: -1, y: 100 },
        { x: 0, y: 102 },
      ],
      2 / 101,
    ],
    [
      [
        { x: -3, y: 100 },
        { x: -2, y: 100 },
        { x: -1, y: 100 },
      ],
      0,
    ],
    [
      [
        { x: -2, y: 110 },
        { x: -1, y: 100 },
      ],
      -10 / 105,
    ],
    [
      [
        { x: -1, y: 0 },
        { x: 0, y: 0 },
      ],
      null,
    ], // a zero mean has no relative slope
  ])('%j → %s', (points, expected) => {
    const got = relativeSlope(points);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(expected, 12);
  });
});

describe('inForceAt', () => {
  const rows = [
    mod(back(3), 1.025, 'auto', '2025-02-10T03:00:00Z'),
    mod(back(2), 1.05, 'auto', '2025-02-17T03:00:00Z'),
    mod(back(2), 0.95, 'coach', '2025-02-18T09:00:00Z'),
    mod(back(2), 0.9, 'coach', '2025-02-19T09:00:00Z'),
    mod(back(1), 1.1, 'auto', '2025-02-24T03:00:00Z'),
  ];
  it.each([
    [back(4), 1], // nothing yet: neutral
    [back(3), 1.025],
    [back(2), 0.9], // a coach beats the job in its week, the later coach row the earlier
    [back(1), 1.1],
    [W, 1.1], // carried forward
  ])('in force in %s: ×%s', (w, multiplier) => expect(inForceAt(rows, 'Squat', w).multiplier).toBe(multiplier));
});

describe('decisionContext', () => {
  it('reads the last four weeks of the exercise, most recent first, and nothing from the decided week on', () => {
    const h = history({
      exerciseWeeks: [
        week('Squat', 4, { successes: 1 }),
        week('Squat', 2, { successes: 2 }),
        week('Squat', 1, { successes: 3, sample: 4 }),
        week('Squat', 0, { successes: 0 }), // the decided week itself: must not show
        week('Squat', -1, { successes: 0 }),
      ],
    });
    const c = decisionContext(indexHistory(h), 'Squat', W);
    expect(c.outcomes).toEqual([
      { sample: 4, successes: 3 },
      { sample: 5, successes: 2 },
      { sample: 0, successes: 0 },
      { sample: 5, successes: 1 },
    ]);
  });

  it('derives RPE, e1RM trend, weeks since the PR, volume and sessions', () => {
    const h = history({
      exerciseWeeks: [
        week('Bench', 5, { bestE1rm: 96 }),
        week('Bench', 4, { bestE1rm: 104 }), // the PR of the lookback
        week('Bench', 3, { bestE1rm: 98 }),
        week('Bench', 2, { bestE1rm: 100, rpeMean: 7.5 }),
        week('Bench', 1, { bestE1rm: 102, rpeMean: 8.5, volumeKg: 2400 }),
      ],
      sessionsByWeek: new Map([
        [back(1), 3],
        [back(2), 4],
        [back(4), 1],
      ]),
    });
    const c = decisionContext(indexHistory(h), 'Bench', W);
    expect(c.rpeMean).toBe(8.5);
    expect(c.rpeChange).toBe(1);
    expect(c.weeksSincePr).toBe(3);
    expect(c.volumeKg).toBe(2400);
    expect(c.sessionsPerWeek).toBe(2);
    // Weeks −4..−1 (the last 4): 104, 98, 100, 102 → slope −0.4 kg/week over a mean of 101.
    expect(c.e1rmSlope4).toBeCloseTo(-0.4 / 101, 12);
    expect(c.e1rmSlope8).not.toBeNull();
    expect(c.trainingWeeks).toBe(10);
  });

  it('takes the profile in force before the week, and feedback given before it', () => {
    const h = history({
      profiles: [
        { effectiveDate: back(8), weightKg: 70, heightCm: 180, age: 30, sex: 'male', goalWeightKg: 75 },
        { effectiveDate: addDays(back(1), 3), weightKg: 71, heightCm: 180, age: 30, sex: 'male', goalWeightKg: 75 },
        { effectiveDate: W, weightKg: 99, heightCm: 180, age: 30, sex: 'male', goalWeightKg: 75 },
      ],
      feedback: [
        { date: back(3), helpful: true },
        { date: addDays(W, -1), helpful: false },
        { date: W, helpful: false },
      ],
      exerciseWeeks: [week('Row', 1)],
    });
    const c = decisionContext(indexHistory(h), 'Row', W);
    expect(c.bodyweightKg).toBe(71);
    expect(c.helpfulShare).toBe(0.5);
  });

  it('flags a plateau as of last week, and none on steady progress', () => {
    const flat = history({
      exerciseWeeks: [5, 4, 3, 2, 1].map((n) => week('Deadlift', n, { bestE1rm: n === 5 ? 150 : 148 })),
    });
    expect(decisionContext(indexHistory(flat), 'Deadlift', W).plateau).toBe(true);
    const rising = history({
      exerciseWeeks: [5, 4, 3, 2, 1].map((n) => week('Deadlift', n, { bestE1rm: 150 + (5 - n) * 3 })),
    });
    expect(decisionContext(indexHistory(rising), 'Deadlift', W).plateau).toBe(false);
  });

  it('decides for exercises trained in the week before only', () => {
    const h = history({ exerciseWeeks: [week('Squat', 1), week('Bench', 2), week('Row', 0)] });
    expect(trainedBefore(indexHistory(h), W)).toEqual(['Squat']);
  });

  it('has no more to say than "nothing known" for an empty history', () => {
    const c = decisionContext(indexHistory(history({ firstWeek: null })), 'Squat', W);
    expect(c).toMatchObject({
      trainingWeeks: 0,
      rpeMean: null,
      e1rmSlope4: null,
      weeksSincePr: null,
      plateau: false,
      current: { multiplier: 1, repDelta: 0 },
      exercisePolicy: 'load',
      sessionsPerWeek: 0,
      helpfulShare: null,
      bodyweightKg: null,
    });
  });
});
