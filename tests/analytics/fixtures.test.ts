import { beforeAll, expect, it } from 'vitest';
import { runAnalyticsJob } from '@/server/analytics/job';
import { type AnalyticsResponse, analyticsResponse } from '@/server/contracts/analytics';
import { getAnalytics } from '../helpers/analytics';
import { post } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

type SetSpec = { exercise: string; weight: number; reps: number; done?: boolean };
const sets = (...specs: (SetSpec & { n?: number })[]) => {
  let k = 1;
  return specs.flatMap((s) =>
    Array.from({ length: s.n ?? 1 }, () => ({
      exercise: s.exercise,
      set_number: k++,
      rec_weight: s.weight,
      rec_reps: s.reps,
      actual_weight: s.done === false ? null : s.weight,
      actual_reps: s.done === false ? null : s.reps,
      done: s.done ?? true,
    })),
  );
};

interface Scenario {
  name: string;
  now: string;
  range: string;
  timeZone?: string;
  sessions: { date: string; calories?: number; sets: ReturnType<typeof sets> }[];
  weights?: { date: string; kg: number }[];
  expect: (a: AnalyticsResponse) => void;
}

const e1 = (w: number, r: number) => Math.round(w * (1 + r / 30) * 100) / 100;

// Each scenario's numbers are worked out by hand from its sessions.
const scenarios: Scenario[] = [
  {
    name: 'PR ties keep the first date',
    now: '2025-02-05T12:00:00Z',
    range: '30d',
    sessions: [
      { date: '2025-01-13', sets: sets({ exercise: 'Back Squat', weight: 100, reps: 5 }) },
      { date: '2025-01-20', sets: sets({ exercise: 'Back Squat', weight: 100, reps: 5 }) },
      {
        date: '2025-01-27',
        sets: sets({ exercise: 'Back Squat', weight: 100, reps: 3 }, { exercise: 'Back Squat', weight: 70, reps: 10 }),
      },
    ],
    expect: (a) => {
      expect(a.prs).toEqual({ 'Back Squat': 100 });
      expect(a.pr_dates).toEqual({ 'Back Squat': '2025-01-13' });
      expect(a.e1rm_prs).toEqual({ 'Back Squat': { e1rm: e1(100, 5), weight: 100, reps: 5, date: '2025-01-13' } });
      expect(a.rep_prs).toEqual({ 'Back Squat': { '1': 100, '3': 100, '5': 100, '8': 70, '10': 70 } });
    },
  },
  {
    name: 'a single session',
    now: '2025-03-06T12:00:00Z',
    range: '7d',
    sessions: [
      {
        date: '2025-03-04T18:00:00Z',
        calories: 2400,
        sets: sets({ exercise: 'Bench Press', weight: 60, reps: 8 }, { exercise: 'Bench Press', weight: 65, reps: 5 }),
      },
    ],
    expect: (a) => {
      expect(a.range).toEqual({ value: '7d', start: '2025-02-24', end: '2025-03-06' });
      expect(a.prs).toEqual({ 'Bench Press': 65 });
      // 60 × 8 → 76.00 beats 65 × 5 → 75.83.
      expect(a.e1rm_prs['Bench Press']).toEqual({ e1rm: 76, weight: 60, reps: 8, date: '2025-03-04' });
      expect(a.rep_prs['Bench Press']).toEqual({ '1': 65, '3': 65, '5': 65, '8': 60, '10': null });
      expect(a.plateaus).toEqual([]);
      expect(a.weekly_summary).toEqual([
        { weekStart: '2025-02-24', kg_delta: null, avg_calories: null, sessions: 0, sets: 0, volume_kg: 0 },
        { weekStart: '2025-03-03', kg_delta: null, avg_calories: 2400, sessions: 1, sets: 2, volume_kg: 805 },
      ]);
    },
  },
  {
    name: 'gaps of several weeks, calories and bodyweight',
    now: '2025-03-01T12:00:00Z',
    range: 'all',
    sessions: [
      { date: '2025-01-06', calories: 2500, sets: sets({ exercise: 'Row', weight: 50, reps: 10, n: 2 }) },
      { date: '2025-01-08', calories: 2600, sets: sets({ exercise: 'Row', weight: 52.5, reps: 8 }) },
      { date: '2025-01-14', sets: sets({ exercise: 'Row', weight: 52.5, reps: 10 }) },
      { date: '2025-02-24', calories: 2900, sets: sets({ exercise: 'Row', weight: 55, reps: 8 }) },
    ],
    weights: [
      { date: '2025-01-05', kg: 80 },
      { date: '2025-01-12', kg: 80.6 },
      { date: '2025-02-26', kg: 79.9 },
    ],
    expect: (a) => {
      expect(a.range.start).toBe('2025-01-06');
      const rows = a.weekly_summary.map((w) => [
        w.weekStart,
        w.sessions,
        w.sets,
        w.volume_kg,
        w.avg_calories,
        w.kg_delta,
      ]);
      expect(rows).toEqual([
        ['2025-01-06', 2, 3, 1420, 2550, 0.6], // 2×500 + 420; bodyweight 80 → 80.6
        ['2025-01-13', 1, 1, 525, null, 0],
        ['2025-01-20', 0, 0, 0, null, 0],
        ['2025-01-27', 0, 0, 0, null, 0],
        ['2025-02-03', 0, 0, 0, null, 0],
        ['2025-02-10', 0, 0, 0, null, 0],
        ['2025-02-17', 0, 0, 0, null, 0],
        ['2025-02-24', 1, 1, 440, 2900, -0.7],
      ]);
      expect(a.plateaus).toEqual([]);
    },
  },
  {
    name: 'a deload week inside a plateau',
    now: '2025-02-20T12:00:00Z',
    range: '12w',
    sessions: [
      { date: '2025-01-06', sets: sets({ exercise: 'Bench Press', weight: 80, reps: 5, n: 4 }) },
      { date: '2025-01-13', sets: sets({ exercise: 'Bench Press', weight: 85, reps: 5, n: 4 }) },
      { date: '2025-01-20', sets: sets({ exercise: 'Bench Press', weight: 85, reps: 5, n: 4 }) },
      { date: '2025-01-27', sets: sets({ exercise: 'Bench Press', weight: 85, reps: 4, n: 4 }) },
      { date: '2025-02-03', sets: sets({ exercise: 'Bench Press', weight: 50, reps: 5, n: 2 }) }, // deload: 500 kg vs ~1600
      { date: '2025-02-10', sets: sets({ exercise: 'Bench Press', weight: 85, reps: 5, n: 4 }) },
      { date: '2025-02-17', sets: sets({ exercise: 'Bench Press', weight: 85, reps: 5, n: 4 }) },
    ],
    expect: (a) => {
      expect(a.plateaus).toEqual([
        { exercise: 'Bench Press', since: '2025-01-20', weeks: 4, best_e1rm: e1(85, 5), last_e1rm: e1(85, 5) },
      ]);
    },
  },
  {
    // Only the last three weeks are in range (2w reaches back to the Monday of today − 13 days); the best that
    // the lift has not beaten, and the deload that does not break the streak, come from before it.
    name: 'a plateau whose best and deload are before a short range',
    now: '2025-03-13T12:00:00Z',
    range: '2w',
    sessions: [
      { date: '2025-01-06', sets: sets({ exercise: 'Deadlift', weight: 140, reps: 5, n: 3 }) },
      { date: '2025-01-13', sets: sets({ exercise: 'Deadlift', weight: 150, reps: 5, n: 3 }) }, // the best
      { date: '2025-01-20', sets: sets({ exercise: 'Deadlift', weight: 150, reps: 4, n: 3 }) },
      { date: '2025-01-27', sets: sets({ exercise: 'Deadlift', weight: 100, reps: 5, n: 1 }) }, // deload: 500 kg vs a mean of 2,050
      { date: '2025-02-03', sets: sets({ exercise: 'Deadlift', weight: 150, reps: 4, n: 3 }) },
      { date: '2025-02-10', sets: sets({ exercise: 'Deadlift', weight: 150, reps: 3, n: 3 }) },
      { date: '2025-02-17', sets: sets({ exercise: 'Deadlift', weight: 150, reps: 4, n: 3 }) },
      { date: '2025-02-24', sets: sets({ exercise: 'Deadlift', weight: 150, reps: 4, n: 3 }) },
      { date: '2025-03-03', sets: sets({ exercise: 'Deadlift', weight: 150, reps: 5, n: 3 }) }, // ties the best: no 1 %
      { date: '2025-03-10', sets: sets({ exercise: 'Deadlift', weight: 145, reps: 5, n: 3 }) },
    ],
    expect: (a) => {
      expect(a.range).toEqual({ value: '2w', start: '2025-02-24', end: '2025-03-13' });
      // PRs are the range's own; the plateau counts the whole history.
      expect(a.prs).toEqual({ Deadlift: 150 });
      expect(a.pr_dates).toEqual({ Deadlift: '2025-02-24' });
      expect(a.plateaus).toEqual([
        { exercise: 'Deadlift', since: '2025-01-20', weeks: 7, best_e1rm: e1(150, 5), last_e1rm: e1(145, 5) },
      ]);
      expect(a.weekly_summary.map((w) => w.weekStart)).toEqual(['2025-02-24', '2025-03-03', '2025-03-10']);
    },
  },
  {
    name: 'a new exercise',
    now: '2025-02-20T12:00:00Z',
    range: '30d',
    sessions: [
      { date: '2025-02-03', sets: sets({ exercise: 'Back Squat', weight: 100, reps: 5 }) },
      { date: '2025-02-10', sets: sets({ exercise: 'Back Squat', weight: 105, reps: 5 }) },
      {
        date: '2025-02-17',
        sets: sets({ exercise: 'Back Squat', weight: 110, reps: 5 }, { exercise: 'Hip Thrust', weight: 120, reps: 8 }),
      },
    ],
    expect: (a) => {
      expect(a.prs).toEqual({ 'Hip Thrust': 120, 'Back Squat': 110 });
      expect(a.pr_dates['Hip Thrust']).toBe('2025-02-17');
      expect(a.plateaus).toEqual([]);
    },
  },
  {
    name: 'an empty user',
    now: '2025-02-20T12:00:00Z',
    range: '30d',
    sessions: [],
    expect: (a) => {
      expect(a.prs).toEqual({});
      expect(a.e1rm_prs).toEqual({});
      expect(a.plateaus).toEqual([]);
      expect(a.weekly_summary.map((w) => w.weekStart)).toEqual([
        '2025-01-20',
        '2025-01-27',
        '2025-02-03',
        '2025-02-10',
        '2025-02-17',
      ]);
      expect(a.weekly_summary.every((w) => w.sessions === 0 && w.volume_kg === 0 && w.kg_delta === null)).toBe(true);
    },
  },
  {
    name: 'sets not done count for nothing',
    now: '2025-02-20T12:00:00Z',
    range: '7d',
    sessions: [
      {
        date: '2025-02-18',
        sets: sets(
          { exercise: 'Deadlift', weight: 140, reps: 5 },
          { exercise: 'Deadlift', weight: 180, reps: 3, done: false },
        ),
      },
    ],
    expect: (a) => {
      expect(a.prs).toEqual({ Deadlift: 140 });
      expect(a.weekly_summary.at(-1)).toMatchObject({ sessions: 1, sets: 1, volume_kg: 700 });
    },
  },
  {
    name: 'a week crossing New Year (ISO week 53 of 2020)',
    now: '2021-01-06T12:00:00Z',
    range: '2w',
    sessions: [
      { date: '2020-12-31', calories: 3000, sets: sets({ exercise: 'Back Squat', weight: 100, reps: 5 }) },
      { date: '2021-01-03', calories: 2000, sets: sets({ exercise: 'Back Squat', weight: 102.5, reps: 5 }) },
      { date: '2021-01-04', sets: sets({ exercise: 'Back Squat', weight: 105, reps: 5 }) },
    ],
    expect: (a) => {
      expect(a.weekly_summary.map((w) => [w.weekStart, w.sessions, w.avg_calories])).toEqual([
        ['2020-12-21', 0, null],
        ['2020-12-28', 2, 2500],
        ['2021-01-04', 1, null],
      ]);
      expect(a.pr_dates['Back Squat']).toBe('2021-01-04');
    },
  },
  {
    name: 'a DST change in a non-UTC zone',
    now: '2025-11-10T03:00:00Z', // Sunday 22:00 in New York: today is still the 9th
    range: '3w',
    timeZone: 'America/New_York',
    sessions: [
      // Sunday 26 Oct, 23:30 EDT (UTC−4): week of 20 Oct, though UTC says Monday.
      { date: '2025-10-27T03:30:00Z', sets: sets({ exercise: 'Back Squat', weight: 100, reps: 5 }) },
      // Sunday 2 Nov, 23:30 EST (UTC−5, the night clocks went back): week of 27 Oct.
      { date: '2025-11-03T04:30:00Z', sets: sets({ exercise: 'Back Squat', weight: 102.5, reps: 5 }) },
      // Monday 3 Nov, 00:30 EST: week of 3 Nov.
      { date: '2025-11-03T05:30:00Z', sets: sets({ exercise: 'Back Squat', weight: 105, reps: 5 }) },
    ],
    expect: (a) => {
      expect(a.range).toEqual({ value: '3w', start: '2025-10-20', end: '2025-11-09' });
      expect(a.weekly_summary.map((w) => [w.weekStart, w.sessions])).toEqual([
        ['2025-10-20', 1],
        ['2025-10-27', 1],
        ['2025-11-03', 1],
      ]);
      expect(a.pr_dates['Back Squat']).toBe('2025-11-03');
      expect(a.e1rm_prs['Back Squat']!.date).toBe('2025-11-03');
    },
  },
];

