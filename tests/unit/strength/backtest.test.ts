import { describe, expect, it } from 'vitest';
import { backtest } from '@/server/strength/backtest';
import type { SetRow } from '@/server/strength/fold';
import { addDays } from '@/server/time/calendar';

const row = (date: string, weight: number, reps: number, exercise = 'Back Squat'): SetRow => ({
  userId: 'u',
  exercise,
  date,
  weight,
  reps,
  rpe: null,
  failed: false,
});

describe('strength backtest', () => {
  it('scores the naive forecasts by hand-checkable arithmetic', () => {
    // Best e1RMs 100, 110, 100, 110, … every 3 days: the previous session is off by 10 % or 9.09 % each time.
    const sets = Array.from({ length: 12 }, (_, k) =>
      row(addDays('2026-01-05', 3 * k), (k % 2 ? 110 : 100) / (1 + 5 / 30), 5),
    );
    const r = backtest('u', sets);
    expect(r.exercises).toBe(1);
    expect(r.sessions_scored).toBeGreaterThan(0);
    // alternating: from 100 → 110 is 1 − 100/110 = 9.09 %, from 110 → 100 is 10 %; the mean lies between
    expect(r.baselines.previous_session.mae_pct).toBeGreaterThan(9.09);
    expect(r.baselines.previous_session.mae_pct).toBeLessThan(10);
    // the best of four weeks is 110 from the second session on: 0 % on the 110 days, 10 % on the 100 days
    expect(r.baselines.best_4w.mae_pct).toBeGreaterThan(4.5);
    expect(r.baselines.best_4w.mae_pct).toBeLessThan(5.5);
    // the estimate averages the two levels: within 5 % of either, and its interval covers most days
    expect(r.estimator.mae_pct).toBeLessThan(r.baselines.previous_session.mae_pct);
    expect(r.estimator.coverage_80).toBeGreaterThan(0.5);
  });

  it('answers zero scored sessions for a history too short to forecast', () => {
    const r = backtest('u', [row('2026-01-05', 100, 5), row('2026-01-08', 100, 5)]);
    expect(r).toEqual({
      user: 'u',
      exercises: 1,
      sessions_scored: 0,
      estimator: { mae_pct: 0, coverage_80: 0 },
      baselines: { previous_session: { mae_pct: 0 }, best_4w: { mae_pct: 0 } },
    });
  });
});
