import { describe, expect, it } from 'vitest';
import {
  buildDemoData,
  DEMO_DELOAD_WEEK,
  DEMO_HISTORY_WEEKS,
  DEMO_LIFTER_ID,
  DEMO_PLATEAU_EXERCISE,
  DEMO_PLATEAU_WEEKS,
} from '@/server/demo/demo-data';
import { daysBetween, isoWeekStart } from '@/server/time/calendar';

// The demo data is the dashboard's story; these are the facts later tests and the e2e run rely on.
const today = new Date('2026-11-25T10:00:00Z');
const data = buildDemoData(today);
const lifter = data.sessions.filter((s) => s.user_id === DEMO_LIFTER_ID);
const weekIndex = (iso: string) => daysBetween(isoWeekStart('2026-07-06'), isoWeekStart(iso.slice(0, 10))) / 7;
const e1rm = (w: number, r: number) => w * (1 + r / 30);

describe('demo data', () => {
  it('is the same every time for the same day', () => {
    expect(buildDemoData(today)).toEqual(data);
  });

  it('ends the week before today and spans the promised history with 3–4 sessions a week', () => {
    const weeks = new Map<number, number>();
    for (const s of lifter) weeks.set(weekIndex(s.date), (weeks.get(weekIndex(s.date)) ?? 0) + 1);
    expect([...weeks.keys()].sort((a, b) => a - b)).toEqual([...Array(DEMO_HISTORY_WEEKS).keys()]);
    for (const n of weeks.values()) expect(n === 3 || n === 4).toBe(true);
    expect(isoWeekStart(lifter.at(-1)!.date.slice(0, 10))).toBe('2026-11-16');
  });

  it('has a deload week with under 60% of the volume of the four weeks before it', () => {
    const volume = (w: number) =>
      lifter
        .filter((s) => weekIndex(s.date) === w)
        .flatMap((s) => s.sets)
        .reduce((v, x) => v + x.actual_weight * x.actual_reps, 0);
    const mean = [1, 2, 3, 4].reduce((v, k) => v + volume(DEMO_DELOAD_WEEK - k), 0) / 4;
    expect(volume(DEMO_DELOAD_WEEK)).toBeLessThan(0.6 * mean);
  });

  it(`stalls ${DEMO_PLATEAU_EXERCISE} for the last ${DEMO_PLATEAU_WEEKS} weeks and no other lift`, () => {
    const bestByWeek = new Map<string, Map<number, number>>();
    for (const s of lifter)
      for (const x of s.sets) {
        const m = bestByWeek.get(x.exercise) ?? new Map<number, number>();
        m.set(weekIndex(s.date), Math.max(m.get(weekIndex(s.date)) ?? 0, e1rm(x.actual_weight, x.actual_reps)));
        bestByWeek.set(x.exercise, m);
      }
    for (const [exercise, weeks] of bestByWeek) {
      const series = [...weeks.entries()].filter(([w]) => w !== DEMO_DELOAD_WEEK).sort((a, b) => a[0] - b[0]);
      let best = 0;
      let streak = 0;
      let longest = 0;
      for (const [, v] of series) {
        if (v >= best * 1.01) {
          best = v;
          streak = 0;
        } else longest = Math.max(longest, ++streak);
      }
      if (exercise === DEMO_PLATEAU_EXERCISE) expect(streak).toBe(DEMO_PLATEAU_WEEKS);
      else expect(longest, exercise).toBeLessThan(3);
    }
  });

  it('writes realistic values: weights, reps and RPE within the contract bounds', () => {
    for (const s of data.sessions) {
      expect(s.calories).toBeGreaterThan(1500);
      expect(s.calories).toBeLessThan(4000);
      for (const x of s.sets) {
        expect(x.actual_weight).toBeGreaterThan(0);
        expect(x.actual_reps).toBeGreaterThanOrEqual(1);
        expect(x.actual_reps).toBeLessThanOrEqual(x.rec_reps);
        expect(x.intensity).toBeGreaterThanOrEqual(0);
        expect(x.intensity).toBeLessThanOrEqual(10);
      }
    }
  });
});