describeEachDatabase('analytics fixtures', (ctx) => {
  const users = new Map<string, string>();
  beforeAll(async () => {
    for (const [i, s] of scenarios.entries()) {
      const id = `fixture-${i}`;
      const token = await createUser(ctx.db, id);
      users.set(s.name, id);
      if (s.timeZone || s.weights) {
        const weights = s.weights ?? [{ date: '2000-01-01', kg: 80 }];
        for (const w of weights) {
          const res = await post(
            '/api/v1/profile_versions',
            {
              user_id: id,
              snapshot: { weightKg: w.kg, ...(s.timeZone ? { timeZone: s.timeZone } : {}) },
              effective_date: w.date,
            },
            token,
          );
          expect(res.status).toBe(201);
        }
      }
      for (const session of s.sessions) {
        const res = await post('/api/v1/session', { user_id: id, finished: true, ...session }, token);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    }
  });

  it.each(scenarios)('$name: hand-computed answer, live and after the job', async (s) => {
    const userId = users.get(s.name)!;
    const live = await getAnalytics(ctx.db, userId, s.range, new Date(s.now));
    expect(analyticsResponse.strict().parse(live)).toEqual(live);
    s.expect(live);
    await runAnalyticsJob(ctx.db);
    const materialized = await getAnalytics(ctx.db, userId, s.range, new Date(s.now));
    expect(materialized).toEqual(live);
  });
});
